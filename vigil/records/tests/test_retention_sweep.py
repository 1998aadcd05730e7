"""Issue 22: the retention sweep is incremental. It works out the records something happened
to (closure, reopening, an order, a risk level, the victim's activity, a hold) and those now
due, never every closed case of a force; its dates equal a full recompute's."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.models import Role, User
from vigil.cases.models import Case, CaseOutcome, RiskLevel
from vigil.cases.services import case_reopen
from vigil.records import sweep
from vigil.records.models import RetentionDirty, RetentionReview
from vigil.records.services import record_hold_set, retention_mark
from vigil.records.tests.retention import CLOSED_ON, closed_case, sweep_at
from vigil.reporting.services import report_message_from_reporter

pytestmark = pytest.mark.django_db

SOON = CLOSED_ON + datetime.timedelta(days=1)


def _case_rows_read(moment: datetime.datetime) -> tuple[dict[str, Any], int]:
    """(the sweep's answer, how many of its queries read the case table)."""
    with CaptureQueriesContext(connection) as queries:
        result = sweep_at(moment)
    return result, sum('FROM "cases_case"' in query["sql"] for query in queries)


def _reviews() -> list[tuple[Any, ...]]:
    return sorted(
        RetentionReview.objects.values_list(
            "case_id", "report_id", "phone_report_id", "rule", "counted_from", "review_due_at"
        ),
        key=str,
    )


def test_a_sweep_after_no_change_reads_no_case(
    make_staff: Callable[..., User], media: Path
) -> None:
    for _ in range(3):
        closed_case(make_staff)
    first = sweep_at(SOON)
    assert first["refreshed"] == 6  # three cases and the report each came from
    result, case_reads = _case_rows_read(SOON + datetime.timedelta(days=1))
    assert result["refreshed"] == 0
    assert case_reads == 0
    assert RetentionReview.objects.count() == 3


def test_the_sweeps_work_follows_the_change_not_the_number_of_closed_cases(
    make_staff: Callable[..., User], media: Path
) -> None:
    changed = closed_case(make_staff)
    sweep_at(SOON)

    def sweep_after_one_message() -> tuple[dict[str, Any], int]:
        with time_machine.travel(SOON + datetime.timedelta(days=1), tick=False):
            report_message_from_reporter(
                report=changed.triages.get().report, body="He was outside again."
            )
        return _case_rows_read(SOON + datetime.timedelta(days=2))

    few = sweep_after_one_message()
    for _ in range(4):
        closed_case(make_staff)
    sweep_at(SOON)
    many = sweep_after_one_message()
    # The message's report and its case are worked out; the four other closed cases are not.
    assert few[0]["refreshed"] == many[0]["refreshed"] == 1
    assert few[1] == many[1]
    assert RetentionReview.objects.get(case=changed).counted_from == SOON + datetime.timedelta(
        days=1
    )


def test_an_incremental_sweep_gives_the_dates_of_a_full_recompute(
    make_staff: Callable[..., User], media: Path
) -> None:
    officer = make_staff(Role.SUPERVISOR)
    plain = closed_case(make_staff)
    raised = closed_case(make_staff)
    ordered = closed_case(make_staff)
    reopened = closed_case(make_staff)
    messaged = closed_case(make_staff)
    sweep_at(SOON)
    later = SOON + datetime.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        raised.risk_level = RiskLevel.HIGH
        raised.save(update_fields=["risk_level", "updated_at"])
        ordered.outcome = CaseOutcome.SPO
        ordered.save(update_fields=["outcome", "updated_at"])
        case_reopen(case=reopened, reason="New incident reported", by=officer)
        report_message_from_reporter(report=messaged.triages.get().report, body="Still here.")
    sweep_at(later + datetime.timedelta(days=1))
    incremental = _reviews()
    assert {row[0] for row in incremental if row[0]} == {
        plain.pk,
        raised.pk,
        ordered.pk,
        messaged.pk,
    }
    RetentionReview.objects.all().delete()
    full = sweep_at(later + datetime.timedelta(days=1), full=True)
    assert _reviews() == incremental
    assert full["refreshed"] >= 4
    rules = dict(RetentionReview.objects.values_list("case_id", "rule"))
    assert (rules[plain.pk], rules[raised.pk], rules[ordered.pk]) == (
        "standard",
        "high_risk",
        "order",
    )
    assert not Case.objects.get(pk=reopened.pk).closed_at


def test_a_hold_marks_the_case_for_the_sweep(make_staff: Callable[..., User], media: Path) -> None:
    case = closed_case(make_staff)
    sweep_at(SOON)
    assert not RetentionDirty.objects.exists()
    with time_machine.travel(SOON, tick=False):
        record_hold_set(record=case, reason="Civil claim", by=make_staff(Role.DPO))
    assert list(RetentionDirty.objects.values_list("kind", "record_id")) == [("case", case.pk)]


def test_a_change_made_while_the_sweep_works_is_kept_for_the_next_sweep(
    make_staff: Callable[..., User], media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = closed_case(make_staff)
    real_refresh = sweep._refresh

    def refresh_and_meanwhile_a_change(kind: str, pk: Any) -> None:
        real_refresh(kind, pk)
        if kind == "case":
            with time_machine.travel(SOON + datetime.timedelta(seconds=5), tick=False):
                retention_mark(Case.objects.get(pk=pk))

    monkeypatch.setattr(sweep, "_refresh", refresh_and_meanwhile_a_change)
    sweep_at(SOON)
    assert list(RetentionDirty.objects.values_list("record_id", flat=True)) == [case.pk]
