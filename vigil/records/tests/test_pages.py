"""The DPO's retention pages: the queue, a case's decisions, the deleted list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.cases.models import Case
from vigil.records.models import ErasureTombstone, LegalHold
from vigil.records.tests.retention import CLOSED_ON, closed_case, sweep_at

pytestmark = pytest.mark.django_db

DUE = CLOSED_ON.replace(year=2033)


def test_the_queue_lists_cases_due_and_not_cases_on_hold(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    due = closed_case(make_staff)
    held = closed_case(make_staff)
    sweep_at(DUE)
    with time_machine.travel(DUE, tick=False):
        client = staff_client(Role.DPO)
        client.post(
            reverse("records:case", args=[held.pk]),
            {"form": "hold", "hold-reason": "Complaint to the IOPC"},
        )
        response = client.get(reverse("records:queue"))
        page = response.content.decode()
        assert response.status_code == 200, page[:3000]
    due_section, holds_section = page.split("On legal hold")
    assert due.reference in due_section and held.reference not in due_section
    assert held.reference in holds_section
    assert LegalHold.objects.get(case=held).reason == "Complaint to the IOPC"


def test_a_hold_without_a_reason_is_refused_by_the_field(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    case = closed_case(make_staff)
    client = staff_client(Role.DPO)
    response = client.post(reverse("records:case", args=[case.pk]), {"form": "hold"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_deleting_needs_the_reference_typed_and_then_leaves_a_tombstone(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    case = closed_case(make_staff)
    url = reverse("records:case", args=[case.pk])
    with time_machine.travel(DUE, tick=False):
        client = staff_client(Role.DPO)
        wrong = client.post(
            url, {"form": "erase", "erase-basis": "review", "erase-confirm": "CS-NOPE"}
        )
        assert "not this record&#x27;s reference" in wrong.content.decode()
        assert Case.objects.filter(pk=case.pk).exists()
        done = client.post(
            url, {"form": "erase", "erase-basis": "review", "erase-confirm": case.reference}
        )
        assert done.status_code == 302
        listing = client.get(reverse("records:erased")).content.decode()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert ErasureTombstone.objects.get().reference == case.reference
    assert case.reference in listing


def test_a_case_not_yet_due_shows_why_it_cannot_be_deleted(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    case = closed_case(make_staff)
    with time_machine.travel(CLOSED_ON + datetime.timedelta(days=3), tick=False):
        client = staff_client(Role.DPO)
        page = client.get(reverse("records:case", args=[case.pk])).content.decode()
        forced = client.post(
            reverse("records:case", args=[case.pk]),
            {"form": "erase", "erase-basis": "review", "erase-confirm": case.reference},
        )
    assert "not due for review until" in page
    assert "not due for review until" in forced.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_dpo_home_page_counts_records_due_and_on_hold(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    closed_case(make_staff)
    sweep_at(DUE)
    with time_machine.travel(DUE, tick=False):
        page = staff_client(Role.DPO).get(reverse("accounts:home")).content.decode()
        other = staff_client(Role.COORDINATOR).get(reverse("accounts:home")).content.decode()
    assert "1 record is due for review." in page
    assert "0 records are on legal hold." in page
    assert "Records management" not in other
