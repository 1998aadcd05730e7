from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency
from vigil.cases.models import RiskLevel
from vigil.common.forms import GovukDateField, long_text_field, text_field
from vigil.sharing.models import Basis, ConsentMethod, ReferralStatus, UpdateKind
from vigil.sharing.parts import PARTS, SECTIONS


def _section_fields() -> dict[str, forms.MultipleChoiceField]:
    """One group of checkboxes per section of the case, in the order of PARTS."""
    sections: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, Any] = {}
    for part in PARTS:
        key = "parts_" + part.section
        names.setdefault(key, SECTIONS[part.section])
        label = f"{part.label} ({part.hint})" if part.hint else str(part.label)
        sections.setdefault(key, []).append((part.code, label))
    return {
        key: forms.MultipleChoiceField(
            label=names[key],
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for key, choices in sections.items()
    }


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Partner agency"),
        queryset=Agency.objects.filter(kind=Agency.Kind.PARTNER),
        error_messages={"required": _("Choose the partner agency")},
    )
    reason = long_text_field(
        _("Why you are referring the victim"),
        required=True,
        help_text=_("The agency reads this. Say what support the victim needs."),
        rows=3,
    )
    basis = forms.ChoiceField(
        label=_("Basis for sharing"),
        choices=Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the basis for sharing")},
    )
    consent_given_by = text_field(
        _("Who gave consent"), help_text=_("For example: the victim, or their parent.")
    )
    consent_given_on = GovukDateField(
        label=_("Date consent was given"), required=False, allow_future=False
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_scope = long_text_field(
        _("What the victim agreed to share, and with whom"), rows=2, max_length=2000
    )
    lawful_basis_reason = long_text_field(
        _("Without consent: the safeguarding need"),
        help_text=_("A supervisor must approve before the agency sees anything."),
        rows=3,
        max_length=4000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_section_fields())

    @property
    def part_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("parts_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["parts"] = [
            code for name in self.fields if name.startswith("parts_") for code in data.get(name, [])
        ]
        if not data["parts"]:
            self.add_error("parts_case", _("Choose at least one part of the case to share"))
        basis = data.get("basis")
        if basis == Basis.CONSENT:
            if not data.get("consent_given_by", "").strip():
                self.add_error("consent_given_by", _("Enter who gave consent"))
            if not data.get("consent_given_on"):
                self.add_error("consent_given_on", _("Enter the date consent was given"))
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Choose how consent was given"))
            if not data.get("consent_scope", "").strip():
                self.add_error("consent_scope", _("Enter what the victim agreed to share"))
        elif basis == Basis.SAFEGUARDING and not data.get("lawful_basis_reason", "").strip():
            self.add_error(
                "lawful_basis_reason", _("Enter why the victim must be referred without consent")
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "agency": data["agency"],
            "reason": data["reason"],
            "parts": data["parts"],
            "basis": data["basis"],
            "consent_given_by": data.get("consent_given_by", ""),
            "consent_given_on": data.get("consent_given_on"),
            "consent_method": data.get("consent_method", ""),
            "consent_scope": data.get("consent_scope", ""),
            "lawful_basis_reason": data.get("lawful_basis_reason", ""),
        }


class ApproveForm(forms.Form):
    reason = long_text_field(
        _("Why sharing without consent is lawful and necessary"), required=True, rows=3
    )


class DeclineForm(forms.Form):
    reason = long_text_field(_("Why your agency cannot take the referral"), required=True, rows=3)


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Why the referral ends"),
        choices=[
            (ReferralStatus.WITHDRAWN, _("The victim withdrew their consent")),
            (ReferralStatus.CLOSED, _("The work with the agency is finished")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the referral ends")},
    )
    reason = long_text_field(_("Details"), required=True, rows=3)


class PartnerUpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=UpdateKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are adding")},
    )
    body = long_text_field(_("Details"), required=True, rows=4)
    risk_level = forms.ChoiceField(
        label=_("Your agency's risk level (for a risk assessment)"),
        choices=[("", _("Not a risk assessment")), *list(RiskLevel.choices)[1:]],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == UpdateKind.RISK and not data.get("risk_level"):
            self.add_error("risk_level", _("Choose the risk level your agency assessed"))
        return data
