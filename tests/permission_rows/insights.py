"""Insights: coordinators and supervisors only; everyone else signed in gets 404 (a call handler
too), since the drill-down lists cases and the figures are theirs to act on."""

from __future__ import annotations

from tests.permission_rows import Arguments, Row, row

# fmt: off
ROWS: list[Row] = [
    #   URL name, arguments,                        anon handler ivy oscar om coord super partner partnerB dpo admin  # noqa: E501
    row("insights:dashboard", "",                   "302 404 404 404 404 200 200 404 404 404 404"),
    row("insights:print", "",                       "302 404 404 404 404 200 200 404 404 404 404"),
    row("insights:csv", "insights_figure",          "302 404 404 404 404 200 200 404 404 404 404"),
    row("insights:drill", "insights_figure",        "302 404 404 404 404 200 200 404 404 404 404"),
    row("insights:public_use", "",                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("insights:public_use_csv", "insights_table", "302 404 404 404 404 200 200 404 404 404 404"),
]
# fmt: on

ARGUMENTS: dict[str, Arguments] = {
    "insights_figure": lambda w, side: {"key": "cases_by_risk"},
    "insights_table": lambda w, side: {"table": "journeys"},
}
