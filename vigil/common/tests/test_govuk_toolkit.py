"""The shared form toolkit speaks GOV.UK (issue 16, points 8 and 9): no input causes an error
page, every message names its field, dates are marked part by part, nothing is cut short."""

from __future__ import annotations

import re

import pytest
from django import forms

from vigil.common.forms import (
    GovukDateField,
    GovukTimeField,
    long_text_field,
    phone_field,
    postcode_field,
    text_field,
)


class ExampleForm(forms.Form):
    born = GovukDateField(label="Your date of birth", error_name="Your date of birth")
    at = GovukTimeField(label="What time? (optional)", required=False)
    story = long_text_field("What happened?", error_name="What happened", max_length=100)
    phone = phone_field("Phone number")
    postcode = postcode_field("Postcode")
    town = text_field("Town or city", max_length=20)


def _errors(**data: str) -> dict[str, list[str]]:
    form = ExampleForm(data=data)
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize("year", ["99999999999999999999", "-5", "1e9", "١٩٩٠"])
def test_a_year_of_any_size_or_shape_is_a_clear_error_not_a_crash(year: str) -> None:
    errors = _errors(born_0="1", born_1="1", born_2=year)
    assert errors["born"][0].startswith("Your date of birth")


def test_a_missing_part_names_the_field_and_only_that_part_is_marked() -> None:
    form = ExampleForm(data={"born_0": "27", "born_1": "", "born_2": "1990"})
    form.is_valid()
    assert form.errors["born"] == ["Your date of birth must include a month"]
    html = str(form["born"])
    assert html.count("govuk-input--error") == 1
    assert re.search(r'govuk-input--error" id="id_born_1"', html)


def test_an_impossible_date_names_the_field() -> None:
    assert _errors(born_0="31", born_1="2", born_2="1990")["born"] == [
        "Your date of birth must be a real date"
    ]


@pytest.mark.parametrize("month", ["March", "mar", "MAR", "3", "Mawrth"])
def test_a_month_can_be_a_word(month: str) -> None:
    form = ExampleForm(data={"born_0": "27", "born_1": month, "born_2": "1990"})
    form.is_valid()
    assert "born" not in form.errors
    assert form.cleaned_data["born"].isoformat() == "1990-03-27"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6pm", "18:00"),
        ("6:30pm", "18:30"),
        ("6.30 pm", "18:30"),
        ("18:30", "18:30"),
        ("1830", "18:30"),
        ("12am", "00:00"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
    ],
)
def test_times_are_understood_as_people_write_them(typed: str, expected: str) -> None:
    form = ExampleForm(data={"at": typed})
    form.is_valid()
    assert "at" not in form.errors
    assert form.cleaned_data["at"].strftime("%H:%M") == expected


def test_a_time_that_is_not_a_time_says_how_to_write_one() -> None:
    assert _errors(at="25:99")["at"] == ["Enter the time like 18:30 or 6:30pm"]


@pytest.mark.parametrize("phone", ["call me maybe!!", "123", "0800 FLOWERS", "+44"])
def test_a_phone_number_that_cannot_be_one_is_refused(phone: str) -> None:
    assert _errors(phone=phone)["phone"] == [
        "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    ]


@pytest.mark.parametrize(
    ("phone", "kept"),
    [
        ("07700 900123", "07700 900123"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("(01223) 123456", "01223 123456"),
        ("+44 7700 900123", "07700 900123"),
    ],
)
def test_uk_and_international_phone_numbers_are_accepted(phone: str, kept: str) -> None:
    form = ExampleForm(data={"phone": phone})
    form.is_valid()
    assert "phone" not in form.errors
    assert form.cleaned_data["phone"] == kept


@pytest.mark.parametrize("postcode", ["NOTAPOSTCODE1", "12345", "EX1"])
def test_a_postcode_must_look_like_one(postcode: str) -> None:
    assert _errors(postcode=postcode)["postcode"] == ["Enter a real postcode, like EX1 1AA"]


@pytest.mark.parametrize(("typed", "kept"), [("ex11aa", "EX1 1AA"), (" sw1a 2aa ", "SW1A 2AA")])
def test_a_postcode_is_kept_in_its_usual_form(typed: str, kept: str) -> None:
    form = ExampleForm(data={"postcode": typed})
    form.is_valid()
    assert form.cleaned_data["postcode"] == kept


def test_a_long_answer_over_its_limit_is_refused_by_name_not_cut_short() -> None:
    errors = _errors(story="x" * 120)
    assert errors["story"] == ["What happened must be 100 characters or less"]
    html = str(ExampleForm()["story"].as_field_group())
    assert " maxlength=" not in html  # the browser would cut a paste short without a word
    assert 'data-module="govuk-character-count"' in html and 'data-maxlength="100"' in html
    assert "You can enter up to 100 characters" in html


def test_a_one_line_answer_over_its_limit_is_refused_by_name_not_cut_short() -> None:
    assert _errors(town="x" * 30)["town"] == ["Town or city must be 20 characters or less"]
    assert "maxlength" not in str(ExampleForm()["town"])


def test_the_upload_hints_are_in_welsh_on_welsh_pages() -> None:
    from django.utils import translation

    from vigil.reporting.forms import EvidenceForm
    from vigil.safety.forms import DiaryEntryForm

    with translation.override("cy"):
        report_hint = str(EvidenceForm().fields["files"].help_text)
        diary_hint = str(DiaryEntryForm().fields["files"].help_text)
    assert "Each file can be up to" not in report_hint and "50" in report_hint
    assert "Each file can be up to" not in diary_hint and "50" in diary_hint
