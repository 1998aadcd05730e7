from __future__ import annotations

import hashlib
import io
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage
from vigil.reporting import selectors, services
from vigil.reporting.models import Report, ReportDraft, ReportStatus
from vigil.reporting.services import evidence_read
from vigil.reporting.tests.journey import (
    current_draft,
    fill_until_check,
    named,
    pdf_bytes,
    png_bytes,
    post,
    send,
    submission_key,
)

pytestmark = pytest.mark.django_db


def test_a_finished_report_is_received_with_a_reference_and_a_secret_shown_once() -> None:
    client = Client()
    fill_until_check(client)
    assert client.get("/report/check/").status_code == 200
    response = send(client)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.RECEIVED
    assert report.received_at is not None
    assert report.victim["name"] == "Alice Example"
    assert report.suspects[0]["social"] == [{"platform": "Instagram", "handle": "@mallory"}]
    assert report.details["incidents"][0]["place"] == "Outside work"
    assert report.contact_prefs.channels == ("email", "phone")
    page = client.get("/report/sent/").content.decode()
    assert report.reference in page
    assert "only show this code once" in page
    again = client.get("/report/sent/").content.decode()
    assert report.reference in again
    assert "We showed your secret code once" in again
    assert AuditEvent.objects.filter(action="report.submit", target_id=str(report.pk)).exists()


def test_the_check_page_lists_the_answers_with_change_links() -> None:
    client = Client()
    fill_until_check(client)
    page = client.get("/report/check/").content.decode()
    assert "Alice Example" in page
    assert "Mallory Example" in page
    assert "/report/victim-name/?change=1" in page


def test_a_change_link_returns_to_the_check_page() -> None:
    client = Client()
    fill_until_check(client)
    response = post(client, "/report/victim-contact/?change=1", {"email": "new@example.org"})
    assert response["Location"] == "/report/check/"
    assert "new@example.org" in client.get("/report/check/").content.decode()


