"""Submitting risk assessments. One transaction: the assessment, its answers, the case's risk
level, the timeline line, the audit row, and (for high risk) the coordinator's notification."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Role, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, TimelineKind
from vigil.cases.services import actions_done_by_tool, timeline_add
from vigil.cases.versions import version_bump
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue
from vigil.risk.judgements import (
    JudgementError,
    JudgementKind,
    indicated_level,
    is_below,
    judgement_review_raise,
    may_review,
    reason_problem,
)
from vigil.risk.models import (
    Answer,
    JudgementReview,
    ReviewStatus,
    RiskAnswer,
    RiskAssessment,
    RiskLevel,
    RiskTool,
)


class RiskError(ValidationError):
    pass


@dataclass(frozen=True)
class GivenAnswer:
    answer: str
    comment: str = ""


@write_service
def risk_assessment_submit(
    *,
    case: Case,
    tool: RiskTool,
    answers: dict[int, GivenAnswer],
    level: str,
    reasons: str,
    by: User,
) -> RiskAssessment:
    """Record a completed assessment; it supersedes the case's current one with the same tool.

    The level is the officer's professional judgement and must come with reasons: the yes count
    informs it but never sets it (S-DASH has no cut-off at all).
    """
    questions = list(tool.questions.order_by("number"))
    missing = [q.number for q in questions if q.number not in answers]
    if missing:
        raise RiskError(
            _("Answer every question (yes, no or not known). Missing: %(numbers)s")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )
    if any(a.answer not in Answer.values for a in answers.values()):
        raise RiskError(_("Each answer must be yes, no or not known."))
    if level not in RiskLevel.assessed():
        raise RiskError(_("Choose the risk level: standard, medium or high."))
    if not reasons.strip():
        raise RiskError(_("Give the reasons for the risk level you chose."))
    yes_answers = sum(1 for q in questions if answers[q.number].answer == Answer.YES)
    indicated = indicated_level(
        yes_count=yes_answers, medium_from=tool.medium_from, high_from=tool.high_from
    )
    below = is_below(level, indicated)
    if below:
        problem = reason_problem(reasons)
        if problem:
            raise RiskError(
                {
                    "reasons": _(
                        "%(yes)s yes answers indicate %(indicated)s risk and you chose "
                        "%(level)s. A supervisor will review this, so say why. %(problem)s"
                    )
                    % {
                        "yes": yes_answers,
                        "indicated": RiskLevel(indicated).label,
                        "level": RiskLevel(level).label,
                        "problem": problem,
                    }
                }
            )

    now = timezone.now()
    previous = (
        RiskAssessment.objects.select_for_update()
        .filter(case=case, tool=tool, superseded_by__isnull=True)
        .first()
    )
    yes_count = sum(1 for q in questions if answers[q.number].answer == Answer.YES)
    assessment = RiskAssessment.objects.create(
        case=case,
        tool=tool,
        assessed_by=by,
        submitted_at=now,
        yes_count=yes_count,
        question_count=len(questions),
        level=level,
        reasons=reasons.strip(),
        review_due=(now + datetime.timedelta(days=tool.review_after(level))).date(),
    )
    RiskAnswer.objects.bulk_create(
        RiskAnswer(
            assessment=assessment,
            question=q,
            question_number=q.number,
            question_text=q.text,
            answer=answers[q.number].answer,
            comment=answers[q.number].comment.strip(),
        )
        for q in questions
    )
    if previous is not None:
        previous.superseded_by = assessment
        previous.save(update_fields=["superseded_by", "updated_at"])

    was_high = case.risk_level == RiskLevel.HIGH
    case.risk_level = _case_level(case)
    case.save(update_fields=["risk_level", "updated_at"])
    # A form read before this assessment (closing, for one) must not be saved over it.
    version_bump(case)
    timeline_add(
        case=case,
        kind=TimelineKind.RISK,
        title=_("%(tool)s: %(level)s risk (%(yes)s of %(total)s yes)")
        % {
            "tool": tool.name,
            "level": assessment.get_level_display(),
            "yes": yes_count,
            "total": len(questions),
        },
        detail=assessment.reasons,
        actor=by,
    )
    audit_record(
        action="risk.assessment.submit",
        actor=by,
        target=assessment,
        summary={
            "case": str(case.pk),
            "tool": tool.code,
            "level": level,
            "yes": yes_count,
            "supersedes": str(previous.pk) if previous else "",
        },
    )
    # The checklist's "complete the S-DASH" is done by doing it, not by remembering to tick it.
    actions_done_by_tool(case=case, tool_code=tool.code, by=by)
    if case.risk_level == RiskLevel.HIGH and not was_high:
        _notify_coordinators(case=case, assessment=assessment)
    if below:
        judgement_review_raise(
            case=case,
            kind=JudgementKind.RISK_BELOW_ANSWERS,
            indicated=_("%(tool)s: %(yes)s of %(total)s yes, indicating %(level)s risk")
            % {
                "tool": tool.name,
                "yes": yes_count,
                "total": len(questions),
                "level": RiskLevel(indicated).label,
            },
            chosen=str(RiskLevel(level).label),
            reasons=assessment.reasons,
            by=by,
            assessment=assessment,
        )
    return assessment


def _case_level(case: Case) -> str:
    """The case shows the highest level among its current assessments."""
    order = {RiskLevel.STANDARD: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}
    levels = RiskAssessment.objects.filter(case=case, superseded_by__isnull=True).values_list(
        "level", flat=True
    )
    return max(levels, key=lambda level: order[RiskLevel(level)], default="")


def _notify_coordinators(*, case: Case, assessment: RiskAssessment) -> None:
    # Only the reference and a link: the email may be read outside the force's systems.
    link = absolute_url("cases:detail", case.pk)
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        outbox_enqueue(
            channel="email",
            recipient=coordinator.email,
            subject=_("High risk: case %(ref)s") % {"ref": case.reference},
            body=_(
                "Case %(ref)s has been assessed as high risk. Open it in Vigil to review the "
                "safety plan and actions: %(link)s"
            )
            % {"ref": case.reference, "link": link},
            purpose="risk.high_risk_coordinator",
            idempotency_key=f"risk-high:{assessment.pk}:{coordinator.pk}",
        )


@write_service
def judgement_review_complete(
    *, review: JudgementReview, agreed: bool, note: str, by: User
) -> JudgementReview:
    """A supervisor's answer to a judgement. Challenging it sends it back to the officer."""
    review = JudgementReview.objects.select_for_update().get(pk=review.pk)
    if not may_review(by):
        raise JudgementError(_("Only a supervisor can review judgements."))
    if review.raised_by_id == by.pk:
        raise JudgementError(_("Someone other than the person who made it must review it."))
    if review.status != ReviewStatus.OPEN:
        raise JudgementError(_("This judgement has already been reviewed."))
    problem = reason_problem(note)
    if problem:
        raise JudgementError(problem)
    review.status = ReviewStatus.AGREED if agreed else ReviewStatus.CHALLENGED
    review.reviewed_by = by
    review.reviewed_at = timezone.now()
    review.review_note = note.strip()
    review.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    timeline_add(
        case=review.case,
        kind=TimelineKind.RISK,
        title=_("Supervisor review: %(what)s: %(status)s")
        % {"what": review.get_kind_display(), "status": review.get_status_display()},
        detail=review.review_note,
        actor=by,
    )
    audit_record(
        action="risk.judgement_review.complete",
        actor=by,
        target=review,
        summary={"case": str(review.case_id), "status": review.status},
    )
    return review
