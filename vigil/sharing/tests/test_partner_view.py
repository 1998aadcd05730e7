"""The partner view: only cases referred to the agency, only the parts shared, every read audited.

Personas: Ivy investigates Alice's case; Pat works for the advocacy service it is referred to;
Bob works for another agency.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Agency, Role
from vigil.audit.models import AuditEvent
from vigil.cases.models import PersonRole
from vigil.cases.tests.factories import make_case
from vigil.sharing import exports, services
from vigil.sharing.models import ReferralStatus
from vigil.sharing.parts import INCIDENTS, SUMMARY
from vigil.sharing.tests.factories import refer, refer_and_accept

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_client: Callable[..., Client]) -> dict[str, Any]:
    ivy = staff_client(Role.INVESTIGATOR)
    pat = staff_client(Role.PARTNER)
    bob = staff_client(Role.PARTNER, agency=Agency.objects.create(name="Other", kind="partner"))
    case = make_case(by=ivy.user, officer=ivy.user)  # type: ignore[attr-defined]
    victim = case.people.get(role=PersonRole.VICTIM)
    victim.details = {**(victim.details or {}), "address": "12 Secret Lane"}
    victim.save()
    referral = refer_and_accept(
        case=case,
        agency=pat.user.agency,  # type: ignore[attr-defined]
        by=ivy.user,  # type: ignore[attr-defined]
        parts=[SUMMARY, INCIDENTS],
        partner=pat.user,  # type: ignore[attr-defined]
    )
    return {
        "ivy": ivy,
        "pat": pat,
        "bob": bob,
        "case": case,
        "referral": referral,
        "victim": victim,
    }


def _page(client: Client, referral: Any) -> tuple[int, str]:
    response = client.get(reverse("sharing:referral", args=[referral.pk]))
    return response.status_code, response.content.decode()


def test_the_partner_sees_the_shared_parts_and_nothing_else(world: dict[str, Any]) -> None:
    status, page = _page(world["pat"], world["referral"])
    assert status == 200
    incident = world["case"].incidents.first()
    assert incident.summary.splitlines()[0] in page
    assert world["victim"].name not in page  # the name was not chosen
    assert "12 Secret Lane" not in page  # nor the address
    assert incident.place not in page or not incident.place  # nor where it happened


def test_another_agencys_partner_gets_404_and_the_attempt_is_audited(
    world: dict[str, Any],
) -> None:
    status, _ = _page(world["bob"], world["referral"])
    assert status == 404
    denied = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert denied.summary["target_id"] == str(world["referral"].pk)
    assert denied.actor_id == world["bob"].user.pk


def test_every_partner_view_is_audited_with_the_parts_shown(world: dict[str, Any]) -> None:
    _page(world["pat"], world["referral"])
    event = AuditEvent.objects.filter(action="sharing.partner_view").latest("id")
    assert event.actor_id == world["pat"].user.pk
    assert event.target_id == str(world["case"].pk)
    assert event.summary["parts"] == sorted([SUMMARY, INCIDENTS])


def test_the_police_pages_and_the_contact_log_are_404_for_the_partner(
    world: dict[str, Any],
) -> None:
    case = world["case"]
    for name in ("cases:detail", "cases:contact", "cases:timeline", "risk:case"):
        assert world["pat"].get(reverse(name, args=[case.pk])).status_code == 404, name


def test_withdrawal_ends_access_on_the_next_request(world: dict[str, Any]) -> None:
    assert _page(world["pat"], world["referral"])[0] == 200
    services.referral_end(
        referral=world["referral"],
        status=ReferralStatus.WITHDRAWN,
        reason="She no longer agrees",
        by=world["ivy"].user,
    )
    status, page = _page(world["pat"], world["referral"])
    assert status == 200
    incident = world["case"].incidents.first()
    assert incident.summary.splitlines()[0] not in page
    assert "has ended" in page
    add = reverse("sharing:update_add", args=[world["referral"].pk])
    assert world["pat"].post(add, {"kind": "update", "body": "Hi"}).status_code == 404


def test_a_waiting_referral_shows_the_referral_not_the_case(
    world: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    other_case = make_case(by=world["ivy"].user)
    pending = refer(case=other_case, agency=world["pat"].user.agency, by=world["ivy"].user)
    status, page = _page(world["pat"], pending)
    assert status == 200
    assert "Accept the referral" in page
    assert other_case.incidents.first().summary.splitlines()[0] not in page


def test_the_partner_accepts_and_adds_an_update_the_officer_sees(world: dict[str, Any]) -> None:
    ivy = world["ivy"].user
    pending = refer(case=make_case(by=ivy, officer=ivy), agency=world["pat"].user.agency, by=ivy)
    response = world["pat"].post(reverse("sharing:accept", args=[pending.pk]))
    assert response.status_code == 302
    response = world["pat"].post(
        reverse("sharing:update_add", args=[pending.pk]),
        {"kind": "safety_measure", "body": "Alarm fitted", "risk_level": ""},
    )
    assert response.status_code == 302
    timeline = world["ivy"].get(reverse("cases:timeline", args=[pending.case_id])).content.decode()
    assert "Alarm fitted" in timeline
    assert world["pat"].user.agency.name in timeline


def test_a_bad_update_keeps_the_answer_and_says_what_is_wrong(world: dict[str, Any]) -> None:
    response = world["pat"].post(
        reverse("sharing:update_add", args=[world["referral"].pk]),
        {"kind": "risk", "body": "Our DASH", "risk_level": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the risk level your agency assessed" in page
    assert "Our DASH" in page


def _export(client: Client, referral: Any, fmt: str) -> Any:
    link = client.post(reverse("sharing:export_link", args=[referral.pk]), {"format": fmt})
    assert link.status_code == 302
    return client.get(link["Location"])


def test_the_json_export_holds_exactly_what_was_shared(world: dict[str, Any]) -> None:
    response = _export(world["pat"], world["referral"], "json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["shared"] == sorted([SUMMARY, INCIDENTS])
    assert "victims" not in document and "suspects" not in document
    assert "place" not in document["incidents"][0]
    assert "12 Secret Lane" not in response.content.decode()
    assert AuditEvent.objects.filter(action="sharing.export.download").exists()


def test_the_pdf_export_is_a_pdf(world: dict[str, Any]) -> None:
    response = _export(world["pat"], world["referral"], "pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_export_link_stops_working_when_it_expires_or_the_referral_ends(
    world: dict[str, Any], settings: Any
) -> None:
    import datetime

    import time_machine
    from django.utils import timezone

    link = world["pat"].post(
        reverse("sharing:export_link", args=[world["referral"].pk]), {"format": "json"}
    )["Location"]
    expired = timezone.now() + datetime.timedelta(hours=settings.SHARING_EXPORT_HOURS, minutes=1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(expired), pytest.raises(Http404):
        # Asked directly: a day later the caseworker's session has ended too.
        exports.export_open(token=token, user=world["pat"].user)
    assert world["bob"].get(link).status_code == 404
    services.referral_end(
        referral=world["referral"],
        status=ReferralStatus.CLOSED,
        reason="Done",
        by=world["ivy"].user,
    )
    assert world["pat"].get(link).status_code == 404


def test_the_dpo_reads_the_information_sharing_log(
    world: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    _page(world["pat"], world["referral"])
    dpo = staff_client(Role.DPO)
    page = dpo.get(reverse("sharing:log", args=[world["case"].pk])).content.decode()
    assert world["pat"].user.agency.name in page
    assert "The agency read the shared parts" in page
    assert "Accepted by the agency" in page
    assert world["ivy"].get(reverse("sharing:log", args=[world["case"].pk])).status_code == 404


def test_the_officer_refers_through_the_form_keeping_answers_on_error(
    world: dict[str, Any],
) -> None:
    url = reverse("sharing:refer", args=[world["case"].pk])
    response = world["ivy"].post(url, {"reason": "Advocacy", "basis": "consent"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the partner agency" in page
    assert "Choose at least one part of the case to share" in page
    assert "Enter who gave consent" in page
    assert "Advocacy" in page
