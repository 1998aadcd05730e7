"""Judgements against the answers need real reasons and a supervisor's review."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.cases import services as case_services
from vigil.cases.models import Case, TimelineEntry
from vigil.cases.selectors import case_page
from vigil.cases.tests.factories import make_case, suspect_of, victim_of
from vigil.risk.models import JudgementPolicy, JudgementReview, ReviewStatus, RiskTool
from vigil.risk.services import RiskError
from vigil.risk.tests.test_assessments import submit_sdash

pytestmark = pytest.mark.django_db

EIGHT_YES = {1, 2, 3, 4, 5, 6, 8, 11}
REAL_REASON = "The threats were a year ago, he has moved abroad and has not been in touch."


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def case(make_staff: Callable[..., User], officer: User) -> Case:
    return make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)


def test_the_thresholds_are_data_with_defaults_from_a_migration() -> None:
    policy = JudgementPolicy.objects.get()
    assert policy.four_yes_for_review == 4
    sdash = RiskTool.objects.get(code="sdash")
    assert (sdash.medium_from, sdash.high_from) == (4, 7)


def test_standard_risk_against_eight_yes_answers_with_reason_ok_is_refused(
    case: Case, officer: User
) -> None:
    with pytest.raises(RiskError, match="indicate High risk"):
        submit_sdash(case, officer, level="standard", reasons="ok", yes=EIGHT_YES)
    assert not case.risk_assessments.exists()


def test_the_refusal_is_shown_by_the_reasons_field_and_keeps_the_answers(
    case: Case, officer: User
) -> None:
    client = sign_in_verified(Client(), officer)
    url = reverse("risk:new", args=[case.pk, "sdash"])
    data = {f"q{n}": "yes" if n in EIGHT_YES else "no" for n in range(1, 12)}
    data |= {"level": "standard", "reasons": "ok", "q6_comment": "threatened to burn the house"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A supervisor will review this, so say why" in html
    assert "threatened to burn the house" in html


def test_standard_risk_against_eight_yes_with_real_reasons_goes_to_a_supervisor(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    submit_sdash(case, officer, level="standard", reasons=REAL_REASON, yes=EIGHT_YES)
    review = JudgementReview.objects.get(case=case)
    assert review.status == ReviewStatus.OPEN
    assert "8 of 11 yes" in review.indicated
    supervisor = sign_in_verified(Client(), make_staff(Role.SUPERVISOR))
    queue = supervisor.get(reverse("risk:judgement_queue")).content.decode()
    assert case.reference in queue


def test_a_level_the_answers_support_needs_no_review(case: Case, officer: User) -> None:
    submit_sdash(case, officer, level="high", reasons="r", yes=EIGHT_YES)
    assert not JudgementReview.objects.exists()


def test_the_queue_is_for_supervisors(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    response = sign_in_verified(Client(), officer).get(reverse("risk:judgement_queue"))
    assert response.status_code == 404


def test_a_supervisor_review_is_recorded_on_the_timeline(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    submit_sdash(case, officer, level="standard", reasons=REAL_REASON, yes=EIGHT_YES)
    review = JudgementReview.objects.get(case=case)
    supervisor = sign_in_verified(Client(), make_staff(Role.SUPERVISOR))
    url = reverse("risk:judgement_review", args=[review.pk])
    refused = supervisor.post(url, {"decision": "agreed", "note": "fine"})
    assert "in a sentence or more" in refused.content.decode()
    supervisor.post(
        url,
        {"decision": "challenged", "note": "Threats and past violence: grade this high now."},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.CHALLENGED
    assert TimelineEntry.objects.filter(case=case, title__startswith="Supervisor review").exists()


def _two_incidents(case: Case, officer: User, count: int = 2) -> None:
    for day in range(count):
        case_services.incident_add(
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=day + 1),
            summary="Outside my work again.",
            source="victim",
            victim=victim_of(case),
            suspect=suspect_of(case),
            place="",
            behaviours=[],
            by=officer,
        )


def _decide(case: Case, officer: User, *, reasons: str) -> None:
    case_services.conduct_decision_record(
        case=case,
        victim=victim_of(case),
        suspect=suspect_of(case),
        fixated=True,
        obsessive=True,
        unwanted=True,
        repeated=True,
        outcome="harassment",
        reasons=reasons,
        by=officer,
    )


def test_not_stalking_against_four_yes_answers_with_reason_x_is_refused(
    case: Case, officer: User
) -> None:
    _two_incidents(case, officer)
    with pytest.raises(case_services.CaseError, match="4 of the four FOUR questions"):
        _decide(case, officer, reasons="x")
    assert not case.conduct_decisions.exists()


def test_not_stalking_against_four_yes_answers_goes_to_a_supervisor(
    case: Case, officer: User
) -> None:
    _two_incidents(case, officer)
    _decide(case, officer, reasons=REAL_REASON)
    review = JudgementReview.objects.get(case=case)
    assert review.kind == "not_stalking_four"


def test_the_stalking_prompt_returns_after_new_incidents_following_not_stalking(
    case: Case, officer: User
) -> None:
    _two_incidents(case, officer)
    _decide(case, officer, reasons=REAL_REASON)
    assert not case_page(user=officer, case_id=case.pk).open_prompts
    _two_incidents(case, officer, count=1)
    prompts = case_page(user=officer, case_id=case.pk).open_prompts
    assert len(prompts) == 1
    assert prompts[0].earlier is not None
