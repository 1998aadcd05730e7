from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.cases.selectors import case_view
from vigil.risk.forms import JudgementReviewForm, RiskAssessmentForm
from vigil.risk.judgements import may_review, review_queue
from vigil.risk.models import JudgementReview, ReviewStatus
from vigil.risk.prompts import suggested_level
from vigil.risk.selectors import (
    active_tools,
    assessment_get,
    case_assessments,
    case_risk_prompts,
    high_risk_reviews_overdue,
    tool_for_assessment,
)
from vigil.risk.services import (
    JudgementError,
    RiskError,
    judgement_review_complete,
    risk_assessment_submit,
)


def case_risk(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = case_view(user=user, case_id=case_id, page="risk")
    context = {
        "case": case,
        "assessments": case_assessments(case=case),
        "prompts": case_risk_prompts(case=case),
        "tools": active_tools(),
    }
    return render(request, "risk/case_risk.html", context)


def assessment_new(request: HttpRequest, case_id: UUID, tool_code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = case_view(user=user, case_id=case_id, page="risk.new", change=True)
    tool = tool_for_assessment(code=tool_code)
    form = RiskAssessmentForm(request.POST or None, tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = risk_assessment_submit(
                case=case,
                tool=tool,
                answers=form.given_answers(),
                level=form.cleaned_data["level"],
                reasons=form.cleaned_data["reasons"],
                by=user,
            )
        except RiskError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(tool)s saved: %(level)s risk.")
                % {"tool": tool.name, "level": assessment.get_level_display()},
            )
            return redirect("risk:case", case_id=case.pk)
    yes_count = sum(1 for q in form.questions if form.data.get(f"q{q.number}") == "yes")
    context = {
        "case": case,
        "tool": tool,
        "form": form,
        "yes_count": yes_count,
        "suggested": suggested_level(
            yes_count=yes_count, medium_from=tool.medium_from, high_from=tool.high_from
        ),
    }
    return render(request, "risk/assessment_form.html", context)


def assessment_detail(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    assessment = assessment_get(user=user, assessment_id=assessment_id)
    case_view(user=user, case_id=assessment.case_id, page="risk.assessment")
    return render(request, "risk/assessment_detail.html", {"assessment": assessment})


def high_risk_overdue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("risk.view_high_risk_reviews"):
        raise Http404
    overdue = high_risk_reviews_overdue(user=user)
    return render(request, "risk/high_risk_overdue.html", {"overdue": overdue})


def judgement_queue(request: HttpRequest) -> HttpResponse:
    """The supervisors' queue of judgements that go against the answers."""
    if not may_review(request.user):
        raise Http404
    return render(request, "risk/judgement_queue.html", {"reviews": review_queue()})


def judgement_review(request: HttpRequest, review_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not may_review(user):
        raise Http404
    review = (
        JudgementReview.objects.select_related("case", "raised_by").filter(pk=review_id).first()
    )
    if review is None:
        raise Http404
    case_view(user=user, case_id=review.case_id, page="risk.judgement_review")
    form = None
    if review.status == ReviewStatus.OPEN and review.raised_by_id != user.pk:
        form = JudgementReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                judgement_review_complete(
                    review=review,
                    agreed=form.cleaned_data["decision"] == "agreed",
                    note=form.cleaned_data["note"],
                    by=user,
                )
            except JudgementError as error:
                form.add_error("note", error)
            else:
                messages.success(request, _("Review saved. It is on the case timeline."))
                return redirect("risk:judgement_queue")
    return render(request, "risk/judgement_review.html", {"review": review, "form": form})
