"""A high-risk case without a current plan a working day after it became high risk: the
coordinators are told once (bank holidays and weekends are not working days)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from vigil.accounts.models import Role, User
from vigil.cases.models import Case, TimelineEntry
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage
from vigil.risk.tests.test_assessments import submit_sdash
from vigil.safeguarding.models import PlanEscalation
from vigil.safeguarding.plans import safeguarding_sweep
from vigil.safeguarding.tests.helpers import add_alarm

pytestmark = pytest.mark.django_db

REASONS = "Fixated, threats to kill, turned up at her home at night."
UTC = datetime.UTC


def _escalation_emails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="safeguarding.no_plan"))


@pytest.fixture
def people(make_staff: Callable[..., User]) -> dict[str, User]:
    return {
        "ivy": make_staff(Role.INVESTIGATOR),
        "coord": make_staff(Role.COORDINATOR),
        "coord2": make_staff(Role.COORDINATOR),
        "handler": make_staff(Role.CALL_HANDLER),
    }


def _high_risk_case(people: dict[str, User], at: str) -> Case:
    with time_machine.travel(at, tick=False):
        case = make_case(by=people["handler"], officer=people["ivy"])
        submit_sdash(case, people["ivy"], level="high", reasons=REASONS, yes=[1, 2, 3])
    return case


def _sweep(at: str) -> dict[str, int]:
    with time_machine.travel(at, tick=False):
        return safeguarding_sweep()


def test_it_escalates_once_a_working_day_after_high_risk(people: dict[str, User]) -> None:
    case = _high_risk_case(people, "2026-11-27 15:00Z")  # a Friday afternoon
    assert _sweep("2026-11-28 16:00Z") == {"escalated": 0}  # Saturday: not a working day
    assert _sweep("2026-11-30 14:59Z") == {"escalated": 0}  # Monday, a minute early
    assert _sweep("2026-11-30 15:01Z") == {"escalated": 1}
    assert _sweep("2026-11-30 15:30Z") == {"escalated": 0}  # told already
    emails = _escalation_emails()
    assert sorted(m.recipient for m in emails) == sorted(
        [people["coord"].email, people["coord2"].email]
    )
    assert all(case.reference in m.subject for m in emails)
    assert all("Fixated" not in m.body for m in emails)  # nothing about the victim
    assert PlanEscalation.objects.filter(case=case).count() == 1
    assert (
        TimelineEntry.objects.filter(
            case=case, title__startswith="High risk and no current"
        ).count()
        == 1
    )


def test_bank_holidays_are_not_working_days(people: dict[str, User]) -> None:
    # Thursday 24 December 2026; Friday is Christmas Day, Monday 28th the Boxing Day holiday.
    _high_risk_case(people, "2026-12-24 10:00Z")
    assert _sweep("2026-12-28 11:00Z") == {"escalated": 0}
    assert _sweep("2026-12-29 10:01Z") == {"escalated": 1}


@override_settings(SAFETY_PLAN_DUE_WORKING_DAYS=3)
def test_the_working_days_allowed_are_a_setting(people: dict[str, User]) -> None:
    _high_risk_case(people, "2026-11-23 09:00Z")  # Monday
    assert _sweep("2026-11-25 09:01Z") == {"escalated": 0}
    assert _sweep("2026-11-26 09:01Z") == {"escalated": 1}


def test_a_case_with_a_current_plan_is_not_escalated(people: dict[str, User]) -> None:
    case = _high_risk_case(people, "2026-11-23 09:00Z")
    with time_machine.travel("2026-11-23 12:00Z", tick=False):
        add_alarm(case, people["ivy"])
    assert _sweep("2026-11-24 09:01Z") == {"escalated": 0}
    assert _escalation_emails() == []


def test_a_case_that_is_not_high_risk_is_not_escalated(people: dict[str, User]) -> None:
    with time_machine.travel("2026-11-23 09:00Z", tick=False):
        case = make_case(by=people["handler"], officer=people["ivy"])
        submit_sdash(case, people["ivy"], level="medium", reasons=REASONS, yes=[1, 2])
    assert _sweep("2026-11-30 09:00Z") == {"escalated": 0}


def test_the_sweep_command_runs_the_sweep(people: dict[str, User]) -> None:
    _high_risk_case(people, "2026-11-23 09:00Z")
    with time_machine.travel("2026-11-24 09:01Z", tick=False):
        call_command("safeguarding_sweep")
        call_command("safeguarding_sweep")
    assert len(_escalation_emails()) == 2  # one per coordinator, once
