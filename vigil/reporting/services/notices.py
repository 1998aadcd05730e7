"""What the reporter is told by email: only to an address they marked safe."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.models import (
    MessageDirection,
    Report,
    ReporterType,
)


def safe_email_address(report: Report) -> str:
    """The address to email about this report, or "" when email is not a safe way to contact
    the person who made it. Someone reporting for another is written to by their own record
    and address, never the victim's (who may not know about the report)."""
    if "email" not in report.tracker_prefs.channels:
        return ""
    if report.reporter_type == ReporterType.VICTIM:
        return str(report.victim.get("email", ""))
    if report.reporter_contact_id is not None:
        return str(report.reporter.get("email", ""))
    # A report from before the reporter had their own record (issue 16).
    return str(report.reporter.get("email", "") or report.victim.get("email", ""))


def _queue_received_email(report: Report) -> None:
    """Only to an address marked safe; nothing about what happened, and the police are not
    named unless the person said we may say who we are. If someone else may read the inbox,
    not even the reference: with it, that person could follow the report."""
    recipient = safe_email_address(report)
    if not recipient:
        return
    prefs = report.tracker_prefs
    if prefs.may_carry_reference and report.reporter_contact_id is not None:
        # Someone reporting for another, in an inbox only they read: say who we will contact
        # (issue 16), never the victim's name.
        who = (
            _(
                "We will contact you in the ways you chose. We will not contact the person it "
                "is happening to unless we must to keep them safe, and we will try to talk to "
                "you first."
            )
            if report.contact_prefs.third_party_caution
            else _(
                "We will contact you in the ways you chose, and may also contact the person it "
                "is happening to in the ways you told us are safe for them."
            )
        )
        body = _(
            "Thank you. We have received what you sent us.\n\n%(who)s\n\n"
            "Your reference is %(reference)s. Keep it with your secret code to check for "
            "updates.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
        ) % {"who": who, "reference": report.reference, "sender": prefs.sender_name()}
    elif prefs.may_carry_reference:
        body = _(
            "Thank you. We have received what you sent us.\n\n"
            "Your reference is %(reference)s. Keep it with your secret code to check for "
            "updates.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
        ) % {"reference": report.reference, "sender": prefs.sender_name()}
    else:
        body = _(
            "Thank you. We have received what you sent us.\n\n"
            "If you are in danger now, call 999.\n\n%(sender)s"
        ) % {"sender": prefs.sender_name()}
    outbox_enqueue(
        channel=Channel.EMAIL,
        recipient=recipient,
        subject=str(_("We have received your message")),
        body=str(body),
        purpose="report.received",
        idempotency_key=f"report-received-{report.pk}",
        contact=report.tracker_contact,
    )


def report_message_notice(*, report: Report) -> None:
    """Tell the reporter a message is waiting, only by an email address they marked safe, and
    without a word of the message itself (they read it after signing in)."""
    recipient = safe_email_address(report)
    oldest_unread = (
        report.messages.filter(direction=MessageDirection.TO_REPORTER, read_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if not recipient or oldest_unread is None:
        return
    body = _(
        "You have a new message. Sign in with your reference and secret code to read it."
        "\n\nIf you are in danger now, call 999.\n\n%(sender)s"
    ) % {"sender": report.tracker_prefs.sender_name()}
    with transaction.atomic():
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=recipient,
            subject=str(_("You have a new message")),
            body=str(body),
            purpose="report.message_waiting",
            # One notice until they have read their messages, however many arrive meanwhile.
            idempotency_key=f"report-message-waiting-{oldest_unread.pk}",
            contact=report.tracker_contact,
        )
