"""The outbox: reliable, audited delivery of messages."""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import audited_transaction, write_service
from vigil.common import deferred
from vigil.contact.contract import ContactCheck
from vigil.contact.models import SafeContact
from vigil.notifications.backends import backend_for
from vigil.notifications.models import Channel, OutboxMessage, OutboxStatus
from vigil.notifications.signals import message_failed, message_sent, message_withheld

logger = logging.getLogger(__name__)

DELIVER_TASK = "vigil.notifications.tasks.deliver_outbox_message"


# The outbox's channels, as the victim's safe-contact answers name them.
CONTACT_CHANNEL: dict[str, str] = {Channel.EMAIL: "email", Channel.SMS: "text"}


def contact_check(*, contact: SafeContact, channel: str, at: datetime.datetime) -> ContactCheck:
    """May a message go to this victim by this outbox channel now, by their live wishes?"""
    return contact.prefs.check(channel=CONTACT_CHANNEL[channel], at=timezone.localtime(at))


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    purpose: str,
    idempotency_key: str,
    contact: SafeContact | None = None,
) -> OutboxMessage:
    """Queue a message inside the caller's transaction; a worker sends it after commit.

    Never put case details in `body`: a message may be read by the person the victim fears.
    A message to a victim names their `contact` record: it is checked now and again at send
    time. Not safe at all, it is withheld (kept, never sent, the officer told); not safe now
    (a day or hour they did not mark safe), it waits for their next safe time.
    """
    now = timezone.now()
    check = ContactCheck(True)
    if contact is not None:
        # The record as the caller just read it (it may not be inserted yet, on a report being
        # sent); the send-time check below reads it again from the database.
        check = contact_check(contact=contact, channel=channel, at=now)
    wait_until = _safe_time(contact, channel, now) if check.can_wait else None
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel": channel,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "purpose": purpose,
            "contact": contact,
            "wording": contact.prefs.wording() if contact is not None else "",
            "next_attempt_at": wait_until,
        },
    )
    if not created:
        return message
    audit_record(action="outbox.enqueue", target=message, summary={"purpose": purpose})
    if not check.allowed and wait_until is None:
        assert contact is not None
        _withhold(message, contact, check.reason)
    else:
        transaction.on_commit(partial(_schedule, message.pk, wait_until))
    return message


def _safe_time(
    contact: SafeContact | None, channel: str, now: datetime.datetime
) -> datetime.datetime | None:
    if contact is None:
        return None
    return contact.prefs.next_safe_time(
        channel=CONTACT_CHANNEL[channel], after=timezone.localtime(now)
    )


def _withhold(message: OutboxMessage, contact: SafeContact, reason: str) -> None:
    """Inside the caller's transaction: the message is kept for the record but never sent."""
    message.status = OutboxStatus.WITHHELD
    message.last_error = reason[:2000]
    message.next_attempt_at = None
    message.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
    audit_record(action="outbox.withheld", target=message, summary={"purpose": message.purpose})
    message_withheld.send(sender=OutboxMessage, message=message, contact=contact, reason=reason)


def _still_safe(message: OutboxMessage) -> str | datetime.datetime | None:
    """At send time, against the victim's wishes as they are now: None if the message may go,
    a time if it must wait for one, or the reason it must not go at all."""
    if message.contact_id is None:
        return None
    contact = SafeContact.objects.get(pk=message.contact_id)
    now = timezone.now()
    check = contact_check(contact=contact, channel=message.channel, at=now)
    if check.allowed and contact.prefs.wording() == message.wording:
        return None
    if check.allowed:
        return str(
            _(
                "Not sent: the victim changed how we may write to them after this message "
                "was written. %(now)s"
            )
            % {"now": contact.prefs.describe()}
        )
    wait_until = _safe_time(contact, message.channel, now) if check.can_wait else None
    return wait_until or check.reason


def _schedule(message_id: Any, run_after: datetime.datetime | None = None) -> None:
    deferred.enqueue(DELIVER_TASK, str(message_id), run_after=run_after)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, 4 min... capped at an hour."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=min(seconds, 3600))


