from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.models import User
from vigil.linking import selectors, services
from vigil.linking.forms import DecisionForm
from vigil.linking.models import Verdict


def _require(request: HttpRequest, permission: str) -> User:
    """The signed-in member of staff (the staff middleware made sure), if allowed; else 404."""
    if not request.user.has_perm(permission):
        raise Http404
    return cast(User, request.user)


def home(request: HttpRequest) -> HttpResponse:
    _require(request, "linking.use_linking")
    return render(
        request,
        "linking/home.html",
        {
            "alerts": selectors.alert_list(user=request.user)[:50],
            "records": selectors.record_list(user=request.user)[:50],
        },
    )


def record_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    user = _require(request, "linking.use_linking")
    record = selectors.record_get(record_id=record_id, user=user)
    services.record_viewed(record=record, by=user)
    return render(
        request,
        "linking/record.html",
        {
            "record": record,
            "linked": selectors.person_records(person=record.person, user=request.user).exclude(
                pk=record.pk
            ),
            "candidates": selectors.candidates_for(record=record, user=request.user),
            "decisions": selectors.decision_list(user=request.user, record=record),
            "can_decide": request.user.has_perm("linking.decide_links"),
        },
    )


@require_POST
def decide(request: HttpRequest, record_id: UUID) -> HttpResponse:
    user = _require(request, "linking.decide_links")
    record = selectors.record_get(record_id=record_id, user=request.user)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the records are the same person."))
        return redirect("linking:record", record_id=record.pk)
    other = selectors.record_get(record_id=form.cleaned_data["other"], user=request.user)
    service = (
        services.link_confirm
        if form.cleaned_data["verdict"] == Verdict.CONFIRMED
        else services.link_reject
    )
    try:
        service(record=record, other=other, by=user, note=form.cleaned_data["note"])
    except services.LinkError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["verdict"] == Verdict.CONFIRMED:
            messages.success(request, _("The records are now linked as the same person."))
        else:
            messages.success(request, _("Saved. This record will not be suggested again."))
    return redirect("linking:record", record_id=record.pk)


def decisions(request: HttpRequest) -> HttpResponse:
    _require(request, "linking.use_linking")
    found = selectors.decision_list(user=request.user).order_by("-created_at")[:200]
    return render(request, "linking/decisions.html", {"decisions": found})


@require_POST
def undo(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    user = _require(request, "linking.decide_links")
    decision = selectors.decision_get(decision_id=decision_id, user=user)
    try:
        services.link_undo(decision=decision, by=user)
    except services.LinkError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision has been undone."))
    back = request.POST.get("record")
    if back:
        try:
            return redirect("linking:record", record_id=UUID(back))
        except ValueError:
            pass
    return redirect("linking:decisions")


def alert_detail(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    _require(request, "linking.use_linking")
    alert = selectors.alert_get(alert_id=alert_id, user=request.user)
    return render(
        request,
        "linking/alert.html",
        {
            "alert": alert,
            "records": selectors.person_records(person=alert.person, user=request.user),
            "can_review": request.user.has_perm("linking.review_alerts"),
        },
    )


@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    user = _require(request, "linking.review_alerts")
    alert = selectors.alert_get(alert_id=alert_id, user=user)
    try:
        services.alert_acknowledge(alert=alert, by=user)
    except services.LinkError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The alert is marked as reviewed."))
    return redirect("linking:home")
