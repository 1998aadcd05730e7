"""Reads for risk: a case's assessments and prompts, and the coordinator's review list."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases.models import Case
from vigil.cases.selectors import case_get, case_queryset
from vigil.risk.models import Answer, RiskAnswer, RiskAssessment, RiskLevel, RiskTool
from vigil.risk.prompts import AssessmentFacts, IncidentFacts, RiskPrompt, risk_prompts

# Safety plans and meetings live in an app above this one (vigil.safeguarding), which cannot be
# imported from here: it registers how to tell whether a case has a current plan, and the link
# each prompt offers (for instance "refer to MARAC").
SafetyPlanCheck = Callable[[Case], bool]
PromptAction = Callable[[Case, RiskPrompt], tuple[str, str] | None]
_SAFETY_PLAN_CHECKS: list[SafetyPlanCheck] = []
_PROMPT_ACTIONS: list[PromptAction] = []


def safety_plan_check_register(check: SafetyPlanCheck) -> None:
    if check not in _SAFETY_PLAN_CHECKS:
        _SAFETY_PLAN_CHECKS.append(check)


def prompt_action_register(action: PromptAction) -> None:
    """`action(case, prompt)` gives (url, label) for a prompt it has a next step for, or None."""
    if action not in _PROMPT_ACTIONS:
        _PROMPT_ACTIONS.append(action)


def _has_safety_plan(case: Case) -> bool:
    return any(check(case) for check in _SAFETY_PLAN_CHECKS)


def _with_action(case: Case, prompt: RiskPrompt) -> RiskPrompt:
    for action in _PROMPT_ACTIONS:
        found = action(case, prompt)
        if found is not None:
            url, label = found
            return dataclasses.replace(prompt, action_url=url, action_label=label)
    return prompt


def active_tools() -> QuerySet[RiskTool]:
    return RiskTool.objects.filter(is_active=True).order_by("name")


def tool_for_assessment(*, code: str) -> RiskTool:
    tool = active_tools().prefetch_related("questions").filter(code=code).first()
    if tool is None:
        raise Http404
    return tool


def case_assessments(*, case: Case) -> QuerySet[RiskAssessment]:
    """Every assessment on the case, newest first: superseded ones stay readable."""
    return RiskAssessment.objects.filter(case=case).select_related("tool", "assessed_by")


def assessment_get(*, user: User, assessment_id: UUID) -> RiskAssessment:
    assessment = (
        RiskAssessment.objects.select_related("tool", "assessed_by", "case", "superseded_by")
        .prefetch_related(
            Prefetch("answers", queryset=RiskAnswer.objects.order_by("question_number"))
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    case_get(user=user, case_id=assessment.case_id)  # 404 unless the user may see the case
    return assessment


def _facts(assessments: list[RiskAssessment]) -> list[AssessmentFacts]:
    prompting = {
        (a.assessment_id, a.question.prompts_tool.code)
        for a in RiskAnswer.objects.filter(
            assessment__in=assessments, answer=Answer.YES, question__prompts_tool__isnull=False
        ).select_related("question__prompts_tool")
        if a.question.prompts_tool is not None
    }
    return [
        AssessmentFacts(
            tool_code=a.tool.code,
            tool_name=a.tool.name,
            submitted_at=a.submitted_at,
            yes_count=a.yes_count,
            level=a.level,
            review_due=a.review_due,
            marac_from=a.tool.marac_from,
            prompted_tools=frozenset(code for (pk, code) in prompting if pk == a.pk),
        )
        for a in assessments
    ]


def case_risk_prompts(*, case: Case, now: datetime.datetime | None = None) -> list[RiskPrompt]:
    current = list(
        RiskAssessment.objects.filter(case=case, superseded_by__isnull=True).select_related("tool")
    )
    incidents = [
        IncidentFacts(occurred_at=occurred, recorded_at=recorded)
        for occurred, recorded in case.incidents.values_list("occurred_at", "created_at")
    ]
    prompts = risk_prompts(
        incidents=incidents,
        current=_facts(current),
        now=now or timezone.now(),
        has_safety_plan=_has_safety_plan(case),
    )
    return [_with_action(case, prompt) for prompt in prompts]


def high_risk_reviews_overdue(*, user: User) -> QuerySet[RiskAssessment]:
    """Current high-risk assessments past their review date, on cases the user may see."""
    return (
        RiskAssessment.objects.filter(
            superseded_by__isnull=True,
            level=RiskLevel.HIGH,
            review_due__lt=timezone.localdate(),
            case__in=case_queryset(user=user),
        )
        .select_related("case", "tool", "assessed_by", "case__officer")
        .order_by("review_due")
    )
