"""A missed check-in reaches the trusted contact as real email through a real SMTP server."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings

from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver
from vigil.notifications.tests.test_smtp import Inbox, smtp_server  # noqa: F401 (fixture)
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.tests.conftest import add_contact

pytestmark = pytest.mark.django_db


def test_the_alert_email_arrives_at_the_trusted_contact(
    report: Report,
    smtp_server: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp_server
    add_contact(report, email="bob@example.org")
    start = datetime.datetime(2026, 11, 26, 18, 0, tzinfo=datetime.UTC)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with time_machine.travel(start, tick=False) as clock, override_settings(MAILERS=mailers):
        timer = services.timer_start(
            report=report,
            plan="Meeting him to collect my things",
            minutes=1,
            reminder_channel="",
            alert_officer=False,
        )
        clock.shift(datetime.timedelta(minutes=1))
        services.timer_expire(timer_id=timer.pk, version=timer.version)
        message = OutboxMessage.objects.get(purpose="safety.alert")
        delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
    (received,) = inbox.messages
    assert received["To"] == "bob@example.org"
    assert received["Subject"] == "Alice may need you to check on them"
    body = received.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Alice set a check-in timer and has not checked in" in body
    assert "Meeting him to collect my things" in body
    assert report.reference not in body
