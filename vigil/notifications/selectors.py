"""Reads of the outbox for staff pages: what has not reached a victim yet, and why.

An officer who thinks a message went when it did not may wait for an answer that never comes,
so the case shows every message to the victim that is not delivered. It says only what the
officer needs to act: the state, when it was written, when it will be tried again, and for a
withheld message the reason in the victim's own terms (their safe-contact choices, which the
officer on the case already sees). Provider errors stay on the outbox page for the
administrators: they can name mail servers and addresses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.notifications.models import OutboxMessage, OutboxStatus


class DeliveryState:
    WAITING_SAFE_TIME = "waiting_safe_time"
    WAITING = "waiting"
    SENDING = "sending"
    RETRYING = "retrying"
    WITHHELD = "withheld"
    FAILED = "failed"


@dataclass(frozen=True)
class UndeliveredMessage:
    pk: Any
    channel: str
    written_at: datetime.datetime
    state: str
    label: str
    # What the officer can tell from it; never the provider's error text.
    explanation: str
    attempts: int
    next_try_at: datetime.datetime | None

    @property
    def tag_colour(self) -> str:
        return {
            DeliveryState.WITHHELD: "govuk-tag--orange",
            DeliveryState.FAILED: "govuk-tag--red",
            DeliveryState.RETRYING: "govuk-tag--yellow",
        }.get(self.state, "govuk-tag--grey")


def _describe(message: OutboxMessage, now: datetime.datetime) -> UndeliveredMessage:
    next_try = message.next_attempt_at
    if message.status == OutboxStatus.WITHHELD:
        state, label = DeliveryState.WITHHELD, _("Not sent: not safe for the victim")
        explanation = message.last_error or _("The victim's contact choices do not allow it.")
    elif message.status == OutboxStatus.FAILED:
        state, label = DeliveryState.FAILED, _("Failed")
        explanation = _(
            "We tried %(count)s times and could not deliver it. Contact the victim another way "
            "they marked safe, or ask an administrator to look at the outbox."
        ) % {"count": message.attempts}
    elif message.status == OutboxStatus.SENDING:
        state, label = DeliveryState.SENDING, _("Sending now")
        explanation = ""
    elif message.attempts > 0:
        state, label = DeliveryState.RETRYING, _("Not delivered yet: retrying")
        explanation = _(
            "The mail service did not take it (try %(count)s). We will try again by ourselves."
        ) % {"count": message.attempts}
    elif next_try is not None and next_try > now:
        state, label = DeliveryState.WAITING_SAFE_TIME, _("Not delivered yet: waiting")
        explanation = _("It will go at the next time the victim marked safe.")
    else:
        state, label = DeliveryState.WAITING, _("Not delivered yet")
        explanation = _("It is queued to send.")
    return UndeliveredMessage(
        pk=message.pk,
        channel=message.get_channel_display(),
        written_at=message.created_at,
        state=state,
        label=str(label),
        explanation=str(explanation),
        attempts=message.attempts,
        next_try_at=next_try if message.status == OutboxStatus.PENDING else None,
    )


def undelivered_messages(*, contact_ids: Iterable[Any]) -> list[UndeliveredMessage]:
    """Messages to these victims (their safe-contact records) that have not been delivered,
    newest first. The caller has already checked the user may see the case they belong to."""
    ids = [pk for pk in contact_ids if pk is not None]
    if not ids:
        return []
    now = timezone.now()
    pending = OutboxMessage.objects.filter(contact_id__in=ids).exclude(status=OutboxStatus.SENT)
    return [_describe(message, now) for message in pending.order_by("-created_at")[:50]]
