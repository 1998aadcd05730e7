from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.accounts.tests.factories import TeamFactory
from vigil.cases import services
from vigil.cases.selectors import case_link_records
from vigil.cases.tests.factories import make_case
from vigil.linking.services import link_confirm
from vigil.reporting.references import new_reference

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


def test_a_case_is_found_by_the_online_report_reference_as_a_victim_quotes_it(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    reference = new_reference()  # e.g. "KRX4-TMPA-7", read out on 101 as "krx4 tmpa 7"
    case = make_case(by=client.user, reference=reference)  # type: ignore[attr-defined]
    spoken = reference.replace("-", " ").lower()
    assert case.reference in _search(client, q=spoken)


def test_a_case_is_found_by_the_suspects_vehicle_however_it_is_written(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    suspect = {"names": ["Mallory Sample"], "vehicles": ["AB12 CDE"]}
    case = make_case(by=client.user, suspects=[suspect])  # type: ignore[attr-defined]
    other = make_case(by=client.user)  # type: ignore[attr-defined]
    page = _search(client, q="ab12cde")
    assert case.reference in page
    assert other.reference not in page


def test_a_case_is_found_by_a_postcode_in_an_address(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    suspect = {"names": ["Mallory Sample"], "addresses": ["14 Elm Street, Leeds LS6 2AB"]}
    case = make_case(by=client.user, suspects=[suspect])  # type: ignore[attr-defined]
    other = make_case(by=client.user)  # type: ignore[attr-defined]
    page = _search(client, q="ls62ab")
    assert case.reference in page
    assert other.reference not in page


def test_a_search_for_a_suspect_finds_the_cases_a_confirmed_link_joins(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    first = make_case(  # type: ignore[attr-defined]
        by=client.user, suspects=[{"names": ["Mallory Sample"], "phones": ["07700 900999"]}]
    )
    second = make_case(  # type: ignore[attr-defined]
        by=client.user, suspects=[{"names": ["Zed Quinton"], "phones": ["07700 900111"]}]
    )
    assert second.reference not in _search(client, q="07700 900999")
    link_confirm(
        record=case_link_records(case=first)[0],
        other=case_link_records(case=second)[0],
        by=client.user,  # type: ignore[attr-defined]
    )
    page = _search(client, q="07700 900999")
    assert first.reference in page
    assert second.reference in page


def test_the_filter_for_any_stalking_finds_s2a_and_s4a_principal_or_included(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    s2a = make_case(by=client.user, classification="stalking_s2a")  # type: ignore[attr-defined]
    s4a_included = make_case(by=client.user)  # type: ignore[attr-defined]
    services.case_classify(
        case=s4a_included,
        principal="criminal_damage",
        included=["stalking_s4a"],
        by=client.user,  # type: ignore[attr-defined]
    )
    plain = make_case(by=client.user)  # type: ignore[attr-defined]
    page = _search(client, classification="any_stalking")
    assert s2a.reference in page
    assert s4a_included.reference in page
    assert plain.reference not in page


def test_a_case_reference_read_out_any_way_is_found(staff_client: Callable[..., Client]) -> None:
    """One reference generator: a case's reference has the report's check character and is
    found however it was typed from a phone call."""
    from vigil.common.references import reference_is_well_formed

    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    other = make_case(by=client.user)  # type: ignore[attr-defined]
    assert case.reference.startswith("CS-")
    assert reference_is_well_formed(case.reference, "CS-")
    typed = case.reference.lower().replace("-", " ")
    page = _search(client, q=typed)
    assert case.reference in page
    assert other.reference not in page
