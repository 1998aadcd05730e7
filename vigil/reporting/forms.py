"""One form per page of the report, in GOV.UK style: one topic on each page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from vigil.common.behaviours import BEHAVIOUR_CHOICES, BEHAVIOUR_CHOICES_ABOUT_THEM
from vigil.common.forms import (
    EventForm,
    GovukDateField,
    email_field,
    lazy_format,
    long_text_field,
    phone_field,
    postcode_field,
    text_field,
)
from vigil.reporting.models import ReporterType, SuspectRelationship, ThirdPartyAnswer
from vigil.reporting.references import reference_is_well_formed

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any, *, required_message: Any, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message},
    )


_text = text_field
_long_text = long_text_field


def _not_autofilled(form: forms.Form) -> None:
    """Someone reporting for another person must not have their own name, address and number
    filled in by the browser where the victim's belong (issue 16)."""
    for field in form.fields.values():
        field.widget.attrs["autocomplete"] = "off"


class StepForm(forms.Form):
    """A page of the report. `for_self` is True when the victim is the one reporting, so the
    questions can say "you" rather than "they"."""

    def __init__(self, *args: Any, for_self: bool = True, **kwargs: Any) -> None:
        self.for_self = for_self
        super().__init__(*args, **kwargs)

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as JSON (dates as YYYY-MM-DD), to keep in the draft."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
        }

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        """The reverse of answers(): what the page shows when the person comes back to it."""
        initial = dict(answers)
        for name, field in cls.base_fields.items():
            value = initial.get(name)
            if isinstance(field, GovukDateField) and isinstance(value, str) and value:
                initial[name] = datetime.date.fromisoformat(value)
        return initial


class WhoForm(StepForm):
    reporter_type = forms.ChoiceField(
        label=_("Who is making this report?"),
        choices=ReporterType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who is making this report")},
    )


