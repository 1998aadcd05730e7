"""Thin views: parse, call one service or selector, render. Scope is in the selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.models import Role, User
from vigil.cases import selectors as case_selectors
from vigil.cases.querysets import CHANGE
from vigil.common.form_saves import form_save
from vigil.sharing import exports, selectors, services
from vigil.sharing.forms import (
    ApproveForm,
    DeclineForm,
    EndForm,
    PartnerUpdateForm,
    ReferralForm,
)
from vigil.sharing.models import Referral, ReferralStatus


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _partner(request: HttpRequest) -> User:
    user = _user(request)
    if user.role != Role.PARTNER:
        raise Http404
    return user


def _case_url(case_id: UUID) -> str:
    return reverse("sharing:case", args=[case_id])


def _referral_made(referral: Referral) -> str:
    if referral.status == ReferralStatus.AWAITING_APPROVAL:
        return _("Referral saved. A supervisor must approve it.")
    return _("Referral sent.")


def _referral_form_save(
    request: HttpRequest,
    referral: Referral,
    form: Form,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    to: str,
    heading: str,
    button: str,
    warning: bool = False,
) -> HttpResponse:
    """A one-question form on a referral (approve, end, decline): the save, else the form."""
    saved = form_save(request, form, save, done=done, to=to)
    return saved or render(
        request,
        "sharing/referral_form.html",
        {
            "referral": referral,
            "form": form,
            "heading": heading,
            "button": button,
            "warning": warning,
        },
    )


# --- police ---------------------------------------------------------------------------------


def case_referrals(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case, referrals = selectors.case_referrals(user=user, case_id=case_id)
    return render(
        request,
        "sharing/case_referrals.html",
        {
            "case": case,
            "referrals": referrals,
            "can_change": user.has_perm("cases.change_case", case),
            "export_link": request.session.pop("sharing_export_link", None),
        },
    )


def refer(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = case_selectors.case_view(user=user, case_id=case_id, page="sharing.refer", change=True)
    form = ReferralForm(request.POST or None)
    saved = form_save(
        request,
        form,
        lambda data: services.referral_make(case=case, by=user, **form.service_arguments()),
        done=_referral_made,
        to=_case_url(case.pk),
    )
    if saved:
        return saved
    return render(request, "sharing/refer.html", {"case": case, "form": form})


def approve(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id, action=CHANGE)
    if user.role != Role.SUPERVISOR or referral.status != ReferralStatus.AWAITING_APPROVAL:
        raise Http404
    return _referral_form_save(
        request,
        referral,
        ApproveForm(request.POST or None),
        lambda data: services.referral_approve(referral=referral, reason=data["reason"], by=user),
        done=_("Referral approved and sent."),
        to=_case_url(referral.case_id),
        heading=_("Approve sharing without consent"),
        button=_("Approve and send"),
    )


def end(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id, action=CHANGE)
    if not referral.is_open:
        raise Http404
    return _referral_form_save(
        request,
        referral,
        EndForm(request.POST or None),
        lambda data: services.referral_end(referral=referral, by=user, **data),
        done=_("Referral ended. The agency no longer sees the case."),
        to=_case_url(referral.case_id),
        heading=_("End the referral"),
        button=_("End the referral"),
        warning=True,
    )


@require_POST
def export_link(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """Make a signed, expiring link to the export (police with the case, or the agency)."""
    user = _user(request)
    fmt = request.POST.get("format", "")
    action = "view" if user.role == Role.PARTNER else CHANGE
    referral = selectors.referral_get(user=user, referral_id=referral_id, action=action)
    link = exports.export_link_make(referral=referral, fmt=fmt, by=user)
    if user.role == Role.PARTNER:
        return redirect(link.url)
    request.session["sharing_export_link"] = {
        "url": request.build_absolute_uri(link.url),
        "expires_at": link.expires_at.isoformat(),
        "agency": referral.agency.name,
    }
    return redirect("sharing:case", referral.case_id)


# --- partners -------------------------------------------------------------------------------


def inbox(request: HttpRequest) -> HttpResponse:
    user = _partner(request)
    return render(request, "sharing/inbox.html", {"referrals": selectors.partner_inbox(user=user)})


def referral(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _partner(request)
    shared = selectors.shared_case(user=user, referral_id=referral_id)
    return render(
        request,
        "sharing/referral.html",
        {"shared": shared, "referral": shared.referral, "update_form": PartnerUpdateForm()},
    )


@require_POST
def accept(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _partner(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    try:
        services.referral_accept(referral=referral, by=user)
    except services.SharingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Referral accepted."))
    return redirect("sharing:referral", referral.pk)


def decline(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _partner(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    if referral.status != ReferralStatus.PENDING:
        raise Http404
    return _referral_form_save(
        request,
        referral,
        DeclineForm(request.POST or None),
        lambda data: services.referral_decline(referral=referral, reason=data["reason"], by=user),
        done=_("Referral declined. The police have been told."),
        to=reverse("sharing:inbox"),
        heading=_("Decline the referral"),
        button=_("Decline"),
        warning=True,
    )


def update_add(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = _partner(request)
    shared = selectors.shared_case(user=user, referral_id=referral_id, page="update")
    if not shared.referral.gives_access:
        raise Http404
    form = PartnerUpdateForm(request.POST or None)
    saved = form_save(
        request,
        form,
        lambda data: services.partner_update_add(referral=shared.referral, by=user, **data),
        done=_("Added to the case. The police can see it."),
        to=reverse("sharing:referral", args=[shared.referral.pk]),
    )
    if saved:
        return saved
    context: dict[str, Any] = {"shared": shared, "referral": shared.referral, "form": form}
    return render(request, "sharing/update_form.html", context)


def export(request: HttpRequest, token: str) -> HttpResponse:
    user = _partner(request)
    shared, fmt = exports.export_open(token=token, user=user)
    name = f"{shared.reference}-shared"
    if fmt == "json":
        response = HttpResponse(exports.export_json(shared), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        response = HttpResponse(exports.export_pdf(shared), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- the data protection officer ------------------------------------------------------------


def log_index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request, "sharing/log_index.html", {"cases": selectors.sharing_log_cases(user=user)}
    )


def log(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case, rows = selectors.sharing_log(user=user, case_id=case_id)
    return render(request, "sharing/log.html", {"case": case, "rows": rows})
