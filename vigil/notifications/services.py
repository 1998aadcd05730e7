"""The outbox: reliable, audited delivery of messages."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from vigil.audit.services import audit_record
from vigil.notifications.models import Channel, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    purpose: str,
    idempotency_key: str,
) -> OutboxMessage:
    """Queue a message inside the caller's transaction; a worker sends it after commit.

    Never put case details in `body`: a message may be read by the person the victim fears.
    """
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel": channel,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "purpose": purpose,
        },
    )
    if created:
        audit_record(action="outbox.enqueue", target=message, summary={"purpose": purpose})
        transaction.on_commit(lambda: _schedule(message.pk))
    return message


def _schedule(message_id: Any, run_after: datetime.datetime | None = None) -> None:
    from vigil.notifications.tasks import deliver_outbox_message

    task = (
        deliver_outbox_message.using(run_after=run_after) if run_after else deliver_outbox_message
    )
    task.enqueue(str(message_id))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, 4 min... capped at an hour."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=min(seconds, 3600))


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": f"<{message.pk}@vigil>"},
        ).send(fail_silently=False)
        return
    raise ValueError(f"No backend for channel {message.channel!r}")


def outbox_deliver(*, message_id: Any) -> OutboxMessage | None:
    """Try to send one message; return it with its new status, or None if nothing was due."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return None
        if message.next_attempt_at and message.next_attempt_at > timezone.now():
            return None
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    try:
        _send(message)
    except Exception as error:  # any transport failure is retried, then shown to staff
        logger.warning("outbox message %s failed: %s", message.pk, type(error).__name__)
        with transaction.atomic():
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                message.next_attempt_at = None
                audit_record(
                    action="outbox.failed", target=message, summary={"attempts": message.attempts}
                )
            else:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            message.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
            if message.status == OutboxStatus.PENDING:
                run_after = message.next_attempt_at
                transaction.on_commit(lambda: _schedule(message.pk, run_after))
        return message
    with transaction.atomic():
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
        audit_record(action="outbox.sent", target=message, summary={"attempts": message.attempts})
    return message


def outbox_retry(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """Staff send a failed message again, e.g. after fixing an address."""
    with transaction.atomic():
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        audit_record(action="outbox.retry", actor=by, target=message)
        transaction.on_commit(lambda: _schedule(message.pk))
    return message
