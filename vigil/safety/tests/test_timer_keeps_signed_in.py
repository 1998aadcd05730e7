"""A running check-in timer keeps its victim signed in to "track my report" (issue 16): idle
past the usual sign-out she can still say "I am safe" without her reference and secret, and
once the timer has ended (and the usual idle time passed) the sign-in ends as always."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from vigil.reporting.models import Report
from vigil.safety.models import TimerStatus
from vigil.safety.tests.test_timers import at, clock, start_timer

pytestmark = pytest.mark.django_db
__all__ = ["clock"]

IDLE = settings.REPORT_TRACK_IDLE_MINUTES


def _signed_in(client: Client) -> bool:
    return client.get("/safety/timer/").status_code == 200


def test_a_running_timer_keeps_the_victim_signed_in_past_the_idle_time(
    clock: Any, report: Report, alice: Client
) -> None:
    assert _signed_in(alice)
    timer = start_timer(report, minutes=90)
    clock.move_to(at(IDLE + 5))
    assert _signed_in(alice)
    # She can stop it without signing in again.
    response = alice.post("/safety/timer/stop/", {})
    assert response.status_code == 302
    timer.refresh_from_db()
    assert timer.status != TimerStatus.RUNNING


def test_without_a_timer_the_idle_sign_out_is_unchanged(
    clock: Any, report: Report, alice: Client
) -> None:
    assert _signed_in(alice)
    clock.move_to(at(IDLE + 1))
    assert not _signed_in(alice)


def test_the_sign_in_is_not_kept_for_ever_after_the_timer_is_due(
    clock: Any, report: Report, alice: Client
) -> None:
    assert _signed_in(alice)
    start_timer(report, minutes=30)
    # Never touched again: signed out once the timer was due and the idle time after it passed
    # (the timer then alerted, but nothing running keeps the session any longer).
    clock.move_to(at(30 + IDLE + 1))
    assert not _signed_in(alice)


def test_a_stopped_timer_no_longer_keeps_anyone_signed_in(
    clock: Any, report: Report, alice: Client
) -> None:
    assert _signed_in(alice)
    start_timer(report, minutes=90)
    assert alice.post("/safety/timer/stop/", {}).status_code == 302
    clock.move_to(at(IDLE + 1))
    assert not _signed_in(alice)
