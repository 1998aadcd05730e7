"""Retention of police records: when each is due for review, what holds it, what was erased.

Three kinds of record are reviewed: a case (with the reports it came from), an online report
that never became a case (not triaged, or withdrawn), and a phone report never triaged. Each
review and hold points at exactly one of them.

Police information is kept while it has a policing purpose and reviewed on a schedule
(Management of Police Information, docs/domain.md "Retention"). A review date is never a
deletion date: the data protection officer decides, and a legal hold stops any deletion.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import Case, PhoneReport
from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.reporting.models import Report

USER = settings.AUTH_USER_MODEL


class RetentionRule(models.TextChoices):
    # Keys of settings.RETENTION_REVIEW_YEARS.
    STANDARD = "standard", _("Closed case")
    HIGH_RISK = "high_risk", _("Closed case assessed as high risk")
    ORDER = "order", _("Closed case with a Stalking Protection Order")
    REPORT = "report", _("Report that did not become a case")


class RecordKind(models.TextChoices):
    CASE = "case", _("Case")
    REPORT = "report", _("Online report")
    PHONE_REPORT = "phone_report", _("Phone report")


def _one_record(prefix: str) -> models.CheckConstraint:
    """Exactly one of case, report and phone report is set."""
    case = models.Q(case__isnull=False, report__isnull=True, phone_report__isnull=True)
    report = models.Q(case__isnull=True, report__isnull=False, phone_report__isnull=True)
    phone = models.Q(case__isnull=True, report__isnull=True, phone_report__isnull=False)
    return models.CheckConstraint(condition=case | report | phone, name=f"{prefix}_one_record")


class RecordLink(models.Model):
    """The reviewed record: one of the three foreign keys, and how to name it."""

    class Meta:
        abstract = True

    @property
    def record(self) -> Case | Report | PhoneReport:
        record: Any = self.case or self.report or self.phone_report  # type: ignore[attr-defined]
        assert record is not None
        return record

    @property
    def record_kind(self) -> str:
        if self.case_id:  # type: ignore[attr-defined]
            return RecordKind.CASE
        return RecordKind.REPORT if self.report_id else RecordKind.PHONE_REPORT  # type: ignore[attr-defined]

    def get_record_kind_display(self) -> str:
        return str(RecordKind(self.record_kind).label)

    @property
    def record_url(self) -> str:
        """The DPO's retention page of the record (records/urls.py names one per kind)."""
        return reverse(f"records:{self.record_kind}", args=[self.record_id])

    @property
    def record_id(self) -> Any:
        return self.case_id or self.report_id or self.phone_report_id  # type: ignore[attr-defined]


class RetentionReview(RecordLink, UUIDModel):
    """The review state of one record, kept by `manage.py retention_sweep` (records/sweep.py)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="retention"
    )
    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="retention"
    )
    phone_report = models.OneToOneField(
        PhoneReport, on_delete=models.CASCADE, null=True, blank=True, related_name="retention"
    )
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
        constraints = [_one_record("retentionreview")]

    def __str__(self) -> str:
        return f"review of {self.record_id}"

    @property
    def next_review_at(self) -> datetime.datetime:
        return max(self.review_due_at, self.kept_until) if self.kept_until else self.review_due_at


class LegalHold(RecordLink, UUIDModel):
    """A reason the record must not be deleted (litigation, an inquiry, a complaint, a request
    under the law): while active, nothing erases it, whatever its review date."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    phone_report = models.ForeignKey(
        PhoneReport, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
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
            _one_record("legalhold"),
            *(
                models.UniqueConstraint(
                    fields=[name],
                    condition=models.Q(lifted_at__isnull=True, **{f"{name}__isnull": False}),
                    name=f"records_one_active_hold_per_{name}",
                )
                for name in ("case", "report", "phone_report")
            ),
        ]

    def __str__(self) -> str:
        return f"hold on {self.record_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ErasureBasis(models.TextChoices):
    REVIEW = "review", _("Reviewed: no longer needed for a policing purpose")
    ERASURE_REQUEST = "erasure_request", _("The person's request to erase, upheld")
    WRONGLY_RECORDED = "wrongly_recorded", _("Recorded in error")


class ErasureTombstone(UUIDModel):
    """What was deleted, when, by whom and on what basis: never any of the personal data.

    It has no link to the record (which no longer exists); its kind, id and reference are kept
    so a later question ("what happened to case X?") has an answer.
    """

    kind = models.CharField(max_length=20, choices=RecordKind.choices, default=RecordKind.CASE)
    # The erased record's id (a case's, or a report's that never became a case).
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


class RetentionDirty(models.Model):
    """A record whose review date may have changed since the sweep last worked it out.

    Written (one row per record, whatever the number of changes) when something that moves
    the date happens: closure, reopening, an order, a risk level, the victim's activity, a
    hold, a report becoming a case. The sweep works out only these, and those now due.
    """

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    record_id = models.UUIDField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="retention_dirty_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} to review again"


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


class ReportIdentifierRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    REPORTER = "reporter", _("Person who reported for them")


class ReportIdentifier(models.Model):
    """The blind index of an email address or phone number a report gives for its victim or
    for the person who reported for them, so subject access finds a person whose report never
    became a case (cases have CaseIdentifier). An online report or a phone report, one of the
    two. Only the keyed hash is kept: the value is the report's own (encrypted), and the rows
    are rebuilt from it (`manage.py records_reindex`)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    phone_report = models.ForeignKey(
        PhoneReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=10, choices=ReportIdentifierRole.choices)
    kind = models.CharField(max_length=10)  # "email" or "phone", as IdentifierKind
    blind_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, phone_report__isnull=True)
                | models.Q(report__isnull=True, phone_report__isnull=False),
                name="reportidentifier_one_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.kind} of {self.report_id or self.phone_report_id}"
