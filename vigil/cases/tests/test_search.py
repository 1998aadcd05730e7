from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.accounts.tests.factories import TeamFactory
from vigil.cases import services
from vigil.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _search(client: Client, **params: str) -> str:
    return client.get(reverse("cases:list"), params).content.decode()


def test_stalking_is_found_as_an_included_classification(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    user = client.user  # type: ignore[attr-defined]
    damage = make_case(by=user, classification="criminal_damage")
    services.case_classify(
        case=damage, principal="criminal_damage", included=["stalking_s2a"], by=user
    )
    plain = make_case(by=user, classification="criminal_damage")
    page = _search(client, classification="stalking_s2a")
    assert damage.reference in page
    assert plain.reference not in page


def test_a_name_spelled_differently_is_found(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, victim={"name": "Katherine O'Donnell"})  # type: ignore[attr-defined]
    other = make_case(by=client.user, victim={"name": "Brian Smith"})  # type: ignore[attr-defined]
    page = _search(client, q="Katharine ODonnell")
    assert case.reference in page
    assert other.reference not in page


def test_a_phone_number_is_found_exactly_in_any_format(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    other = make_case(by=client.user, victim={"name": "B", "phone": "07700 900001"})  # type: ignore[attr-defined]
    page = _search(client, q="+44 7700 900123")
    assert case.reference in page
    assert other.reference not in page


def test_an_email_address_is_found_exactly(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    assert case.reference in _search(client, q="ALICE@example.com")
    assert case.reference not in _search(client, q="alice@example.org")


def test_a_case_is_found_by_its_reference_or_the_online_report_reference(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    assert case.reference in _search(client, q=case.reference.lower())
    report_ref = case.triages.get().report.reference
    assert case.reference in _search(client, q=report_ref)


def test_search_shows_only_cases_the_investigator_may_see(
    staff_client: Callable[..., Client], make_staff: Callable[..., object]
) -> None:
    ivy = staff_client(Role.INVESTIGATOR, team=TeamFactory(name="PPU"))
    bob = make_staff(Role.INVESTIGATOR, team=TeamFactory(name="PPU"))
    charlie = make_staff(Role.INVESTIGATOR, team=TeamFactory(name="Elsewhere"))
    coordinator = make_staff(Role.COORDINATOR)
    mine = make_case(by=coordinator, officer=ivy.user)  # type: ignore[arg-type, attr-defined]
    teams = make_case(by=coordinator, officer=bob)  # type: ignore[arg-type]
    theirs = make_case(by=coordinator, officer=charlie)  # type: ignore[arg-type]
    page = _search(ivy, q="Alice Example")
    assert mine.reference in page
    assert teams.reference in page
    assert theirs.reference not in page


def test_search_filters_by_officer_status_and_risk(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    case.risk_level = "high"
    case.save()
    other = make_case(by=client.user)  # type: ignore[attr-defined]
    page = _search(client, risk="high", status="open")
    assert case.reference in page
    assert other.reference not in page
