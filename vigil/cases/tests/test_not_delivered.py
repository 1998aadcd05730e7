"""Issue 22: the officer sees on the case when a message to the victim has not reached them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.cases.models import AttentionItem, AttentionKind
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver
from vigil.operations.tests.test_faults import free_port, mailers

pytestmark = pytest.mark.django_db


def _email_the_victim(client: Client, **prefs: Any) -> tuple[Any, OutboxMessage]:
    user = client.user  # type: ignore[attr-defined]
    case = make_case(by=user, officer=user, safe_contact={"channels": ["email"], **prefs})
    victim = case.people.get(role="victim")
    response = client.post(
        reverse("cases:contact", args=[case.pk]),
        {
            "form": "message",
            "message-victim": str(victim.pk),
            "message-channel": "email",
            "message-body": "Please call me back",
        },
    )
    assert response.status_code == 302
    return case, OutboxMessage.objects.get(contact=victim.contact, purpose="case.victim_message")


def _contact_page(client: Client, case: Any) -> str:
    response = client.get(reverse("cases:contact", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_message_queued_but_not_sent_shows_as_not_delivered_yet(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case, _ = _email_the_victim(client)
    page = _contact_page(client, case)
    assert "Messages not delivered yet" in page
    assert "It is queued to send." in page


def test_while_the_mail_server_is_down_the_officer_sees_it_retrying_then_failed(
    staff_client: Callable[..., Client], settings: Any
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2
    client = staff_client(Role.INVESTIGATOR)
    case, message = _email_the_victim(client)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with_mail_down = mailers(free_port())  # nothing listens there
        settings.MAILERS = with_mail_down
        outbox_deliver(message_id=message.pk)
        page = _contact_page(client, case)
        assert "Not delivered yet: retrying" in page
        assert "Next try:" in page
        traveller.shift(3600)
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    page = _contact_page(client, case)
    assert "We tried 2 times and could not deliver it." in page
    # The provider's error can name servers and addresses: it stays with the administrators.
    assert "ConnectionRefused" in message.last_error
    assert "ConnectionRefused" not in page


def test_a_withheld_message_says_why_in_the_victims_terms(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case, message = _email_the_victim(client)
    victim = case.people.get(role="victim")
    contact = victim.contact
    contact.data = {**contact.data, "channels": ["text"]}
    contact.save()
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.WITHHELD
    page = _contact_page(client, case)
    assert "Not sent: not safe for the victim" in page
    assert message.last_error and message.last_error.split(".")[0] in page


def test_a_withheld_message_writes_an_audit_row_on_the_case_it_lands_on(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case, message = _email_the_victim(client)
    contact = case.people.get(role="victim").contact
    contact.data = {**contact.data, "channels": ["text"]}
    contact.save()
    outbox_deliver(message_id=message.pk)
    item = AttentionItem.objects.get(case=case, kind=AttentionKind.WITHHELD)
    row = AuditEvent.objects.get(action="case.message_withheld", target_id=str(case.pk))
    assert row.summary == {"message": str(message.pk), "attention_item": str(item.pk)}


def test_a_delivered_message_is_not_listed(
    staff_client: Callable[..., Client], settings: Any
) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client = staff_client(Role.INVESTIGATOR)
    case, message = _email_the_victim(client)
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert "Messages not delivered yet" not in _contact_page(client, case)
