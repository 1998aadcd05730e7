"""Forms for the safety tools, GOV.UK style: plain questions, kind error messages."""

from __future__ import annotations

import datetime
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import EventForm, lazy_format, long_text_field, text_field
from vigil.reporting.forms import MultipleFileField
from vigil.safety.models import ReminderChannel

_text = text_field


def _long_text(label: Any, **kwargs: Any) -> Any:
    return long_text_field(label, rows=4, **kwargs)


def _minutes(label: Any, *, initial: int, invalid: Any) -> forms.IntegerField:
    """A timer's minutes, up to the longest a timer may run. `invalid` gives the example
    (the field's own starting value), so the message matches what the person sees."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=settings.SAFETY_TIMER_MAX_MINUTES,
        initial=initial,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the number of minutes"),
            "invalid": invalid,
            "min_value": _("Enter at least 1 minute"),
            "max_value": _("Enter %(limit_value)s minutes or fewer"),
        },
    )


def _one_line(value: str, message: Any) -> str:
    """Names go into the email and text to the contact: a line break (or other control
    character) in one would break the message's headers in the outbox long after the victim
    pressed "Add", so it is refused here, where they can fix it."""
    if any(char in value for char in "\r\n\x00\x0b\x0c\x85\u2028\u2029"):
        raise forms.ValidationError(message)
    return value


class ContactForm(forms.Form):
    name = _text(
        _("Their name"),
        required=True,
        autocomplete="off",
        error_messages={"required": _("Enter your contact's name")},
    )
    email = forms.EmailField(
        label=_("Their email address (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address like name@example.com"),
            "max_length": _("Their email address must be 320 characters or less"),
        },
    )
    phone = _text(
        _("Their mobile number (optional)"),
        help_text=_("For text messages. For example, 07700 900 982"),
        autocomplete="off",
        inputmode="tel",
        max_length=30,
    )
    known_as = _text(
        _("Your name, as they know you"),
        required=True,
        help_text=_("We use this in messages to them, so they know who it is about"),
        autocomplete="off",
        error_messages={"required": _("Enter the name your contact knows you by")},
    )

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"], _("Their name must be on one line"))

    def clean_known_as(self) -> str:
        return _one_line(self.cleaned_data["known_as"], _("Your name must be on one line"))

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "GB")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise forms.ValidationError(_("Enter a mobile number like 07700 900 982"))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Enter an email address or a mobile number"))
        return data


class TimerForm(forms.Form):
    plan = _long_text(
        _("What are you going to do?"),
        required=True,
        help_text=_(
            "For example, 'Walking home from the station' or 'Meeting him to collect my things'. "
            "Your trusted contacts will see this if you do not check in."
        ),
        error_messages={"required": _("Tell us what you are going to do")},
    )
    minutes = _minutes(
        _("Check on me in how many minutes?"),
        initial=30,
        invalid=_("Enter the number of minutes, like 30"),
    )
    reminder_channel = forms.ChoiceField(
        label=_("Remind me before it runs out"),
        widget=forms.RadioSelect,
        required=False,
    )
    alert_officer = forms.BooleanField(
        label=_("Also tell the officer dealing with my report if I do not check in"),
        required=False,
    )

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, Any] = {
            ReminderChannel.SMS: _("By text message, to the number you told us is safe"),
            ReminderChannel.EMAIL: _("By email, to the address you told us is safe"),
        }
        field: Any = self.fields["reminder_channel"]
        field.choices = [(c, labels[c]) for c in channels] + [
            ("", _("No reminder, I will keep this page open"))
        ]
        field.help_text = _("%(n)s minutes before the end") % {"n": settings.SAFETY_REMINDER_BEFORE}
        field.initial = channels[0] if channels else ""


class ExtendForm(forms.Form):
    minutes = _minutes(
        _("Add how many minutes?"),
        initial=15,
        invalid=_("Enter the number of minutes, like 15"),
    )


class LocationForm(forms.Form):
    place = _text(
        _("Where are you?"),
        required=True,
        help_text=_("For example, 'Costa on the High Street'. Only share it if it is safe to."),
        max_length=300,
        error_messages={"required": _("Enter where you are")},
    )
    from_device = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AlertNowForm(forms.Form):
    message = _long_text(
        _("Message to your trusted contacts (optional)"),
        help_text=_("For example, 'I am scared, please call me'"),
    )
    to_officer = forms.BooleanField(
        label=_("Also tell the officer dealing with my report"), required=False
    )


class DiaryEntryForm(EventForm):
    who_was_there = _long_text(
        _("Who was there, or who saw it? (optional)"),
        help_text=_("Names of anyone who saw or heard it, if you know them"),
    )
    police_reference = _text(
        _("Police reference number (optional)"),
        help_text=_("If you told the police about this, the number they gave you"),
        max_length=100,
    )
    impact = _long_text(
        _("How did it affect you? (optional)"),
        help_text=_("For example, on your sleep, work, or feeling safe"),
    )
    changes_made = _long_text(
        _("Did you change anything because of it? (optional)"),
        help_text=_("For example, your route to work or your phone number"),
    )
    impact_on_others = _long_text(
        _("Did it affect anyone else? (optional)"),
        help_text=_("For example, your children, family or colleagues"),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Add photos, screenshots or recordings (optional)"),
        required=False,
        help_text=lazy_format(
            _("Each file can be up to %(size)s MB."),
            size=settings.REPORT_EVIDENCE_MAX_FILE_BYTES // (1024 * 1024),
        ),
    )

    def occurred_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["date"]
        time = self.cleaned_data.get("time") or datetime.time(12, 0)
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def clean_files(self) -> list[Any]:
        return [f for f in (self.cleaned_data.get("files") or []) if f]

    def entry_fields(self) -> dict[str, str]:
        names = (
            "place",
            "what_happened",
            "who_was_there",
            "police_reference",
            "impact",
            "changes_made",
            "impact_on_others",
        )
        return {name: self.cleaned_data[name] for name in names}


def diary_entry_initial(entry: Any) -> dict[str, Any]:
    """What the edit page shows: the entry as written, its date and time in local time."""
    local = timezone.localtime(entry.occurred_at)
    names = (
        "place",
        "what_happened",
        "who_was_there",
        "police_reference",
        "impact",
        "changes_made",
        "impact_on_others",
    )
    return {"date": local.date(), "time": local.time(), **{n: getattr(entry, n) for n in names}}
