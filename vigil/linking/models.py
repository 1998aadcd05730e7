"""One person across reports and records.

The linking engine knows nothing of cases or reports: callers (reporting intake, case
management) describe each mention of a person as a `PersonRecord` with an opaque `source`
("reporting.report:<uuid>#suspect-0", "cases.suspect:<uuid>") and the `owner` that decides who
may see it ("reporting.report:<uuid>", "cases.case:<uuid>"). Identifiers are stored normalised
and encrypted; `RecordKey` rows hold keyed hashes of them (blind indexes and blocking keys) so
candidates are found by exact lookups without decrypting anything.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedJSONField, EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.linking.querysets import PersonRecordQuerySet


class Person(UUIDModel):
    """A resolved identity: the records staff have confirmed are one person.

    Every record starts as its own person; confirming a link merges two people, undoing it
    splits them again. A person holds no personal data of its own.
    """

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Person {str(self.pk)[:8]}"


class RecordRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")
    OTHER = "other", _("Other person")


class PersonRecord(UUIDModel):
    """One mention of a person in one report or case."""

    source = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=200, db_index=True)
    role = models.CharField(max_length=20, choices=RecordRole.choices, default=RecordRole.SUSPECT)
    # A keyed hash of the owner's victim, so "different victims" can be counted without
    # holding who they are.
    victim_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The agency whose record this is; partners see records of their own agency by default.
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    # Normalised identifiers (see services.RecordDetails), encrypted at rest.
    attributes = EncryptedJSONField(default=dict)
    # A short label for staff ("Suspect 1 in report ABC-123"), never shown to the public.
    label = EncryptedTextField(blank=True)
    # The blind-index key the keys below were made with; `manage.py linking_reindex` moves
    # records to the current key after a rotation.
    index_key_id = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source

    @property
    def identifiers(self) -> dict[str, Any]:
        """The decrypted, normalised identifiers (the field is typed as text by the stubs)."""
        return cast(dict[str, Any], self.attributes or {})


class RecordKey(models.Model):
    """A keyed hash of one identifier or blocking key of a record.

    The kind is inside the hash (as the HMAC purpose), so one index on `digest` serves every
    lookup and the kind itself is not stored in clear either.
    """

    id = models.BigAutoField(primary_key=True)
    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="keys")
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["digest", "record"], name="linking_key_digest_record")]

    def __str__(self) -> str:
        return self.digest[:12]


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Same person")
    REJECTED = "rejected", _("Not the same person")


class LinkDecision(UUIDModel):
    """A member of staff's decision about two records. Undoing keeps the row, stamped."""

    record_a = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    record_b = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    score = models.FloatField(null=True, blank=True)
    # Which identifiers agreed and which differed, by kind only (no values).
    reasons = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_a", "record_b"],
                condition=models.Q(undone_at__isnull=True),
                name="linking_one_live_decision_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(record_a=models.F("record_b")),
                name="linking_decision_two_records",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} ({self.created_at:%Y-%m-%d})"


class AlertKind(models.TextChoices):
    SERIAL_PERPETRATOR = "serial_perpetrator", _("Suspect of more than one victim")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Needs review")
    ACKNOWLEDGED = "acknowledged", _("Reviewed")
    WITHDRAWN = "withdrawn", _("Withdrawn: the link was undone")


class Alert(UUIDModel):
    """Raised once for a person and a set of victims; a new victim raises a new alert."""

    kind = models.CharField(max_length=40, choices=AlertKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    # A hash of the sorted victim keys: the same set never alerts twice.
    victim_set = models.CharField(max_length=64)
    victim_keys = models.JSONField(default=list)
    victim_count = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person", "victim_set"], name="linking_alert_once_per_victim_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.victim_count} victims)"
