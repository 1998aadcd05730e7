"""Victims' Code duties and enhanced rights.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.cases import selectors, services
from vigil.cases.forms import (
    DutyDoneForm,
)
from vigil.cases.versions import StaleVersion
from vigil.cases.views._common import form_page, request_user
from vigil.common.form_saves import form_save


def duties(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = selectors.case_view(user=request_user(request), case_id=case_id, page="duties")
    return render(
        request,
        "cases/duties.html",
        {
            "case": case,
            # Each duty with where the messages telling the victim have got to: queued is
            # not told, so the officer sees "waiting to be sent" until the outbox delivers.
            "rows": selectors.duty_rows(case=case),
            "can_change": request_user(request).has_perm("cases.change_case", case),
        },
    )


@require_POST
def duty_done(request: HttpRequest, case_id: UUID, duty_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    duty = case.duties.filter(pk=duty_id, done_at__isnull=True).first()
    if duty is None:
        raise Http404
    # "Mark done" on the duties page opens this form; its answers come back here.
    form = DutyDoneForm(None if "start" in request.POST else request.POST)
    saved = form_save(
        request,
        form,
        lambda data: services.duty_complete(
            duty=duty,
            by=user,
            told_how=data["told_how"],
            told_at=form.told_at(),
            told_time_known=form.time_known,
        ),
        done=_("Marked as done."),
        to=reverse("cases:duties", args=[case.pk]),
    )
    if saved:
        return saved
    return form_page(
        request,
        case,
        form,
        title=_("Mark done: %(duty)s") % {"duty": duty.description or duty.get_kind_display()},
        submit=_("Mark done"),
        intro=_("The Victims' Code duty is to tell the victim. Record how and when you did."),
    )


@require_POST
def enhanced_rights(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0  # a page from before versions: refused below, never saved blind
    try:
        services.case_enhanced_rights_set(
            case=case, enhanced=request.POST.get("enhanced") == "yes", by=user, version=version
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Someone else changed this case after you opened the page, so nothing was "
                "saved. Check the enhanced rights shown now and try again."
            ),
        )
    return redirect("cases:duties", case.pk)
