"""A confirmed serial-perpetrator link is visible on every linked case and its officer is told."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.cases.models import Case, TimelineEntry
from vigil.cases.selectors import case_link_records
from vigil.cases.tests.factories import make_case, make_report
from vigil.linking.models import Alert
from vigil.linking.services import link_confirm
from vigil.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _case_for(victim: str, officer: User, handler: User, suspect: dict[str, object]) -> Case:
    report = make_report(
        victim={"name": victim, "email": f"{victim.split()[0].lower()}@example.com"},
        suspects=[suspect],
    )
    return make_case(by=handler, officer=officer, report=report)


@pytest.fixture
def three(make_staff: Callable[..., User]) -> dict[str, object]:
    handler = make_staff(Role.CALL_HANDLER)
    # No team: each officer sees only their own case.
    officers = [make_staff(Role.INVESTIGATOR, team=None) for _ in range(3)]
    cases = [
        _case_for("Ann One", officers[0], handler, {"names": ["Mallory Sample"]}),
        _case_for("Bea Two", officers[1], handler, {"names": ["M Sample"]}),
        _case_for("Cat Three", officers[2], handler, {"names": ["Mal Sample"]}),
    ]
    return {
        "cases": cases,
        "officers": officers,
        "coordinator": make_staff(Role.COORDINATOR),
    }


def _link(a: Case, b: Case, by: User) -> None:
    link_confirm(record=case_link_records(case=a)[0], other=case_link_records(case=b)[0], by=by)


def test_a_confirmed_link_marks_each_case_with_the_other_references_in_scope(
    three: dict[str, object],
) -> None:
    cases: list[Case] = three["cases"]  # type: ignore[assignment]
    officers: list[User] = three["officers"]  # type: ignore[assignment]
    coordinator: User = three["coordinator"]  # type: ignore[assignment]
    _link(cases[0], cases[1], coordinator)
    page = sign_in_verified(Client(), coordinator).get(reverse("cases:detail", args=[cases[0].pk]))
    html = page.content.decode()
    assert "Linked suspect" in html
    assert cases[1].reference in html
    # The first officer cannot open the second case: told it exists, never its reference.
    officer_html = (
        sign_in_verified(Client(), officers[0])
        .get(reverse("cases:detail", args=[cases[0].pk]))
        .content.decode()
    )
    assert "Linked suspect" in officer_html
    assert cases[1].reference not in officer_html
    assert "1 more linked report or case that you cannot open" in officer_html
    assert TimelineEntry.objects.filter(case=cases[1], title__contains="linked to 2").exists()


def test_each_officer_in_charge_is_told_without_victim_detail(three: dict[str, object]) -> None:
    cases: list[Case] = three["cases"]  # type: ignore[assignment]
    officers: list[User] = three["officers"]  # type: ignore[assignment]
    _link(cases[0], cases[1], three["coordinator"])  # type: ignore[arg-type]
    sent = OutboxMessage.objects.filter(purpose="cases.linked_suspect")
    assert {m.recipient for m in sent} == {officers[0].email, officers[1].email}
    for message in sent:
        assert "Sample" not in message.body and "Ann" not in message.body


def test_one_alert_per_suspect_is_updated_as_victims_are_added(
    three: dict[str, object],
) -> None:
    cases: list[Case] = three["cases"]  # type: ignore[assignment]
    officers: list[User] = three["officers"]  # type: ignore[assignment]
    coordinator: User = three["coordinator"]  # type: ignore[assignment]
    _link(cases[0], cases[1], coordinator)
    _link(cases[1], cases[2], coordinator)
    alert = Alert.objects.get()
    assert alert.victim_count == 3
    told = [m.recipient for m in OutboxMessage.objects.filter(purpose="cases.linked_suspect")]
    # Each officer is told once per change of the alert: the third officer once, at three.
    assert told.count(officers[2].email) == 1
    assert told.count(officers[0].email) == 2
