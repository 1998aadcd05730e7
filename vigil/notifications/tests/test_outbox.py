from __future__ import annotations

import datetime
import smtplib
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_enqueue, retry_delay
from vigil.notifications.signals import message_failed, message_sent

pytestmark = pytest.mark.django_db


def enqueue(key: str = "k1") -> OutboxMessage:
    return outbox_enqueue(
        channel="email",
        recipient="contact@example.org",
        subject="A message from Vigil",
        body="Please check in with your friend.",
        purpose="test.message",
        idempotency_key=key,
    )


class BrokenBackend:
    """An SMTP server that is down."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list[object]) -> int:
        raise smtplib.SMTPServerDisconnected("connection refused")


BROKEN = {"default": {"BACKEND": "vigil.notifications.tests.test_outbox.BrokenBackend"}}


def test_a_message_is_only_queued_if_its_transaction_commits() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the event failed")
    assert not OutboxMessage.objects.exists()


def test_the_same_key_queues_one_message() -> None:
    first, second = enqueue("same"), enqueue("same")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_the_recipient_and_text_are_encrypted_at_rest() -> None:
    from django.db import connection

    message = enqueue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, body FROM notifications_outboxmessage WHERE id = %s",
            [message.pk.hex if connection.vendor == "sqlite" else message.pk],
        )
        recipient, body = cursor.fetchone()
    assert "contact@example.org" not in recipient
    assert "check in" not in body


def test_delivery_sends_the_email_once_and_marks_it_sent() -> None:
    message = enqueue()
    delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["contact@example.org"]
    assert outbox_deliver(message_id=message.pk) is None  # already sent: nothing to do
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="outbox.sent", target_id=str(message.pk)).exists()


def test_a_failure_is_retried_with_back_off_then_marked_failed(settings: object) -> None:
    settings.MAILERS = BROKEN  # type: ignore[attr-defined]
    settings.OUTBOX_MAX_ATTEMPTS = 3  # type: ignore[attr-defined]
    message = enqueue()
    start = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        first = outbox_deliver(message_id=message.pk)
        assert first is not None and first.status == OutboxStatus.PENDING
        assert first.next_attempt_at == start + retry_delay(1)
        assert outbox_deliver(message_id=message.pk) is None  # too early to try again
        clock.shift(retry_delay(1))
        second = outbox_deliver(message_id=message.pk)
        assert second is not None and second.status == OutboxStatus.PENDING
        clock.shift(retry_delay(2))
        third = outbox_deliver(message_id=message.pk)
    assert third is not None and third.status == OutboxStatus.FAILED
    assert third.attempts == 3
    assert "SMTPServerDisconnected" in third.last_error
    assert AuditEvent.objects.filter(action="outbox.failed").exists()


def test_back_off_grows_and_is_capped() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays[:3] == [30, 60, 120]
    assert max(delays) == 3600


def test_failed_messages_are_listed_for_the_coordinator_and_can_be_sent_again(
    staff_client: Callable[..., Client], settings: object
) -> None:
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=5, last_error="SMTPServerDisconnected"
    )
    client = staff_client(Role.COORDINATOR)
    page = client.get(reverse("notifications:failed"))
    assert "test.message" in page.content.decode()
    assert "contact@example.org" not in page.content.decode()
    client.post(reverse("notifications:retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0


def test_an_investigator_cannot_see_failed_messages(staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.INVESTIGATOR).get(reverse("notifications:failed")).status_code == 404


def test_listeners_hear_when_a_message_is_sent_not_when_it_is_queued() -> None:
    heard: list[tuple[str, OutboxStatus]] = []

    def on_sent(sender: object, *, message: OutboxMessage, **kwargs: object) -> None:
        assert message.sent_at is not None
        heard.append((message.idempotency_key, message.status))

    message_sent.connect(on_sent)
    try:
        message = enqueue()
        assert heard == []
        outbox_deliver(message_id=message.pk)
    finally:
        message_sent.disconnect(on_sent)
    assert heard == [("k1", OutboxStatus.SENT)]


def test_listeners_hear_when_a_message_fails_for_good_not_while_it_is_retried(
    settings: object,
) -> None:
    settings.MAILERS = BROKEN  # type: ignore[attr-defined]
    settings.OUTBOX_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    heard: list[OutboxStatus] = []

    def on_failed(sender: object, *, message: OutboxMessage, **kwargs: object) -> None:
        heard.append(OutboxStatus(message.status))

    message_failed.connect(on_failed)
    try:
        message = enqueue()
        with time_machine.travel("2026-11-26 12:00Z", tick=False) as clock:
            outbox_deliver(message_id=message.pk)
            assert heard == []  # it will be tried again
            clock.shift(retry_delay(1))
            outbox_deliver(message_id=message.pk)
    finally:
        message_failed.disconnect(on_failed)
    assert heard == [OutboxStatus.FAILED]
