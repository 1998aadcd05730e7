"""How far each message telling a victim of a Victims' Code duty's news has got.

A queued email or text has told her nothing: she is told when the outbox delivers it. One home
for that reading, used by the duty's settling (services) and the duties page (selectors).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from vigil.cases.models import ContactChannel, ContactLogEntry, VictimsCodeDuty
from vigil.notifications.models import OutboxStatus


class TellingState:
    TOLD = "told"
    WAITING = "waiting"
    NOT_TOLD = "not_told"


@dataclass(frozen=True)
class Telling:
    """Where one message telling the victim of a duty's news has got to."""

    entry: ContactLogEntry
    state: str
    told_at: datetime.datetime | None
    # Why it did not reach her, in the victim's terms (never the mail provider's error).
    reason: str = ""


def telling_of(entry: ContactLogEntry) -> Telling:
    """A message on her online report is there when posted; an email or a text only once the
    outbox has delivered it."""
    message = entry.message
    if message is None:
        if entry.channel == ContactChannel.ONLINE_REPORT:
            return Telling(entry, TellingState.TOLD, entry.at)
        return Telling(entry, TellingState.NOT_TOLD, None, str(NOT_DELIVERED))
    if message.status == OutboxStatus.SENT:
        return Telling(entry, TellingState.TOLD, message.sent_at or message.updated_at)
    if message.status == OutboxStatus.WITHHELD:
        return Telling(entry, TellingState.NOT_TOLD, None, message.last_error or str(WITHHELD))
    if message.status == OutboxStatus.FAILED:
        return Telling(entry, TellingState.NOT_TOLD, None, str(NOT_DELIVERED))
    return Telling(entry, TellingState.WAITING, None)


WITHHELD = gettext_lazy("The message was not sent: the victim's contact choices do not allow it.")
NOT_DELIVERED = gettext_lazy("The message could not be delivered.")


def duty_tellings(duty: VictimsCodeDuty) -> list[Telling]:
    entries = duty.tellings.select_related("message").order_by("at")
    return [telling_of(entry) for entry in entries]
