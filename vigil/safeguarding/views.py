"""Staff pages for safety plans and multi-agency meetings. Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_denied
from vigil.cases.models import Case
from vigil.cases.selectors import case_view
from vigil.common.form_saves import NowSaved, form_save
from vigil.safeguarding import meetings as meeting_services
from vigil.safeguarding import plans
from vigil.safeguarding.forms import (
    OTHER,
    AttendeeForm,
    InformationForm,
    MeasureAddForm,
    MeasureEditForm,
    MeetingActionForm,
    MeetingCaseForm,
    MeetingForm,
    MinutesForm,
    PlanReviewForm,
    ReferForm,
    owner_value,
)
from vigil.safeguarding.models import MeasureStatus, Meeting, MeetingCase, SafetyMeasure
from vigil.safeguarding.querysets import reaches_plans


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _plan_case(user: User, case_id: UUID, *, page: str, change: bool = False) -> Case:
    """The case, for police staff who may see (or change) it, its reading audited; partners
    get 404 (audited as refused) until referrals say what was shared with them."""
    if not reaches_plans(user):
        audit_denied(actor=user, target_type="safeguarding.plan", target_id=case_id)
        raise Http404
    return case_view(user=user, case_id=case_id, page=page, change=change)


def _plan_url(case: Case) -> str:
    return reverse("safeguarding:plan", args=[case.pk])


def _plan_form_save(
    request: HttpRequest,
    case: Case,
    form: Form,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    title: str,
    submit: str,
    intro: str | Callable[[], str | None] | None = None,
    now_saved: NowSaved | None = None,
) -> HttpResponse:
    """A form page on the case's safety plan: the save, then back to the plan; else the form
    again (its `intro` read only then, when it costs a query)."""
    saved = form_save(request, form, save, done=done, to=_plan_url(case), now_saved=now_saved)
    return saved or render(
        request,
        "safeguarding/form_page.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro() if callable(intro) else intro,
            "submit": submit,
            "back": ("safeguarding:plan", case.pk),
        },
    )


def plan(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = _plan_case(user, case_id, page="safety_plan")
    can_change = user.has_perm("safeguarding.change_plan", case) and case.is_open
    form = MeasureAddForm(
        request.POST or None, initial={"owner": owner_value(user=case.officer, agency=None)}
    )
    if request.method == "POST" and not can_change:
        raise Http404

    def save(data: dict[str, Any]) -> None:
        owner_user, owner_agency = form.fields["owner"].owners(data["owner"])  # type: ignore[attr-defined]
        plans.safety_measure_add(
            case=case,
            by=user,
            measure_code="" if data["measure"] == OTHER else data["measure"],
            title=data["own_title"] if data["measure"] == OTHER else "",
            detail=data["detail"],
            owner_user=owner_user,
            owner_agency=owner_agency,
            status=data["status"],
            starts_on=data["starts_on"],
            review_on=data["review_on"],
        )

    saved = form_save(
        request, form, save, done=_("Measure added to the safety plan."), to=_plan_url(case)
    )
    if saved:
        return saved
    return render(
        request,
        "safeguarding/plan.html",
        {
            "case": case,
            "plan": plans.plan_for_case(case=case),
            "measures": plans.plan_measures(case=case),
            "has_current_plan": plans.has_current_plan(case),
            "meeting_entries": meeting_services.case_meetings(case=case),
            "form": form if can_change else None,
            "can_change": can_change,
        },
    )


def _measure_values(measure: SafetyMeasure) -> dict[str, Any]:
    return {
        "status": measure.status,
        "owner": owner_value(user=measure.owner_user, agency=measure.owner_agency),
        "starts_on": measure.starts_on,
        "ends_on": measure.ends_on,
        "review_on": measure.review_on,
        "detail": measure.detail,
    }


def measure_edit(request: HttpRequest, case_id: UUID, measure_id: UUID) -> HttpResponse:
    user = _user(request)
    case = _plan_case(user, case_id, page="safety_plan.measure", change=True)
    measure = (
        SafetyMeasure.objects.visible_to(user, "change")
        .filter(plan__case=case, pk=measure_id)
        .first()
    )
    if measure is None or measure.status == MeasureStatus.CARRIED_OVER:
        raise Http404
    form = MeasureEditForm(
        request.POST or None, initial=_measure_values(measure), version=measure.version
    )

    def save(data: dict[str, Any]) -> None:
        owner_user, owner_agency = form.fields["owner"].owners(data["owner"])  # type: ignore[attr-defined]
        plans.safety_measure_update(
            measure=measure,
            by=user,
            status=data["status"],
            owner_user=owner_user,
            owner_agency=owner_agency,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            review_on=data["review_on"],
            detail=data["detail"],
            version=form.read_version,
        )

    def now_saved() -> tuple[dict[str, Any], int]:
        measure.refresh_from_db()
        return _measure_values(measure), measure.version

    return _plan_form_save(
        request,
        case,
        form,
        save,
        done=_("Measure saved."),
        title=_("Change a measure: %(measure)s") % {"measure": measure.title},
        submit=_("Save the measure"),
        now_saved=now_saved,
    )


def plan_review(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = _plan_case(user, case_id, page="safety_plan.review", change=True)
    plan = plans.plan_for_case(case=case)
    if plan is None:
        raise Http404
    return _plan_form_save(
        request,
        case,
        PlanReviewForm(request.POST or None),
        lambda data: plans.safety_plan_review(plan=plan, by=user, note=data["note"]),
        done=_("Safety plan review recorded."),
        title=_("Review the safety plan"),
        submit=_("Record the review"),
        intro=plan.review_wanted_because
        and _("Due for review because of %(why)s.") % {"why": plan.review_wanted_because},
    )


def refer(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = _plan_case(user, case_id, page="safety_plan.refer", change=True)
    initial = {"reason": request.GET.get("reason", "")}
    form = ReferForm(request.POST or None, initial=initial)
    return _plan_form_save(
        request,
        case,
        form,
        lambda data: meeting_services.meeting_case_add(
            meeting=data["meeting"], case=case, reason=data["reason"], note=data["note"], by=user
        ),
        done=_("Case referred to the meeting."),
        title=_("Refer the case to a multi-agency meeting"),
        submit=_("Refer the case"),
        intro=lambda: (
            None
            if form.fields["meeting"].queryset.exists()  # type: ignore[attr-defined]
            else _("No meeting is scheduled yet. Ask the stalking coordinator to add one.")
        ),
    )


# --- meetings -----------------------------------------------------------------------------


def _see_meetings(user: User) -> None:
    if not user.has_perm("safeguarding.see_meetings"):
        raise Http404


def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _see_meetings(user)
    return render(
        request,
        "safeguarding/meeting_list.html",
        {
            "meetings": meeting_services.meeting_list(user=user),
            "can_run": user.has_perm("safeguarding.run_meetings"),
        },
    )


def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("safeguarding.run_meetings"):
        raise Http404
    form = MeetingForm(request.POST or None)
    saved = form_save(
        request,
        form,
        lambda data: meeting_services.meeting_create(
            kind=data["kind"], held_on=data["held_on"], place=data["place"], by=user
        ),
        done=_("Meeting added."),
        to=_meeting_url,
    )
    if saved:
        return saved
    return render(
        request,
        "safeguarding/form_page.html",
        {
            "form": form,
            "title": _("Add a meeting"),
            "submit": _("Add the meeting"),
            "back": ("safeguarding:meetings",),
        },
    )


def meeting_detail(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    user = _user(request)
    meeting = meeting_services.meeting_view(user=user, meeting_id=meeting_id)
    return render(
        request,
        "safeguarding/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": meeting_services.meeting_agenda(meeting=meeting, user=user),
            "attendees": meeting.attendees.select_related("agency"),
            "can_run": user.has_perm("safeguarding.run_meetings") and meeting.status != "cancelled",
        },
    )


def _meeting_url(meeting: Meeting) -> str:
    return reverse("safeguarding:meeting", args=[meeting.pk])


def _meeting_to_change(request: HttpRequest, meeting_id: UUID) -> tuple[User, Meeting]:
    user = _user(request)
    return user, meeting_services.meeting_get(user=user, meeting_id=meeting_id, change=True)


def _entry_to_change(
    request: HttpRequest, meeting_id: UUID, entry_id: UUID
) -> tuple[User, Meeting, MeetingCase]:
    """A case on the agenda of a meeting the user may run."""
    user, meeting = _meeting_to_change(request, meeting_id)
    entry = meeting_services.meeting_entry_get(meeting=meeting, user=user, entry_id=entry_id)
    return user, meeting, entry


def _meeting_form(
    request: HttpRequest,
    meeting: Meeting,
    form: Form,
    *,
    title: str,
    submit: str,
    save: Any,
    done: str,
) -> HttpResponse:
    saved = form_save(request, form, save, done=done, to=_meeting_url(meeting))
    if saved:
        return saved
    return render(
        request,
        "safeguarding/form_page.html",
        {
            "meeting": meeting,
            "form": form,
            "title": title,
            "submit": submit,
            "back": ("safeguarding:meeting", meeting.pk),
        },
    )


def meeting_case_new(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    user, meeting = _meeting_to_change(request, meeting_id)
    form = MeetingCaseForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        case = (
            Case.objects.visible_to(user, "change")
            .filter(reference=data["reference"].strip().upper())
            .first()
        )
        if case is None:
            raise plans.SafeguardingError({"reference": _("No case has that reference.")})
        meeting_services.meeting_case_add(
            meeting=meeting, case=case, reason=data["reason"], note=data["note"], by=user
        )

    return _meeting_form(
        request,
        meeting,
        form,
        title=_("Add a case to the meeting"),
        submit=_("Add the case"),
        save=save,
        done=_("Case added to the meeting."),
    )


def attendee_new(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    user, meeting = _meeting_to_change(request, meeting_id)
    return _meeting_form(
        request,
        meeting,
        AttendeeForm(request.POST or None),
        title=_("Add someone attending"),
        submit=_("Add the attendee"),
        save=lambda data: meeting_services.meeting_attendee_add(meeting=meeting, by=user, **data),
        done=_("Attendee added."),
    )


def information_new(request: HttpRequest, meeting_id: UUID, entry_id: UUID) -> HttpResponse:
    user, meeting, entry = _entry_to_change(request, meeting_id, entry_id)
    return _meeting_form(
        request,
        meeting,
        InformationForm(request.POST or None),
        title=_("Information an agency brought: case %(ref)s") % {"ref": entry.case.reference},
        submit=_("Save the information"),
        save=lambda data: meeting_services.meeting_information_add(entry=entry, by=user, **data),
        done=_("Information saved."),
    )


def action_new(request: HttpRequest, meeting_id: UUID, entry_id: UUID) -> HttpResponse:
    user, meeting, entry = _entry_to_change(request, meeting_id, entry_id)
    form = MeetingActionForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        owner_user, owner_agency = form.fields["owner"].owners(data["owner"])  # type: ignore[attr-defined]
        meeting_services.meeting_action_add(
            entry=entry,
            title=data["title"],
            owner_user=owner_user,
            owner_agency=owner_agency,
            due_on=data["due_on"],
            by=user,
        )

    return _meeting_form(
        request,
        meeting,
        form,
        title=_("Add an action: case %(ref)s") % {"ref": entry.case.reference},
        submit=_("Add the action"),
        save=save,
        done=_("Action added."),
    )


def minutes(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    user, meeting = _meeting_to_change(request, meeting_id)
    form = MinutesForm(
        request.POST or None,
        initial={"minutes": meeting.minutes, "next_review_on": meeting.next_review_on},
    )
    return _meeting_form(
        request,
        meeting,
        form,
        title=_("Minutes and next review"),
        submit=_("Save the minutes"),
        save=lambda data: meeting_services.meeting_minutes_record(meeting=meeting, by=user, **data),
        done=_("Minutes saved: the meeting is marked as held."),
    )
