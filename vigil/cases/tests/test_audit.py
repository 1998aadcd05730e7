from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["detail", "timeline", "actions", "contact", "duties", "evidence"])
def test_every_read_of_a_case_page_writes_an_audit_row(
    staff_client: Callable[..., Client], page: str
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    before = AuditEvent.objects.filter(action="case.view").count()
    client.get(reverse(f"cases:{page}", args=[case.pk]))
    client.get(reverse(f"cases:{page}", args=[case.pk]))
    rows = AuditEvent.objects.filter(action="case.view", target_id=str(case.pk))
    assert rows.count() == before + 2
    assert rows.last().actor == client.user  # type: ignore[attr-defined, union-attr]


def test_a_refused_case_read_writes_no_view_row(staff_client: Callable[..., Client]) -> None:
    coordinator = staff_client(Role.COORDINATOR)
    stranger = staff_client(Role.INVESTIGATOR)
    case = make_case(by=coordinator.user)  # type: ignore[attr-defined]
    assert stranger.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="case.view").exists()


def test_the_dpo_can_filter_the_audit_log_by_action_and_person(
    staff_client: Callable[..., Client],
) -> None:
    coordinator = staff_client(Role.COORDINATOR, full_name="Cora Lane")
    dpo = staff_client(Role.DPO)
    case = make_case(by=coordinator.user)  # type: ignore[attr-defined]
    coordinator.get(reverse("cases:detail", args=[case.pk]))
    page = dpo.get(reverse("cases:audit_log"), {"action": "case.view", "actor": "cora"})
    text = page.content.decode()
    assert "case.view" in text
    assert str(case.pk) in text
    assert "intake.triage" not in text
