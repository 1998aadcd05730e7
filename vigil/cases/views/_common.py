"""What the case pages share: the signed-in user, the way back to the case, the form page and
what a save over someone else's newer one shows (`vigil.common.form_saves.form_save`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vigil.accounts.models import User
from vigil.cases.models import Case


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def to_case(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(case_url(case, anchor))


def form_page(
    request: HttpRequest,
    case: Case,
    form: Any,
    *,
    title: str,
    submit: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "cases/form_page.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "multipart": multipart,
        },
    )


def case_now_saved(
    case: Case, current: Callable[[], Mapping[str, Any]] = dict
) -> Callable[[], tuple[Mapping[str, Any], int]]:
    """For `form_save` on a case form: the case read again, its answers and version."""

    def now_saved() -> tuple[Mapping[str, Any], int]:
        case.refresh_from_db()
        return current(), case.version

    return now_saved