def test_answers_in_progress_are_stored_encrypted() -> None:
    client = Client()
    fill_until_check(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM reporting_reportdraft")
        (raw,) = cursor.fetchone()
    assert "Alice" not in raw
    assert ReportDraft.objects.get().data["answers"]["victim-name"]["name"] == "Alice Example"


def test_saying_someone_is_in_danger_shows_the_call_999_page_and_keeps_the_answers() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    post(client, "/report/who/", {"reporter_type": "victim"})
    response = post(client, "/report/danger/", {"immediate_danger": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "Call 999 now" in page
    assert "/report/victim-name/" in page


def test_someone_reporting_for_another_person_is_asked_about_themselves() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    response = post(client, "/report/who/", {"reporter_type": "on_behalf"})
    assert response["Location"] == "/report/your-details/"


def test_a_missing_answer_shows_an_error_next_to_the_question() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    page = client.post("/report/who/", {}).content.decode()
    assert "There is a problem" in page
    assert "Select who is making this report" in page


def test_evidence_is_kept_byte_for_byte_encrypted_with_its_sha256() -> None:
    client = Client()
    original = png_bytes()
    fill_until_check(client, files=[named(original, "photo.png"), named(pdf_bytes(), "a.pdf")])
    send(client)
    report = Report.objects.get()
    files = list(report.evidence.all())
    assert [f.content_type for f in files] == ["image/png", "application/pdf"]
    png = files[0]
    assert png.sha256 == hashlib.sha256(original).hexdigest()
    from django.conf import settings

    stored = (settings.MEDIA_ROOT / png.stored_path).read_bytes()
    assert original not in stored
    assert evidence_read(stored_path=png.stored_path) == original


def test_a_file_removed_before_sending_stays_out_and_the_others_go_with_the_report() -> None:
    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png"), named(pdf_bytes(), "a.pdf")])
    draft = current_draft(client)
    assert draft.file_count == 2
    photo = draft.files.get(file__content_type="image/png")
    post(client, f"/report/evidence/{photo.pk}/remove/", {})
    draft.refresh_from_db()
    assert draft.file_count == 1
    send(client)
    report = Report.objects.get()
    assert [f.content_type for f in report.evidence.all()] == ["application/pdf"]
    assert not draft.files.exists()


def test_a_file_of_the_wrong_type_is_refused_by_its_content_and_answers_are_kept() -> None:
    client = Client()
    fill_until_check(client)
    response = client.post(
        "/report/evidence/",
        {"action": "upload", "files": named(b"MZ\x90\x00 not really a photo", "photo.jpg")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "must be a photo, screenshot, PDF, audio recording or video" in page
    assert "govuk-error-summary" in page
    assert "Alice Example" in client.get("/report/check/").content.decode()


def test_a_file_over_the_size_limit_is_refused(settings: object) -> None:
    settings.REPORT_EVIDENCE_MAX_FILE_BYTES = 100  # type: ignore[attr-defined]
    client = Client()
    fill_until_check(client)
    page = client.post(
        "/report/evidence/", {"action": "upload", "files": named(png_bytes() * 3, "big.png")}
    ).content.decode()
    assert "must be smaller than" in page


def test_a_server_error_at_submit_keeps_the_draft_and_a_retry_makes_one_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = Client(raise_request_exception=False)
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    from vigil.reporting.services import submit

    real = submit._attach_evidence

    def broken(**kwargs: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(submit, "_attach_evidence", broken)
    response = send(client)
    assert response.status_code == 500
    assert "Anything you have already told us is saved" in response.content.decode()
    assert Report.objects.count() == 0
    assert "Alice Example" in client.get("/report/check/").content.decode()

    monkeypatch.setattr(submit, "_attach_evidence", real)
    assert send(client).status_code == 302
    assert Report.objects.count() == 1
    assert Report.objects.get().evidence.count() == 1


def test_sending_twice_makes_one_report() -> None:
    client = Client()
    fill_until_check(client)
    key = submission_key(client)
    data = {"confirm": "on", "submission_key": key, "website": ""}
    first = client.post("/report/send/", data)
    second = client.post("/report/send/", data)
    assert first["Location"] == second["Location"] == "/report/sent/"
    assert Report.objects.count() == 1


def test_a_reference_already_taken_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Client()
    fill_until_check(first)
    send(first)
    taken = Report.objects.get().reference
    draws = iter([taken, "KRX4-TMPA-7"])
    monkeypatch.setattr(services.submit, "new_reference", lambda: next(draws))
    second = Client()
    fill_until_check(second)
    assert send(second)["Location"] == "/report/sent/"
    assert sorted(Report.objects.values_list("reference", flat=True)) == sorted(
        [taken, "KRX4-TMPA-7"]
    )
    assert AuditEvent.objects.filter(action="report.submit").count() == 2


def test_a_clash_that_does_not_go_away_shows_the_error_page_and_keeps_the_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Client()
    fill_until_check(first)
    send(first)
    taken = Report.objects.get().reference
    monkeypatch.setattr(services.submit, "new_reference", lambda: taken)
    second = Client(raise_request_exception=False)
    fill_until_check(second)
    response = send(second)
    assert response.status_code == 500
    assert "Anything you have already told us is saved" in response.content.decode()
    assert Report.objects.count() == 1
    assert "Alice Example" in second.get("/report/check/").content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot hold two writers at once",
)
@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_draft_at_the_same_moment_make_one_report() -> None:
    """No lock on the draft: the unique submission key decides, on two connections at once."""
    client = Client()
    fill_until_check(client)
    draft = current_draft(client)
    start = threading.Barrier(2)
    results: list[tuple[Report, bool]] = []

    def send_in_own_connection() -> None:
        mine = selectors.draft_for_browser(draft_id=draft.pk)
        assert mine is not None
        start.wait(timeout=10)
        try:
            results.append(
                services.report_submit(
                    draft=mine, submission_key=draft.submission_key, address="192.0.2.1"
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send_in_own_connection) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert Report.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert {report.pk for report, _ in results} == {Report.objects.get().pk}
    assert AuditEvent.objects.filter(action="report.submit").count() == 1


def test_a_filled_in_hidden_field_sends_nothing() -> None:
    client = Client()
    fill_until_check(client)
    data = {"confirm": "on", "submission_key": submission_key(client), "website": "spam.example"}
    assert client.post("/report/send/", data).status_code == 400
    assert Report.objects.count() == 0


@pytest.mark.parametrize("with_files", [False, True], ids=["no files", "a file"])
def test_reports_from_one_address_are_limited_and_the_refused_one_keeps_its_answers(
    settings: object, with_files: bool
) -> None:
    settings.REPORT_SUBMIT_PER_ADDRESS_PER_HOUR = 1  # type: ignore[attr-defined]
    first, second = Client(), Client()
    fill_until_check(first)
    send(first)
    events = AuditEvent.objects.count()
    fill_until_check(second, files=[named(png_bytes(), "photo.png")] if with_files else None)

    page = send(second).content.decode()

    assert "cannot accept more reports from this connection" in page
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.submit").count() == 1
    assert AuditEvent.objects.count() == events + with_files  # the upload's own row only
    assert OutboxMessage.objects.count() == 1  # the first report's email only
    refused = current_draft(second)
    assert refused.report_id is None
    assert refused.data["answers"]["victim-name"]["name"] == "Alice Example"
    assert refused.files.count() == int(with_files)


def test_an_email_is_sent_only_when_email_is_a_safe_way_to_contact() -> None:
    client = Client()
    fill_until_check(client)
    send(client)
    message = OutboxMessage.objects.get()
    report = Report.objects.get()
    assert message.recipient == "alice@example.org"
    assert report.reference in message.body
    assert "followed" not in message.body
    assert "Police" not in message.body  # they said we may not say we are the police
    assert "stalking" not in message.body.lower()  # nor anything else that gives it away
    assert "The support team" in message.body


def test_no_email_is_sent_when_email_is_not_safe() -> None:
    client = Client()
    fill_until_check(client)
    post(client, "/report/contact-channels/?change=1", {"channels": ["none"]})
    send(client)
    assert Report.objects.get().contact_prefs.channels == ()
    assert OutboxMessage.objects.count() == 0


def test_the_tracking_secret_is_stored_only_as_a_hash() -> None:
    client = Client()
    fill_until_check(client)
    send(client)
    page = client.get("/report/sent/").content.decode()
    report = Report.objects.get()
    secret = page.split('data-testid="secret">')[1].split("<")[0]
    assert secret not in report.tracking_secret_hash
    assert ReportDraft.objects.get().pending_secret == ""


def test_expired_drafts_are_purged() -> None:
    import datetime

    import time_machine

    from vigil.reporting.services import drafts_purge

    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)):
        assert client.get("/report/check/")["Location"] == "/report/"
        assert drafts_purge() == 1
    assert ReportDraft.objects.count() == 0


def test_rate_limit_events_are_purged_once_no_limit_can_count_them() -> None:
    import datetime

    from django.core.management import call_command

    from vigil.reporting.models import ThrottleEvent, ThrottleKind

    now = timezone.now()
    for age in (datetime.timedelta(hours=1), datetime.timedelta(days=3)):
        ThrottleEvent.objects.create(
            kind=ThrottleKind.SUBMIT_ADDRESS, key="k", created_at=now - age
        )
    out = io.StringIO()
    call_command("purge_report_drafts", stdout=out)
    assert "1 old rate-limit events" in out.getvalue()
    assert [e.created_at for e in ThrottleEvent.objects.all()] == [
        now - datetime.timedelta(hours=1)
    ]


def test_uploading_without_choosing_a_file_says_so() -> None:
    client = Client()
    fill_until_check(client)
    page = client.post("/report/evidence/", {"action": "upload"}).content.decode()
    assert "Select a file to upload" in page


def test_the_received_email_carries_no_reference_when_someone_else_may_read_it() -> None:
    """Issue 14, finding 6: with the reference, whoever reads her inbox could follow the report."""
    client = Client()
    fill_until_check(client)
    post(
        client,
        "/report/contact-safety/?change=1",
        {
            "safe_times": "",
            "voicemail_ok": "no",
            "can_say_police": "yes",
            "safe_word": "",
            "others_may_read": "yes",
        },
    )
    send(client)
    message = OutboxMessage.objects.get()
    assert Report.objects.get().reference not in message.body
    assert "Demo Police" not in message.body
    assert "The support team" in message.body
