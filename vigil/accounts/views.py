from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.forms import StaffLoginForm, TokenForm
from vigil.accounts.home import home_panels
from vigil.accounts.models import User
from vigil.accounts.services import (
    TwoFactorError,
    confirmed_totp_device,
    totp_enrolment_device,
    totp_qr_svg,
    totp_secret_base32,
    two_factor_confirm,
    two_factor_verify,
    user_sign_out_everywhere,
)

NEXT_KEY = "vigil_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:home")


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_two_factor_verified:
        return redirect("accounts:home")
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
        if confirmed_totp_device(user) is None:
            return redirect("accounts:setup")
        return redirect("accounts:verify")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "timed_out": request.GET.get("timeout") == "1"},
    )


def _after_two_factor(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(_safe_next(request, request.session.pop(NEXT_KEY, None)))


@login_required
def verify_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if confirmed_totp_device(user) is None:
        return redirect("accounts:setup")
    if user.is_two_factor_verified:
        return redirect("accounts:home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = two_factor_verify(request=request, user=user, token=form.cleaned_data["token"])
        except TwoFactorError:
            form.add_error("token", _("Too many wrong codes. Wait a minute, then try again."))
        else:
            if ok:
                return _after_two_factor(request)
            form.add_error("token", _("That code is not right. Enter the code your app shows now."))
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def setup_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if confirmed_totp_device(user) is not None:
        # Replacing a lost authenticator is an administrator's job, after checking identity.
        return redirect("accounts:verify")
    device = totp_enrolment_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = two_factor_confirm(request=request, user=user, token=form.cleaned_data["token"])
        except TwoFactorError:
            form.add_error("token", _("Too many wrong codes. Wait a minute, then try again."))
        else:
            if ok:
                messages.success(request, _("Two-factor sign-in is set up."))
                return _after_two_factor(request)
            form.add_error(
                "token",
                _("That code is not right. Check the app shows Vigil and try the new code."),
            )
    context = {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_base32(device)}
    return render(request, "accounts/setup.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    if request.POST.get("timeout") == "1":
        # Sent by the idle timer in the page: the login page explains what happened.
        return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
    messages.success(request, _("You have signed out."))
    return redirect("accounts:login")


@require_POST
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    user_sign_out_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You have signed out on every device."))
    return redirect("accounts:login")


@require_POST
def keepalive_view(request: HttpRequest) -> HttpResponse:
    # The access middleware has already recorded this as activity.
    return HttpResponse(status=204)


def home_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "accounts/home.html", {"panels": home_panels(user)})


def account_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown by django-axes when an account or address has had too many failed sign-ins."""
    return render(request, "accounts/locked_out.html", status=429)
