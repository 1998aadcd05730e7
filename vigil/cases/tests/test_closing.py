"""Closing a case: one rule for who may, refusals shown on the form, nothing left open unseen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Agency, Role, User
from vigil.audit.models import AuditEvent
from vigil.cases import closing, services
from vigil.cases.models import Case, CaseStatus, TimelineEntry
from vigil.cases.selectors import case_link_records
from vigil.cases.tests.factories import form_state, make_case
from vigil.linking.models import Alert, AlertKind
from vigil.sharing.tests.factories import refer_and_accept

pytestmark = pytest.mark.django_db

SETTLED = "The victim has moved and the order covers her new address."


def _high_risk(case: Case) -> Case:
    case.risk_level = "high"
    case.save(update_fields=["risk_level"])
    return case


def _close_url(case: Case) -> str:
    return reverse("cases:close", args=[case.pk])


def test_an_investigator_closing_a_high_risk_case_is_told_why_not(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    case = _high_risk(make_case(by=make_staff(Role.CALL_HANDLER), officer=officer))
    client = sign_in_verified(Client(), officer)
    response = client.post(_close_url(case), {"outcome": "nfa", "reason": "No evidence at all."})
    assert response.status_code == 200
    assert "only a supervisor can close it" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_case_page_offers_close_only_to_those_the_rule_allows(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    case = _high_risk(make_case(by=make_staff(Role.CALL_HANDLER), officer=officer))
    detail = reverse("cases:detail", args=[case.pk])
    officer_page = sign_in_verified(Client(), officer).get(detail).content.decode()
    supervisor_page = (
        sign_in_verified(Client(), make_staff(Role.SUPERVISOR)).get(detail).content.decode()
    )
    assert _close_url(case) not in officer_page
    assert _close_url(case) in supervisor_page


def test_a_call_handler_cannot_close_a_case_with_an_officer_in_charge(
    make_staff: Callable[..., User],
) -> None:
    handler = make_staff(Role.CALL_HANDLER)
    case = make_case(by=handler, officer=make_staff(Role.INVESTIGATOR))
    response = sign_in_verified(Client(), handler).post(
        _close_url(case), {"outcome": "nfa", "reason": "Caller says it has stopped now."}
    )
    assert response.status_code == 200
    assert "This case has an officer in charge" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def _case_with_everything_open(make_staff: Callable[..., User]) -> tuple[Case, User]:
    officer = make_staff(Role.INVESTIGATOR)
    case = _high_risk(make_case(by=make_staff(Role.CALL_HANDLER), officer=officer))
    services.action_add(
        case=case, title="Fit a video doorbell", owner=officer, due_on=None, by=officer
    )
    partner = Agency.objects.create(name="Advocacy North", kind=Agency.Kind.PARTNER)
    refer_and_accept(case=case, agency=partner, by=officer)
    person = case_link_records(case=case)[0].person
    Alert.objects.create(
        kind=AlertKind.SERIAL_PERPETRATOR,
        person=person,
        victim_set="test",
        victim_keys=["a", "b"],
        victim_count=2,
    )
    return case, make_staff(Role.SUPERVISOR)


def test_closing_lists_open_actions_duties_alerts_and_referrals(
    make_staff: Callable[..., User],
) -> None:
    case, supervisor = _case_with_everything_open(make_staff)
    page = sign_in_verified(Client(), supervisor).get(_close_url(case)).content.decode()
    assert "Fit a video doorbell" in page
    assert "Victims&#x27; Code duty due" in page
    assert "linked to 2 victims" in page
    assert "Referral to Advocacy North (Accepted)" in page


def test_a_supervisor_cannot_close_with_items_left_open_without_reasons(
    make_staff: Callable[..., User],
) -> None:
    case, supervisor = _case_with_everything_open(make_staff)
    client = sign_in_verified(Client(), supervisor)
    response = client.post(
        _close_url(case),
        {
            **form_state(client, _close_url(case)),
            "outcome": "nfa",
            "reason": "Victim no longer supports it.",
        },
    )
    assert response.status_code == 200
    assert "say why it can stay open" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.referrals.filter(status="accepted").exists()


def test_a_carry_over_reason_must_say_something(make_staff: Callable[..., User]) -> None:
    case, supervisor = _case_with_everything_open(make_staff)
    items = closing.open_items(case=case)
    data = {"outcome": "nfa", "reason": "Victim no longer supports it."}
    data |= {item.field_name: "ok" for item in items}
    client = sign_in_verified(Client(), supervisor)
    data |= form_state(client, _close_url(case))
    response = client.post(_close_url(case), data)
    assert "in a sentence or more" in response.content.decode()
    # The answers given are kept on the form.
    assert "Victim no longer supports it." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_each_item_carried_over_with_a_reason_is_recorded_when_closing(
    make_staff: Callable[..., User],
) -> None:
    case, supervisor = _case_with_everything_open(make_staff)
    items = closing.open_items(case=case)
    assert {item.kind for item in items} == {"action", "duty", "alert", "referral"}
    data = {"outcome": "nfa", "reason": "Victim no longer supports it."}
    data |= {item.field_name: SETTLED for item in items}
    client = sign_in_verified(Client(), supervisor)
    data |= form_state(client, _close_url(case))
    response = client.post(_close_url(case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    carried = TimelineEntry.objects.filter(case=case, title__startswith="Left open")
    assert carried.count() == len(items)
    assert {entry.detail for entry in carried} == {SETTLED}
    event = AuditEvent.objects.filter(action="case.close").get()
    assert len(event.summary["carried_over"]) == len(items)
