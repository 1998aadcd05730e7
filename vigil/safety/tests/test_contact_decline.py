"""A trusted contact can say no from the link in their invitation, or later stop being one; the
victim sees it on her list, and they get no alert (issue 16, point 12)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.models import TrustedContact
from vigil.safety.tests.conftest import add_contact
from vigil.safety.tests.test_contacts import invitation_link

pytestmark = pytest.mark.django_db


def test_the_invitation_page_offers_no_as_well_as_yes(report: Report) -> None:
    contact = add_contact(report, confirm=False)
    link = invitation_link(contact)
    message = OutboxMessage.objects.get(purpose="safety.contact_invite")
    assert "To agree, or to say no, open this link" in message.body
    page = Client().get(link).content.decode()
    assert "I agree to be a trusted contact" in page
    assert "No, I do not want to be a trusted contact" in page


def test_saying_no_means_no_alerts_and_the_victim_sees_it(alice: Client, report: Report) -> None:
    contact = add_contact(report, confirm=False)
    response = Client().post(invitation_link(contact), {"action": "decline"})
    assert response.status_code == 200
    assert "You are not a trusted contact" in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_declined and not contact.is_confirmed
    assert AuditEvent.objects.filter(action="safety.contact.decline").exists()
    listing = alice.get(reverse("safety:contacts")).content.decode()
    assert "Said no: they will not get alerts" in listing
    services.alert_send_now(report=report, message="Please call me", to_officer=False)
    assert (
        not OutboxMessage.objects.filter(recipient=contact.email)
        .exclude(purpose="safety.contact_invite")
        .exists()
    )


def test_someone_who_agreed_can_stop_being_a_contact_and_change_their_mind_again(
    report: Report,
) -> None:
    contact = add_contact(report, confirm=False)
    link = invitation_link(contact)
    Client().post(link, {"action": "agree"})
    contact.refresh_from_db()
    assert contact.is_confirmed
    page = Client().get(link).content.decode()
    assert "I no longer want to be a trusted contact" in page
    Client().post(link, {"action": "decline"})
    contact.refresh_from_db()
    assert contact.is_declined and not contact.is_confirmed
    Client().post(link, {"action": "agree"})
    contact.refresh_from_db()
    assert contact.is_confirmed and not contact.is_declined
    assert TrustedContact.objects.count() == 1
