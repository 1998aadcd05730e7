"""Referrals to partner agencies: what was shared with whom, on what basis, and what came back.

A referral shares parts of a case with one partner agency; it never hands the case over (a
transfer of ownership is `cases.case_assign`, a change of officer or team inside the force).
While a referral is accepted and not ended, the agency's caseworkers reach the case (the one
table of reach is vigil/cases/querysets.py CASE_REACH); on it they see exactly the parts the
referral names (vigil/sharing/parts.py), nothing else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency
from vigil.cases.models import Case, RiskLevel, TimelineEntry
from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel

USER = settings.AUTH_USER_MODEL


class AgencyType(UUIDModel):
    """A kind of partner service (advocacy, helpline, IDVA, health...). Data a force can edit."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    # How many working days the agency has to accept or decline a referral.
    acknowledge_working_days = models.PositiveSmallIntegerField(default=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PartnerAgency(UUIDModel):
    """What Vigil knows of a partner agency beyond its name: its type and who to tell."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="partner")
    agency_type = models.ForeignKey(AgencyType, on_delete=models.PROTECT, related_name="agencies")
    # A shared inbox the agency watches for new referrals; may be empty.
    referrals_email = models.EmailField(blank=True)

    class Meta:
        verbose_name_plural = "partner agencies"
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return str(self.agency)


class Basis(models.TextChoices):
    CONSENT = "consent", _("The victim consented")
    SAFEGUARDING = "safeguarding", _("Without consent: a high-risk safeguarding need")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("On the phone")
    WRITING = "writing", _("In writing (letter, email or form)")
    ONLINE = "online", _("On their online report")


class ReferralStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a supervisor")
    PENDING = "pending", _("Waiting for the agency")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")
    CLOSED = "closed", _("Closed")


# Statuses in which the agency's caseworkers reach the case.
ACTIVE_STATUSES = frozenset({ReferralStatus.ACCEPTED})
# Statuses that can still change.
OPEN_STATUSES = frozenset(
    {ReferralStatus.AWAITING_APPROVAL, ReferralStatus.PENDING, ReferralStatus.ACCEPTED}
)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_agency(self, agency_id: Any) -> ReferralQuerySet:
        """The referrals an agency's caseworkers may open: sent to it and approved. One still
        waiting for a supervisor has not been sent."""
        return self.filter(agency_id=agency_id).exclude(status=ReferralStatus.AWAITING_APPROVAL)

    def giving_access(self) -> ReferralQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class Referral(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Why the victim is referred, in the officer's words (the agency reads it).
    reason = EncryptedTextField()
    # The parts of the case shared (codes of vigil.sharing.parts.PARTS).
    parts = models.JSONField(default=list)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    # With consent: who gave it, when, how and to what.
    consent_given_by = EncryptedTextField(blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    consent_scope = EncryptedTextField(blank=True)
    # Without consent: the safeguarding need, and the supervisor who approved sharing anyway.
    lawful_basis_reason = EncryptedTextField(blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_reason = EncryptedTextField(blank=True)

    status = models.CharField(max_length=20, choices=ReferralStatus.choices, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = EncryptedTextField(blank=True)
    # Set when the overdue reminder was queued: it is queued once, however often the sweep runs.
    reminder_queued_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["case", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.case_id} to {self.agency_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def gives_access(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def part_labels(self) -> list[str]:
        from vigil.sharing.parts import part_labels  # parts reads this module's models

        return part_labels(list(self.parts))

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status == ReferralStatus.PENDING
            and self.acknowledge_by
            and self.acknowledge_by < timezone.now()
        )


class UpdateKind(models.TextChoices):
    UPDATE = "update", _("Update")
    NOTE = "note", _("Note")
    RISK = "risk", _("Our risk assessment")
    SAFETY_MEASURE = "safety_measure", _("Safety measure")


class PartnerUpdate(UUIDModel):
    """Something a partner caseworker adds back to the case; it shows on the police timeline
    marked with the agency. Safety measures are kept here until the safeguarding app's plan
    takes them (see docs/decisions.md, "Partner safety measures")."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="updates")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_updates")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices)
    body = EncryptedTextField()
    # Their own risk assessment's level (kind RISK only).
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    timeline_entry = models.OneToOneField(
        TimelineEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.agency_id}"
