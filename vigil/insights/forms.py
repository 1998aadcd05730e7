from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import GovukDateField
from vigil.insights import selectors
from vigil.insights.selectors import MONTH, WEEK, Filters

PERIODS = {"4w": 28, "13w": 91, "52w": 364}
# The longest period one page may cover: a force's whole history in weekly columns stays legible.
MAX_DAYS = 366 * 5


class FiltersForm(forms.Form):
    """The period, team and area the figures are for. Read from the query string (a GET form),
    so a view can be bookmarked, printed or exported as it is."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("4w", _("Last 4 weeks")),
            ("13w", _("Last 13 weeks")),
            ("52w", _("Last 52 weeks")),
            ("dates", _("Dates I choose")),
        ],
        initial="52w",
        required=False,
    )
    start = GovukDateField(label=_("From"), required=False, help_text=_("For example, 1 4 2026"))
    end = GovukDateField(label=_("To (included)"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=selectors.teams(),
        required=False,
        empty_label=_("All teams"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=selectors.areas(), required=False, empty_label=_("All areas")
    )
    trend = forms.ChoiceField(
        label=_("Trends by"),
        choices=[(WEEK, _("Week")), (MONTH, _("Month"))],
        initial=WEEK,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "dates":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Enter the first day of the period"))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Enter the last day of the period"))
            if start and end and end < start:
                self.add_error("end", _("The last day must be the same as or after the first day"))
            elif start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of 5 years or less"))
        return data

    def filters(self) -> Filters:
        """The filters chosen, or the defaults (the last 52 weeks, whole force) when the form is
        not bound or not valid (the page then shows the errors beside the defaults' figures)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        period = data.get("period") or "52w"
        if period == "dates":
            start: datetime.date = data["start"]
            end = data["end"] + datetime.timedelta(days=1)
        else:
            start, end = tomorrow - datetime.timedelta(days=PERIODS[period]), tomorrow
        return Filters(
            start=start,
            end=end,
            team=data.get("team"),
            area=data.get("area"),
            trend=data.get("trend") or WEEK,
        )


def filters_from(query: Any) -> tuple[FiltersForm, Filters]:
    form = FiltersForm(query or None)
    return form, form.filters()
