"""Pages run a fixed number of queries however many rows they show."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases import services
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case, make_report, suspect_of, victim_of

pytestmark = pytest.mark.django_db


def _fill(case: Case, user: User, rows: int) -> None:
    victim, suspect = victim_of(case), suspect_of(case)
    for n in range(rows):
        services.incident_add(
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=n + 1),
            summary=f"Incident {n}",
            source="victim",
            victim=victim,
            suspect=suspect,
            by=user,
        )
        services.action_add(
            case=case,
            title=f"Action {n}",
            owner=user,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
            by=user,
        )
        services.contact_log(
            case=case,
            victim=victim,
            channel="phone",
            direction="from_victim",
            summary="Rang",
            by=user,
        )
        services.note_add(case=case, body="Note", by=user)
        services.evidence_add(case=case, description="Photo", by=user)
        services.case_person_add(case=case, role="victim", name=f"Victim {n}", by=user)


CASE_PAGES = ["detail", "timeline", "actions", "contact", "duties", "evidence", "notes"]


@pytest.mark.parametrize("page", CASE_PAGES)
@pytest.mark.parametrize("rows", [1, 12])
def test_case_pages_run_a_bounded_number_of_queries(
    staff_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
    page: str,
    rows: int,
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    _fill(case, client.user, rows)  # type: ignore[attr-defined]
    url = reverse(f"cases:{page}", args=[case.pk])
    # 26: the summary also shows the victim's safety alerts (vigil.safety, one query), the
    # suspects' linking records (two queries: the case's reports, then their records), the
    # people behind the suspects and their offender records, read once for both the warning
    # markers and the order panel (vigil.offenders, three queries), and the panel's orders
    # (one). The same whatever the number of rows: nothing is fetched per row.
    with django_assert_max_num_queries(26):  # type: ignore[operator]
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_lists_run_a_bounded_number_of_queries(
    staff_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
    rows: int,
) -> None:
    client = staff_client(Role.COORDINATOR)
    for _ in range(rows):
        case = make_case(by=client.user)  # type: ignore[attr-defined]
        _fill(case, client.user, 1)  # type: ignore[attr-defined]
        make_report()
    for name, params in [
        ("cases:list", {}),
        ("cases:list", {"q": "Alice Example", "classification": "stalking_s2a"}),
        ("cases:intake", {}),
        ("cases:overdue", {}),
    ]:
        # 16: a search by name is itself a read of personal data and writes its audit row (the
        # chain head's lock, the row, the new head), and looks up the cases of a report with
        # that reference first (one indexed query: as a subquery it made PostgreSQL scan every
        # case); the bound is the same for 1 and 12 rows.
        with django_assert_max_num_queries(16):  # type: ignore[operator]
            assert client.get(reverse(name), params).status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_the_audit_log_runs_a_bounded_number_of_queries(
    staff_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
    rows: int,
) -> None:
    client = staff_client(Role.DPO)
    coordinator = staff_client(Role.COORDINATOR)
    for _ in range(rows):
        make_case(by=coordinator.user)  # type: ignore[attr-defined]
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        assert client.get(reverse("cases:audit_log")).status_code == 200
