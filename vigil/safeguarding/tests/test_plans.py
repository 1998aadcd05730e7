"""Safety plans: measures with owners, review when something new happens, nothing left open
when a case closes, and the risk prompt answered by the real plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases import closing, services
from vigil.cases.errors import CaseError
from vigil.cases.models import TimelineEntry
from vigil.cases.tests.factories import make_case, suspect_of, victim_of
from vigil.risk.selectors import case_risk_prompts
from vigil.risk.tests.test_assessments import submit_sdash
from vigil.safeguarding import public
from vigil.safeguarding.models import MeasureKind, MeasureStatus, SafetyMeasure
from vigil.safeguarding.plans import (
    SafeguardingError,
    has_current_plan,
    safety_measure_add,
    safety_plan_review,
)
from vigil.safeguarding.tests.helpers import add_alarm, partner_agency

pytestmark = pytest.mark.django_db

REASONS = "Repeated visits to her home, fixated, threats to her new partner."


@pytest.fixture
def ivy(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def case(make_staff: Callable[..., User], ivy: User):  # type: ignore[no-untyped-def]
    return make_case(by=make_staff(Role.CALL_HANDLER), officer=ivy)


def test_the_measure_list_is_seeded_as_data() -> None:
    codes = set(MeasureKind.objects.values_list("code", flat=True))
    assert {
        "priority_response",
        "alarm",
        "home_security",
        "tech_safety_check",
        "change_of_routine",
        "school_or_workplace",
        "right_to_know",
        "order_advice",
    } <= codes


def test_a_measure_needs_one_owner(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SafeguardingError) as none:
        safety_measure_add(case=case, by=ivy, measure_code="alarm", status="planned")
    assert "owner" in none.value.message_dict
    with pytest.raises(SafeguardingError) as both:
        safety_measure_add(
            case=case,
            by=ivy,
            measure_code="alarm",
            status="planned",
            owner_user=ivy,
            owner_agency=partner_agency(),
        )
    assert "owner" in both.value.message_dict
    assert not SafetyMeasure.objects.exists()


def test_adding_a_measure_makes_the_plan_and_shows_on_the_timeline(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    measure = safety_measure_add(
        case=case,
        by=ivy,
        measure_code="school_or_workplace",
        owner_agency=partner_agency(),
        status="planned",
    )
    assert measure.title == "School or workplace told"
    assert case.safety_plan.review_due_on is not None
    line = TimelineEntry.objects.filter(case=case, kind="safeguarding").latest("created_at")
    assert "School or workplace told" in line.title and "Safe Steps Advocacy" in line.title
    assert AuditEvent.objects.filter(action="safeguarding.measure.add").exists()
    assert has_current_plan(case)


def test_a_partner_agency_measure_is_marked_with_the_agency(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    agency = partner_agency()
    public.safety_measure_add(
        case=case,
        title="Weekly check-in call",
        owner_agency=agency,
        status="in_place",
        by=ivy,
        source_agency=agency,
    )
    line = TimelineEntry.objects.filter(case=case, kind="safeguarding").latest("created_at")
    assert line.title.startswith("Safety plan: Safe Steps Advocacy added Weekly check-in call")


def test_a_new_incident_makes_the_plan_due_for_review(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    add_alarm(case, ivy)
    services.incident_add(
        case=case,
        occurred_at=case.opened_at,
        summary="Waited outside her work",
        source="victim",
        victim=victim_of(case),
        suspect=suspect_of(case),
        by=ivy,
    )
    case.safety_plan.refresh_from_db()
    assert case.safety_plan.review_wanted_at is not None
    assert case.safety_plan.review_wanted_because == "a new incident"
    assert TimelineEntry.objects.filter(
        case=case, title="Safety plan due for review: a new incident"
    ).exists()


def test_a_new_risk_assessment_makes_the_plan_due_for_review(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    add_alarm(case, ivy)
    submit_sdash(case, ivy, level="medium", reasons=REASONS, yes=[1, 2])
    case.safety_plan.refresh_from_db()
    assert case.safety_plan.review_wanted_because == "the risk was assessed again"


def test_a_review_clears_the_request_and_sets_the_next_date(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    add_alarm(case, ivy)
    submit_sdash(case, ivy, level="medium", reasons=REASONS, yes=[1, 2])
    plan = safety_plan_review(plan=case.safety_plan, by=ivy, note="Alarm kept; work told.")
    assert plan.review_wanted_at is None and plan.reviewed_by == ivy
    with pytest.raises(SafeguardingError):
        safety_plan_review(plan=plan, by=ivy, note="  ")


def test_the_high_risk_prompt_goes_once_there_is_a_current_plan(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    submit_sdash(case, ivy, level="high", reasons=REASONS, yes=[1, 2, 3])
    codes = {p.code: p for p in case_risk_prompts(case=case)}
    assert "safety_plan" in codes
    assert codes["safety_plan"].action_url == reverse("safeguarding:plan", args=[case.pk])
    add_alarm(case, ivy)
    assert "safety_plan" not in {p.code for p in case_risk_prompts(case=case)}


def test_a_plan_with_every_measure_ended_is_not_current(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    measure = add_alarm(case, ivy)
    SafetyMeasure.objects.filter(pk=measure.pk).update(status=MeasureStatus.ENDED)
    assert not has_current_plan(case)


def test_closing_is_refused_with_an_open_measure_without_a_reason(
    case,
    ivy: User,
    make_staff: Callable[..., User],  # type: ignore[no-untyped-def]
) -> None:
    measure = add_alarm(case, ivy)
    items = closing.open_items(case=case)
    item = next(i for i in items if i.kind == "measure")
    assert item.key == f"measure:{measure.pk}"
    carry = {i.key: "Carried over for the test: the work goes on." for i in items if i != item}
    with pytest.raises(CaseError) as refused:
        closing.case_close(
            case=case, outcome="nfa", reason="No evidence.", carry_over=carry, by=ivy
        )
    assert item.field_name in refused.value.message_dict
    case.refresh_from_db()
    assert case.is_open
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PLACE


def test_closing_carries_an_open_measure_over_with_its_reason(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    measure = add_alarm(case, ivy)
    carry = {
        i.key: "The alarm stays while the order is in force." for i in closing.open_items(case=case)
    }
    closing.case_close(case=case, outcome="nfa", reason="No evidence.", carry_over=carry, by=ivy)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CARRIED_OVER
    assert measure.carried_over_reason == "The alarm stays while the order is in force."
    assert TimelineEntry.objects.filter(
        case=case, title__startswith="Left open when the case closed: Safety measure"
    ).exists()


def test_the_close_page_lists_an_open_measure_to_settle_or_carry_over(case, ivy: User) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from conftest import sign_in_verified

    add_alarm(case, ivy)
    page = sign_in_verified(Client(), ivy).get(reverse("cases:close", args=[case.pk]))
    body = page.content.decode()
    assert "Safety measure in place: Alarm" in body
    assert reverse("safeguarding:plan", args=[case.pk]) in body
