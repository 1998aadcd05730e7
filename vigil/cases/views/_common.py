"""What the case pages share: the signed-in user, the way back to the case, the form page and
the save that refuses an edit made over someone else's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vigil.accounts.models import User
from vigil.cases.errors import CaseError
from vigil.cases.models import Case
from vigil.cases.versions import StaleVersion, VersionedForm


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def to_case(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


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


def versioned_save(
    form: VersionedForm,
    save: Callable[[], object],
    *,
    now_saved: Callable[[], tuple[Mapping[str, Any], int]],
) -> bool:
    """Run a save that checks the version the form was read at; True when it saved.

    Otherwise the refusal is on the form, answers kept: a newer version (with what is saved now,
    from `now_saved`, so the form shows what changed since) or the service's own CaseError.
    """
    try:
        save()
    except StaleVersion:
        current, version = now_saved()
        form.refuse_stale(current=current, version=version)
        return False
    except CaseError as error:
        form.add_error(None, error)
        return False
    return True


def case_now_saved(
    case: Case, current: Callable[[], Mapping[str, Any]] = dict
) -> Callable[[], tuple[Mapping[str, Any], int]]:
    """For `versioned_save` on a case form: the case read again, its answers and version."""

    def now_saved() -> tuple[Mapping[str, Any], int]:
        case.refresh_from_db()
        return current(), case.version

    return now_saved
