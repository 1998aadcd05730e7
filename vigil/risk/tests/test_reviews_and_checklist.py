"""Issue 15, point 11: higher risk is reviewed sooner (by level, as data), and completing an
S-DASH ticks the checklist item that asked for it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases import services as case_services
from vigil.cases.models import ActionStatus, Case, ChecklistTemplate
from vigil.cases.tests.factories import make_case
from vigil.risk.tests.test_assessments import sdash, submit_sdash

pytestmark = pytest.mark.django_db

REASONS = "Threats to kill, past violence, very frightened; escalating in the last week."


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def case(make_staff: Callable[..., User], officer: User) -> Case:
    return make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)


@time_machine.travel("2026-11-02 10:00Z")
@pytest.mark.parametrize(("level", "days"), [("high", 7), ("medium", 14), ("standard", 28)])
def test_a_review_falls_due_sooner_the_higher_the_risk(
    case: Case, officer: User, level: str, days: int
) -> None:
    yes = {"high": range(1, 10), "medium": range(1, 6), "standard": ()}[level]
    assessment = submit_sdash(case, officer, level=level, reasons=REASONS, yes=yes)
    assert assessment.review_due == timezone.localdate() + datetime.timedelta(days=days)


@time_machine.travel("2026-11-02 10:00Z")
def test_a_force_sets_the_high_risk_review_interval(case: Case, officer: User) -> None:
    tool = sdash()
    tool.review_after_days_high = 3
    tool.save()
    assessment = submit_sdash(case, officer, level="high", reasons=REASONS, yes=range(1, 10))
    assert assessment.review_due == timezone.localdate() + datetime.timedelta(days=3)


def test_completing_an_sdash_ticks_its_checklist_item(case: Case, officer: User) -> None:
    template = ChecklistTemplate.objects.get(code="stalking")
    case_services.checklist_apply(case=case, template=template, by=officer)
    item = case.actions.get(title__startswith="Complete stalking risk screening (S-DASH)")
    others = case.actions.exclude(pk=item.pk)
    assert item.status == ActionStatus.OPEN
    submit_sdash(case, officer, level="standard", reasons=REASONS)
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert item.completed_at is not None
    assert all(a.status == ActionStatus.OPEN for a in others)
