"""The faults a force's servers will have, each with real parts where the machine allows:
a real SMTP server that is stopped, a real database connection that is cut, a real write
refused by the kernel, a real worker process killed."""

from __future__ import annotations

import asyncio
import datetime
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import Client, override_settings
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_enqueue, outbox_sweep
from vigil.reporting.models import DraftEvidence, Report
from vigil.reporting.tests.journey import current_draft, fill_until_check, named, png_bytes, send


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


def mailers(port: int) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


# --- The mail server is down -------------------------------------------------------------------


@pytest.mark.django_db
def test_while_the_mail_server_is_down_the_outbox_keeps_the_message_and_backs_off(
    settings: Any,
) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    server.stop()  # the relay goes down
    with override_settings(MAILERS=mailers(port)):
        message = outbox_enqueue(
            channel="email",
            recipient="victim@example.org",
            subject="Your report",
            body="An officer will call you.",
            purpose="test.smtp_down",
            idempotency_key="smtp-down-1",
        )
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            outbox_deliver(message_id=message.pk)
            message.refresh_from_db()
            assert message.status == OutboxStatus.PENDING
            assert "ConnectionRefused" in message.last_error
            assert message.next_attempt_at == start + datetime.timedelta(seconds=30)
            # Not due yet: a worker picking it up early sends nothing.
            assert outbox_deliver(message_id=message.pk) is None

        with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
            outbox_deliver(message_id=message.pk)
            message.refresh_from_db()
            assert message.attempts == 2
            # Back-off doubles: 30 s, then 60 s.
            assert message.next_attempt_at == timezone.now() + datetime.timedelta(seconds=60)

        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()  # the relay is back
        try:
            with time_machine.travel(start + datetime.timedelta(seconds=92), tick=False):
                outbox_deliver(message_id=message.pk)
        finally:
            server.stop()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == "victim@example.org"


# --- The disk fills during an upload -----------------------------------------------------------


@contextmanager
def disk_full_after(limit: int) -> Iterator[None]:
    """The kernel refuses any write that takes a file past `limit` bytes (RLIMIT_FSIZE): the
    same failed write() a full disk gives, without needing root to make a small filesystem."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_gives_a_clear_message_and_stores_nothing(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client(raise_request_exception=False)
    fill_until_check(client)
    photo = png_bytes() + b"\x00" * 400_000
    with disk_full_after(64 * 1024):
        response = client.post(
            "/report/evidence/", {"action": "upload", "files": named(photo, "photo.png")}
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "We could not save this file just now" in page
    assert "govuk-error-summary" in page
    assert not DraftEvidence.objects.exists()
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]  # no half a file
    assert "Alice Example" in client.get("/report/check/").content.decode()
    # Once there is room again, the same file goes in.
    client.post("/report/evidence/", {"action": "upload", "files": named(photo, "photo.png")})
    assert current_draft(client).files.count() == 1


# --- The database goes away during a report submit ---------------------------------------------


@contextmanager
def database_lost_at(marker: str) -> Iterator[None]:
    """Cut the database connection when a statement holding `marker` is about to run (on
    PostgreSQL the hot path sends several statements as one, vigil.common.sql).

    PostgreSQL: the server really ends our session (pg_terminate_backend from a second
    connection), so the statement meets a dead connection. SQLite is a file in the same
    process: the test database lives in memory, so it gets the error SQLite gives when its
    file cannot be written."""
    fired = {"done": False}

    def cut(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not fired["done"] and marker in sql.upper():
            fired["done"] = True
            if connection.vendor == "postgresql":
                pid = connection.connection.info.backend_pid
                other = connections.create_connection(DEFAULT_DB_ALIAS)
                try:
                    with other.cursor() as cursor:
                        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                finally:
                    other.close()
            else:
                raise OperationalError("disk I/O error")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut):
        yield
    assert fired["done"], "the statement never ran"


@pytest.mark.django_db(transaction=True)
def test_the_database_lost_during_submit_shows_a_calm_page_keeps_the_draft_and_writes_nothing(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client(raise_request_exception=False)
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    events_before = AuditEvent.objects.count()
    outbox_before = OutboxMessage.objects.count()

    with database_lost_at('INSERT INTO "REPORTING_REPORT"'):
        response = send(client)
    connection.close()  # as Django does at the end of a request whose connection broke

    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Anything you have already told us is saved" in page
    assert "Traceback" not in page
    assert not Report.objects.exists()
    assert AuditEvent.objects.count() == events_before
    assert OutboxMessage.objects.count() == outbox_before
    draft = current_draft(client)
    assert draft.report is None and draft.files.count() == 1
    # The database is back: the same button press sends the report, once.
    assert send(client)["Location"] == "/report/sent/"
    assert Report.objects.count() == 1
    assert Report.objects.get().evidence.count() == 1


# --- The worker is killed mid-delivery ---------------------------------------------------------


class StallingInbox(Inbox):
    """Takes the message, then holds the reply: the worker is inside `send` when it dies."""

    def __init__(self) -> None:
        super().__init__()
        self.received = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        self.received.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return reply


def database_url(db: dict[str, Any]) -> str:
    """The test database, for a worker process of our own."""
    user = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"])
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process needs a database it can share; SQLite's test database is in memory",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_never_sends_the_message_twice(settings: Any) -> None:
    inbox, port = StallingInbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    worker = None
    try:
        message = outbox_enqueue(  # autocommit: the delivery task is queued on commit
            channel="email",
            recipient="victim@example.org",
            subject="Your report",
            body="An officer will call you.",
            purpose="test.worker_killed",
            idempotency_key="worker-killed-1",
        )
        env = {
            **os.environ,
            "VIGIL_ENV": "test",
            "DATABASE_URL": database_url(connection.settings_dict),
            "VIGIL_EMAIL_HOST": "127.0.0.1",
            "VIGIL_EMAIL_PORT": str(port),
        }
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert inbox.received.wait(60), "the worker never reached the mail server"
        worker.send_signal(signal.SIGKILL)  # mid-delivery: no reply yet, nothing recorded
        worker.wait(10)
    finally:
        inbox.release.set()
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.stop()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    settings.OUTBOX_SENDING_LEASE_SECONDS = 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=1)):
        counts = outbox_sweep()
    assert counts["uncertain"] == 1 and counts["resent"] == 0
    message.refresh_from_db()
    # SMTP cannot say whether it went: staff decide, rather than risk a second copy.
    assert message.status == OutboxStatus.FAILED
    assert "Delivery uncertain" in message.last_error
    assert outbox_deliver(message_id=message.pk) is None
    assert len(inbox.messages) == 1
