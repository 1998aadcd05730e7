"""The case itself: its page, timeline, classification, officers, status, notes and file.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.cases import closing, selectors, services
from vigil.cases.forms import (
    AssignForm,
    ClassificationForm,
    CloseForm,
    NoteForm,
    ReopenForm,
)
from vigil.cases.models import (
    CaseStatus,
    TimelineKind,
)
from vigil.cases.pdf import case_file_pdf
from vigil.cases.rules import close_refusal
from vigil.cases.views._common import (
    case_now_saved,
    case_url,
    form_page,
    request_user,
    to_case,
)
from vigil.common.form_saves import form_save


def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    page = selectors.case_page(user=request_user(request), case_id=case_id)
    return render(request, "cases/case_detail.html", {"case": page.case, "page": page})


def case_timeline(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = selectors.case_view(user=request_user(request), case_id=case_id, page="timeline")
    kind = request.GET.get("kind", "")
    if kind not in TimelineKind.values:
        kind = ""
    user = request_user(request)
    entries = Paginator(selectors.case_timeline(user=user, case=case, kind=kind), 100).get_page(
        request.GET.get("page")
    )
    kinds = [c for c in TimelineKind.choices if user.is_police or c[0] != TimelineKind.NOTE]
    return render(
        request,
        "cases/timeline.html",
        {"case": case, "entries": entries, "kind": kind, "kinds": kinds},
    )


def classify(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="classify", change=True)

    def current() -> dict[str, Any]:
        return {
            "principal": case.principal_classification,
            "included": list(case.included.values_list("classification", flat=True)),
        }

    form = ClassificationForm(request.POST or None, initial=current(), version=case.version)
    saved = form_save(
        request,
        form,
        lambda data: services.case_classify(
            case=case,
            principal=data["principal"],
            included=data["included"],
            by=user,
            version=form.read_version,
        ),
        done=_("Classification saved."),
        to=case_url(case),
        now_saved=case_now_saved(case, current),
    )
    if saved:
        return saved
    return form_page(request, case, form, title=_("Classification"), submit=_("Save"))


def assign(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="assign", change=True)

    def current() -> dict[str, Any]:
        return {"officer": case.officer, "team": case.team, "supervisor": case.supervisor}

    form = AssignForm(request.POST or None, initial=current(), version=case.version)
    saved = form_save(
        request,
        form,
        lambda data: services.case_assign(
            case=case,
            officer=data["officer"],
            team=data["team"],
            supervisor=data["supervisor"],
            by=user,
            version=form.read_version,
        ),
        done=_("Saved."),
        to=case_url(case),
        now_saved=case_now_saved(case, current),
    )
    if saved:
        return saved
    return form_page(
        request, case, form, title=_("Officer in charge, team and supervisor"), submit=_("Save")
    )


def close(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="close", change=True)
    if case.status != CaseStatus.OPEN:
        return to_case(case)
    refusal = close_refusal(user, case)
    form = CloseForm(
        request.POST or None, items=closing.open_items(case=case), version=case.version
    )
    # A refusal (open actions the person may not carry over) is shown in place of the save.
    saved = (
        None
        if refusal is not None
        else form_save(
            request,
            form,
            lambda data: closing.case_close(
                case=case,
                outcome=data["outcome"],
                reason=data["reason"],
                carry_over=form.carry_over(),
                by=user,
                version=form.read_version,
            ),
            done=_("Case closed. Tell the victim about the decision."),
            to=case_url(case),
            now_saved=case_now_saved(case),
        )
    )
    if saved:
        return saved
    return render(request, "cases/close.html", {"case": case, "form": form, "refusal": refusal})


def reopen(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="reopen", change=True)
    if case.status == CaseStatus.OPEN:
        return to_case(case)
    form = ReopenForm(request.POST or None, version=case.version)
    saved = form_save(
        request,
        form,
        lambda data: services.case_reopen(
            case=case, reason=data["reason"], by=user, version=form.read_version
        ),
        done=_("Case opened again."),
        to=case_url(case),
        now_saved=case_now_saved(case),
    )
    if saved:
        return saved
    return form_page(request, case, form, title=_("Open the case again"), submit=_("Open case"))


def notes(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="notes")
    if not user.is_police:
        raise Http404
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("cases.change_case", case):
            raise Http404
        if form.is_valid():
            services.note_add(case=case, body=form.cleaned_data["body"], by=user)
            messages.success(request, _("Note saved."))
            return redirect("cases:notes", case.pk)
    return render(
        request,
        "cases/notes.html",
        {"case": case, "items": case.notes.select_related("by"), "form": form},
    )


def sharing(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Sharing is referrals to partner agencies now (vigil.sharing); old links land there."""
    user = request_user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    return redirect("sharing:case", case.pk)


def case_file(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="case_file_pdf")
    if not user.is_police:
        raise Http404
    response = HttpResponse(case_file_pdf(case=case, by=user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    return response
