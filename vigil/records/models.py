"""Retention of case records: when each is due for review, what holds it, what was erased.

Police information is kept while it has a policing purpose and reviewed on a schedule
(Management of Police Information, docs/domain.md "Retention"). A review date is never a
deletion date: the data protection officer decides, and a legal hold stops any deletion.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import Case
from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel

USER = settings.AUTH_USER_MODEL


class RetentionRule(models.TextChoices):
    # Keys of settings.RETENTION_REVIEW_YEARS.
    STANDARD = "standard", _("Closed case")
    HIGH_RISK = "high_risk", _("Closed case assessed as high risk")
    ORDER = "order", _("Closed case with a Stalking Protection Order")


class RetentionReview(UUIDModel):
    """The review state of one closed case, refreshed by `manage.py retention_sweep`."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="retention")
    rule = models.CharField(max_length=20, choices=RetentionRule.choices)
    # The latest of the case's closure and the victim's own last activity on it.
    counted_from = models.DateTimeField()
    review_due_at = models.DateTimeField(db_index=True)
    # A decision to keep it: the next review, and why (staff words, encrypted).
    kept_until = models.DateTimeField(null=True, blank=True)
    kept_reason = EncryptedTextField(blank=True)
    kept_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["review_due_at"]

    def __str__(self) -> str:
        return f"review of {self.case_id}"

    @property
    def next_review_at(self) -> datetime.datetime:
        return max(self.review_due_at, self.kept_until) if self.kept_until else self.review_due_at


class LegalHold(UUIDModel):
    """A reason the case must not be deleted (litigation, an inquiry, a complaint, a request
    under the law): while active, nothing erases the case, whatever its review date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    reason = EncryptedTextField()
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="records_one_active_hold_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"hold on {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ErasureBasis(models.TextChoices):
    REVIEW = "review", _("Reviewed: no longer needed for a policing purpose")
    ERASURE_REQUEST = "erasure_request", _("The person's request to erase, upheld")
    WRONGLY_RECORDED = "wrongly_recorded", _("Recorded in error")


class ErasureTombstone(UUIDModel):
    """What was deleted, when, by whom and on what basis: never any of the personal data.

    It has no link to the case (which no longer exists); the case's id and reference are kept
    so a later question ("what happened to case X?") has an answer.
    """

    case_id_erased = models.UUIDField(db_index=True)
    reference = models.CharField(max_length=20, db_index=True)
    rule = models.CharField(max_length=20, choices=RetentionRule.choices, blank=True)
    basis = models.CharField(max_length=30, choices=ErasureBasis.choices)
    closed_at = models.DateTimeField(null=True)
    erased_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # {"cases.Incident": 3, ...} and the number of stored files removed.
    counts = models.JSONField(default=dict)
    files_removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"erased {self.reference}"

    @property
    def total_rows(self) -> int:
        return sum(int(count) for count in self.counts.values())


class SubjectAccessDecision(models.TextChoices):
    FULL = "full", _("Disclosed in full")
    PART = "part", _("Disclosed in part: other people's information withheld")
    REFUSED = "refused", _("Refused under an exemption")


class SubjectAccessExport(UUIDModel):
    """The DPO's decision on a subject access request and what went out: which records, what
    kinds of information were withheld (counts only), and the export's hash."""

    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # How the DPO names the request ("SAR 2026/114"): staff words, encrypted.
    subject_label = EncryptedTextField()
    decision = models.CharField(max_length=10, choices=SubjectAccessDecision.choices)
    reason = EncryptedTextField(blank=True)
    included = models.JSONField(default=list)
    withheld = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"subject access export {self.sha256[:12]}"
