"""Issue 22, retention of reports that never became a case: an online report never triaged or
withdrawn, a phone report never triaged. Each has a review date under the same rules, moved by
the victim's own activity, stopped by a legal hold, and ends with a tombstone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import PhoneReport
from vigil.cases.services import phone_report_create
from vigil.cases.tests.factories import make_case, make_report
from vigil.contact.models import SafeContact
from vigil.records.models import ErasureBasis, ErasureTombstone, RetentionReview
from vigil.records.selectors import review_queue
from vigil.records.services import RetentionError, record_erase, record_hold_lift, record_hold_set
from vigil.records.tests.retention import VICTIM_ACTIVITIES, sweep_at, victim_acts
from vigil.reporting.models import Report, ReportEvidence, ReportMessage
from vigil.reporting.services import (
    report_evidence_add,
    report_message_from_reporter,
    report_withdraw,
)
from vigil.reporting.tests.journey import png_bytes
from vigil.safety.models import DiaryEntry
from vigil.safety.services import diary_entry_add

pytestmark = pytest.mark.django_db

RECEIVED_ON = datetime.datetime(2026, 2, 3, 9, 30, tzinfo=datetime.UTC)
DUE = RECEIVED_ON.replace(year=2033)


def _report(**fields: Any) -> Report:
    with time_machine.travel(RECEIVED_ON, tick=False):
        return make_report(received_at=timezone.now(), **fields)


def _phone_report(make_staff: Callable[..., User]) -> PhoneReport:
    with time_machine.travel(RECEIVED_ON, tick=False):
        return phone_report_create(
            by=make_staff(Role.CALL_HANDLER),
            summary="Calls every night from a withheld number.",
            victim={"name": "Alice Example", "phone": "07700 900123"},
            safe_contact={"channels": ["phone"]},
            suspects=[],
            behaviours=["calls_messages"],
        )


def test_a_report_never_triaged_is_due_for_review_six_years_after_it_came_in() -> None:
    report = _report()
    sweep_at(RECEIVED_ON + datetime.timedelta(days=1))
    review = RetentionReview.objects.get(report=report)
    assert review.rule == "report"
    assert review.counted_from == RECEIVED_ON
    assert review.review_due_at == RECEIVED_ON.replace(year=2032)


def test_the_period_for_reports_is_the_forces_own_setting(settings: Any) -> None:
    settings.RETENTION_REVIEW_YEARS = {**settings.RETENTION_REVIEW_YEARS, "report": 3}
    report = _report()
    sweep_at(RECEIVED_ON + datetime.timedelta(days=1))
    assert RetentionReview.objects.get(report=report).review_due_at == RECEIVED_ON.replace(
        year=2029
    )


def test_a_withdrawn_report_counts_from_its_withdrawal() -> None:
    report = _report()
    withdrawn = RECEIVED_ON + datetime.timedelta(days=40)
    with time_machine.travel(withdrawn, tick=False):
        report_withdraw(report=report, reason="I want to deal with it myself.")
    sweep_at(withdrawn + datetime.timedelta(days=1))
    assert RetentionReview.objects.get(report=report).review_due_at == withdrawn.replace(year=2032)


@pytest.mark.parametrize("activity", VICTIM_ACTIVITIES)
def test_the_victims_own_activity_moves_a_reports_review_date(
    media: Path, dpo: User, activity: str
) -> None:
    report = _report()
    sweep_at(RECEIVED_ON + datetime.timedelta(days=1))
    later = RECEIVED_ON.replace(year=2031)
    victim_acts(report, activity, at=later)
    sweep_at(later + datetime.timedelta(days=1))
    assert RetentionReview.objects.get(report=report).review_due_at == later.replace(year=2037)
    # Nothing can be erased on the old date, whatever the sweep last said.
    with (
        time_machine.travel(DUE, tick=False),
        pytest.raises(RetentionError, match="not due for review"),
    ):
        record_erase(record=report, basis=ErasureBasis.REVIEW, by=dpo)


def test_a_phone_report_never_triaged_is_reviewed_on_its_own(
    make_staff: Callable[..., User],
) -> None:
    phone_report = _phone_report(make_staff)
    sweep_at(RECEIVED_ON + datetime.timedelta(days=1))
    review = RetentionReview.objects.get(phone_report=phone_report)
    assert (review.rule, review.review_due_at) == ("report", RECEIVED_ON.replace(year=2032))


def test_a_report_that_became_a_case_is_reviewed_with_the_case(
    make_staff: Callable[..., User],
) -> None:
    report = _report()
    sweep_at(RECEIVED_ON + datetime.timedelta(days=1))
    assert RetentionReview.objects.filter(report=report).exists()
    with time_machine.travel(RECEIVED_ON + datetime.timedelta(days=2), tick=False):
        make_case(by=make_staff(Role.CALL_HANDLER), report=report)
    sweep_at(RECEIVED_ON + datetime.timedelta(days=3))
    # Open case: no review of its own, and the report's own review is gone.
    assert not RetentionReview.objects.filter(report=report).exists()
    assert not RetentionReview.objects.exists()


def test_a_report_on_legal_hold_is_kept_out_of_the_queue_and_cannot_be_erased(
    dpo: User,
) -> None:
    report = _report()
    sweep_at(DUE)
    with time_machine.travel(DUE, tick=False):
        assert list(review_queue(user=dpo).values_list("report_id", flat=True)) == [report.pk]
        record_hold_set(record=report, reason="Complaint to the IOPC", by=dpo)
        assert not review_queue(user=dpo).exists()
        with pytest.raises(RetentionError, match="legal hold"):
            record_erase(record=report, basis=ErasureBasis.REVIEW, by=dpo)
        assert Report.objects.filter(pk=report.pk).exists()
        record_hold_lift(record=report, reason="Complaint closed", by=dpo)
        assert review_queue(user=dpo).count() == 1


def test_erasing_a_report_deletes_it_and_everything_it_holds_and_leaves_a_tombstone(
    media: Path, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = _report()
    kept = _report()
    with time_machine.travel(RECEIVED_ON + datetime.timedelta(days=1), tick=False):
        report_message_from_reporter(report=report, body="Another message")
        report_evidence_add(
            report=report, upload=SimpleUploadedFile("p.png", png_bytes(), "image/png")
        )
        diary_entry_add(
            report=report, occurred_at=timezone.now(), files=[], what_happened="Outside again."
        )
    paths = {item.stored_path for item in ReportEvidence.objects.filter(report=report)}
    assert all((media / path).exists() for path in paths)
    with (
        time_machine.travel(DUE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tombstone = record_erase(record=report, basis=ErasureBasis.REVIEW, by=dpo)
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not ReportMessage.objects.filter(report_id=report.pk).exists()
    assert not DiaryEntry.objects.filter(report_id=report.pk).exists()
    assert not SafeContact.objects.filter(pk=report.contact_id).exists()
    assert not any((media / path).exists() for path in paths)
    assert Report.objects.filter(pk=kept.pk).exists()
    assert (tombstone.kind, tombstone.reference, tombstone.case_id_erased) == (
        "report",
        report.reference,
        report.pk,
    )
    assert tombstone.counts["reporting.Report"] == 1
    stored = str(ErasureTombstone.objects.filter(pk=tombstone.pk).values().get())
    assert "Alice" not in stored and "alice@example.com" not in stored
    event = AuditEvent.objects.get(action="records.erase")
    assert event.summary["report"] == str(report.pk)


def test_a_report_naming_a_victim_on_a_case_is_not_erased_alone(
    make_staff: Callable[..., User], dpo: User
) -> None:
    report = _report()
    with time_machine.travel(RECEIVED_ON, tick=False):
        case = make_case(by=make_staff(Role.CALL_HANDLER))
    victim = case.people.get(role="victim")
    victim.report = report
    victim.save(update_fields=["report"])
    with (
        time_machine.travel(DUE, tick=False),
        pytest.raises(RetentionError, match="part of a case"),
    ):
        record_erase(record=report, basis=ErasureBasis.REVIEW, by=dpo)
    assert Report.objects.filter(pk=report.pk).exists()


def test_the_dpo_sees_a_report_due_in_the_queue_and_deletes_it_from_its_page(
    staff_client: Callable[..., Client], make_staff: Callable[..., User], media: Path
) -> None:
    report = _report()
    phone_report = _phone_report(make_staff)
    sweep_at(DUE)
    with time_machine.travel(DUE, tick=False):
        client = staff_client(Role.DPO)
        queue = client.get(reverse("records:queue")).content.decode()
        assert report.reference in queue and phone_report.reference in queue
        page_url = reverse("records:report", args=[report.pk])
        assert page_url in queue
        page = client.get(page_url)
        assert page.status_code == 200
        assert "Delete the report" in page.content.decode()
        wrong = client.post(
            page_url,
            {"form": "erase", "erase-basis": "review", "erase-confirm": "NOPE"},
        )
        assert wrong.status_code == 200 and Report.objects.filter(pk=report.pk).exists()
        done = client.post(
            page_url,
            {"form": "erase", "erase-basis": "review", "erase-confirm": report.reference},
        )
    assert done.status_code == 302
    assert not Report.objects.filter(pk=report.pk).exists()
    assert ErasureTombstone.objects.get().kind == "report"


def test_a_hold_set_on_a_report_still_holds_once_it_is_part_of_a_closed_case(
    make_staff: Callable[..., User], media: Path, dpo: User
) -> None:
    from vigil.cases.tests.factories import close_case

    report = _report()
    with time_machine.travel(RECEIVED_ON, tick=False):
        record_hold_set(record=report, reason="Inquiry into the first response", by=dpo)
        officer = make_staff(Role.INVESTIGATOR)
        case = make_case(by=officer, officer=officer, report=report)
        close_case(case, by=officer)
    with (
        time_machine.travel(DUE, tick=False),
        pytest.raises(RetentionError, match="legal hold"),
    ):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_hold_set_on_a_phone_report_still_holds_once_it_is_part_of_a_closed_case(
    make_staff: Callable[..., User], media: Path, dpo: User
) -> None:
    from vigil.cases.models import PriorityGrade
    from vigil.cases.services import case_assign, triage_record
    from vigil.cases.tests.factories import THRIVE, close_case

    phone_report = _phone_report(make_staff)
    with time_machine.travel(RECEIVED_ON, tick=False):
        record_hold_set(record=phone_report, reason="Complaint about the call", by=dpo)
        officer = make_staff(Role.INVESTIGATOR)
        case = triage_record(
            by=officer,
            thrive=THRIVE,
            grade=PriorityGrade.objects.get(code="priority"),
            phone_report=phone_report,
            principal_classification="harassment_s2",
        ).case
        case_assign(case=case, officer=officer, team=officer.team, supervisor=None, by=officer)
        close_case(case, by=officer)
    # The DPO is told why: the hold, not "shares records with another case".
    with (
        time_machine.travel(DUE, tick=False),
        pytest.raises(RetentionError, match="legal hold"),
    ):
        record_erase(record=case, basis=ErasureBasis.REVIEW, by=dpo)
    assert PhoneReport.objects.filter(pk=phone_report.pk).exists()
