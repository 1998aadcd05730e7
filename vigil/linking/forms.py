from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.linking.models import Verdict


class DecisionForm(forms.Form):
    """Posted by the "same person" / "not the same person" buttons beside a candidate."""

    other = forms.UUIDField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
