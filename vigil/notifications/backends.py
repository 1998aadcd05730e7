"""Delivery backends for the outbox: SMTP email (Django's mailer), GOV.UK Notify, and a log.

Each backend can say whether a message was already delivered, where its provider lets us ask.
That is how the outbox avoids sending twice when a worker dies between handing a message to the
provider and recording that it did.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from vigil.notifications.models import Channel, OutboxMessage

logger = logging.getLogger(__name__)


class Backend(Protocol):
    def send(self, message: OutboxMessage) -> str:
        """Deliver the message; return the provider's reference for it."""

    def was_delivered(self, message: OutboxMessage) -> bool | None:
        """True/False if the provider can tell; None if it cannot (SMTP)."""


class SmtpEmailBackend:
    def send(self, message: OutboxMessage) -> str:
        message_id = f"<{message.pk}@vigil>"
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            # A stable Message-ID lets mail systems drop a duplicate if one ever slips through.
            headers={"Message-ID": message_id},
        ).send(fail_silently=False)
        return message_id

    def was_delivered(self, message: OutboxMessage) -> bool | None:
        return None


class NotifyBackend:
    """GOV.UK Notify, with one generic template per channel: ((subject)) and ((body))."""

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=20
        )

    def send(self, message: OutboxMessage) -> str:
        personalisation = {"subject": message.subject, "body": message.body}
        if message.channel == Channel.SMS:
            response = self.client.send_sms_notification(
                phone_number=message.recipient,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation=personalisation,
                reference=str(message.pk),
            )
        else:
            response = self.client.send_email_notification(
                email_address=message.recipient,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation=personalisation,
                reference=str(message.pk),
            )
        return str(response.get("id", ""))

    def was_delivered(self, message: OutboxMessage) -> bool | None:
        result = self.client.get_all_notifications(reference=str(message.pk))
        return bool(result.get("notifications"))


class LogBackend:
    """For development: records that a message would be sent, without its text."""

    def send(self, message: OutboxMessage) -> str:
        logger.info(
            "outbox %s: %s message %s (not sent: log backend)",
            message.pk,
            message.channel,
            message.purpose,
        )
        return f"log:{message.pk}"

    def was_delivered(self, message: OutboxMessage) -> bool | None:
        return False


@cache
def _backend(path: str) -> Backend:
    backend: Backend = import_string(path)()
    return backend


def backend_for(channel: str) -> Backend:
    path = settings.OUTBOX_BACKENDS[channel]
    return _backend(path)
