"""Scope is a queryset: a case, its report and its linking records are in scope together.

Personas: Ivy is in charge of Alice's case (made by Carl, the call handler, shared with Pat's
agency); Oscar is an investigator in another team; Quinn is a partner of another agency.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory, TeamFactory
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_term_digest
from vigil.cases import services
from vigil.cases.models import Case, CasePerson, PhoneReport
from vigil.cases.querysets import ACTIONS, case_in_scope
from vigil.cases.tests.factories import make_case, make_report
from vigil.linking.models import PersonRecord
from vigil.reporting.models import MessageDirection, Report, ReportMessage
from vigil.sharing.tests.factories import refer_and_accept

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_staff: Callable[..., User]) -> dict[str, Any]:
    ppu = TeamFactory(name="Public Protection Unit")
    other_team = TeamFactory(name="Other Team")
    people: dict[str, Any] = {
        "carl": make_staff(Role.CALL_HANDLER),
        "ivy": make_staff(Role.INVESTIGATOR, team=ppu),
        "oscar": make_staff(Role.INVESTIGATOR, team=other_team),
        "olga": make_staff(Role.OFFENDER_MANAGER, team=other_team),
        "cora": make_staff(Role.COORDINATOR),
        "sue": make_staff(Role.SUPERVISOR),
        "pat": make_staff(Role.PARTNER),
        "quinn": make_staff(
            Role.PARTNER, agency=AgencyFactory(name="Other Advocacy", kind="partner")
        ),
        "dora": make_staff(Role.DPO),
        "adam": make_staff(Role.ADMINISTRATOR),
    }
    case = make_case(by=people["carl"], officer=people["ivy"])
    refer_and_accept(
        case=case, agency=people["pat"].agency, by=people["ivy"], partner=people["pat"]
    )
    other_case = make_case(by=make_staff(Role.CALL_HANDLER))
    people["case"] = case
    people["report"] = case.triages.get().report
    people["other_case"] = other_case
    people["untriaged"] = make_report()
    return people


def _client(user: User) -> Client:
    return sign_in_verified(Client(), user)


def test_an_investigator_out_of_scope_gets_404_on_the_case_and_on_its_online_report(
    world: dict[str, Any],
) -> None:
    oscar = _client(world["oscar"])
    report = world["report"]
    assert oscar.get(reverse("cases:detail", args=[world["case"].pk])).status_code == 404
    assert oscar.get(reverse("reporting_staff:detail", args=[report.pk])).status_code == 404


def test_the_investigator_in_charge_sees_the_online_report_of_their_case(
    world: dict[str, Any],
) -> None:
    ivy = _client(world["ivy"])
    response = ivy.get(reverse("reporting_staff:detail", args=[world["report"].pk]))
    assert response.status_code == 200


def test_an_investigator_out_of_scope_cannot_message_the_reporter_or_read_their_messages(
    world: dict[str, Any],
) -> None:
    report = world["report"]
    ReportMessage.objects.create(
        report=report, direction=MessageDirection.FROM_REPORTER, body="He was outside again."
    )
    oscar = _client(world["oscar"])
    url = reverse("reporting_staff:detail", args=[report.pk])
    assert oscar.post(url, {"body": "Hello"}).status_code == 404
    assert report.messages.filter(direction=MessageDirection.TO_REPORTER).count() == 0
    assert report.messages.get().read_at is None


def test_the_reports_list_shows_only_reports_in_scope(world: dict[str, Any]) -> None:
    ivy = _client(world["ivy"])
    page = ivy.get(reverse("reporting_staff:list")).content.decode()
    assert world["report"].reference in page
    assert world["other_case"].triages.get().report.reference not in page
    assert world["untriaged"].reference not in page


def test_untriaged_reports_are_for_intake_roles_only(world: dict[str, Any]) -> None:
    untriaged = world["untriaged"]
    for name in ("carl", "cora", "sue"):
        assert Report.objects.visible_to(world[name]).filter(pk=untriaged.pk).exists(), name
    for name in ("ivy", "oscar", "olga", "pat", "quinn", "dora", "adam"):
        assert not Report.objects.visible_to(world[name]).filter(pk=untriaged.pk).exists(), name


def test_a_partner_never_sees_the_report_as_the_victim_wrote_it(world: dict[str, Any]) -> None:
    pat = _client(world["pat"])
    referral = world["case"].referrals.get()
    assert pat.get(reverse("sharing:referral", args=[referral.pk])).status_code == 200
    assert pat.get(reverse("reporting_staff:detail", args=[world["report"].pk])).status_code == 404


def _suspect_record(case: Case) -> PersonRecord:
    report_id = case.triages.get().report_id
    return PersonRecord.objects.filter(owner=f"reporting.report:{report_id}").first()  # type: ignore[return-value]


def test_linking_record_pages_show_a_suspect_only_through_the_case(
    world: dict[str, Any],
) -> None:
    record = _suspect_record(world["case"])
    url = reverse("linking:record", args=[record.pk])
    assert _client(world["ivy"]).get(url).status_code == 200
    assert _client(world["cora"]).get(url).status_code == 200
    assert _client(world["oscar"]).get(url).status_code == 404
    assert _client(world["olga"]).get(url).status_code == 404


def test_a_partner_never_sees_linking_records_even_of_a_referred_case(
    world: dict[str, Any],
) -> None:
    """A suspect reaches a partner only when the referral shares one (vigil.sharing.parts)."""
    staff_record = services.case_person_add(
        case=world["case"], role="suspect", name="Sam Second", by=world["ivy"]
    )
    record = PersonRecord.objects.get(source=f"cases.person:{staff_record.pk}")
    assert not PersonRecord.objects.visible_to(world["pat"]).filter(pk=record.pk).exists()
    assert PersonRecord.objects.visible_to(world["ivy"]).filter(pk=record.pk).exists()
    assert not PersonRecord.objects.visible_to(world["quinn"]).filter(pk=record.pk).exists()
    assert not PersonRecord.objects.visible_to(world["oscar"]).filter(pk=record.pk).exists()


def test_a_page_out_of_scope_is_audited_as_denied(world: dict[str, Any]) -> None:
    case = world["case"]
    _client(world["oscar"]).get(reverse("cases:detail", args=[case.pk]))
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor_id == world["oscar"].pk
    assert denied.summary["target_id"] == str(case.pk)


def test_the_rules_predicates_agree_with_the_querysets(world: dict[str, Any]) -> None:
    """The in-memory rule (for has_perm) and the SQL scope (for lists) are one definition."""
    cases = [world["case"], world["other_case"]]
    users = [v for v in world.values() if isinstance(v, User)]
    for user, case, action in itertools.product(users, cases, ACTIONS):
        in_sql = Case.objects.visible_to(user, action).filter(pk=case.pk).exists()
        assert case_in_scope(user, case, action) == in_sql, (user.role, action)
        permission = "cases.view_case" if action == "view" else "cases.change_case"
        assert user.has_perm(permission, case) == in_sql, (user.role, action)


def test_children_of_a_case_share_its_scope(world: dict[str, Any]) -> None:
    case = world["case"]
    for user in (v for v in world.values() if isinstance(v, User)):
        expected = Case.objects.visible_to(user).filter(pk=case.pk).exists()
        assert CasePerson.objects.visible_to(user).filter(case=case).exists() == expected


def test_phone_reports_follow_the_same_scope_as_online_reports(
    world: dict[str, Any],
) -> None:
    phone = PhoneReport.objects.create(
        reference="PH-TEST1", taken_by=world["carl"], summary="Calls every night."
    )
    assert PhoneReport.objects.visible_to(world["carl"]).filter(pk=phone.pk).exists()
    assert not PhoneReport.objects.visible_to(world["ivy"]).filter(pk=phone.pk).exists()
    assert not PhoneReport.objects.visible_to(world["pat"]).filter(pk=phone.pk).exists()


def test_opening_a_report_on_its_triage_page_is_audited(world: dict[str, Any]) -> None:
    untriaged = world["untriaged"]
    response = _client(world["carl"]).get(reverse("cases:triage_online", args=[untriaged.pk]))
    assert response.status_code == 200
    read = AuditEvent.objects.get(action="report.view", target_id=str(untriaged.pk))
    assert read.actor_id == world["carl"].pk


def test_opening_a_phone_report_on_its_triage_page_is_audited(world: dict[str, Any]) -> None:
    phone = PhoneReport.objects.create(
        reference="PH-TEST2", taken_by=world["carl"], summary="Calls every night."
    )
    response = _client(world["cora"]).get(reverse("cases:triage_phone", args=[phone.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="phone_report.view", target_id=str(phone.pk)).exists()


def test_a_search_is_audited_with_its_terms_hashed(world: dict[str, Any]) -> None:
    response = _client(world["cora"]).get(reverse("cases:list"), {"q": "Mallory Sample"})
    assert response.status_code == 200
    search = AuditEvent.objects.get(action="case.search")
    assert "Mallory" not in str(search.summary)
    assert search.summary["terms"] == audit_term_digest("  mallory   SAMPLE ")
