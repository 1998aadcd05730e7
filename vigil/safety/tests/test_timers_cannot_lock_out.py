"""Timers that cannot lock a victim out (issue 16, point 7): "I am safe" from the reminder's
one-time link, a clear state after an alert, and alerts with a map link to our own page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from vigil.contact.services import safe_contact_update
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.models import TimerStatus
from vigil.safety.tests.conftest import add_contact
from vigil.safety.tests.test_timers import alerts, at, clock, reminders, run_due_tasks, start_timer

pytestmark = pytest.mark.django_db
__all__ = ["clock"]


def _stop_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/safety/timer/stop/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def _reminded(report: Report, clock: Any, capture: Callable[..., Any]) -> tuple[Any, str]:
    add_contact(report)
    with capture(execute=True):
        timer = start_timer(report, minutes=30)
    clock.move_to(at(28))
    run_due_tasks()
    (reminder,) = reminders()
    return timer, _stop_link(reminder.body)


def test_the_reminder_has_a_link_that_stops_the_timer_without_signing_in(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    timer, link = _reminded(report, clock, django_capture_on_commit_callbacks)
    stranger_browser = Client()
    page = stranger_browser.get(link)
    assert page.status_code == 200
    assert "I am safe, stop the timer" in page.content.decode()
    timer.refresh_from_db()
    assert timer.status == TimerStatus.RUNNING  # opening the link (a mail scanner) stops nothing
    done = stranger_browser.post(link)
    assert "Your timer has stopped. We will not alert anyone." in done.content.decode()
    timer.refresh_from_db()
    assert timer.status == TimerStatus.CANCELLED
    clock.move_to(at(31))
    run_due_tasks()
    assert alerts() == []


def test_the_stop_link_works_once(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _timer, link = _reminded(report, clock, django_capture_on_commit_callbacks)
    Client().post(link)
    services.timer_start(
        report=report, plan="Later", minutes=30, reminder_channel="email", alert_officer=False
    )
    again = Client().post(link)
    assert "This link has already been used or has run out" in again.content.decode()
    assert services.running_timer(report) is not None


def test_a_made_up_stop_link_does_nothing(report: Report) -> None:
    start_timer(report)
    response = Client().post("/safety/timer/stop/not-a-real-token/")
    assert "This link has already been used or has run out" in response.content.decode()
    assert services.running_timer(report) is not None


def test_after_an_alert_the_timer_page_says_when_the_contacts_were_alerted(
    report: Report, alice: Client, clock: Any
) -> None:
    add_contact(report)
    timer = start_timer(report, minutes=30)
    clock.move_to(at(30))
    services.timer_expire(timer_id=timer.pk, version=timer.version)
    html = alice.get("/safety/timer/").content.decode()
    assert "Your timer ran out and we alerted your contacts at 18:30" in html


def test_the_running_timer_page_counts_down_and_has_a_refresh_without_javascript(
    report: Report, alice: Client, clock: Any
) -> None:
    start_timer(report, minutes=30)
    html = alice.get("/safety/timer/").content.decode()
    assert 'data-safety-countdown="1800"' in html
    assert 'href="/safety/timer/"' in html and "Update the time left" in html


def test_the_timer_page_keeps_its_sign_in_alive(report: Report, alice: Client, clock: Any) -> None:
    start_timer(report, minutes=30)
    response = alice.get("/safety/timer/status/")
    assert response.json() == {"running": True, "seconds_left": 1800}


def test_an_alert_from_the_device_carries_a_link_to_our_own_map_page(
    report: Report, clock: Any
) -> None:
    add_contact(report)
    services.location_share(report=report, place="52.20530, 0.12180 (within 8 m)", from_device=True)
    services.alert_send_now(report=report, message="", to_officer=False)
    (alert,) = alerts()
    match = re.search(r"https?://[^/\s]+(/safety/place/\?[^\s]+)", alert.body)
    assert match, alert.body
    page = Client().get(match.group(1)).content.decode()
    assert "52.20530" in page and "0.12180" in page
    assert 'href="geo:52.20530,0.12180"' in page
    assert "openstreetmap" not in page and "google" not in page


def test_the_map_page_refuses_what_is_not_a_place(db: None) -> None:
    assert Client().get("/safety/place/?lat=999&lon=0").status_code == 404
    assert Client().get("/safety/place/?lat=abc&lon=0").status_code == 404


def test_no_stop_link_goes_to_an_inbox_someone_else_reads(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    prefs = report.contact_prefs.but(others_may_read=True)
    safe_contact_update(record=report.contact, prefs=prefs, by=None, source="test")
    add_contact(report)
    with django_capture_on_commit_callbacks(execute=True):
        start_timer(report, minutes=30)
    clock.move_to(at(28))
    run_due_tasks()
    (reminder,) = reminders()
    assert "/safety/timer/stop/" not in reminder.body
    assert "If you are safe, stop it on the site." in reminder.body
