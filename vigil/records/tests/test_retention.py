"""Issue 22, retention: review dates, legal hold, victim activity, erasure with a tombstone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, CasePerson, Evidence, RiskLevel
from vigil.cases.tests.factories import make_case
from vigil.contact.models import SafeContact
from vigil.records.models import ErasureBasis, ErasureTombstone, RetentionReview
from vigil.records.services import (
    RetentionError,
    record_erase,
    record_hold_lift,
    record_hold_set,
    record_keep,
)
from vigil.records.tests.retention import (
    CLOSED_ON,
    VICTIM_ACTIVITIES,
    closed_case,
    sweep_at,
    victim_acts,
)
from vigil.reporting.models import Report, ReportEvidence, ReportMessage
from vigil.reporting.services import report_message_from_reporter
from vigil.reporting.tests.journey import png_bytes
from vigil.safety.models import DiaryEntry
from vigil.safety.services import diary_entry_add

pytestmark = pytest.mark.django_db


def test_a_closed_case_is_due_for_review_six_years_after_closing(
    make_staff: Callable[..., User], media: Path
) -> None:
    case = closed_case(make_staff)
    sweep_at(CLOSED_ON + datetime.timedelta(days=1))
    review = RetentionReview.objects.get(case=case)
    assert review.rule == "standard"
    assert review.review_due_at == CLOSED_ON.replace(year=2032)


def test_a_high_risk_case_is_kept_longer(make_staff: Callable[..., User], media: Path) -> None:
    case = closed_case(make_staff, risk_level=RiskLevel.HIGH)
    sweep_at(CLOSED_ON + datetime.timedelta(days=1))
    assert RetentionReview.objects.get(case=case).review_due_at == CLOSED_ON.replace(year=2036)


def test_the_sweep_is_idempotent(make_staff: Callable[..., User], media: Path) -> None:
    case = closed_case(make_staff)
    first = sweep_at(CLOSED_ON.replace(year=2033))
    review = RetentionReview.objects.get(case=case)
    second = sweep_at(CLOSED_ON.replace(year=2033))
    # The first run works out the closed case and the report it came from; the second only
    # looks again at the one now due, and changes nothing.
    assert first == {"refreshed": 2, "due": 1, "drafts_purged": 0, "links_purged": 0}
    assert second == {"refreshed": 1, "due": 1, "drafts_purged": 0, "links_purged": 0}
    assert RetentionReview.objects.get(case=case).review_due_at == review.review_due_at
    assert RetentionReview.objects.count() == 1


@pytest.mark.parametrize("activity", VICTIM_ACTIVITIES)
def test_the_victims_own_activity_moves_the_review_date(
    make_staff: Callable[..., User], media: Path, activity: str
) -> None:
    case = closed_case(make_staff)
    report = case.triages.get().report
    later = CLOSED_ON.replace(year=2031)
    victim_acts(report, activity, at=later)
    sweep_at(later + datetime.timedelta(days=1))
    assert RetentionReview.objects.get(case=case).review_due_at == later.replace(year=2037)
    # And nothing can be erased on the old date.
    dpo = make_staff(Role.DPO)
    with (
        time_machine.travel(CLOSED_ON.replace(year=2033), tick=False),
        pytest.raises(RetentionError, match="not due for review"),
    ):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)


def test_a_case_on_legal_hold_cannot_be_erased_until_the_hold_is_lifted(
    make_staff: Callable[..., User], media: Path, dpo: User
) -> None:
    case = closed_case(make_staff)
    due = CLOSED_ON.replace(year=2033)
    with time_machine.travel(due, tick=False):
        record_hold_set(record=case, reason="Civil claim against the force", by=dpo)
        with pytest.raises(RetentionError, match="legal hold"):
            record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
        assert Case.objects.filter(pk=case.pk).exists()
        record_hold_lift(record=case, reason="Claim settled", by=dpo)
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
    actions = list(
        AuditEvent.objects.filter(action__startswith="records.").values_list("action", flat=True)
    )
    assert actions == ["records.hold.set", "records.hold.lift", "records.erase"]


def test_a_hold_needs_a_reason(make_staff: Callable[..., User], media: Path, dpo: User) -> None:
    case = closed_case(make_staff)
    with pytest.raises(RetentionError, match="Say why"):
        record_hold_set(record=case, reason="  ", by=dpo)


def test_a_kept_case_is_not_due_until_its_new_review(
    make_staff: Callable[..., User], media: Path, dpo: User
) -> None:
    case = closed_case(make_staff)
    with time_machine.travel(CLOSED_ON.replace(year=2033), tick=False):
        record_keep(record=case, years=2, reason="Suspect re-offending", by=dpo)
        with pytest.raises(RetentionError, match="not due for review until"):
            record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)


def test_erasing_a_case_deletes_its_records_and_files_and_nothing_else(
    make_staff: Callable[..., User],
    media: Path,
    dpo: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = closed_case(make_staff)
    other = closed_case(make_staff)
    report = case.triages.get().report
    with time_machine.travel(CLOSED_ON + datetime.timedelta(days=2), tick=False):
        report_message_from_reporter(report=report, body="Another message")
        diary_entry_add(
            report=report,
            occurred_at=timezone.now(),
            files=[SimpleUploadedFile("d.png", png_bytes(), "image/png")],
            what_happened="Outside again.",
        )
    files_of_case = {item.stored_path for item in ReportEvidence.objects.filter(report=report)}
    other_files = {
        item.stored_path
        for item in ReportEvidence.objects.filter(report=other.triages.get().report)
    }
    assert all((media / path).exists() for path in files_of_case | other_files)
    other_counts = _counts_for(other)

    with (
        time_machine.travel(CLOSED_ON.replace(year=2033), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tombstone = record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not ReportMessage.objects.filter(report_id=report.pk).exists()
    assert not DiaryEntry.objects.filter(report_id=report.pk).exists()
    assert not CasePerson.objects.filter(case_id=case.pk).exists()
    assert not any((media / path).exists() for path in files_of_case)
    assert not SafeContact.objects.filter(pk=report.contact_id).exists()
    # The other case is untouched, files and all.
    assert _counts_for(other) == other_counts
    assert all((media / path).exists() for path in other_files)
    # The tombstone says what, when, by whom and why: never who the victim was.
    assert tombstone.reference == case.reference
    assert tombstone.erased_by == dpo
    assert tombstone.basis == ErasureBasis.REVIEW
    assert tombstone.counts["cases.Case"] == 1
    assert tombstone.counts["reporting.Report"] == 1
    assert tombstone.files_removed >= 2
    stored = str(ErasureTombstone.objects.filter(pk=tombstone.pk).values().get())
    assert "Alice" not in stored and "alice@example.com" not in stored
    event = AuditEvent.objects.get(action="records.erase")
    assert event.summary["case"] == str(case.pk)
    assert "Alice" not in str(event.summary)


def test_a_failure_while_erasing_leaves_everything_in_place(
    make_staff: Callable[..., User], media: Path, dpo: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = closed_case(make_staff)
    paths = {e.stored_path for e in Evidence.objects.filter(case=case)}
    paths |= {
        e.stored_path for e in ReportEvidence.objects.filter(report=case.triages.get().report)
    }

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk went away")

    monkeypatch.setattr("vigil.records.services.audit_record", broken)
    with (
        time_machine.travel(CLOSED_ON.replace(year=2033), tick=False),
        pytest.raises(RuntimeError),
    ):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
    assert Case.objects.filter(pk=case.pk).exists()
    assert CasePerson.objects.filter(case=case).exists()
    assert not ErasureTombstone.objects.exists()
    assert all((media / path).exists() for path in paths)


def test_an_open_case_is_never_erased(make_staff: Callable[..., User], dpo: User) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=officer, officer=officer)
    with pytest.raises(RetentionError, match="open case"):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)


def test_the_sweep_command_reports_what_it_did(
    make_staff: Callable[..., User], media: Path
) -> None:
    closed_case(make_staff)
    from io import StringIO

    out = StringIO()
    with time_machine.travel(CLOSED_ON.replace(year=2033), tick=False):
        call_command("retention_sweep", stdout=out)
    assert "Reviewed 2 record(s); 1 due for review" in out.getvalue()  # the case and its report


def _counts_for(case: Case) -> dict[str, int]:
    report = case.triages.get().report
    return {
        "people": CasePerson.objects.filter(case=case).count(),
        "messages": ReportMessage.objects.filter(report=report).count(),
        "evidence": ReportEvidence.objects.filter(report=report).count(),
        "case_evidence": Evidence.objects.filter(case=case).count(),
    }


def test_a_case_sharing_its_report_with_another_case_is_not_erased(
    make_staff: Callable[..., User], media: Path, dpo: User
) -> None:
    case = closed_case(make_staff)
    other = closed_case(make_staff)
    # The other case names the same victim record, from the first case's report.
    shared = other.people.get(role="victim")
    shared.report = case.triages.get().report
    shared.save(update_fields=["report"])
    with (
        time_machine.travel(CLOSED_ON.replace(year=2033), tick=False),
        pytest.raises(RetentionError, match="shares records with another case"),
    ):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
    assert Case.objects.filter(pk__in=[case.pk, other.pk]).count() == 2
    assert CasePerson.objects.filter(pk=shared.pk).exists()
