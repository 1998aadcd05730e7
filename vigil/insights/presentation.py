"""From figures to what the page shows: charts, tables and CSV rows (no counting here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from vigil.insights import charts
from vigil.insights import figures as f
from vigil.insights.selectors import Dashboard, FigureResult, Row
from vigil.public_site import usage
from vigil.reporting.steps import STEPS


def figure_chart(result: FigureResult) -> charts.Chart | None:
    """A chart for breakdowns and ratios with more than one row; single counts need none."""
    figure = result.figure
    if not result.recorded or figure.shape not in (f.BREAKDOWN, f.RATIO):
        return None
    rows = result.rows()
    if not any(row.current or row.previous for row in rows):
        return None  # nothing to draw: the table says there were none
    return charts.bar_chart(
        chart_id=f"chart-{figure.key}",
        title=str(figure.title),
        description=_chart_description(rows, figure.compares),
        rows=[(row.label, row.current, row.previous) for row in rows],
    )


def _chart_description(rows: list[Row], compares: bool) -> str:
    parts = []
    for row in rows:
        text = f"{row.label}: {row.current}"
        if compares and row.previous is not None:
            text += " " + _("(previous period %(value)s)") % {"value": row.previous}
        parts.append(text)
    return "; ".join(parts) + "."


def trend_chart(dashboard: Dashboard) -> charts.Chart:
    title = (
        _("Cases opened each week")
        if dashboard.filters.trend == "week"
        else _("Cases opened each month")
    )
    columns = [(bucket.label, bucket.opened) for bucket in dashboard.trend]
    description = "; ".join(f"{label}: {value}" for label, value in columns) + "."
    return charts.column_chart(
        chart_id="chart-trend", title=title, description=description, columns=columns
    )


def figure_csv_rows(result: FigureResult) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Figure"),
        _("Row"),
        _("This period"),
        _("Previous period"),
        _("Change"),
        _("This period (%)"),
        _("Previous period (%)"),
    ]
    if not result.recorded:
        return header, [[str(result.figure.title), _("Not recorded yet"), "", "", "", "", ""]]
    rows = [
        [
            str(result.figure.title),
            str(row.label),
            row.current,
            row.previous,
            row.change,
            row.percent,
            row.previous_percent,
        ]
        for row in result.rows()
    ]
    return header, rows


def trend_csv_rows(dashboard: Dashboard) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Week starting") if dashboard.filters.trend == "week" else _("Month"),
        _("Cases opened"),
        _("Of which stalking"),
    ]
    return header, [[b.start.isoformat(), b.opened, b.stalking] for b in dashboard.trend]


# --- the public site: pages and the report form --------------------------------------------


def page_address(key: str) -> str:
    """The address a counted page is at ("/get-help/"), for people to recognise; the key itself
    when it no longer resolves (a page since removed)."""
    namespace, _sep, rest = key.partition(":")
    name, _sep, argument = rest.partition(":")
    for kwargs in ({"slug": argument}, {"collection": argument}) if argument else ({},):
        try:
            return reverse(f"{namespace}:{name}", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return key


def page_rows(*, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    return [(page_address(key), views) for key, views in usage.page_views(start=start, end=end)]


@dataclass(frozen=True)
class JourneyRow:
    step: str
    title: str
    journeys: int
    # Of the journeys that reached the first page, how many reached this one (whole per cent).
    percent_of_start: int | None


def journey_rows(*, start: datetime.date, end: datetime.date) -> list[JourneyRow]:
    counts = usage.journey_steps(start=start, end=end)
    order = [(step.slug, str(step.title)) for step in STEPS] + [
        ("check", _("Check your answers")),
        ("send", _("Send your report")),
        ("sent", _("Report sent")),
    ]
    first = counts.get(order[0][0], 0)
    return [
        JourneyRow(
            slug,
            title,
            counts.get(slug, 0),
            round(100 * counts.get(slug, 0) / first) if first else None,
        )
        for slug, title in order
    ]


def journey_chart(rows: list[JourneyRow]) -> charts.Chart | None:
    if not any(row.journeys for row in rows):
        return None  # no journeys in the period: the table says so
    return charts.bar_chart(
        chart_id="chart-journey",
        title=_("Report journeys reaching each page"),
        description="; ".join(f"{row.title}: {row.journeys}" for row in rows) + ".",
        rows=[(row.title, row.journeys, None) for row in rows],
    )
