"""GOV.UK Notify over real HTTP (a local stand-in for its API) and recovery after a worker dies."""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.test import override_settings

from vigil.notifications import backends
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_enqueue, outbox_sweep

pytestmark = pytest.mark.django_db

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"vigil_test-{SERVICE_ID}-{SECRET}"


class FakeNotify:
    """Just enough of Notify's v2 API: send SMS/email, list notifications by reference."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.auth_headers: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                fake.auth_headers.append(self.headers.get("Authorization", ""))
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                payload["id"] = str(uuid.uuid4())
                fake.sent.append({"path": self.path, **payload})
                self._reply(201, {"id": payload["id"], "reference": payload.get("reference")})

            def do_GET(self) -> None:
                reference = parse_qs(urlparse(self.path).query).get("reference", [""])[0]
                found = [n for n in fake.sent if n.get("reference") == reference]
                self._reply(200, {"notifications": found, "links": {}})

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeNotify:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    backends._backend.cache_clear()
    with (
        FakeNotify() as fake,
        override_settings(
            NOTIFY_API_KEY=API_KEY,
            NOTIFY_BASE_URL=fake.url,
            NOTIFY_SMS_TEMPLATE_ID="sms-template",
            OUTBOX_BACKENDS={
                "sms": "vigil.notifications.backends.NotifyBackend",
                "email": "vigil.notifications.backends.SmtpEmailBackend",
            },
        ),
    ):
        yield fake
    backends._backend.cache_clear()


def text_message(key: str = "sms-1") -> OutboxMessage:
    return outbox_enqueue(
        channel="sms",
        recipient="+447700900123",
        subject="",
        body="Your check-in timer is about to run out.",
        purpose="test.sms",
        idempotency_key=key,
    )


def test_a_text_message_goes_through_notify_with_our_reference(notify: FakeNotify) -> None:
    message = text_message()
    delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
    assert len(notify.sent) == 1
    sent = notify.sent[0]
    assert sent["path"] == "/v2/notifications/sms"
    assert sent["phone_number"] == "+447700900123"
    assert sent["reference"] == str(message.pk)
    assert sent["personalisation"]["body"] == "Your check-in timer is about to run out."
    assert notify.auth_headers[0].startswith("Bearer ")
    assert delivered.provider_reference == sent["id"]


def stuck_in_sending(message: OutboxMessage, minutes_ago: int = 30) -> None:
    """As the worker leaves it when it dies after handing the message over."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        attempts=1,
        updated_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes_ago),
    )


def test_a_message_the_provider_already_has_is_not_sent_twice(notify: FakeNotify) -> None:
    message = text_message()
    backends.backend_for("sms").send(message)  # the worker sent it, then died
    stuck_in_sending(message)
    assert outbox_sweep()["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert outbox_deliver(message_id=message.pk) is None
    assert len(notify.sent) == 1


def test_a_message_the_provider_never_got_is_sent_once(notify: FakeNotify) -> None:
    message = text_message()
    stuck_in_sending(message)  # the worker died before handing it over
    assert outbox_sweep()["resent"] == 1
    outbox_deliver(message_id=message.pk)
    outbox_deliver(message_id=message.pk)
    assert len(notify.sent) == 1


def test_an_smtp_message_of_unknown_fate_is_shown_to_staff_not_resent() -> None:
    message = outbox_enqueue(
        channel="email",
        recipient="friend@example.org",
        subject="Check in",
        body="Please check in with your friend.",
        purpose="test.email",
        idempotency_key="email-1",
    )
    stuck_in_sending(message)
    assert outbox_sweep()["uncertain"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "Delivery uncertain" in message.last_error
    assert mail.outbox == []


def test_a_recent_sending_message_is_left_alone(notify: FakeNotify) -> None:
    message = text_message()
    stuck_in_sending(message, minutes_ago=1)
    assert outbox_sweep() == {"sent": 0, "resent": 0, "uncertain": 0, "requeued": 0}


def test_due_pending_messages_are_queued_again_but_not_early_ones() -> None:
    due = outbox_enqueue(
        channel="email",
        recipient="a@example.org",
        subject="s",
        body="b",
        purpose="p",
        idempotency_key="due",
    )
    later = outbox_enqueue(
        channel="email",
        recipient="b@example.org",
        subject="s",
        body="b",
        purpose="p",
        idempotency_key="later",
    )
    OutboxMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    )
    assert outbox_sweep()["requeued"] == 1
    assert OutboxMessage.objects.get(pk=due.pk).status == OutboxStatus.PENDING
