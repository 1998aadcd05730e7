"""Referrals, safety plans and orders count their own figures; the dashboard reads them through
the registry, with its own periods (the end day left out)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine

from vigil.accounts.models import Role, User
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case
from vigil.insights.sources import source_get
from vigil.risk.tests.test_assessments import submit_sdash
from vigil.safeguarding.tests.helpers import add_alarm

pytestmark = pytest.mark.django_db

REASONS = "Fixated, threats to kill, turned up at her home at night."


def test_every_figure_of_the_apps_built_beside_insights_has_its_source() -> None:
    for key in (
        "safeguarding.high_risk_plans",
        "sharing.referrals_in_time",
        "offenders.spo_pipeline",
        "offenders.notifications_overdue",
    ):
        assert source_get(key) is not None, key


def test_the_safety_plan_figure_counts_the_dashboards_period_and_drills_to_its_cases(
    make_staff: Callable[..., User],
) -> None:
    ivy, handler = make_staff(Role.INVESTIGATOR), make_staff(Role.CALL_HANDLER)

    def high_risk_on(day: str) -> Case:
        with time_machine.travel(f"{day} 10:00Z", tick=False):
            case = make_case(by=handler, officer=ivy)
            submit_sdash(case, ivy, level="high", reasons=REASONS, yes=[1, 2, 3])
        return case

    bare = high_risk_on("2026-11-03")
    planned = high_risk_on("2026-11-30")  # the last day of November: inside
    with time_machine.travel("2026-11-30 11:00Z", tick=False):
        add_alarm(planned, ivy)
    high_risk_on("2026-12-01")  # the day the period ends: outside
    source = source_get("safeguarding.high_risk_plans")
    assert source is not None and source.drill is not None
    november = (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    cases = Case.objects.all()
    assert source.compute(cases, *november) == (1, 2)
    assert list(source.drill(cases, *november, "rest")) == [bare]
    assert list(source.drill(cases, *november, "part")) == [planned]
    assert set(source.drill(cases, *november, "total")) == {bare, planned}
