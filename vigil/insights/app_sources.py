"""The figures that referrals, safety plans and orders count, registered with the dashboard.

Insights sits above these apps, so it is the one that knows them; each counts its own records
in its `figures.py` with both ends of the period included, while the dashboard's periods leave
their end out (see sources.py): `_last_day` turns one into the other.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from vigil.insights.sources import period_bounds, register_source


def _last_day(end: datetime.date) -> datetime.date:
    return end - datetime.timedelta(days=1)


def _register_safeguarding() -> None:
    from vigil.safeguarding import figures

    def drill(cases: QuerySet[Any], start: datetime.date, end: datetime.date, row: str) -> Any:
        high = figures.high_risk_cases(cases, start, _last_day(end))
        without = figures.high_risk_cases_without_plan(cases, start, _last_day(end))
        if row == "rest":
            return without
        if row == "part":
            return high.exclude(pk__in=without.values("pk"))
        return high

    register_source(
        "safeguarding.high_risk_plans",
        lambda cases, start, end: figures.high_risk_cases_with_current_plan(
            cases, start, _last_day(end)
        ),
        drill=drill,
    )


def _register_sharing() -> None:
    from vigil.sharing import figures

    register_source(
        "sharing.referrals_in_time",
        lambda cases, start, end: figures.referrals_acknowledged_in_time(
            cases, start, _last_day(end)
        ),
        drill=lambda cases, start, end, row: figures.referral_cases(
            cases, start, _last_day(end), in_time={"part": True, "rest": False}.get(row)
        ),
    )


def _register_offenders() -> None:
    from vigil.offenders import figures

    def drill(cases: QuerySet[Any], start: datetime.date, end: datetime.date, row: str) -> Any:
        if row not in figures.STAGES:
            return cases.none()
        return figures.spo_cases(cases, start, _last_day(end), stage=row)

    register_source(
        "offenders.spo_pipeline",
        lambda cases, start, end: figures.spo_pipeline(cases, start, _last_day(end)),
        drill=drill,
    )
    register_source(
        "offenders.notifications_overdue",
        lambda cases, start, end: figures.notifications_overdue(
            cases, at=period_bounds(start, end)[1]
        ),
    )


def register_app_sources() -> None:
    for app, register in (
        ("vigil.safeguarding", _register_safeguarding),
        ("vigil.sharing", _register_sharing),
        ("vigil.offenders", _register_offenders),
    ):
        if apps.is_installed(app):
            register()
