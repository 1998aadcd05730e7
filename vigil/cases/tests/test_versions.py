"""No silent overwrites: a save over a newer version is refused, says what changed, keeps
answers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.cases import services
from vigil.cases.models import Case
from vigil.cases.tests.factories import form_state, make_case, suspect_of, victim_of

pytestmark = pytest.mark.django_db


def _hidden(html: str, name: str) -> str:
    marker = f'name="{name}" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def two_officers(make_staff: Callable[..., User]) -> tuple[Case, Client, Client]:
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    return (
        case,
        sign_in_verified(Client(), officer),
        sign_in_verified(Client(), make_staff(Role.SUPERVISOR)),
    )


def test_a_classification_saved_over_a_newer_one_is_refused_and_says_what_changed(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, second = two_officers
    url = reverse("cases:classify", args=[case.pk])
    first_read = form_state(first, url)
    second_read = form_state(second, url)
    saved = second.post(url, {**second_read, "principal": "stalking_s2a"})
    assert saved.status_code == 302

    response = first.post(
        url, {**first_read, "principal": "harassment_s2", "included": ["assault"]}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved changes after you opened this page" in html
    assert "Principal classification is now: Stalking (s2A)" in html
    # The answers the officer gave are still on the form.
    assert re.search(r'<input[^>]*value="assault"[^>]*checked', html)
    case.refresh_from_db()
    assert case.principal_classification == "stalking_s2a"


def test_after_seeing_the_change_the_officer_can_save_again(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, second = two_officers
    url = reverse("cases:classify", args=[case.pk])
    first_read = form_state(first, url)
    second.post(url, {**form_state(second, url), "principal": "stalking_s2a"})
    refused = first.post(url, {**first_read, "principal": "stalking_s4a"}).content.decode()
    again = {"version": _hidden(refused, "version"), "read": _hidden(refused, "read")}
    assert first.post(url, {**again, "principal": "stalking_s4a"}).status_code == 302
    case.refresh_from_db()
    assert case.principal_classification == "stalking_s4a"


def test_a_course_of_conduct_decision_counts_as_a_change_to_the_classification(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, _second = two_officers
    url = reverse("cases:classify", args=[case.pk])
    read = form_state(first, url)
    officer = case.officer
    assert officer is not None
    victim, suspect = victim_of(case), suspect_of(case)
    for day in (1, 2):
        services.incident_add(
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=day),
            summary="Waited outside my work again.",
            source="victim",
            victim=victim,
            suspect=suspect,
            place="",
            behaviours=[],
            by=officer,
        )
    services.conduct_decision_record(
        case=case,
        victim=victim,
        suspect=suspect,
        fixated=True,
        obsessive=True,
        unwanted=True,
        repeated=True,
        outcome="stalking_s2a",
        reasons="He waits outside her work every day and has done so for weeks.",
        by=officer,
    )
    response = first.post(url, {**read, "principal": "harassment_s2"})
    assert "Included classifications is now: Stalking (s2A)" in response.content.decode()
    assert case.included.filter(classification="stalking_s2a").exists()


def test_an_assignment_over_a_newer_one_is_refused(
    two_officers: tuple[Case, Client, Client], make_staff: Callable[..., User]
) -> None:
    case, first, second = two_officers
    url = reverse("cases:assign", args=[case.pk])
    other = make_staff(Role.INVESTIGATOR, full_name="Olwen Other")
    second_read = form_state(second, url)
    first.post(url, {**form_state(first, url), "officer": str(other.pk)})
    response = second.post(url, {**second_read, "officer": ""})
    assert "Officer in charge is now: Olwen Other" in response.content.decode()
    case.refresh_from_db()
    assert case.officer == other


def test_a_form_without_its_version_is_not_saved(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, _second = two_officers
    url = reverse("cases:classify", args=[case.pk])
    response = first.post(url, {"principal": "stalking_s2a"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.principal_classification == "harassment_s2"


def test_closing_over_a_newer_risk_level_is_refused(
    two_officers: tuple[Case, Client, Client], make_staff: Callable[..., User]
) -> None:
    case, _first, second = two_officers
    url = reverse("cases:close", args=[case.pk])
    read = form_state(second, url)
    services.case_enhanced_rights_set(case=case, enhanced=False, by=make_staff(Role.SUPERVISOR))
    response = second.post(url, {**read, "outcome": "nfa", "reason": "No evidence now."})
    assert "Someone else saved changes after you opened this page" in response.content.decode()
    case.refresh_from_db()
    assert case.is_open


def test_enhanced_rights_from_a_page_read_before_another_change_are_not_saved(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, _second = two_officers
    case.refresh_from_db()
    read_at = case.version
    services.case_classify(
        case=case,
        principal="stalking_s2a",
        included=[],
        by=case.officer,  # type: ignore[arg-type]
    )
    response = first.post(
        reverse("cases:enhanced_rights", args=[case.pk]),
        {"enhanced": "no", "version": str(read_at)},
        follow=True,
    )
    assert "Someone else changed this case after you opened the page" in response.content.decode()
    case.refresh_from_db()
    assert case.enhanced_rights is True


def test_an_included_classification_cannot_be_the_principal_one(
    two_officers: tuple[Case, Client, Client],
) -> None:
    case, first, _second = two_officers
    url = reverse("cases:classify", args=[case.pk])
    response = first.post(
        url, {**form_state(first, url), "principal": "stalking_s2a", "included": ["stalking_s2a"]}
    )
    assert "cannot be the same as the principal one" in response.content.decode()
    case.refresh_from_db()
    assert case.principal_classification == "harassment_s2"
