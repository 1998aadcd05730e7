from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import long_text_field, text_field
from vigil.records.models import ErasureBasis, SubjectAccessDecision
from vigil.records.subject_access import SubjectMatch


class HoldForm(forms.Form):
    reason = long_text_field(
        _("Why must the case be kept?"),
        required=True,
        rows=3,
        max_length=2000,
        help_text=_("For example: a civil claim, a complaint, an inquiry. Do not name people."),
    )


class LiftForm(forms.Form):
    reason = long_text_field(_("Why can the hold end?"), required=True, rows=3, max_length=2000)


class KeepForm(forms.Form):
    years = forms.TypedChoiceField(
        label=_("Review it again in"),
        choices=[
            (1, _("1 year")),
            (2, _("2 years")),
            (3, _("3 years")),
            (5, _("5 years")),
            (10, _("10 years")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when to review it again")},
    )
    reason = long_text_field(
        _("Why is it still needed for a policing purpose?"), required=True, rows=3, max_length=2000
    )


class EraseForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Why is it being deleted?"),
        choices=ErasureBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why it is being deleted")},
    )
    confirm = text_field(
        _("Type the reference to confirm"),
        required=True,
        max_length=20,
        help_text=_("Deleting cannot be undone. Only a record that it was deleted is kept."),
        autocomplete="off",
        spellcheck="false",
    )

    def __init__(self, *args: object, reference: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reference = reference

    def clean_confirm(self) -> str:
        typed = str(self.cleaned_data["confirm"]).strip().upper()
        if typed != self.reference.upper():
            raise forms.ValidationError(_("The reference you typed is not this record's reference"))
        return typed


class SubjectSearchForm(forms.Form):
    reference = text_field(
        _("Report or case reference"),
        max_length=20,
        help_text=_("A reference the person gave in their request."),
        autocomplete="off",
        spellcheck="false",
    )
    email = text_field(_("Email address"), max_length=254, autocomplete="off", spellcheck="false")
    phone = text_field(_("Phone number"), max_length=40, autocomplete="off")

    def has_query(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


MATCH_KINDS = {"report": _("Report"), "phone_report": _("Phone report")}


class SubjectExportForm(forms.Form):
    include = forms.MultipleChoiceField(
        label=_("Records to include"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one record to include")},
    )
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=SubjectAccessDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your decision")},
    )
    reason = long_text_field(
        _("Reasons for the decision"),
        rows=3,
        max_length=2000,
        help_text=_("Name any exemption you relied on. This is kept with the record."),
    )
    label = text_field(
        _("Request reference"),
        required=True,
        max_length=100,
        help_text=_("Your own reference for the request, for example SAR 2026/114."),
    )

    def __init__(self, *args: Any, matches: list[SubjectMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["include"].choices = [  # type: ignore[attr-defined]
            (
                match.key,
                _("%(kind)s %(ref)s: %(name)s, %(when)s")
                % {
                    "kind": MATCH_KINDS.get(match.kind, _("Case")),
                    "ref": match.reference,
                    "name": match.name or _("no name given"),
                    "when": match.received_at.strftime("%d %b %Y"),
                },
            )
            for match in matches
        ]
