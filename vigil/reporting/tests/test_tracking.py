from __future__ import annotations

import datetime
from collections.abc import Callable
from unittest import mock

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.reporting import services
from vigil.reporting.models import (
    MessageDirection,
    Report,
    ReportMessage,
    ReportStatus,
    ThrottleEvent,
    ThrottleKind,
)
from vigil.reporting.references import reference_is_well_formed
from vigil.reporting.selectors import report_timeline
from vigil.reporting.services import report_message_to_reporter, report_status_update
from vigil.reporting.tests.journey import fill_until_check, named, png_bytes, post, send

pytestmark = pytest.mark.django_db


def _reported() -> tuple[Report, str]:
    client = Client()
    fill_until_check(client)
    send(client)
    page = client.get("/report/sent/").content.decode()
    secret = page.split('data-testid="secret">')[1].split("<")[0]
    return Report.objects.get(), secret


def _signed_in(report: Report, secret: str) -> Client:
    client = Client()
    post(client, "/report/track/", {"reference": report.reference, "secret": secret})
    return client


def test_the_reference_is_well_formed_and_can_be_typed_loosely() -> None:
    report, secret = _reported()
    assert reference_is_well_formed(report.reference)
    client = Client()
    loose = report.reference.replace("-", " ").lower()
    response = client.post("/report/track/", {"reference": loose, "secret": secret.lower()})
    assert response["Location"] == "/report/track/report/"


def test_the_reporter_sees_status_updates_in_plain_words_but_no_staff_notes(
    make_staff: Callable[..., object],
) -> None:
    report, secret = _reported()
    officer = make_staff(Role.INVESTIGATOR)
    report_status_update(
        report=report,
        status=ReportStatus.IN_REVIEW,
        by=officer,  # type: ignore[arg-type]
        public_note="An officer is reading your report.",
    )
    page = _signed_in(report, secret).get("/report/track/report/").content.decode()
    assert "Being looked at" in page
    assert "An officer is reading your report." in page
    # Sending writes no update row: the first entry comes from the received time.
    timeline = report_timeline(report=report)
    assert [entry.title for entry in timeline] == ["Being looked at", "Received"]
    assert timeline[-1].when == report.received_at


def test_the_notes_staff_actions_write_are_shown_in_welsh_in_welsh(
    make_staff: Callable[..., object],
) -> None:
    # Written while the officer works in English; read later by a victim who chose Welsh.
    report, secret = _reported()
    report_status_update(
        report=report,
        status=ReportStatus.IN_REVIEW,
        by=make_staff(Role.CALL_HANDLER),  # type: ignore[arg-type]
        public_note="We have read your report and are deciding what to do next.",
    )
    client = _signed_in(report, secret)
    client.cookies["vigil_language"] = "cy"
    page = client.get("/report/track/report/").content.decode()
    assert "We have read your report" not in page
    assert "Rydym wedi darllen eich adroddiad" in page


def test_an_officer_message_appears_and_the_reply_reaches_the_officer(
    staff_client: Callable[..., Client],
) -> None:
    report, secret = _reported()
    # Not yet triaged, so it is in the scope of the roles that triage (issue 14).
    officer = staff_client(Role.CALL_HANDLER)
    post(officer, f"/staff/reports/{report.pk}/", {"body": "Are you safe to talk on Tuesday?"})
    reporter = _signed_in(report, secret)
    assert (
        "Are you safe to talk on Tuesday?" in reporter.get("/report/track/report/").content.decode()
    )
    assert ReportMessage.objects.get(direction=MessageDirection.TO_REPORTER).read_at is not None
    post(reporter, "/report/track/report/", {"body": "Yes, after 10am."})
    assert "Yes, after 10am." in officer.get(f"/staff/reports/{report.pk}/").content.decode()


def test_the_reporter_can_add_evidence_an_incident_new_contact_ways_and_withdraw() -> None:
    report, secret = _reported()
    client = _signed_in(report, secret)
    post(client, "/report/track/evidence/", {"files": named(png_bytes(), "new.png")})
    post(
        client,
        "/report/track/incident/",
        {"date_0": "25", "date_1": "11", "date_2": "2026", "what_happened": "He sent flowers."},
    )
    post(
        client,
        "/report/track/contact/",
        {
            "channels": ["letter"],
            "voicemail_ok": "no",
            "can_say_police": "yes",
            "others_may_read": "no",
        },
    )
    post(client, "/report/track/withdraw/", {"confirm": "on", "reason": "I feel safer now"})
    report.refresh_from_db()
    assert report.evidence.count() == 1
    assert report.details["incidents"][-1]["what_happened"] == "He sent flowers."
    assert "added_at" in report.details["incidents"][-1]
    assert report.contact_prefs.channels == ("letter",)
    assert report.contact_prefs.can_say_police is True
    assert report.withdrawn_at is not None


def _try(client: Client, reference: str, secret: str) -> HttpResponse:
    return client.post("/report/track/", {"reference": reference, "secret": secret})


