from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.cases.tests.factories import make_report
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.models import TrustedContact
from vigil.safety.tests.conftest import add_contact, signed_in

pytestmark = pytest.mark.django_db


def invitation_link(contact: TrustedContact) -> str:
    message = OutboxMessage.objects.get(idempotency_key=f"safety-invite-{contact.pk}-email")
    match = re.search(r"http://testserver(/safety/confirm/[^/\s]+/)", message.body)
    assert match
    return match.group(1)


def test_adding_a_contact_sends_them_a_link_to_agree(alice: Client, report: Report) -> None:
    response = alice.post(
        reverse("safety:contact_add"),
        {"name": "Bob", "email": "bob@example.org", "phone": "", "known_as": "Ally"},
    )
    assert response.status_code == 302
    contact = TrustedContact.objects.get(report=report)
    assert not contact.is_confirmed
    message = OutboxMessage.objects.get(purpose="safety.contact_invite")
    assert message.recipient == "bob@example.org"
    assert "Ally would like you to be one of their trusted contacts" in message.body
    assert report.reference not in message.body
    assert AuditEvent.objects.filter(action="safety.contact.add").exists()


def test_a_contact_needs_an_email_or_a_mobile(alice: Client) -> None:
    response = alice.post(
        reverse("safety:contact_add"), {"name": "Bob", "email": "", "phone": "", "known_as": "A"}
    )
    assert response.status_code == 200
    assert "Enter an email address or a mobile number" in response.content.decode()
    assert not TrustedContact.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [("name", "Their name must be on one line"), ("known_as", "Your name must be on one line")],
)
def test_a_line_break_in_a_name_is_refused_at_the_form(
    alice: Client, field: str, message: str
) -> None:
    """Issue 14, finding 7: it was accepted, then failed in the outbox."""
    answers = {"name": "Bob", "email": "bob@example.org", "phone": "", "known_as": "Ally"}
    answers[field] = "Bob\r\nBcc: someone@example.org"
    response = alice.post(reverse("safety:contact_add"), answers)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "bob@example.org" in page  # the answers are kept
    assert not TrustedContact.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_mobile_number_is_kept_in_international_form(alice: Client, report: Report) -> None:
    alice.post(
        reverse("safety:contact_add"),
        {"name": "Bob", "email": "", "phone": "07700 900982", "known_as": "Ally"},
    )
    contact = TrustedContact.objects.get(report=report)
    assert contact.phone == "+447700900982"
    assert OutboxMessage.objects.get(purpose="safety.contact_invite").channel == "sms"


def test_the_contact_agrees_through_the_link(report: Report) -> None:
    contact = add_contact(report, confirm=False)
    link = invitation_link(contact)
    page = Client().get(link)
    assert "Alice would like you to be a trusted contact" in page.content.decode()
    contact.refresh_from_db()
    assert not contact.is_confirmed  # opening the link (or a link preview) is not agreeing
    response = Client().post(link)
    assert "Thank you" in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_confirmed


def test_a_wrong_link_is_not_found(db: None) -> None:
    response = Client().get(reverse("safety:contact_confirm", kwargs={"token": "nope"}))
    assert response.status_code == 404


def test_an_unconfirmed_contact_gets_no_alert(report: Report) -> None:
    bob = add_contact(report, name="Bob", email="bob@example.org")
    add_contact(report, name="Charlie", email="charlie@example.org", confirm=False)
    alert = services.alert_send_now(report=report, message="Please call me", to_officer=False)
    recipients = [m.recipient for m in OutboxMessage.objects.filter(purpose="safety.alert")]
    assert recipients == [bob.email]
    assert alert.contacts_told == 1


def test_a_removed_contact_gets_nothing_and_their_link_stops_working(
    alice: Client, report: Report
) -> None:
    contact = add_contact(report)
    link = invitation_link(contact)
    response = alice.post(reverse("safety:contact_remove", kwargs={"contact_id": contact.pk}))
    assert response.status_code == 302
    assert not TrustedContact.objects.exists()
    services.alert_send_now(report=report, message="", to_officer=False)
    assert not OutboxMessage.objects.filter(purpose="safety.alert").exists()
    assert Client().get(link).status_code == 404


def test_contact_details_are_encrypted_at_rest(report: Report) -> None:
    contact = add_contact(report, email="bob@example.org")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, email FROM safety_trustedcontact WHERE id = %s", [contact.pk.hex]
        )
        row = cursor.fetchone() or ()
    if not row:  # PostgreSQL keeps UUIDs as uuid, not hex
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, email FROM safety_trustedcontact WHERE id = %s", [str(contact.pk)]
            )
            row = cursor.fetchone()
    assert "Bob" not in row[0] and "bob@example.org" not in row[1]


def test_someone_else_cannot_remove_a_contact(report: Report) -> None:
    contact = add_contact(report)
    stranger = signed_in(make_report())
    response = stranger.post(reverse("safety:contact_remove", kwargs={"contact_id": contact.pk}))
    assert response.status_code == 404
    assert TrustedContact.objects.filter(pk=contact.pk).exists()


def test_the_safety_pages_need_a_tracking_sign_in(db: None) -> None:
    for name in ("safety:hub", "safety:contacts", "safety:timer", "safety:diary"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("reporting:track")
