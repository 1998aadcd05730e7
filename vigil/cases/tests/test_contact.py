from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import ContactLogEntry
from vigil.cases.tests.factories import form_state, make_case
from vigil.notifications.models import OutboxMessage
from vigil.notifications.services import outbox_deliver
from vigil.reporting.models import MessageDirection, ReportMessage

pytestmark = pytest.mark.django_db


def _case(client: Client, channels: list[str], **prefs: object) -> object:
    return make_case(
        by=client.user,  # type: ignore[attr-defined]
        officer=client.user,  # type: ignore[attr-defined]
        safe_contact={"channels": channels, **prefs},
    )


def _victim_id(case: object) -> str:
    return str(case.people.get(role="victim").pk)  # type: ignore[attr-defined]


def _email_the_victim(client: Client, case: object) -> Any:
    return client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "email",
            "message-body": "Update",
        },
    )


def test_a_message_by_a_channel_the_victim_marked_unsafe_is_refused_saying_why(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    response = client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "text",
            "message-body": "Hello",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The victim did not choose this way to be contacted." in page
    assert "Their wishes now: only by email." in page
    assert not ContactLogEntry.objects.exists()


@time_machine.travel("2026-11-23 19:00Z")  # a Monday evening
def test_logging_a_call_outside_the_safe_hours_is_refused(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["phone"], safe_from="09:00", safe_until="15:00")
    response = client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "log",
            "log-victim": _victim_id(case),
            "log-channel": "phone",
            "log-direction": "to_victim",
            "log-summary": "Called",
        },
    )
    assert "19:00 is outside the safe times the victim gave (09:00 to 15:00)" in (
        response.content.decode()
    )
    assert not ContactLogEntry.objects.exists()


def test_a_call_from_the_victim_is_logged_whatever_the_time(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, [])
    client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "log",
            "log-victim": _victim_id(case),
            "log-channel": "phone",
            "log-direction": "from_victim",
            "log-summary": "Victim rang to say he was outside again",
        },
    )
    assert ContactLogEntry.objects.get().summary == "Victim rang to say he was outside again"


def test_a_message_to_an_online_reporter_goes_through_their_report(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "online_report",
            "message-body": "I will call on Tuesday.",
        },
    )
    message = ReportMessage.objects.get()
    assert message.body == "I will call on Tuesday."
    assert message.direction == MessageDirection.TO_REPORTER
    assert ContactLogEntry.objects.get().channel == "online_report"


def test_an_email_to_the_victim_is_queued_in_the_outbox(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    _email_the_victim(client, case)
    outbox = OutboxMessage.objects.get()
    assert outbox.recipient == "alice@example.com"
    assert outbox.purpose == "case.victim_message"
    # She did not say we may say who we are: the email must not name the police.
    assert outbox.subject == "A message from The support team"
    case.refresh_from_db()  # type: ignore[attr-defined]
    # Queued is not contact: the response time is met when it reaches her.
    assert case.first_contact_at is None  # type: ignore[attr-defined]
    outbox_deliver(message_id=outbox.pk)
    outbox.refresh_from_db()
    case.refresh_from_db()  # type: ignore[attr-defined]
    assert case.first_contact_at == outbox.sent_at  # type: ignore[attr-defined]


def test_the_contact_log_and_timeline_say_queued_until_the_message_is_sent(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    response = _email_the_victim(client, case)
    assert response.status_code == 302
    flash = client.get(response["Location"]).content.decode()
    assert "Message queued. The contact log shows when it is sent." in flash
    contact_page = reverse("cases:contact", args=[case.pk])  # type: ignore[attr-defined]
    timeline_page = reverse("cases:timeline", args=[case.pk])  # type: ignore[attr-defined]
    assert "Waiting to be sent" in client.get(contact_page).content.decode()
    timeline = client.get(timeline_page).content.decode()
    assert "Message to the victim queued to send (Email)" in timeline
    assert "Message to the victim sent" not in timeline
    outbox_deliver(message_id=OutboxMessage.objects.get().pk)
    log = client.get(contact_page).content.decode()
    assert "Waiting to be sent" not in log and ">Sent " in log
    assert "Message to the victim sent (Email)" in client.get(timeline_page).content.decode()


@pytest.mark.parametrize(
    ("prefs", "subject"),
    [
        ({"can_say_police": True}, "A message from Demo Police"),
        ({"can_say_police": True, "others_may_read": True}, "A message from The support team"),
    ],
)
def test_an_email_names_the_police_only_when_the_victim_allows_and_reads_alone(
    staff_client: Callable[..., Client], prefs: dict[str, bool], subject: str
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"], **prefs)
    _email_the_victim(client, case)
    assert OutboxMessage.objects.get().subject == subject


def test_the_safe_contact_preferences_can_be_changed(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    url = reverse("cases:safe_contact", args=[case.pk, _victim_id(case)])  # type: ignore[attr-defined]
    client.post(
        url,
        {
            **form_state(client, url),
            "channels": ["phone"],
            "safe_from": "10:00",
            "safe_until": "12:00",
            "others_may_read": "no",
            "can_say_police": "no",
        },
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()  # type: ignore[attr-defined]
    assert "only by phone call; between 10:00 and 12:00" in page


def test_a_text_to_the_victim_goes_through_the_outbox_and_is_checked_again_when_sent(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["text"])
    client.post(
        reverse("cases:contact", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "text",
            "message-body": "I will call on Tuesday.",
        },
    )
    text = OutboxMessage.objects.get(purpose="case.victim_message")
    assert text.channel == "sms"
    assert text.body.endswith("I will call on Tuesday.")
    assert text.contact_id == case.people.get(role="victim").contact_id  # type: ignore[attr-defined]
