"""Real email: send through a real SMTP server on this machine and read it back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from vigil.notifications.models import OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_an_outbox_email_arrives_at_a_real_smtp_server(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        message = outbox_enqueue(
            channel="email",
            recipient="friend@example.org",
            subject="Please check in",
            body="Your friend asked us to tell you to check in with them.",
            purpose="test.smtp",
            idempotency_key="smtp-1",
        )
        delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "friend@example.org"
    assert received["Subject"] == "Please check in"
    assert received["Message-ID"] == f"<{message.pk}@vigil>"
    assert "check in with them" in received.get_payload(decode=True).decode()  # type: ignore[union-attr]
