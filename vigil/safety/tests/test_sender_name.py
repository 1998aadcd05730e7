"""Issue 14, finding 7: the trusted-contact invite and the timer alert follow the victim's one
sender rule; a contact may live with, or know, the person she fears."""

from __future__ import annotations

from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.tests.conftest import add_contact


def test_the_invite_is_signed_discreetly_when_she_said_not_to_name_the_police(
    report: Report,
) -> None:
    add_contact(report, confirm=False)
    invite = OutboxMessage.objects.get(purpose="safety.contact_invite")
    assert "Stalking and harassment" not in invite.body
    assert "The support team" in invite.body


def test_the_alert_is_signed_discreetly_too(report: Report) -> None:
    add_contact(report)
    services.alert_send_now(report=report, message="Please call me", to_officer=False)
    alert = OutboxMessage.objects.get(purpose="safety.alert")
    assert "Stalking and harassment" not in alert.body
    assert "The support team" in alert.body
