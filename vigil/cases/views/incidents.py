"""Incidents, the course-of-conduct decision and evidence.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.cases import selectors, services
from vigil.cases.forms import (
    ConductDecisionForm,
    EvidenceForm,
    IncidentForm,
)
from vigil.cases.models import (
    PersonRole,
)
from vigil.cases.views._common import case_url, form_page, request_user, to_case
from vigil.common.form_saves import form_save
from vigil.common.stored_files import FileRefused


def incident_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="incident_new", change=True)
    victims = selectors.case_people(case=case, role=PersonRole.VICTIM)
    suspects = selectors.case_people(case=case, role=PersonRole.SUSPECT)
    form = IncidentForm(request.POST or None, victims=victims, suspects=suspects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.incident_add(
            case=case,
            occurred_at=form.occurred_at(),
            time_known=form.time_known,
            summary=data["summary"],
            source=data["source"],
            victim=form.people[data["victim"]],
            suspect=form.people.get(data["suspect"]) if data["suspect"] else None,
            place=data["place"],
            behaviours=data["behaviours"],
            by=user,
        )
        messages.success(request, _("Incident recorded."))
        return to_case(case, "incidents")
    return form_page(request, case, form, title=_("Record an incident"), submit=_("Save incident"))


def conduct_decision(
    request: HttpRequest, case_id: UUID, victim_id: UUID, suspect_id: UUID
) -> HttpResponse:
    user = request_user(request)
    page = selectors.case_page(user=user, case_id=case_id)
    if not user.has_perm("cases.change_case", page.case):
        raise Http404
    prompt = next(
        (p for p in page.prompts if p.victim.pk == victim_id and p.suspect.pk == suspect_id),
        None,
    )
    if prompt is None:
        raise Http404
    form = ConductDecisionForm(request.POST or None)
    saved = form_save(
        request,
        form,
        lambda data: services.conduct_decision_record(
            case=page.case,
            victim=prompt.victim,
            suspect=prompt.suspect,
            outcome=data["outcome"],
            reasons=data["reasons"],
            by=user,
            **form.answers(),
        ),
        done=_("Decision recorded. It is on the timeline."),
        to=case_url(page.case),
    )
    if saved:
        return saved
    return render(
        request,
        "cases/conduct_decision.html",
        {"case": page.case, "prompt": prompt, "form": form},
    )


def evidence(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="evidence")
    can_change = user.has_perm("cases.change_case", case)
    form = EvidenceForm(
        request.POST or None, request.FILES or None, incidents=list(case.incidents.all())
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.evidence_add(
                    case=case,
                    description=form.cleaned_data["description"],
                    upload=form.cleaned_data["upload"],
                    incident=form.incidents.get(form.cleaned_data["incident"]),
                    by=user,
                )
            except FileRefused as refused:
                # Not a kind of file we keep, too large or empty, or the disk is full: said by
                # the file field, with the description kept for another try.
                form.add_error("upload", refused)
            else:
                messages.success(request, _("Evidence added."))
                return redirect("cases:evidence", case.pk)
    items = case.evidence.select_related("added_by", "incident", "file")
    return render(
        request,
        "cases/evidence.html",
        {"case": case, "items": items, "form": form if can_change else None},
    )
