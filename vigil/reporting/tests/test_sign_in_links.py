"""Signing in to "track my report" with a one-time link sent to a safe email address."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vigil.audit.models import AuditEvent
from vigil.audit.services import client_hash
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report, ReporterType, TrackingLink
from vigil.reporting.references import hash_tracking_secret, new_reference
from vigil.reporting.services import report_contact_update
from vigil.reporting.sign_in_links import tracking_links_purge
from vigil.reporting.tasks import tracking_link_send_task

pytestmark = pytest.mark.django_db

ASK = "/report/track/email/"
ASKED = "/report/track/email/asked/"
EMAIL = "alice@example.org"
LINK = re.compile(r"http://\S+(/report/track/email/([A-Za-z0-9_-]+)/)")
CommitCallbacks = Callable[..., AbstractContextManager[Any]]


def make_report(*, channels: tuple[str, ...] = ("email", "phone"), **safe: Any) -> Report:
    return Report.objects.create(
        reference=new_reference(),
        received_at=timezone.now(),
        reporter_type=ReporterType.VICTIM,
        victim={"name": "Alice Example", "email": EMAIL, "phone": "07700 900123"},
        contact=SafeContact.objects.create(
            data={"channels": list(channels), "can_say_police": False, **safe}
        ),
        suspects=[{"relationship": "ex_partner", "names": ["Mallory Example"]}],
        details={"incidents": [{"date": "2026-11-20", "what_happened": "He followed me home."}]},
        tracking_secret_hash=hash_tracking_secret("ACDE-FGHJ-KMNP-QRTU"),
        submission_key=new_reference(),
    )


@pytest.fixture
def ask(django_capture_on_commit_callbacks: CommitCallbacks) -> Callable[..., Any]:
    """Fill in "Get a sign-in link by email" as a person would; what the request queued for the
    worker is queued for real (the test database never commits)."""

    def post(reference: str, email: str = EMAIL, client: Client | None = None, **extra: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(
                ASK, {"reference": reference, "email": email, "website": "", **extra}
            )

    return post


def run_link_tasks() -> list[str]:
    """What the worker would do with the requests queued so far."""
    results = []
    for row in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        assert row.task_path == "vigil.reporting.tasks.tracking_link_send_task"
        results.append(tracking_link_send_task.call(*row.args_kwargs["args"]))
        row.status = "SUCCESSFUL"
        row.save(update_fields=["status"])
    return results


def link_emails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="report.track_link").order_by("created_at"))


def emailed_link(message: OutboxMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def send_link(ask: Callable[..., Any], report: Report) -> str:
    ask(report.reference)
    assert run_link_tasks() == ["sent"]
    return emailed_link(link_emails()[-1])


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


@pytest.fixture
def report() -> Report:
    return make_report()


def test_the_sign_in_page_offers_a_link_by_email() -> None:
    page = Client().get("/report/track/").content.decode()
    assert 'href="/report/track/email/"' in page
    assert "Get a sign-in link by email instead" in page


def test_a_link_is_emailed_when_the_reference_and_the_safe_address_match(
    ask: Callable[..., Any], report: Report
) -> None:
    loose_reference = report.reference.replace("-", " ").lower()
    response = ask(loose_reference, email="  Alice@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == ASKED
    assert run_link_tasks() == ["sent"]
    [message] = link_emails()
    assert message.channel == "email"
    assert message.recipient == EMAIL
    assert LINK.search(message.body)
    page = Client().get(ASKED).content.decode()
    assert "we have sent a link. It works once and for 30 minutes." in page
    assert "Check the email is safe to open" in page


@pytest.mark.parametrize(
    "case", ["unknown reference", "wrong email", "email not safe", "no email given"]
)
def test_no_email_goes_unless_everything_matches_and_the_answer_is_the_same(
    ask: Callable[..., Any], case: str
) -> None:
    matching = make_report()
    other = {
        "unknown reference": make_report(),
        "wrong email": make_report(),
        "email not safe": make_report(channels=("phone",)),
        "no email given": make_report(),
    }[case]
    if case == "no email given":
        other.victim = {**other.victim, "email": ""}
        other.save()
    reference = new_reference() if case == "unknown reference" else other.reference
    email = "mallory@example.org" if case == "wrong email" else EMAIL
    ask(new_reference())  # the first audit row of all starts the chain: not part of the measure

    with CaptureQueriesContext(connection) as answered:
        refused = ask(reference, email=email)
    with CaptureQueriesContext(connection) as matched:
        accepted = ask(matching.reference)

    # Same answer, after the same work: the checks are left to the worker.
    assert refused.status_code == accepted.status_code == 302
    assert refused["Location"] == accepted["Location"] == ASKED
    assert len(answered.captured_queries) == len(matched.captured_queries)
    assert DBTaskResult.objects.count() == 3
    results = run_link_tasks()
    assert results[2] == "sent"
    assert results[1] == ("unknown" if case == "unknown reference" else "refused")
    [message] = link_emails()
    assert message.recipient == EMAIL
    assert TrackingLink.objects.get().report == matching


def test_the_honeypot_gets_the_same_answer_and_nothing_is_done(
    ask: Callable[..., Any], report: Report
) -> None:
    response = ask(report.reference, website="http://spam.example")
    assert response["Location"] == ASKED
    assert DBTaskResult.objects.count() == 0
    assert actions() == []


def test_a_missing_or_mistyped_answer_is_explained(ask: Callable[..., Any]) -> None:
    response = Client().post(ASK, {"reference": "", "email": "", "website": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter your report reference" in page
    assert "Enter your email address" in page
    reference = new_reference()
    mistyped = reference[:-1] + ("A" if reference[-1] != "A" else "C")
    page = ask(mistyped, email="not an email").content.decode()
    assert "Check your reference. It should look like KRX4-TMPA-7" in page
    assert "Enter an email address like name@example.com" in page
    assert DBTaskResult.objects.count() == 0


def test_opening_the_link_does_not_use_it(ask: Callable[..., Any], report: Report) -> None:
    path = send_link(ask, report)
    scanner = Client()
    for _ in range(2):
        page = scanner.get(path)
        assert page.status_code == 200
        assert "Press the button to sign in" in page.content.decode()
    assert TrackingLink.objects.get().used_at is None
    assert scanner.get("/report/track/report/")["Location"] == "/report/track/"
    assert "report.track.link_used" not in actions()


def test_pressing_sign_in_signs_in_once_with_a_new_session(
    ask: Callable[..., Any], report: Report
) -> None:
    path = send_link(ask, report)
    person = Client()
    person.get(path)
    before = person.session.session_key
    response = person.post(path)
    assert response["Location"] == "/report/track/report/"
    assert person.session.session_key != before
    page = person.get("/report/track/report/")
    assert page.status_code == 200
    assert report.reference in page.content.decode()
    assert TrackingLink.objects.get().used_at is not None

    again = Client().post(path)
    assert "This link has expired or has been used" in again.content.decode()
    assert Client().get(path).content.decode().count("Get a new sign-in link") == 1
    assert again.wsgi_request.session.get("reporting_track") is None


def test_an_expired_link_is_refused_kindly(ask: Callable[..., Any], report: Report) -> None:
    path = send_link(ask, report)
    later = timezone.now() + datetime.timedelta(minutes=31)
    with time_machine.travel(later):
        opened = Client().get(path).content.decode()
        pressed = Client().post(path)
    assert "This link has expired or has been used" in opened
    assert "Get a new sign-in link" in opened
    assert "call 101" in opened and "call 999" in opened
    assert "This link has expired or has been used" in pressed.content.decode()
    assert TrackingLink.objects.get().used_at is None
    refused = AuditEvent.objects.get(action="report.track.link_refused")
    assert refused.summary == {"reason": "expired"}


@override_settings(REPORT_TRACK_LINK_MINUTES=5)
def test_the_link_lifetime_comes_from_the_settings(ask: Callable[..., Any], report: Report) -> None:
    path = send_link(ask, report)
    assert "for the next 5 minutes" in link_emails()[0].body
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert "has expired" in Client().post(path).content.decode()


def test_an_unknown_link_is_refused(report: Report) -> None:
    path = f"/report/track/email/{'x' * 43}/"
    assert "This link has expired or has been used" in Client().get(path).content.decode()
    assert "This link has expired or has been used" in Client().post(path).content.decode()
    assert AuditEvent.objects.get(action="report.track.link_refused").summary == {
        "reason": "unknown"
    }


@override_settings(REPORT_TRACK_LINK_REQUESTS_PER_ADDRESS_PER_HOUR=3)
def test_pressing_made_up_links_cannot_fill_the_audit_log(report: Report) -> None:
    client = Client()
    for attempt in range(6):
        page = client.post(f"/report/track/email/{str(attempt) * 43}/").content.decode()
        assert "This link has expired or has been used" in page
    assert AuditEvent.objects.filter(action="report.track.link_refused").count() == 3
    # Another address is still heard.
    Client(REMOTE_ADDR="192.0.2.9").post(f"/report/track/email/{'y' * 43}/")
    assert AuditEvent.objects.filter(action="report.track.link_refused").count() == 4


def test_a_newer_link_stops_the_older_one(ask: Callable[..., Any], report: Report) -> None:
    older = send_link(ask, report)
    newer = send_link(ask, report)
    assert older != newer
    assert "has expired or has been used" in Client().post(older).content.decode()
    assert Client().post(newer)["Location"] == "/report/track/report/"
    assert AuditEvent.objects.filter(action="report.track.link_refused").get().summary == {
        "reason": "replaced"
    }


@pytest.mark.parametrize("change", ["email no longer safe", "another address"])
def test_a_link_stops_working_when_the_safe_address_changes(
    ask: Callable[..., Any], report: Report, change: str
) -> None:
    path = send_link(ask, report)
    if change == "email no longer safe":
        report_contact_update(report=report, prefs=report.contact_prefs.but(channels=("phone",)))
    else:
        report.victim = {**report.victim, "email": "new@example.org"}
        report.save()
    assert "has expired or has been used" in Client().get(path).content.decode()
    assert "has expired or has been used" in Client().post(path).content.decode()
    refused = AuditEvent.objects.get(action="report.track.link_refused")
    # A change of answers stops the link outright; a changed address no longer matches it.
    expected = "replaced" if change == "email no longer safe" else "email_no_longer_safe"
    assert refused.summary == {"reason": expected}


def test_a_link_does_not_come_back_when_email_is_taken_off_and_put_back(
    ask: Callable[..., Any], report: Report
) -> None:
    """Issue 14, finding 7."""
    path = send_link(ask, report)
    report_contact_update(report=report, prefs=SafeContactPrefs(channels=("phone",)))
    report_contact_update(report=report, prefs=SafeContactPrefs(channels=("email", "phone")))
    assert "has expired or has been used" in Client().post(path).content.decode()
    assert TrackingLink.objects.get().used_at is None


def test_the_link_signs_in_while_someone_tries_wrong_secrets_for_the_reference(
    ask: Callable[..., Any], report: Report
) -> None:
    """Issue 14, finding 3: wrong tries against a reference never hold back the email link."""
    stalker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(20):
        stalker.post("/report/track/", {"reference": report.reference, "secret": "X"})
    path = send_link(ask, report)
    response = Client(REMOTE_ADDR="203.0.113.9").post(path)
    assert response["Location"] == "/report/track/report/"


def test_one_report_is_sent_three_links_a_day(ask: Callable[..., Any], report: Report) -> None:
    for number in range(4):
        response = ask(report.reference, client=Client(REMOTE_ADDR=f"192.0.2.{number}"))
        assert response["Location"] == ASKED
    assert run_link_tasks() == ["sent", "sent", "sent", "refused"]
    assert len(link_emails()) == 3
    refused = AuditEvent.objects.get(action="report.track.link_refused")
    assert refused.summary == {"reason": "reference_limit"}
    assert refused.target_id == str(report.pk)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        ask(report.reference)
        assert run_link_tasks() == ["sent"]


def test_one_address_may_ask_ten_times_an_hour(ask: Callable[..., Any], report: Report) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(10):
        ask(new_reference(), client=client)
    response = ask(report.reference, client=client)
    assert response["Location"] == ASKED
    assert DBTaskResult.objects.count() == 10
    run_link_tasks()
    assert link_emails() == []
    assert AuditEvent.objects.get(action="report.track.link_refused").summary == {
        "reason": "address_limit"
    }
    # Someone else, somewhere else, is not held up.
    ask(report.reference, client=Client(REMOTE_ADDR="203.0.113.5"))
    assert run_link_tasks() == ["sent"]


def test_asking_sending_and_using_are_audited_without_personal_data(
    ask: Callable[..., Any], report: Report
) -> None:
    path = send_link(ask, report)
    Client().post(path)
    Client().post(path)
    ask(report.reference, email="mallory@example.org")
    run_link_tasks()
    assert actions() == [
        "report.track.link_request",
        "outbox.enqueue",
        "report.track.link_sent",
        "report.track.link_used",
        "report.track.link_refused",
        "report.track.link_request",
        "report.track.link_refused",
    ]
    events = {event.action: event for event in AuditEvent.objects.all()}
    assert events["report.track.link_used"].target_id == str(report.pk)
    assert events["report.track.link_sent"].target_id == str(report.pk)
    # Where the request came from, as a keyed hash only (issue 14).
    assert events["report.track.link_request"].ip_address is None
    assert events["report.track.link_request"].ip_hash == client_hash("127.0.0.1")
    refusals = AuditEvent.objects.filter(action="report.track.link_refused").order_by("id")
    assert [event.summary["reason"] for event in refusals] == ["used", "email_does_not_match"]
    token = path.split("/")[-2]
    for event in AuditEvent.objects.all():
        stored = json.dumps(event.summary)
        for secret in (report.reference, EMAIL, "mallory", token, token[:16]):
            assert secret not in stored


def test_a_report_without_a_safe_email_is_refused_in_the_audit_log(
    ask: Callable[..., Any],
) -> None:
    report = make_report(channels=("phone",))
    ask(report.reference)
    assert run_link_tasks() == ["refused"]
    refused = AuditEvent.objects.get(action="report.track.link_refused")
    assert refused.summary == {"reason": "no_safe_email"}


def test_only_a_keyed_hash_of_the_token_is_stored(ask: Callable[..., Any], report: Report) -> None:
    token = send_link(ask, report).split("/")[-2]
    assert len(token) == 43
    stored = TrackingLink.objects.get()
    assert token not in stored.token_hash
    assert not TrackingLink.objects.filter(token_hash=token).exists()


def test_the_email_says_nothing_about_the_report_or_the_police(
    ask: Callable[..., Any], report: Report
) -> None:
    send_link(ask, report)
    [message] = link_emails()
    # The address of the link is the service's own; everything around it must give nothing away.
    text = LINK.sub("", f"{message.subject}\n{message.body}")
    assert message.subject == "Your sign-in link"
    assert "The support team" in text
    for private in (
        "Demo Police",
        "police",
        "stalking",
        "harassment",
        report.reference,
        "Alice",
        "Mallory",
        "followed",
        "report",
    ):
        assert private.lower() not in text.lower()


def test_the_email_names_the_police_when_the_reporter_said_we_may(
    ask: Callable[..., Any],
) -> None:
    report = make_report(can_say_police=True)
    send_link(ask, report)
    assert "Demo Police" in link_emails()[0].body


def test_no_link_is_sent_when_someone_else_may_read_the_inbox(ask: Callable[..., Any]) -> None:
    """Issue 14, finding 6: a link in an inbox someone else reads lets them into the report."""
    report = make_report(can_say_police=True, others_may_read=True)
    ask(report.reference, EMAIL)
    assert run_link_tasks() == ["refused"]
    assert link_emails() == []
    refused = AuditEvent.objects.get(action="report.track.link_refused")
    assert refused.summary == {"reason": "others_may_read"}


def test_a_link_stops_working_once_she_says_someone_else_reads_her_email(
    ask: Callable[..., Any], report: Report
) -> None:
    path = send_link(ask, report)
    report_contact_update(report=report, prefs=report.contact_prefs.but(others_may_read=True))
    assert "has expired or has been used" in Client().post(path).content.decode()


def test_the_link_email_names_the_police_only_when_she_said_we_may(
    ask: Callable[..., Any],
) -> None:
    report = make_report(can_say_police=False)
    send_link(ask, report)
    body = link_emails()[0].body
    assert "Demo Police" not in body
    assert "The support team" in body


def test_links_that_cannot_be_used_any_more_are_purged(
    ask: Callable[..., Any], report: Report
) -> None:
    send_link(ask, report)
    assert tracking_links_purge() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert tracking_links_purge() == 1
    assert not TrackingLink.objects.exists()
