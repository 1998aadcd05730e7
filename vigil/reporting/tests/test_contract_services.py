from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.contact.models import SafeContact
from vigil.reporting.models import Report, ReportStatus
from vigil.reporting.services import report_message_to_reporter, report_status_update

pytestmark = pytest.mark.django_db


def make_report() -> Report:
    return Report.objects.create(
        reference="VG-TEST-0001",
        received_at=timezone.now(),
        reporter_type="victim",
        victim={"name": "Jo Bloggs", "phone": "07700 900123"},
        contact=SafeContact.objects.create(data={"channels": ["email"], "safe_times": "evenings"}),
        tracking_secret_hash="x",
        submission_key="k",
    )


def test_personal_answers_are_encrypted_in_the_database() -> None:
    report = make_report()
    with connection.cursor() as cursor:
        cursor.execute("SELECT victim FROM reporting_report")
        (stored,) = cursor.fetchone()
    assert "Jo Bloggs" not in stored
    report.refresh_from_db()
    assert report.victim["name"] == "Jo Bloggs"


def test_a_status_update_is_recorded_for_the_reporter_and_audited(
    make_staff: Callable[..., User],
) -> None:
    officer, report = make_staff(), make_report()
    update = report_status_update(
        report=report, status=ReportStatus.ASSIGNED, by=officer, public_note="PC Stone has it."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSIGNED
    assert update.public_note == "PC Stone has it."
    assert AuditEvent.objects.filter(action="report.status", target_id=str(report.pk)).exists()
    with pytest.raises(ValueError):
        report_status_update(report=report, status="nonsense", by=officer)


def test_an_officer_message_waits_for_the_reporter(make_staff: Callable[..., User]) -> None:
    officer, report = make_staff(), make_report()
    message = report_message_to_reporter(report=report, body="Please call us.", by=officer)
    assert list(report.messages.all()) == [message]
    assert message.read_at is None
    assert AuditEvent.objects.filter(action="report.message.to_reporter").exists()


def test_any_officer_message_tells_the_reporter_only_by_a_safe_email_and_without_its_text(
    make_staff: Callable[..., User],
) -> None:
    from vigil.notifications.models import OutboxMessage

    officer = make_staff()
    safe = make_report()
    safe.victim = {**safe.victim, "email": "jo@example.org"}
    safe.save()
    report_message_to_reporter(report=safe, body="Please call DC Stone.", by=officer)
    notice = OutboxMessage.objects.get(purpose="report.message_waiting")
    assert notice.recipient == "jo@example.org"
    assert "DC Stone" not in notice.body

    unsafe = Report.objects.create(
        reference="VG-TEST-0002",
        received_at=timezone.now(),
        reporter_type="victim",
        victim={"name": "Sam", "email": "sam@example.org"},
        contact=SafeContact.objects.create(data={"channels": ["letter"]}),
        tracking_secret_hash="x",
        submission_key="k2",
    )
    report_message_to_reporter(report=unsafe, body="Please call.", by=officer)
    assert OutboxMessage.objects.filter(purpose="report.message_waiting").count() == 1
