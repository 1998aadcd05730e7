"""Where the dashboard's figures come from: a registry that apps fill in.

Insights sits above the apps it reports on and must not guess at ones that are not built yet
(safety plans, partner referrals, orders). Each app registers the functions that count its own
records; a figure whose source is not registered is shown as "not recorded yet", never as a zero
that would read as a fact ("no breaches") when nothing was measured.

The contract, for every source:

    compute(cases, start, end) -> value
    drill(cases, start, end, row) -> QuerySet[Case]      (optional)

- `cases` is the viewer's scoped Case queryset, already narrowed to the chosen team or area
  (never widen it: it is the viewer's scope).
- `start` and `end` are dates in Europe/London; `start` is included and `end` is EXCLUDED
  (the period 1 Jan to 1 Feb is January). `period_bounds(start, end)` gives the aware datetimes.
- `value` is, by the figure's shape (see vigil/insights/figures.py): an int (count), a pair
  `(part, total)` (ratio), a dict of row key -> int (breakdown), or `(median timedelta | None,
  how many)` (duration).
- `row` is the row of a breakdown or ratio the viewer clicked ("part", "rest", "total", or a
  breakdown key), so the list shows exactly the cases behind that number.

At merge, the apps built in parallel register theirs (e.g. in their AppConfig.ready):

    register_source("safeguarding.high_risk_plans",
        safeguarding.figures.high_risk_cases_with_current_plan,
        drill=lambda cases, s, e, row: safeguarding.figures.high_risk_cases_without_plan(
            cases, s, e))
    register_source("sharing.referrals_in_time",
        sharing.figures.referrals_acknowledged_in_time,
        drill=lambda cases, s, e, row: sharing.figures.referral_cases(
            cases, s, e, in_time={"part": True, "rest": False}.get(row)))
    register_source("offenders.spo_pipeline", offenders.figures.spo_pipeline,
        drill=lambda cases, s, e, row: offenders.figures.spo_cases(cases, s, e, stage=row))
    register_source("offenders.notifications_overdue",
        lambda cases, s, e: offenders.figures.notifications_overdue(
            cases, at=period_bounds(s, e)[1]))
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

LONDON = ZoneInfo("Europe/London")

Compute = Callable[[QuerySet[Any], datetime.date, datetime.date], Any]
Drill = Callable[[QuerySet[Any], datetime.date, datetime.date, str], QuerySet[Any]]


@dataclass(frozen=True)
class Source:
    key: str
    compute: Compute
    drill: Drill | None = None


_SOURCES: dict[str, Source] = {}


def register_source(key: str, compute: Compute, drill: Drill | None = None) -> None:
    """Make a figure's numbers available. Registering the same key again replaces it (an app
    that is reloaded, or a test's fake), so the last registration wins."""
    _SOURCES[key] = Source(key, compute, drill)


def unregister_source(key: str) -> None:
    _SOURCES.pop(key, None)


def source_get(key: str) -> Source | None:
    """The source, or None while no app records it yet."""
    return _SOURCES.get(key)


def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The aware datetimes of a period: from London midnight of `start` to London midnight of
    `end` (excluded)."""
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=LONDON),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=LONDON),
    )