class ReporterForm(StepForm):
    name = _text(_("Your full name"), required=True, autocomplete="name")
    relationship = _text(
        _("How do you know the person it is happening to?"),
        help_text=_("For example, their friend, their mum, their support worker"),
    )
    organisation = _text(_("Organisation (if you are reporting as a professional)"))
    email = email_field(_("Your email address"))
    phone = phone_field(_("Your phone number"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter your full name")


class DangerForm(StepForm):
    immediate_danger = _yes_no(
        _("Is anyone in danger right now?"),
        required_message=_("Select yes if anyone is in danger right now"),
        help_text=_("For example, the person is outside, or has said they will hurt someone"),
    )


class VictimNameForm(StepForm):
    name = _text(_("Full name"), required=True, autocomplete="name")
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        required=False,
        allow_future=False,
        help_text=_("For example, 27 3 1990. Leave this empty if you do not know it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter the full name")
        date_of_birth: Any = self.fields["date_of_birth"]
        if self.for_self:
            self.fields["name"].label = _("Your full name")
            date_of_birth.label = date_of_birth.error_name = _("Your date of birth")
        else:
            self.fields["name"].label = _("Their full name")
            date_of_birth.label = date_of_birth.error_name = _("Their date of birth")
            _not_autofilled(self)


class VictimContactForm(StepForm):
    email = email_field(_("Email address"))
    phone = phone_field(
        _("Phone number"), help_text=_("A mobile number if you want us to send texts")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            self.fields["email"].label = _("Their email address")
            self.fields["phone"].label = _("Their phone number")
            _not_autofilled(self)


class VictimAddressForm(StepForm):
    line_1 = _text(_("Address line 1"), autocomplete="address-line1")
    line_2 = _text(_("Address line 2 (optional)"), autocomplete="address-line2")
    town = _text(_("Town or city"), autocomplete="address-level2")
    postcode = postcode_field(_("Postcode"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            _not_autofilled(self)


PREFER_NOT = ("prefer_not", _("Prefer not to say"))


def _monitoring(label: Any, *choices: tuple[str, Any]) -> forms.ChoiceField:
    """An equality monitoring question: never required, and "Prefer not to say" always last."""
    return forms.ChoiceField(
        label=label, required=False, widget=forms.RadioSelect, choices=[*choices, PREFER_NOT]
    )


class EqualityForm(StepForm):
    """Optional monitoring questions; none is needed to make a report."""

    gender = _monitoring(
        _("What is your gender? (optional)"),
        ("woman", _("Woman")),
        ("man", _("Man")),
        ("non_binary", _("Non-binary")),
        ("other", _("Another way")),
    )
    ethnic_group = _monitoring(
        _("What is your ethnic group? (optional)"),
        ("asian", _("Asian or Asian British")),
        ("black", _("Black, Black British, Caribbean or African")),
        ("mixed", _("Mixed or multiple ethnic groups")),
        ("white", _("White")),
        ("other", _("Another ethnic group")),
    )
    disability = _monitoring(
        _("Do you have a disability or long-term health condition? (optional)"), *YES_NO
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            self.fields["gender"].label = _("What is their gender? (optional)")
            self.fields["ethnic_group"].label = _("What is their ethnic group? (optional)")
            self.fields["disability"].label = _(
                "Do they have a disability or long-term health condition? (optional)"
            )
            PREFER_NOT_THEM = ("prefer_not", _("I do not know, or prefer not to say"))
            for field in self.fields.values():
                choice_field: Any = field
                choice_field.choices = [
                    PREFER_NOT_THEM if value == "prefer_not" else (value, label)
                    for value, label in choice_field.choices
                ]


class ContactChannelsForm(StepForm):
    channels = forms.MultipleChoiceField(
        label=_("How is it safe for us to contact you?"),
        help_text=_("Select all that are safe. We will only use the ways you choose."),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("phone", _("Phone call")),
            ("text", _("Text message")),
            ("email", _("Email")),
            ("letter", _("Letter")),
            ("none", _("None of these: do not contact me")),
        ],
        error_messages={"required": _("Select how it is safe to contact you, or select none")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            channels: Any = self.fields["channels"]
            channels.label = _("How is it safe for us to contact them?")
            channels.help_text = _(
                "Select all that are safe. We will only use the ways you choose."
            )
            channels.choices = [
                ("none", _("None of these: do not contact them"))
                if value == "none"
                else (value, label)
                for value, label in channels.choices
            ]
            channels.error_messages["required"] = _(
                "Select how it is safe to contact them, or select none"
            )

    def clean_channels(self) -> list[str]:
        channels: list[str] = self.cleaned_data["channels"]
        if "none" in channels and len(channels) > 1:
            raise forms.ValidationError(
                _("Select the safe ways to contact you, or select none, not both")
                if self.for_self
                else _("Select the safe ways to contact them, or select none, not both")
            )
        return channels


class ContactSafetyForm(StepForm):
    safe_times = _text(
        _("When is it safe to contact you? (optional)"),
        help_text=_("For example, weekdays between 9am and 3pm"),
    )
    voicemail_ok = _yes_no(
        _("Can we leave a voicemail?"),
        required_message=_("Select yes if we can leave a voicemail"),
    )
    can_say_police = _yes_no(
        _("Can we say we are the police?"),
        required_message=_("Select yes if we can say we are the police"),
        help_text=_("If you say no, we will not say who we are unless you are the one answering"),
    )
    safe_word = _text(
        _("A safe word (optional)"),
        help_text=_("We will say this word so you know it is really us"),
        autocomplete="off",
        max_length=100,
    )
    others_may_read = _yes_no(
        _("Might someone else read your messages or open your post?"),
        required_message=_("Select yes if someone else might read your messages"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            fields = self.fields
            fields["safe_times"].label = _("When is it safe to contact them? (optional)")
            fields["voicemail_ok"].label = _("Can we leave them a voicemail?")
            fields["can_say_police"].help_text = _(
                "If you say no, we will not say who we are unless they are the one answering"
            )
            fields["safe_word"].help_text = _("We will say this word so they know it is really us")
            fields["others_may_read"].label = _(
                "Might someone else read their messages or open their post?"
            )
            fields["others_may_read"].error_messages["required"] = _(
                "Select yes if someone else might read their messages"
            )


class VictimKnowsForm(StepForm):
    """Only when someone reports for another: whether we may contact the victim at all. Unless
    both answers are yes, the victim's record allows no contact (contract.third_party_caution)."""

    victim_knows = forms.ChoiceField(
        label=_("Do they know you are reporting this?"),
        choices=ThirdPartyAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if they know you are reporting this")},
    )
    victim_contact_safe = forms.ChoiceField(
        label=_("Is it safe for us to contact them?"),
        help_text=_(
            "For example, it is not safe if the person doing this might see their messages "
            "or be with them"
        ),
        choices=ThirdPartyAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if it is safe for us to contact them")},
    )


class ReporterContactForm(ContactChannelsForm, ContactSafetyForm):
    """The reporter's own ways and times: about the report, we contact them by these, and
    the victim only by the victim's own record."""

    field_order = [
        "channels",
        "safe_times",
        "voicemail_ok",
        "can_say_police",
        "others_may_read",
        "safe_word",
    ]

    def __init__(self, *args: Any, for_self: bool = True, **kwargs: Any) -> None:
        # Always "you": this page is about the person filling it in.
        super().__init__(*args, for_self=True, **kwargs)
        del self.fields["safe_word"]
        self.fields["channels"].label = _("How is it safe for us to contact you?")
        self.fields["channels"].help_text = _(
            "About this report, we will contact you only in the ways you choose. "
            "We ask about the person it is happening to separately."
        )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class SuspectForm(StepForm):
    relationship = forms.ChoiceField(
        label=_("Who is the person doing this?"),
        choices=SuspectRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who the person is, or select not known")},
    )
    names = _long_text(_("Their names (optional)"), help_text=_("One on each line"), rows=2)
    aliases = _long_text(_("Other names or nicknames they use (optional)"), rows=2)
    phones = _long_text(
        _("Their phone numbers (optional)"), help_text=_("One on each line"), rows=2
    )
    emails = _long_text(
        _("Their email addresses (optional)"), help_text=_("One on each line"), rows=2
    )
    social = _long_text(
        _("Their social media accounts (optional)"),
        help_text=_("One on each line, for example Instagram: @name"),
        rows=2,
    )
    vehicles = _long_text(
        _("Vehicles they use (optional)"), help_text=_("Make, colour, number plate"), rows=2
    )
    addresses = _long_text(_("Addresses linked to them (optional)"), rows=3)
    description = _long_text(
        _("What do they look like? (optional)"),
        help_text=_("For example, height, hair, clothes, tattoos"),
    )

    LIST_FIELDS = ("names", "aliases", "phones", "emails", "vehicles", "addresses")

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {"relationship": data["relationship"]}
        for name in self.LIST_FIELDS:
            result[name] = _lines(data[name])
        social = []
        for line in _lines(data["social"]):
            platform, sep, handle = line.partition(":")
            social.append(
                {"platform": platform.strip(), "handle": handle.strip()}
                if sep
                else {"platform": "", "handle": line}
            )
        result["social"] = social
        result["description"] = data["description"].strip()
        return result

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"relationship": answers.get("relationship", "")}
        for name in cls.LIST_FIELDS:
            initial[name] = "\n".join(answers.get(name, []))
        initial["social"] = "\n".join(
            f"{item['platform']}: {item['handle']}" if item.get("platform") else item["handle"]
            for item in answers.get("social", [])
        )
        initial["description"] = answers.get("description", "")
        return initial


class AddAnotherForm(StepForm):
    add_another = _yes_no(
        _("Do you need to add another?"),
        required_message=_("Select yes if you need to add another"),
    )


class BehavioursForm(StepForm):
    behaviours = forms.MultipleChoiceField(
        label=_("What has the person been doing?"),
        help_text=_("Select all that apply. You can tell us about anything else later."),
        widget=forms.CheckboxSelectMultiple,
        choices=BEHAVIOUR_CHOICES,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            behaviours: Any = self.fields["behaviours"]
            behaviours.choices = BEHAVIOUR_CHOICES_ABOUT_THEM


FREQUENCY_CHOICES = [
    ("once", _("It has happened once")),
    ("few_times", _("A few times")),
    ("weekly", _("About every week")),
    ("daily", _("Every day or almost every day")),
    ("many_daily", _("Many times a day")),
]


class WhenForm(StepForm):
    started_on = GovukDateField(
        label=_("When did it start?"),
        error_name=_("The date it started"),
        allow_future=False,
        help_text=_("Your best guess is fine. For example, 1 6 2025"),
        error_messages={"required": _("Enter when it started, your best guess is fine")},
    )
    most_recent_on = GovukDateField(
        label=_("When did it last happen?"),
        error_name=_("The date it last happened"),
        allow_future=False,
        help_text=_("For example, 20 11 2026"),
        error_messages={"required": _("Enter when it last happened, your best guess is fine")},
    )
    frequency = forms.ChoiceField(
        label=_("How often does it happen?"),
        choices=FREQUENCY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how often it happens")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, recent = data.get("started_on"), data.get("most_recent_on")
        if started and recent and recent < started:
            self.add_error("most_recent_on", _("The last time must be after it started"))
        return data


class IncidentForm(StepForm, EventForm):
    what_happened = _long_text(
        _("What happened?"),
        required=True,
        help_text=_("In your own words. Include who was there and anything you kept, like photos"),
        error_messages={"required": _("Tell us what happened")},
    )

    def answers(self) -> dict[str, Any]:
        result = super().answers()
        time = self.cleaned_data.get("time")
        result["time"] = time.strftime("%H:%M") if time else ""
        return result


class ImpactForm(StepForm):
    impact = _long_text(
        _("How has this affected you? (optional)"),
        help_text=_("For example, on your sleep, work, feeling safe, or people close to you"),
    )
    changes_made = _long_text(
        _("Have you changed anything because of it? (optional)"),
        help_text=_("For example, your route to work, your phone number, or where you live"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.for_self:
            self.fields["impact"].label = _("How has this affected them? (optional)")
            self.fields["impact"].help_text = _(
                "For example, on their sleep, work, feeling safe, or people close to them"
            )
            self.fields["changes_made"].label = _(
                "Have they changed anything because of it? (optional)"
            )
            self.fields["changes_made"].help_text = _(
                "For example, their route to work, their phone number, or where they live"
            )


class AnythingElseForm(StepForm):
    anything_else = _long_text(_("Is there anything else you want to tell us? (optional)"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    # Wrapped for GOV.UK's enhanced file upload (issue 16: "No fil…hosen" at 320 px).
    template_name = "reporting/widgets/file_upload.html"


class MultipleFileField(forms.FileField):
    """Several files in one go (Django's documented pattern for `multiple`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)] if self.required else []
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class EvidenceForm(StepForm):
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Upload a file"),
        help_text=lazy_format(
            _(
                "Photos, screenshots, PDFs, voice notes, recordings or videos. "
                "Each file can be up to %(size)s MB."
            ),
            size=settings.REPORT_EVIDENCE_MAX_FILE_BYTES // (1024 * 1024),
        ),
        error_messages={"required": _("Select a file to upload")},
    )


class DeclarationForm(StepForm):
    confirm = forms.BooleanField(
        label=_("I confirm that what I have told you is true, as far as I know"),
        error_messages={"required": _("Confirm that what you have told us is true")},
    )
    # A field people never see or fill in; automated spam fills every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    submission_key = forms.CharField(widget=forms.HiddenInput)


# --- Track my report -------------------------------------------------------------------------


def _reference_field() -> forms.CharField:
    return forms.CharField(
        label=_("Report reference"),
        max_length=40,
        help_text=_("For example, KRX4-TMPA-7"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your report reference"),
            "max_length": _("Check your reference. It should look like KRX4-TMPA-7"),
        },
    )


class TrackSignInForm(forms.Form):
    reference = _reference_field()
    secret = forms.CharField(
        label=_("Secret code"),
        max_length=60,
        help_text=_("The code we showed you when you sent the report"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter your secret code"),
            "max_length": _("Check your secret code. It should look like ACDE-FGHJ-KMNP-QRTU"),
        },
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))


class TrackLinkRequestForm(forms.Form):
    reference = _reference_field()
    email = email_field(
        _("Email address"),
        required=True,
        help_text=_("The email address you gave us when you sent the report"),
        error_messages={"required": _("Enter your email address")},
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_reference(self) -> str:
        # The check character catches a mistyped reference here, rather than leaving someone
        # waiting for an email that will not come. It says nothing about which references exist.
        reference = str(self.cleaned_data["reference"])
        if not reference_is_well_formed(reference):
            raise forms.ValidationError(_("Check your reference. It should look like KRX4-TMPA-7"))
        return reference


class MessageForm(forms.Form):
    body = long_text_field(
        _("Your message"),
        required=True,
        max_length=5000,
        error_messages={"required": _("Write your message")},
    )


class WithdrawForm(forms.Form):
    reason = long_text_field(_("Can you tell us why? (optional)"), max_length=2000, rows=4)
    confirm = forms.BooleanField(
        label=_("I want to withdraw my report"),
        error_messages={"required": _("Confirm that you want to withdraw your report")},
    )


class StaffMessageForm(forms.Form):
    body = long_text_field(
        _("Message to the reporter"),
        required=True,
        max_length=5000,
        help_text=_("They read it when they sign in to track their report. Use plain words."),
        error_messages={"required": _("Write a message")},
    )


# --- Save and come back later (issue 16) ------------------------------------------------------


class SaveForLaterForm(forms.Form):
    send_email = forms.ChoiceField(
        label=_("Do you want us to email the codes to you as well?"),
        help_text=_("Only if nobody else can read that email account."),
        choices=[
            ("no", _("No, I will write them down")),
            ("yes", _("Yes, email them to an address only I can read")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select if you want us to email the codes to you")},
    )
    email = email_field(_("Email address (if you want the codes by email)"))

    def __init__(self, *args: Any, offer_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_email:  # email is not safe for this person: only the codes on screen
            del self.fields["send_email"]
            del self.fields["email"]

    @property
    def wants_email(self) -> bool:
        return bool(self.cleaned_data.get("send_email") == "yes")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("send_email") == "yes" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address to send the codes to"))
        return data


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=_("Your save code"),
        max_length=40,
        help_text=_("For example, KRX4-TMPA-7"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your save code"),
            "max_length": _("Check your save code. It should look like KRX4-TMPA-7"),
        },
    )
    # A text box, not a password box: a browser would offer to remember a password, and a
    # remembered secret on a shared phone is what this page must never leave behind.
    secret = forms.CharField(
        label=_("Your secret code"),
        max_length=60,
        help_text=_("For example, ACDE-FGHJ-KMNP-QRTU"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your secret code"),
            "max_length": _("Check your secret code. It should look like ACDE-FGHJ-KMNP-QRTU"),
        },
    )
