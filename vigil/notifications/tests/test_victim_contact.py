"""Victim safety is judged by what is sent: the outbox reads the victim's live record when it
queues a message and again when it sends it (issue 15, acceptance; issue 14, finding 6)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from vigil.audit.models import AuditEvent
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_create, safe_contact_update
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _record(**prefs: object) -> SafeContact:
    return safe_contact_create(prefs=SafeContactPrefs(**prefs))  # type: ignore[arg-type]


def _to_victim(contact: SafeContact, channel: str = "email", key: str = "m1") -> OutboxMessage:
    return outbox_enqueue(
        channel=channel,
        recipient="victim@example.org" if channel == "email" else "+447700900123",
        subject="A message from The support team",
        body="Please get in touch.",
        purpose="test.victim",
        idempotency_key=key,
        contact=contact,
    )


def test_an_email_queued_while_safe_is_withheld_when_email_is_withdrawn_before_it_goes() -> None:
    contact = _record(channels=("email", "phone"))
    message = _to_victim(contact)
    safe_contact_update(
        record=contact, prefs=contact.prefs.but(channels=("phone",)), by=None, source="test"
    )

    delivered = outbox_deliver(message_id=message.pk)

    assert delivered is not None and delivered.status == OutboxStatus.WITHHELD
    assert mail.outbox == []
    assert "did not choose this way" in delivered.last_error
    assert AuditEvent.objects.filter(action="outbox.withheld", target_id=str(message.pk)).exists()


def test_an_email_to_a_channel_already_withdrawn_is_never_queued_to_send() -> None:
    message = _to_victim(_record(channels=("letter",)))
    assert message.status == OutboxStatus.WITHHELD
    assert outbox_deliver(message_id=message.pk) is None
    assert mail.outbox == []


def test_a_message_written_before_she_said_others_read_her_email_is_withheld() -> None:
    contact = _record(channels=("email",), can_say_police=True)
    message = _to_victim(contact)
    safe_contact_update(
        record=contact, prefs=contact.prefs.but(others_may_read=True), by=None, source="test"
    )
    delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.WITHHELD
    assert mail.outbox == []


def test_a_text_outside_her_safe_hours_waits_until_they_start() -> None:
    contact = _record(
        channels=("text",), safe_from=datetime.time(9, 0), safe_until=datetime.time(15, 0)
    )
    evening = datetime.datetime(2026, 11, 23, 20, 0, tzinfo=LONDON)  # a Monday
    with time_machine.travel(evening, tick=False):
        message = _to_victim(contact, channel="sms")
        assert message.status == OutboxStatus.PENDING
        assert outbox_deliver(message_id=message.pk) is None
    assert message.next_attempt_at == datetime.datetime(2026, 11, 24, 9, 0, tzinfo=LONDON)
    with time_machine.travel(message.next_attempt_at + datetime.timedelta(minutes=1), tick=False):
        delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT


def test_a_text_due_when_her_safe_hours_have_since_narrowed_waits_again() -> None:
    contact = _record(channels=("text",))
    morning = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=LONDON)
    with time_machine.travel(morning, tick=False):
        message = _to_victim(contact, channel="sms")
        safe_contact_update(
            record=contact,
            prefs=contact.prefs.but(
                safe_from=datetime.time(12, 0), safe_until=datetime.time(13, 0)
            ),
            by=None,
            source="test",
        )
        held = outbox_deliver(message_id=message.pk)
    assert held is not None and held.status == OutboxStatus.PENDING
    assert held.next_attempt_at == datetime.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


def test_a_message_to_someone_who_is_not_a_victim_is_not_checked() -> None:
    message = outbox_enqueue(
        channel="email",
        recipient="officer@example.org",
        subject="s",
        body="b",
        purpose="test.staff",
        idempotency_key="staff",
    )
    delivered = outbox_deliver(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
