"""Actions on a case.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.cases import selectors, services
from vigil.cases.forms import (
    ActionForm,
    ChecklistForm,
)
from vigil.cases.models import (
    ActionStatus,
)
from vigil.cases.views._common import request_user


def actions(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="actions")
    can_change = user.has_perm("cases.change_case", case)
    form = ActionForm(request.POST if "title" in request.POST else None)
    checklist = ChecklistForm(request.POST if "template" in request.POST else None)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if "template" in request.POST and checklist.is_valid():
            services.checklist_apply(
                case=case, template=checklist.cleaned_data["template"], by=user
            )
            messages.success(request, _("Checklist added."))
            return redirect("cases:actions", case.pk)
        if "title" in request.POST and form.is_valid():
            data = form.cleaned_data
            services.action_add(
                case=case,
                title=data["title"],
                owner=data["owner"] or case.officer,
                due_on=data["due_on"],
                by=user,
            )
            messages.success(request, _("Action added."))
            return redirect("cases:actions", case.pk)
    return render(
        request,
        "cases/actions.html",
        {
            "case": case,
            "items": case.actions.select_related("owner"),
            "form": form if can_change else None,
            "checklist": checklist if can_change else None,
        },
    )


@require_POST
def action_status(request: HttpRequest, case_id: UUID, action_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    action = case.actions.filter(pk=action_id).first()
    status = request.POST.get("status", "")
    if action is None or status not in ActionStatus.values:
        raise Http404
    services.action_set_status(action=action, status=status, by=user)
    return redirect("cases:actions", case.pk)
