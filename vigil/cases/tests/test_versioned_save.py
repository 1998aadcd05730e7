"""The one save the case forms share: a newer version or a service's refusal lands on the form."""

from __future__ import annotations

from vigil.cases.errors import CaseError
from vigil.cases.forms import ReopenForm
from vigil.cases.versions import StaleVersion
from vigil.cases.views._common import versioned_save


def _read_form() -> ReopenForm:
    form = ReopenForm({"version": "3", "reason": "New incident reported"}, version=3)
    assert form.is_valid()
    return form


def test_a_save_that_goes_through_is_reported_saved_and_leaves_the_form_clean() -> None:
    form = _read_form()
    calls: list[str] = []

    saved = versioned_save(form, lambda: calls.append("saved"), now_saved=lambda: ({}, 4))

    assert saved is True
    assert calls == ["saved"]
    assert not form.non_field_errors()


def test_a_newer_version_is_refused_on_the_form_keeping_the_answers_and_the_new_version() -> None:
    form = _read_form()

    def stale() -> None:
        raise StaleVersion("changed")

    saved = versioned_save(form, stale, now_saved=lambda: ({}, 7))

    assert saved is False
    assert "Someone else saved changes" in form.non_field_errors()[0]
    assert form.data["version"] == "7"
    assert form.data["reason"] == "New incident reported"


def test_a_refusal_from_the_service_is_shown_on_the_form() -> None:
    form = _read_form()

    def refused() -> None:
        raise CaseError("The case is already open.")

    assert versioned_save(form, refused, now_saved=lambda: ({}, 4)) is False
    assert form.non_field_errors() == ["The case is already open."]
