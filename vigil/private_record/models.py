"""Private records: what someone not ready to report keeps, sealed until someone else names
the same person (issue 23; the threat model is in docs/decisions.md).

What is stored, and who can read it:
- `sealed`: the identifiers and the account, encrypted with the record's own random key. That key
  is kept only wrapped: under a key derived from the holder's secret code (`holder_wrapped_key`)
  and under a key derived from each identifier (`IdentifierToken.wrapped_key`). Neither the
  field keys nor any staff screen open it.
- `IdentifierToken.token`: a keyed hash of one normalised identifier, with the private-record key
  (VIGIL_PRIVATE_RECORD_KEY), never the blind-index key: equal identifiers give equal tokens.
- `contact` and `contact_details`: how the holder may be told of a match, encrypted with the
  field keys like every safe-contact record (the service must be able to send).
- `NamedElsewhere`: the tokens of the people named in reports and cases, so a record made later
  still matches them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedJSONField
from vigil.common.models import UUIDModel
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact


class PrivateRecord(UUIDModel):
    reference = models.CharField(max_length=20)
    secret_hash = models.CharField(max_length=200)
    # Salt of the key derived from the secret code, which wraps the record's key for the holder.
    holder_salt = models.CharField(max_length=32)
    holder_wrapped_key = models.TextField()
    # {"identifiers": {...form answers...}, "account": str}, under the record's own key.
    sealed = models.TextField()
    contact = models.ForeignKey(SafeContact, on_delete=models.PROTECT, related_name="+")
    # {"email": str, "phone": str}: where the holder said we may tell them of a match.
    contact_details: Any = EncryptedJSONField(default=dict)
    last_used_at = models.DateTimeField()
    # When we last asked whether to keep it (after PRIVATE_RECORD_UNUSED_DAYS unused).
    keep_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="private_record_reference_unique")
        ]

    def __str__(self) -> str:
        return f"private record {self.pk}"

    @property
    def contact_prefs(self) -> SafeContactPrefs:
        return self.contact.prefs


class IdentifierToken(models.Model):
    record = models.ForeignKey(PrivateRecord, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64, db_index=True)
    # The record's key under the key derived from this identifier: only someone holding the
    # same identifier (a second record, a report) can derive it.
    wrapped_key = models.TextField()

    def __str__(self) -> str:
        return f"identifier token of {self.record_id}"


class SourceKind(models.TextChoices):
    RECORD = "record", _("Private record")
    REPORT = "report", _("Report")
    CASE = "case", _("Case")


class NamedElsewhere(models.Model):
    """A token of a person named in a report or a case (not its identifier)."""

    source = models.CharField(max_length=10, choices=SourceKind.choices)
    source_id = models.UUIDField()
    token = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "token"], name="named_elsewhere_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id}"


class Match(UUIDModel):
    """Two or more sources naming the same person. Staff learn that it exists, and only what each
    holder has agreed to release."""

    class Meta:
        verbose_name_plural = "matches"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"match {self.pk}"


class Wish(models.TextChoices):
    ADVOCATE = "advocate", _("Talk to an independent advocate")
    OFFICER = "officer", _("Talk to a police officer")
    NOT_NOW = "not_now", _("Not now")


class MatchMember(UUIDModel):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="members")
    source = models.CharField(max_length=10, choices=SourceKind.choices)
    # Deleting a record takes its membership and whatever it released with it.
    record = models.ForeignKey(
        PrivateRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    source_id = models.UUIDField(null=True, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    # What the holder agreed to release, copied at consent: {"wish", "contact", "identifiers",
    # "account"}, each only when they ticked it.
    released: Any = EncryptedJSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "record"], name="match_member_record_unique"),
            models.UniqueConstraint(
                fields=["match", "source", "source_id"], name="match_member_source_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} in {self.match_id}"


class DerivationEvent(models.Model):
    """One identifier's key derived for a record, counted for the rate limits. `address_key` is a
    keyed hash of the client address."""

    address_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address_key", "created_at"], name="derivation_address")]

    def __str__(self) -> str:
        return f"derivation at {self.created_at}"
