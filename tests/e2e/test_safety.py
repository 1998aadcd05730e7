"""The victim's safety tools in a real browser: the diary shared into the case, and a check-in
timer whose alert email reaches a trusted contact through a real SMTP server."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_case, make_report
from vigil.notifications.models import OutboxMessage
from vigil.notifications.services import outbox_deliver
from vigil.notifications.tests.test_smtp import Inbox, free_port
from vigil.reporting.models import Report
from vigil.reporting.references import hash_tracking_secret, new_reference, new_tracking_secret
from vigil.reporting.tests.journey import png_bytes
from vigil.safety.models import CheckInTimer
from vigil.safety.tasks import timer_alert_task

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = new_tracking_secret()


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def track_sign_in(page: Page, base: str, report: Report) -> None:
    page.goto(f"{base}/report/track/")
    page.get_by_label("Report reference").fill(report.reference)
    page.get_by_label("Secret code").fill(SECRET)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()


def write_entry(page: Page, *, day: str, what: str, file: bool) -> None:
    page.get_by_role("button", name="Add an entry").click()
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What time? (optional)").fill("21:15")
    page.get_by_label("Where did it happen? (optional)").fill("Outside my flat")
    page.get_by_label("What happened?").fill(what)
    page.get_by_label("Who was there, or who saw it? (optional)").fill("My neighbour Sam")
    if file:
        # The file input itself: GOV.UK's enhanced upload gives its label to a button.
        page.locator("input[type=file]").set_input_files(
            [{"name": "car.png", "mimeType": "image/png", "buffer": png_bytes()}]
        )
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Your entry has been saved.")).to_be_visible()


def test_the_victim_shares_a_diary_entry_and_the_officer_sees_it_as_an_incident(
    live_server: object, page: Page, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR)
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer, report=report)

    track_sign_in(page, base, report)
    page.get_by_role("link", name="Keep a diary of what happens").click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    assert axe_violations(page) == []
    write_entry(page, day="20", what="He waited by my car and shouted at me.", file=True)
    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to your diary").click()
    write_entry(page, day="22", what="A letter came with no stamp.", file=False)
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("20 Nov 2026")).click()
    expect(page.get_by_text("car.png")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Share this entry").click()
    # Sharing cannot be taken back, so it is asked first (issue 16).
    expect(page.get_by_role("heading", name="Share this entry with the police?")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, share it").click()
    expect(page.get_by_text("Your entry has been shared with the officer")).to_be_visible()

    officer_page = browser.new_context().new_page()
    sign_in(officer_page, base, officer)
    officer_page.goto(f"{base}/staff/cases/{case.pk}/")
    incidents = officer_page.locator("#incidents + table")
    expect(incidents.get_by_text("He waited by my car and shouted at me.")).to_be_visible()
    expect(incidents.get_by_text("A letter came with no stamp.")).to_have_count(0)
    officer_page.context.close()


def test_a_missed_check_in_emails_the_trusted_contact(
    live_server: object, browser: Browser, smtp_inbox: tuple[Inbox, int]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    inbox, port = smtp_inbox
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        permissions=["geolocation"],
        geolocation={"latitude": 51.50722, "longitude": -0.1275},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    track_sign_in(page, base, report)
    page.get_by_role("link", name="Set a check-in timer").click()
    expect(page.get_by_role("heading", name="Check-in timer")).to_be_visible()
    assert axe_violations(page) == []

    # The victim adds a friend, who agrees through the link in their invitation.
    page.get_by_role("link", name="Add someone you trust").click()
    expect(page.get_by_role("heading", name="People you trust")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add someone you trust").click()
    page.get_by_label("Their name").fill("Bob")
    page.get_by_label("Their email address (optional)").fill("bob@example.org")
    page.get_by_label("Your name, as they know you").fill("Ally")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send them the link").click()
    expect(page.get_by_text("Waiting for them to agree")).to_be_visible()
    assert axe_violations(page) == []
    invite = OutboxMessage.objects.get(purpose="safety.contact_invite")
    link = re.search(r"https?://\S+/safety/confirm/\S+/", invite.body)
    assert link
    friend = browser.new_context().new_page()
    friend.goto(link.group(0))
    friend.get_by_role("button", name="I agree to be a trusted contact").click()
    expect(friend.get_by_text("Thank you")).to_be_visible()
    friend.context.close()

    # She shares where she is (the browser fills it in), then starts a one-minute timer.
    page.goto(f"{base}/safety/timer/")
    page.get_by_role("button", name="Use my current location").click()
    expect(page.get_by_label("Where are you?")).to_have_value(
        re.compile(r"^51\.50722, -0\.12750 \(within \d+ m\)$")
    )
    page.get_by_role("button", name="Save where I am").click()
    expect(page.get_by_text("We have saved where you are.")).to_be_visible()
    page.get_by_label("What are you going to do?").fill("Meeting him to collect my things")
    page.get_by_label("Check on me in how many minutes?").fill("1")
    page.get_by_label("No reminder, I will keep this page open").check()
    page.get_by_role("button", name="Start the timer").click()
    expect(page.get_by_text("Your timer has started.")).to_be_visible()
    assert axe_violations(page) == []

    # The worker runs the queued alert when it is due: run it with the clock at that moment.
    timer = CheckInTimer.objects.get(report=report)
    row = DBTaskResult.objects.get(task_path="vigil.safety.tasks.timer_alert_task")
    assert row.run_after == timer.due_at
    with time_machine.travel(timer.due_at + datetime.timedelta(seconds=1), tick=False):
        assert timer_alert_task.call(*row.args_kwargs["args"]) == "alerted"
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        for message in OutboxMessage.objects.filter(purpose="safety.alert"):
            outbox_deliver(message_id=message.pk)
    (received,) = [m for m in inbox.messages if "check on them" in m["Subject"]]
    assert received["To"] == "bob@example.org"
    body = received.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Ally set a check-in timer and has not checked in" in body
    assert "Meeting him to collect my things" in body
    assert "51.50722, -0.12750" in body

    page.reload()
    expect(page.get_by_role("button", name="Start the timer")).to_be_visible()
    context.close()
