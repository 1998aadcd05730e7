from __future__ import annotations

import datetime

from django import forms

from vigil.common.forms import GovukDateField


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="As you would like us to call you")
    safe_to_call = forms.ChoiceField(
        label="Is it safe to call you?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    ways = forms.MultipleChoiceField(
        label="How can we contact you?",
        choices=[("email", "Email"), ("text", "Text message")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    born = GovukDateField(label="Date of birth", allow_future=False)


def test_fields_render_as_govuk_components() -> None:
    html = str(ExampleForm())
    assert 'class="govuk-input"' in html
    assert '<label class="govuk-label govuk-label--m" for="id_name">Your name</label>' in html
    assert 'class="govuk-hint"' in html
    assert 'class="govuk-radios"' in html and "govuk-radios__input" in html
    assert 'class="govuk-checkboxes"' in html
    assert "govuk-date-input" in html
    assert " required" not in html


def test_an_error_is_shown_next_to_its_field_and_the_answers_are_kept() -> None:
    form = ExampleForm(
        data={"name": "Sam", "safe_to_call": "", "ways": ["text"], "born_0": "31", "born_1": "2"}
    )
    assert not form.is_valid()
    html = str(form)
    assert 'value="Sam"' in html
    assert 'value="text" id="id_ways_1" class="govuk-checkboxes__input" checked' in html
    assert 'value="31"' in html and 'value="2"' in html
    assert 'id="id_safe_to_call_error" class="govuk-error-message"' in html
    assert "govuk-form-group--error" in html
    assert "Date of birth must include a year" in html


def test_the_date_field_explains_an_impossible_date() -> None:
    form = ExampleForm(data={"born_0": "31", "born_1": "2", "born_2": "1990"})
    form.is_valid()
    assert form.errors["born"] == ["Date of birth must be a real date"]


def test_the_date_field_refuses_a_future_date_when_asked() -> None:
    form = ExampleForm(data={"born_0": "1", "born_1": "1", "born_2": "2999"})
    form.is_valid()
    assert form.errors["born"] == ["Date of birth must be today or in the past"]


def test_the_date_field_gives_a_date() -> None:
    form = ExampleForm(
        data={"name": "Sam", "safe_to_call": "yes", "born_0": "7", "born_1": "3", "born_2": "1990"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == datetime.date(1990, 3, 7)


def test_a_staff_answer_too_long_says_which_and_by_how_much_in_plain_words() -> None:
    from vigil.cases.forms import TriageForm

    form = TriageForm(data={"link_reference": "CS-" + "X" * 40})
    assert not form.is_valid()
    assert form.errors["link_reference"] == [
        "Existing case reference must be 20 characters or less"
    ]


def test_a_reason_box_added_for_an_open_item_names_itself_when_too_long() -> None:
    from vigil.cases.closing import OpenItem
    from vigil.cases.forms import CloseForm

    item = OpenItem(key="action:1", kind="action", label="Visit her", resolve_url="/")
    form = CloseForm(data={item.field_name: "x" * 10001}, items=[item], version=1)
    assert not form.is_valid()
    assert form.errors[item.field_name] == [
        "Why can this stay open? Visit her must be 10,000 characters or less"
    ]


def test_a_long_invalid_email_is_told_one_thing_the_first_that_applies() -> None:
    from vigil.common.forms import email_field

    class EmailForm(forms.Form):
        email = email_field("Your email address")

    form = EmailForm(data={"email": "not-an-address-" + "x" * 300})
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address like name@example.com"]


def test_a_long_valid_looking_email_is_told_it_is_too_long() -> None:
    from vigil.common.forms import email_field

    class EmailForm(forms.Form):
        email = email_field("Your email address")

    form = EmailForm(data={"email": "sam@" + ".".join(["a" * 60] * 5) + ".uk"})
    assert not form.is_valid()
    assert form.errors["email"] == ["Your email address must be 254 characters or less"]


def test_a_name_too_long_is_told_by_the_label_the_victim_sees() -> None:
    from vigil.reporting.forms import VictimNameForm

    form = VictimNameForm(data={"name": "x" * 201}, for_self=True)
    assert not form.is_valid()
    assert form.errors["name"] == ["Your full name must be 200 characters or less"]


def test_a_name_too_long_is_told_by_the_label_someone_reporting_for_another_sees() -> None:
    from vigil.reporting.forms import VictimNameForm

    form = VictimNameForm(data={"name": "x" * 201}, for_self=False)
    assert not form.is_valid()
    assert form.errors["name"] == ["Their full name must be 200 characters or less"]
    # The form's own wording for an empty answer is kept.
    empty = VictimNameForm(data={"name": ""}, for_self=False)
    assert not empty.is_valid()
    assert empty.errors["name"] == ["Enter the full name"]


def test_welsh_messages_put_the_label_first_so_it_reads_as_a_heading() -> None:
    from django.utils import translation

    from vigil.reporting.forms import VictimNameForm

    with translation.override("cy"):
        form = VictimNameForm(
            data={"name": "x" * 201, "date_of_birth_0": "31", "date_of_birth_1": "2"},
            for_self=True,
        )
        assert not form.is_valid()
        errors = {name: [str(message) for message in form.errors[name]] for name in form.errors}
    assert errors == {
        "name": ["Eich enw llawn: rhaid i\u2019r ateb fod yn 200 nod neu lai"],
        "date_of_birth": ["Eich dyddiad geni: rhaid i\u2019r dyddiad gynnwys blwyddyn"],
    }
