"""Safety plans (measures on a case) and multi-agency meetings (MARAC, stalking clinic).

HMIC's "Living in fear" (2017) found no risk or safety plan in over 60% of stalking cases. A plan
here is a list of measures, each with someone who owns it, a status and a review date, so that an
empty or stale plan shows, and a high-risk case without one is escalated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency
from vigil.cases.models import Case
from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.safeguarding.querysets import MeasureQuerySet, MeetingQuerySet, PlanChildQuerySet

USER = settings.AUTH_USER_MODEL


class MeasureKind(UUIDModel):
    """The configurable list of measures a plan is made from (seeded; kept in the admin)."""

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PLACE = "in_place", _("In place")
    ENDED = "ended", _("Ended")
    NOT_NEEDED = "not_needed", _("Not needed or not wanted")
    CARRIED_OVER = "carried_over", _("Carried over after the case closed")


# A measure still being arranged or in force keeps the victim safe now: closing the case must
# not leave it behind without someone saying why.
OPEN_STATUSES = frozenset({MeasureStatus.PLANNED, MeasureStatus.IN_PLACE})


class SafetyPlan(UUIDModel):
    """One per case; it exists from its first measure."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_due_on = models.DateField(null=True, blank=True)
    # Set when something new means the plan must be looked at again (a new incident, a new risk
    # assessment); cleared when someone records a review.
    review_wanted_at = models.DateTimeField(null=True, blank=True)
    review_wanted_because = models.CharField(max_length=200, blank=True)

    objects = PlanChildQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Safety plan for {self.case.reference}"


class SafetyMeasure(UUIDModel):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.ForeignKey(
        MeasureKind, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("measure"), max_length=200)
    # May name places and people (a school, a workplace): encrypted like the rest of the case.
    detail = EncryptedTextField(_("details"), blank=True)
    owner_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="safety_measures"
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="safety_measures"
    )
    status = models.CharField(
        max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    carried_over_reason = EncryptedTextField(blank=True)
    # The partner agency that added it (through the partner view), shown on the police timeline.
    source_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.full_name
        if self.owner_agency is not None:
            return self.owner_agency.name
        return ""


class PlanEscalation(UUIDModel):
    """A high-risk case had no current plan a working day after it became high risk: the
    coordinator was told. One row per high-risk spell, so the sweep tells them once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_escalations")
    high_risk_since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "high_risk_since"], name="plan_escalation_once_per_spell"
            )
        ]


class MeetingKind(models.TextChoices):
    MARAC = "marac", _("MARAC (multi-agency risk assessment conference)")
    STALKING_CLINIC = "stalking_clinic", _("Stalking clinic (multi-agency review)")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(UUIDModel):
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Minutes discuss victims and suspects: encrypted at rest.
    minutes = EncryptedTextField(_("minutes"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    @property
    def short_name(self) -> str:
        return "MARAC" if self.kind == MeetingKind.MARAC else str(_("Stalking clinic"))


class ReferralReason(models.TextChoices):
    MARAC_THRESHOLD = "marac_threshold", _("Risk assessment answers reach the MARAC threshold")
    ESCALATION = "escalation", _("Escalation: repeated incidents")
    PROFESSIONAL_JUDGEMENT = "judgement", _("Professional judgement")


class MeetingCase(UUIDModel):
    """A case on a meeting's list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meeting_entries")
    reason = models.CharField(max_length=20, choices=ReferralReason.choices)
    note = EncryptedTextField(blank=True)
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="meeting_case_once")
        ]


class MeetingAttendee(UUIDModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    job = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]


class MeetingInformation(UUIDModel):
    """What one agency brought to the meeting about one case."""

    entry = models.ForeignKey(MeetingCase, on_delete=models.CASCADE, related_name="information")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = EncryptedTextField(_("information shared"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]


class MeetingAction(UUIDModel):
    entry = models.ForeignKey(MeetingCase, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due by"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "created_at"]

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.full_name
        if self.owner_agency is not None:
            return self.owner_agency.name
        return ""
