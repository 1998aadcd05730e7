"""The one save every staff form page shares: a refusal or a newer version lands on the form with
every answer kept; a save that goes through says so and redirects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from vigil.cases.versions import StaleVersion, VersionedForm
from vigil.common.form_saves import SavedSinceRead, form_save


class ReasonForm(VersionedForm):
    reason = forms.CharField(label="Reason")


def _post(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/somewhere", data)
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _read_form(request: HttpRequest) -> ReasonForm:
    return ReasonForm(request.POST or None, initial={"reason": "Old reason"}, version=3)


ANSWERS = {"version": "3", "reason": "New incident reported"}


def test_a_save_that_goes_through_says_so_and_redirects() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)
    saved_with: list[dict[str, Any]] = []

    response = form_save(
        request, form, saved_with.append, done="Case opened again.", to="/cases/1/"
    )

    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "/cases/1/"
    assert saved_with == [form.cleaned_data]
    assert [str(m) for m in get_messages(request)] == ["Case opened again."]


def test_the_message_and_the_place_can_come_from_what_was_saved() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)

    response = form_save(
        request,
        form,
        lambda data: 42,
        done=lambda number: f"Referral {number} sent.",
        to=lambda number: f"/referrals/{number}/",
    )

    assert response is not None
    assert response["Location"] == "/referrals/42/"
    assert [str(m) for m in get_messages(request)] == ["Referral 42 sent."]


def test_nothing_is_saved_when_the_page_is_only_read() -> None:
    request = RequestFactory().get("/somewhere")
    form = _read_form(request)
    calls: list[object] = []

    assert form_save(request, form, calls.append, done="Saved.", to="/") is None
    assert calls == []


def test_answers_to_correct_are_not_saved() -> None:
    request = _post({"version": "3", "reason": ""})
    form = _read_form(request)
    calls: list[object] = []

    assert form_save(request, form, calls.append, done="Saved.", to="/") is None
    assert calls == []
    assert form.errors["reason"]


def test_a_refusal_naming_a_field_is_shown_by_that_field_keeping_the_answers() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)

    def refused(data: dict[str, Any]) -> None:
        raise ValidationError({"reason": "Say more.", "meeting": "The meeting has been held."})

    assert form_save(request, form, refused, done="Saved.", to="/") is None
    assert form.errors["reason"] == ["Say more."]
    # A field the form does not have: at the top of the form, never a 500.
    assert form.non_field_errors() == ["The meeting has been held."]
    assert form.data["reason"] == "New incident reported"
    assert list(get_messages(request)) == []


def test_a_plain_refusal_is_shown_at_the_top_of_the_form() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)

    def refused(data: dict[str, Any]) -> None:
        raise ValidationError("The case is already open.")

    assert form_save(request, form, refused, done="Saved.", to="/") is None
    assert form.non_field_errors() == ["The case is already open."]


def test_a_newer_version_is_refused_showing_what_changed_and_keeping_the_answers() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)

    def stale(data: dict[str, Any]) -> None:
        raise StaleVersion("changed")

    response = form_save(
        request,
        form,
        stale,
        done="Saved.",
        to="/",
        now_saved=lambda: ({"reason": "Someone else's reason"}, 7),
    )

    assert response is None
    errors = form.non_field_errors()
    assert "Someone else saved changes" in errors[0]
    assert any("Someone else's reason" in error for error in errors)
    assert form.data["version"] == "7"
    assert form.data["reason"] == "New incident reported"


def test_a_newer_version_with_nothing_to_compare_is_still_refused_on_the_form() -> None:
    request = _post(ANSWERS)
    form = _read_form(request)

    def stale(data: dict[str, Any]) -> None:
        raise SavedSinceRead("Someone else changed this while you were editing it.")

    assert form_save(request, form, stale, done="Saved.", to="/") is None
    assert form.non_field_errors() == ["Someone else changed this while you were editing it."]
    assert form.data["version"] == "3"
