"""Risk tools as data, and the assessments made with them.

A tool (S-DASH, DASH, a force's own such as DARA) is rows, not code: a force adds or replaces one
in the admin. An assessment is written once, on submission, and never edited: a new assessment
supersedes it and the old one stays readable, because risk history is evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import RiskLevel
from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_KNOWN = "not_known", _("Not known")


class RiskTool(UUIDModel):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # Suggestions only: the officer's professional judgement sets the level.
    medium_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Suggest medium risk from this many yes answers.")
    )
    high_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Suggest high risk from this many yes answers.")
    )
    marac_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Suggest a MARAC referral from this many yes answers.")
    )
    review_after_days = models.PositiveSmallIntegerField(
        default=28, help_text=_("Reassess after this many days.")
    )
    # Risk that is higher is reviewed sooner: a high-risk victim cannot wait four weeks.
    review_after_days_medium = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Reassess medium risk after this many days.")
    )
    review_after_days_high = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Reassess high risk after this many days.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def review_after(self, level: str) -> int:
        """Days until an assessment at this level falls due for review (the shortest applies:
        a force's value for a level never makes a higher risk wait longer than standard)."""
        by_level = {
            RiskLevel.HIGH: self.review_after_days_high,
            RiskLevel.MEDIUM: self.review_after_days_medium,
        }
        days = by_level.get(level)  # type: ignore[call-overload]
        return min(days, self.review_after_days) if days else self.review_after_days


class RiskQuestion(UUIDModel):
    tool = models.ForeignKey(RiskTool, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    # A yes here prompts another tool: DASH's stalking and fear questions prompt the S-DASH.
    prompts_tool = models.ForeignKey(
        RiskTool, on_delete=models.SET_NULL, null=True, blank=True, related_name="prompted_by"
    )

    class Meta:
        ordering = ["tool", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="risk_question_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool.code} Q{self.number}"


class RiskAssessment(UUIDModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, related_name="assessments")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(db_index=True)
    # Stored because the questions may change later; the assessment keeps what was counted.
    yes_count = models.PositiveSmallIntegerField()
    question_count = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20, choices=RiskLevel.assessed_choices())
    reasons = EncryptedTextField()
    review_due = models.DateField()
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.tool.code} {self.level} {self.submitted_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None


class RiskAnswer(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RiskQuestion, on_delete=models.PROTECT, related_name="+")
    # Kept as asked, so the record reads right even if the tool's wording changes later.
    question_number = models.PositiveSmallIntegerField()
    question_text = models.CharField(max_length=500)
    answer = models.CharField(max_length=20, choices=Answer.choices)
    comment = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["question_number"]

    def __str__(self) -> str:
        return f"Q{self.question_number}: {self.answer}"


class JudgementPolicy(UUIDModel):
    """When a judgement needs a second look, and how much a reason must say. Policy, so data.

    One row (the migration makes it with the defaults); a force changes it in the admin. The
    yes counts that indicate a level are on each tool (`medium_from`, `high_from`).
    """

    four_yes_for_review = models.PositiveSmallIntegerField(
        default=4,
        help_text=_(
            "A 'not stalking' decision with at least this many FOUR answers yes goes to a "
            "supervisor."
        ),
    )
    reason_min_characters = models.PositiveSmallIntegerField(
        default=20, help_text=_("The shortest reason accepted for such a judgement.")
    )
    reason_min_words = models.PositiveSmallIntegerField(
        default=4, help_text=_("The fewest words accepted in such a reason.")
    )

    class Meta:
        verbose_name_plural = _("judgement policy")

    def __str__(self) -> str:
        return str(_("Judgement policy"))


class JudgementKind(models.TextChoices):
    RISK_BELOW_ANSWERS = "risk_below_answers", _("Risk level below what the answers indicate")
    NOT_STALKING_AGAINST_FOUR = "not_stalking_four", _("Not stalking, against the FOUR answers")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a supervisor")
    AGREED = "agreed", _("Supervisor agreed")
    CHALLENGED = "challenged", _("Supervisor asked for it to be looked at again")


class JudgementReview(UUIDModel):
    """A judgement that goes against what the answers indicate, waiting for a supervisor.

    "Living in fear" (HMIC/HMCPSI 2017) found stalking downgraded with no one checking; the
    review keeps the officer's reasons beside the supervisor's answer.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=JudgementKind.choices)
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    conduct_decision = models.ForeignKey(
        "cases.CourseOfConductDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the answers indicated and what was chosen, in words (no victim detail).
    indicated = models.CharField(max_length=200)
    chosen = models.CharField(max_length=200)
    reasons = EncryptedTextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
