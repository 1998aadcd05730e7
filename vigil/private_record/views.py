"""Keep a private record (public, behind quick exit, no account) and, for the coordinator, the
matches: that they exist and what each holder released. No page lists or searches records."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from vigil.accounts.models import Role
from vigil.audit.services import audit_record
from vigil.common.client_address import client_address
from vigil.private_record import forms, keys, services
from vigil.private_record.selectors import matches_for_coordinator
from vigil.reporting.drafts import remember_draft
from vigil.reporting.services import DraftLimited

SESSION_KEY = "private_record"
NEW_SECRET_KEY = "private_record_new_secret"  # noqa: S105 - a session key's name


# --- the browser's sign-in --------------------------------------------------------------------
# The session holds the record's key (wrapped, see keys.session_key) while the holder is signed
# in, so they need not type the secret on every page; it ends after the same short idle time as
# "track my report", and Exit this page ends the session.


def _sign_in(request: HttpRequest, opened: services.Opened) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "record": str(opened.record.pk),
        "key": keys.wrap(opened.key, under=keys.session_key()),
        "seen": time.time(),
    }


def _signed_in_record(request: HttpRequest) -> services.Opened | None:
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    if time.time() - float(held.get("seen", 0)) > settings.REPORT_TRACK_IDLE_MINUTES * 60:
        request.session.pop(SESSION_KEY, None)
        return None
    try:
        key = keys.unwrap(str(held.get("key", "")), under=keys.session_key())
    except keys.SealBroken:  # a key that does not open is no sign-in
        request.session.pop(SESSION_KEY, None)
        return None
    opened = services.record_reopen(record_id=held.get("record"), key=key)
    if opened is None:
        request.session.pop(SESSION_KEY, None)
        return None
    request.session[SESSION_KEY] = {**held, "seen": time.time()}
    return opened


def _holder(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        opened = _signed_in_record(request)
        if opened is None:
            return HttpResponseRedirect(reverse("private_record:sign_in"))
        return view(request, opened, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- public pages -----------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "private_record/start.html")


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = forms.RecordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            opened, secret = services.record_create(
                identifiers=form.identifiers(),
                account=form.account_text(),
                prefs=form.prefs(),
                contact_details=form.contact_details(),
                address=client_address(request),
            )
        except services.DerivationLimited as error:
            form.add_error(None, error)
            status = 429
        else:
            _sign_in(request, opened)
            # Until the next page shows it, wrapped: a session row never holds it in clear.
            request.session[NEW_SECRET_KEY] = keys.wrap(secret.encode(), under=keys.session_key())
            return HttpResponseRedirect(reverse("private_record:kept"))
    return render(request, "private_record/form.html", {"form": form, "new": True}, status=status)


@_holder
def kept(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    """The reference and, once only, the secret code."""
    wrapped = request.session.pop(NEW_SECRET_KEY, "")
    secret = keys.unwrap(wrapped, under=keys.session_key()).decode() if wrapped else ""
    return render(request, "private_record/kept.html", {"record": opened.record, "secret": secret})


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = forms.SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["website"]:  # filled in by a robot, never by a person
                raise services.SignInRefused(services.sign_in_refused_message())
            opened = services.record_sign_in(
                reference=form.cleaned_data["reference"],
                secret=form.cleaned_data["secret"],
                address=client_address(request),
            )
        except services.SignInRefused as error:
            form.add_error(None, error)
            status = 429 if error.code == "wait" else 200
        else:
            _sign_in(request, opened)
            return HttpResponseRedirect(reverse("private_record:yours"))
    return render(request, "private_record/sign_in.html", {"form": form}, status=status)


@_holder
def yours(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    content = opened.content
    return render(
        request,
        "private_record/yours.html",
        {
            "record": opened.record,
            "content": content,
            "matches": services.record_matches(opened=opened),
        },
    )


@require_http_methods(["GET", "POST"])
@_holder
def edit(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    initial = forms.RecordForm.initial_from(
        opened.content, opened.record.contact_prefs, opened.record.contact_details or {}
    )
    form = forms.RecordForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(
                opened=opened,
                identifiers=form.identifiers(),
                account=form.account_text(),
                prefs=form.prefs(),
                contact_details=form.contact_details(),
                address=client_address(request),
            )
        except services.DerivationLimited as error:
            form.add_error(None, error)
            status = 429
        else:
            return HttpResponseRedirect(reverse("private_record:yours") + "?saved=1")
    return render(request, "private_record/form.html", {"form": form, "new": False}, status=status)


@require_http_methods(["GET", "POST"])
@_holder
def delete(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    if request.method == "POST":
        services.record_delete(opened=opened)
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(reverse("private_record:deleted"))
    return render(request, "private_record/delete.html")


def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "private_record/deleted.html")


@require_POST
@_holder
def keep(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    services.record_keep(opened=opened)
    return HttpResponseRedirect(reverse("private_record:yours") + "?kept=1")


@require_http_methods(["GET", "POST"])
@_holder
def share(request: HttpRequest, opened: services.Opened, member_id: UUID) -> HttpResponse:
    member = next((m for m in services.record_matches(opened=opened) if m.pk == member_id), None)
    if member is None:
        raise Http404
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_consent(
                opened=opened,
                member_id=member.pk,
                release=form.cleaned_data["release"],
                wish=form.cleaned_data["wish"],
            )
        except services.PrivateRecordError as error:  # withdrawn meanwhile
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(reverse("private_record:yours") + "?shared=1")
    return render(request, "private_record/share.html", {"form": form, "member": member})


@require_POST
@_holder
def unshare(request: HttpRequest, opened: services.Opened, member_id: UUID) -> HttpResponse:
    services.match_withdraw(opened=opened, member_id=member_id)
    return HttpResponseRedirect(reverse("private_record:yours") + "?unshared=1")


@require_POST
@_holder
def to_report(request: HttpRequest, opened: services.Opened) -> HttpResponse:
    try:
        draft = services.record_to_report_draft(opened=opened, address=client_address(request))
    except DraftLimited as error:
        return render(
            request,
            "private_record/yours.html",
            {
                "record": opened.record,
                "content": opened.content,
                "matches": services.record_matches(opened=opened),
                "report_refused": error.messages[0],
            },
            status=429,
        )
    response = HttpResponseRedirect(reverse("reporting:step", kwargs={"slug": "who"}))
    remember_draft(response, draft)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(reverse("private_record:sign_in") + "?signed_out=1")


# --- staff: the coordinator sees matches, never records ----------------------------------------


def staff_matches(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.COORDINATOR):  # type: ignore[union-attr]
        raise Http404
    matches = matches_for_coordinator(user=user)
    audit_record(
        action="private_record.matches.view", actor=user, summary={"matches": len(matches)}
    )
    return render(request, "private_record/staff_matches.html", {"matches": matches})