def test_someone_who_knows_the_reference_cannot_lock_the_victim_out() -> None:
    """Issue 14, finding 3: the reference is in the received email and in staff lists; wrong
    tries against it, however many and from however many places, never lock it."""
    report, secret = _reported()
    for place in range(3):
        stalker = Client(REMOTE_ADDR=f"198.51.100.{place + 1}")
        for _ in range(15):
            _try(stalker, report.reference, "ACDE-FGHJ-KMNP-QRTU")
    victim = Client(REMOTE_ADDR="203.0.113.9")
    response = _try(victim, report.reference, secret)
    assert response["Location"] == "/report/track/report/"
    # And so the safety tools, which open from the signed-in report.
    assert victim.get("/safety/").status_code == 200
    assert not ThrottleEvent.objects.filter(kind=ThrottleKind.TRACK_REFERENCE).exists()


def test_wrong_tries_from_one_address_make_it_wait_longer_each_time() -> None:
    report, secret = _reported()
    client = Client(REMOTE_ADDR="198.51.100.7")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(10):
            assert "is not right" in _try(client, report.reference, "X").content.decode()
        # Past the free tries even the right secret waits, with a calm message saying how long.
        response = _try(client, report.reference, secret)
        assert response.status_code == 429
        page = response.content.decode()
        assert "wait 1 minute" in page
        assert "sign-in link by email" in page
        clock.shift(datetime.timedelta(seconds=61))
        assert "is not right" in _try(client, report.reference, "X").content.decode()
        assert "wait 2 minutes" in _try(client, report.reference, secret).content.decode()
        clock.shift(datetime.timedelta(seconds=121))
        response = _try(client, report.reference, secret)
        assert response["Location"] == "/report/track/report/"
    assert AuditEvent.objects.filter(action="report.track.backoff").count() == 2


def test_ten_wrong_sign_ins_from_one_address_hold_back_only_that_address() -> None:
    report, secret = _reported()
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(10):
        client.post("/report/track/", {"reference": f"ACDE-FGHJ-{number}", "secret": "X"})
    response = client.post("/report/track/", {"reference": report.reference, "secret": secret})
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = other.post("/report/track/", {"reference": report.reference, "secret": secret})
    assert response.status_code == 302


def test_an_unknown_reference_and_a_wrong_secret_get_the_same_answer_after_a_hash_check() -> None:
    report, _secret = _reported()
    with mock.patch.object(
        services.track, "check_tracking_secret", wraps=services.track.check_tracking_secret
    ) as check:
        unknown = Client().post("/report/track/", {"reference": "ACDE-FGHJ-K", "secret": "X"})
        assert check.call_count == 1
        wrong = Client().post("/report/track/", {"reference": report.reference, "secret": "X"})
        assert check.call_count == 2
    assert unknown.status_code == wrong.status_code == 200

    def error_text(response: object) -> str:
        html = response.content.decode()  # type: ignore[attr-defined]
        return html.split('govuk-error-summary__list">')[1].split("</ul>")[0]

    assert error_text(unknown) == error_text(wrong)


def test_tracking_pages_need_a_sign_in() -> None:
    for path in ["/report/track/report/", "/report/track/evidence/", "/report/track/withdraw/"]:
        assert Client().get(path)["Location"] == "/report/track/"


def test_signing_in_is_recorded_in_the_audit_log() -> None:
    report, secret = _reported()
    _signed_in(report, secret)
    assert AuditEvent.objects.filter(action="report.track.sign_in", target_id=str(report.pk))


def test_an_officer_message_through_the_contract_service_is_shown(
    make_staff: Callable[..., object],
) -> None:
    report, secret = _reported()
    officer = make_staff(Role.COORDINATOR)
    report_message_to_reporter(report=report, body="Hello from the team", by=officer)  # type: ignore[arg-type]
    assert (
        "Hello from the team"
        in _signed_in(report, secret).get("/report/track/report/").content.decode()
    )


def test_the_reporter_is_told_a_message_waits_only_by_safe_email_and_only_once(
    staff_client: Callable[..., Client],
) -> None:
    from vigil.notifications.models import OutboxMessage

    report, _secret = _reported()
    officer = staff_client(Role.CALL_HANDLER)  # the report is untriaged: intake roles only
    post(officer, f"/staff/reports/{report.pk}/", {"body": "First question"})
    post(officer, f"/staff/reports/{report.pk}/", {"body": "Second question"})
    notices = OutboxMessage.objects.filter(purpose="report.message_waiting")
    assert notices.count() == 1
    assert "question" not in notices.get().body


def test_tracking_signs_out_after_a_while_without_activity() -> None:
    import datetime

    import time_machine

    report, secret = _reported()
    client = _signed_in(report, secret)
    assert client.get("/report/track/report/").status_code == 200
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)):
        assert client.get("/report/track/report/")["Location"] == "/report/track/"


def test_viewing_the_intake_list_is_audited(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SUPERVISOR)
    client.get("/staff/reports/")
    assert AuditEvent.objects.filter(action="report.list").count() == 1


def test_staff_opening_a_report_marks_the_reporters_messages_read_on_record(
    staff_client: Callable[..., Client],
) -> None:
    """Issue 14: marking messages read changes what the other side sees, with no audit row."""
    report, secret = _reported()
    post(_signed_in(report, secret), "/report/track/report/", {"body": "Are you there?"})
    officer = staff_client(Role.CALL_HANDLER)

    officer.get(f"/staff/reports/{report.pk}/")

    marked = AuditEvent.objects.get(action="report.messages.read", target_id=str(report.pk))
    assert marked.actor_role == Role.CALL_HANDLER
    assert marked.summary == {"direction": MessageDirection.FROM_REPORTER, "count": 1}