def outbox_deliver(*, message_id: Any) -> OutboxMessage | None:
    """Try to send one message; return it with its new status, or None if nothing was due.

    Each change that ends a message's journey (sent, withheld, failed for good) is its own
    audited transaction, in which `message_sent` / `message_withheld` / `message_failed` go:
    what listeners write (a Victims' Code duty done, a task for the officer) is audited with it.
    """
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
        verdict = _still_safe(message)
        if isinstance(verdict, datetime.datetime):
            message.next_attempt_at = verdict
            message.save(update_fields=["next_attempt_at", "updated_at"])
            transaction.on_commit(partial(_schedule, message.pk, verdict))
            return message
        if verdict is None:
            message.status = OutboxStatus.SENDING
            message.attempts += 1
            message.save(update_fields=["status", "attempts", "updated_at"])
    if isinstance(verdict, str):
        return _withhold_pending(message_id, verdict)
    try:
        provider_reference = backend_for(message.channel).send(message)
    except Exception as error:  # any transport failure is retried, then shown to staff
        logger.warning("outbox message %s failed: %s", message.pk, type(error).__name__)
        error_text = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            with audited_transaction(FAILED_STEP):
                message.status = OutboxStatus.FAILED
                message.next_attempt_at = None
                message.last_error = error_text
                message.save(
                    update_fields=["status", "last_error", "next_attempt_at", "updated_at"]
                )
                audit_record(
                    action="outbox.failed", target=message, summary={"attempts": message.attempts}
                )
                message_failed.send(sender=OutboxMessage, message=message)
            return message
        with transaction.atomic():
            message.last_error = error_text
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            message.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
            run_after = message.next_attempt_at
            transaction.on_commit(lambda: _schedule(message.pk, run_after))
        return message
    with audited_transaction(SENT_STEP):
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.provider_reference = provider_reference
        message.save(
            update_fields=["status", "sent_at", "last_error", "provider_reference", "updated_at"]
        )
        audit_record(action="outbox.sent", target=message, summary={"attempts": message.attempts})
        message_sent.send(sender=OutboxMessage, message=message)
    return message


# The names the audited transactions of delivery go by (as write services' names do).
SENT_STEP = "vigil.notifications.services.outbox_deliver.sent"
FAILED_STEP = "vigil.notifications.services.outbox_deliver.failed"
WITHHELD_STEP = "vigil.notifications.services.outbox_deliver.withheld"
RECOVERED_STEP = "vigil.notifications.services.outbox_sweep.recovered"


def _withhold_pending(message_id: Any, reason: str) -> OutboxMessage | None:
    """Withhold a message the send-time check refused, in its own audited transaction. It is
    still pending (nothing sends it between the check and here but another worker, which the
    same check stops), so it is read again under lock."""
    with audited_transaction(WITHHELD_STEP):
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return None
        assert message.contact is not None
        _withhold(message, message.contact, reason)
    return message


@write_service
def outbox_retry(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """Staff send a failed message again, e.g. after fixing an address."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = None
    message.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_record(action="outbox.retry", actor=by, target=message)
    transaction.on_commit(lambda: _schedule(message.pk))
    return message


UNCERTAIN = (
    "Delivery uncertain: the worker stopped while sending and this provider cannot tell us "
    "whether the message went. Check with the recipient's safe channel before sending again."
)


def outbox_sweep() -> dict[str, int]:
    """Repair what a stopped worker left behind, without ever sending a message twice.

    - A message stuck in "sending" past its lease: if the provider says it was delivered, mark
      it sent; if it says not, send it again; if it cannot say (SMTP), mark it failed with an
      explanation so staff decide, rather than risk a second copy reaching a victim.
    - A pending message that is due: queue its delivery again (delivery is idempotent).
    """
    now = timezone.now()
    counts = {"sent": 0, "resent": 0, "uncertain": 0, "requeued": 0}
    lease = datetime.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    for message in OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, updated_at__lt=now - lease
    ):
        delivered = backend_for(message.channel).was_delivered(message)
        with audited_transaction(RECOVERED_STEP):
            if delivered:
                message.status = OutboxStatus.SENT
                message.sent_at = now
                counts["sent"] += 1
            elif delivered is False:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = None
                counts["resent"] += 1
                transaction.on_commit(partial(_schedule, message.pk))
            else:
                message.status = OutboxStatus.FAILED
                message.last_error = UNCERTAIN
                counts["uncertain"] += 1
            message.save(
                update_fields=["status", "sent_at", "next_attempt_at", "last_error", "updated_at"]
            )
            audit_record(
                action="outbox.recovered", target=message, summary={"status": message.status}
            )
            if message.status == OutboxStatus.SENT:
                message_sent.send(sender=OutboxMessage, message=message)
            elif message.status == OutboxStatus.FAILED:
                message_failed.send(sender=OutboxMessage, message=message)
    for message_id in (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .exclude(next_attempt_at__gt=now)
        .values_list("pk", flat=True)
    ):
        _schedule(message_id)
        counts["requeued"] += 1
    return counts
