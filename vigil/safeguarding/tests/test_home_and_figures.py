"""The coordinator's home panel and the figures insights reads."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case
from vigil.risk.tests.test_assessments import submit_sdash
from vigil.safeguarding import meetings
from vigil.safeguarding.figures import (
    high_risk_cases_with_current_plan,
    high_risk_cases_without_plan,
)
from vigil.safeguarding.tests.helpers import add_alarm

pytestmark = pytest.mark.django_db

REASONS = "Fixated, threats to kill, turned up at her home at night."


@pytest.fixture
def people(make_staff: Callable[..., User]) -> dict[str, User]:
    return {
        "ivy": make_staff(Role.INVESTIGATOR),
        "coord": make_staff(Role.COORDINATOR),
        "handler": make_staff(Role.CALL_HANDLER),
    }


def _high(people: dict[str, User]) -> Case:
    case = make_case(by=people["handler"], officer=people["ivy"])
    submit_sdash(case, people["ivy"], level="high", reasons=REASONS, yes=[1, 2, 3])
    return case


def test_the_coordinator_sees_high_risk_cases_without_a_plan_and_meetings(
    people: dict[str, User],
) -> None:
    bare, planned = _high(people), _high(people)
    add_alarm(planned, people["ivy"])
    meeting = meetings.meeting_create(
        kind="stalking_clinic",
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        place="",
        by=people["coord"],
    )
    page = sign_in_verified(Client(), people["coord"]).get(reverse("accounts:home"))
    body = page.content.decode()
    assert bare.reference in body and planned.reference not in body
    assert reverse("safeguarding:meeting", args=[meeting.pk]) in body


def test_an_investigator_has_no_coordinator_panel(people: dict[str, User]) -> None:
    _high(people)
    body = sign_in_verified(Client(), people["ivy"]).get(reverse("accounts:home")).content
    assert b"High-risk cases without a safety plan" not in body


def test_figures_count_high_risk_cases_with_a_current_plan(people: dict[str, User]) -> None:
    with time_machine.travel("2026-11-10 10:00Z", tick=False):
        bare, planned = _high(people), _high(people)
        add_alarm(planned, people["ivy"])
    with time_machine.travel("2026-12-10 10:00Z", tick=False):
        _high(people)  # outside the period
    start, end = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    cases = Case.objects.all()
    assert high_risk_cases_with_current_plan(cases, start, end) == (1, 2)
    assert list(high_risk_cases_without_plan(cases, start, end)) == [bare]
