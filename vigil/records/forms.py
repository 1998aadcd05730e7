from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import long_text_field, text_field
from vigil.records.models import ErasureBasis


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
        choices=[(n, _("%(n)s years") % {"n": n}) for n in (1, 2, 3, 5, 10)],
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
        _("Type the case reference to confirm"),
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
            raise forms.ValidationError(_("The reference you typed is not this case's reference"))
        return typed
