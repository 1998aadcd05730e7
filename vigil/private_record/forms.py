from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import (
    GovukDateField,
    email_field,
    long_text_field,
    phone_field,
    text_field,
)
from vigil.contact.contract import SafeContactPrefs, prefs_from_answers
from vigil.private_record.models import Wish
from vigil.private_record.services import identifiers_of

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Enough for anyone's list; more is a guesser trying many identifiers in one go.
MOST_IDENTIFIERS = 20


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


ONE_ON_EACH_LINE = _("One on each line")


def _list_field(label: Any, *, help_text: Any = ONE_ON_EACH_LINE) -> Any:
    """A few of one kind of identifier, one on each line (see `_lines`)."""
    return long_text_field(label, help_text=help_text, rows=2, max_length=2000)


class RecordForm(forms.Form):
    """The person they name, what happened (optional), and how we may tell them of a match."""

    name = text_field(_("Their name (optional)"), autocomplete="off")
    date_of_birth = GovukDateField(
        label=_("Their date of birth (optional)"),
        required=False,
        allow_future=False,
        help_text=_("For example, 27 3 1990. Leave this empty if you do not know it."),
    )
    phones = _list_field(_("Their phone numbers (optional)"))
    emails = _list_field(_("Their email addresses (optional)"))
    social = _list_field(
        _("Their social media accounts (optional)"),
        help_text=_("One on each line, for example Instagram: @name"),
    )
    vehicles = _list_field(_("Number plates of vehicles they use (optional)"))
    account = long_text_field(
        _("What has happened (optional)"),
        help_text=_("In your own words. Nobody can read this unless you agree to share it later."),
        rows=6,
    )
    channels = forms.MultipleChoiceField(
        label=_("If someone else names the same person, how can we tell you safely?"),
        help_text=_("We will only use the ways you choose. We will not say what it is about."),
        widget=forms.CheckboxSelectMultiple,
        choices=[("email", _("Email")), ("text", _("Text message"))],
        required=False,
    )
    email = email_field(_("Your safe email address (optional)"))
    phone = phone_field(_("Your safe mobile number (optional)"))
    others_may_read = forms.ChoiceField(
        label=_("Might someone else read your messages?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if someone else might read your messages")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in ("name", "email", "phone"):
            self.fields[field].widget.attrs["autocomplete"] = "off"
        date_of_birth: Any = self.fields["date_of_birth"]
        date_of_birth.error_name = _("Their date of birth")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Every problem at once, so the person fixes the page in one go.
        identifying = ("name", "date_of_birth", "phones", "emails", "social", "vehicles")
        found = identifiers_of(self.identifiers())
        if any(field in self.errors for field in identifying):
            pass  # their own messages say what to change
        elif not found:
            self.add_error(
                "phones",
                _(
                    "Enter at least one phone number, email address, social media account or "
                    "number plate, or their name and date of birth"
                ),
            )
        elif len(found) > MOST_IDENTIFIERS:
            self.add_error(
                "phones",
                _("Enter no more than %(most)s ways to identify them") % {"most": MOST_IDENTIFIERS},
            )
        channels = data.get("channels") or []
        if "email" in channels and not data.get("email"):
            self.add_error("email", _("Enter your safe email address, or untick email"))
        if "text" in channels and not data.get("phone"):
            self.add_error("phone", _("Enter your safe mobile number, or untick text message"))
        return data

    def identifiers(self) -> dict[str, Any]:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "name": (data.get("name") or "").strip(),
            "date_of_birth": born.isoformat() if isinstance(born, datetime.date) else "",
            "phones": _lines(data.get("phones") or ""),
            "emails": _lines(data.get("emails") or ""),
            "social": _lines(data.get("social") or ""),
            "vehicles": _lines(data.get("vehicles") or ""),
        }

    def account_text(self) -> str:
        return str(self.cleaned_data.get("account") or "").strip()

    def prefs(self) -> SafeContactPrefs:
        data = self.cleaned_data
        return prefs_from_answers(
            {
                "channels": data.get("channels") or [],
                "others_may_read": data.get("others_may_read"),
            }.items()
        )

    def contact_details(self) -> dict[str, str]:
        data = self.cleaned_data
        return {"email": data.get("email") or "", "phone": data.get("phone") or ""}

    @classmethod
    def initial_from(
        cls, content: dict[str, Any], prefs: SafeContactPrefs, details: dict[str, str]
    ) -> dict[str, Any]:
        ids = content.get("identifiers", {})
        born = ids.get("date_of_birth")
        return {
            "name": ids.get("name", ""),
            "date_of_birth": datetime.date.fromisoformat(born) if born else None,
            "phones": "\n".join(ids.get("phones", [])),
            "emails": "\n".join(ids.get("emails", [])),
            "social": "\n".join(ids.get("social", [])),
            "vehicles": "\n".join(ids.get("vehicles", [])),
            "account": content.get("account", ""),
            "channels": list(prefs.channels),
            "email": details.get("email", ""),
            "phone": details.get("phone", ""),
            "others_may_read": "yes" if prefs.others_may_read else "no",
        }


class SignInForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        help_text=_("For example, KRX4-TMPA-7"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter your reference")},
    )
    secret = forms.CharField(
        label=_("Secret code"),
        max_length=60,
        help_text=_("The code we showed you when you kept your record"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter your secret code")},
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))


class ConsentForm(forms.Form):
    release = forms.MultipleChoiceField(
        label=_("What may we share with the stalking coordinator?"),
        help_text=_(
            "Select all you agree to share. We will not share anything you do not select. "
            "The other person will not be told who you are."
        ),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("contact", _("How to contact me safely")),
            ("identifiers", _("The details I gave about the person")),
            ("account", _("What I wrote about what happened")),
        ],
        required=False,
    )
    wish = forms.ChoiceField(
        label=_("What would you like to happen next?"),
        choices=Wish.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you would like to happen next")},
    )
