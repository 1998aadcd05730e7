"""Contact with the victim: logged contact and messages, always through the safe contact.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError, ContactRefused
from vigil.cases.models import (
    Case,
    CasePerson,
    ContactChannel,
    ContactDirection,
    ContactLogEntry,
    IdentifierKind,
    PersonRole,
    TimelineKind,
    VictimsCodeDuty,
)
from vigil.cases.policy import (
    names_in_text,
)
from vigil.cases.services.timeline import timeline_add
from vigil.cases.services.victims_code import duty_settle
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.services import (
    report_message_to_reporter,
)


def _check_or_refuse(
    *,
    victim: CasePerson,
    channel: str,
    at: datetime.datetime,
    voicemail: bool = False,
    may_wait: bool = False,
) -> bool:
    """Refuse contact the victim's live wishes do not allow. With `may_wait`, a queued message
    refused only for the day or hour is allowed to wait (True): the outbox holds it until their
    next safe time and checks their wishes again when it sends."""
    if channel == ContactChannel.ONLINE_REPORT:
        # The reporter reads it only when they sign in to track their report: nothing is pushed.
        if victim.report_id is None:
            raise ContactRefused(_("This victim did not report online."))
        assert victim.report is not None
        if victim.report.reported_by_other:
            # Its messages are read by whoever made the report, not by the victim (issue 16).
            raise ContactRefused(
                _(
                    "Someone else made this online report: a message there goes to them, not "
                    "to the victim. Message the person who reported from the report's page."
                )
            )
        return False
    # The live record, read now: the victim may have changed it on "track my report" a moment
    # ago.
    victim.refresh_from_db(fields=["contact"])
    result = victim.contact_prefs.check(
        channel=channel, at=timezone.localtime(at), voicemail=voicemail
    )
    if result.allowed:
        return False
    if may_wait and result.can_wait:
        return True
    raise ContactRefused(result.reason)


def _first_contact(case: Case, at: datetime.datetime, channel: str) -> None:
    # A message left on "track my report" is read only when the victim next signs in, which may
    # be days away: it does not meet the response time, which asks that we reach them.
    if channel == ContactChannel.ONLINE_REPORT:
        return
    if case.first_contact_at is None:
        case.first_contact_at = at
        case.save(update_fields=["first_contact_at", "updated_at"])


@write_service
def contact_log(
    *,
    case: Case,
    victim: CasePerson,
    channel: str,
    direction: str,
    summary: str,
    by: User,
    at: datetime.datetime | None = None,
    left_voicemail: bool = False,
    record_against_wishes: bool = False,
) -> ContactLogEntry:
    """Log a call, visit or letter. Contact we make must use a channel and time marked safe.

    A contact that already happened against the victim's wishes (a call outside their safe
    hours) is still a fact of the case: with `record_against_wishes` it is recorded with the
    warning, on the log and the timeline, rather than lost.
    """
    at = at or timezone.now()
    against_wishes = ""
    if direction == ContactDirection.TO_VICTIM:
        try:
            _check_or_refuse(victim=victim, channel=channel, at=at, voicemail=left_voicemail)
        except ContactRefused as refused:
            if not record_against_wishes:
                raise ContactRefused(
                    _(
                        "%(reason)s If this contact really happened, tick “It happened: "
                        "record it with this warning”."
                    )
                    % {"reason": refused.messages[0]}
                ) from None
            against_wishes = refused.messages[0]
    entry = ContactLogEntry.objects.create(
        case=case,
        victim=victim,
        channel=channel,
        direction=direction,
        at=at,
        summary=summary,
        left_voicemail=left_voicemail,
        against_wishes=against_wishes,
        by=by,
    )
    _first_contact(case, at, channel)
    title = f"{entry.get_channel_display()}, {entry.get_direction_display().lower()}"
    if against_wishes:
        title = _("%(contact)s, against the victim's wishes") % {"contact": title}
    timeline_add(
        case=case,
        kind=TimelineKind.CONTACT,
        title=title,
        detail=f"{against_wishes}\n{summary}" if against_wishes else summary,
        actor=by,
        occurred_at=at,
    )
    audit_record(
        action="case.contact.log",
        actor=by,
        target=case,
        summary={"channel": channel, "against_wishes": bool(against_wishes)},
    )
    return entry


@write_service
def victim_message_send(
    *,
    case: Case,
    victim: CasePerson,
    channel: str,
    body: str,
    by: User,
    wait_for_safe_time: bool = False,
    tells: VictimsCodeDuty | None = None,
) -> ContactLogEntry:
    """Send a message to the victim, only by a channel and at a time they marked safe.

    An officer sending by hand is told when now is not a safe time; a message nobody watches
    (a court decision) passes `wait_for_safe_time` and goes at their next safe time instead.
    An email or a text is only queued here: the log and the timeline say so, and a Victims'
    Code duty it `tells` her about is done when the outbox delivers it: the caller settles
    the duty (`duty_settle`) once every victim's messages are queued.
    """
    now = timezone.now()
    if channel not in {ContactChannel.EMAIL, ContactChannel.TEXT, ContactChannel.ONLINE_REPORT}:
        raise CaseError(_("Messages go by email, text or the online report."))
    waits = _check_or_refuse(victim=victim, channel=channel, at=now, may_wait=wait_for_safe_time)
    if channel != ContactChannel.ONLINE_REPORT and victim.contact_prefs.others_may_read:
        # Refused, not only warned: if the person she fears reads it, a warning helps nobody.
        suspects = [p.name for p in case.people.filter(role=PersonRole.SUSPECT)]
        if names_in_text(body, suspects):
            raise ContactRefused(
                _(
                    "The victim said someone else may read their messages, and this message "
                    "names the suspect. Take the name out, or send it on their online report "
                    "or say it in a call at a safe time."
                )
            )
    queued: OutboxMessage | None = None
    if channel == ContactChannel.ONLINE_REPORT:
        assert victim.report is not None
        report_message_to_reporter.as_step(report=victim.report, body=body, by=by)
    elif channel == ContactChannel.EMAIL:
        address = victim.identifiers.filter(kind=IdentifierKind.EMAIL).first()
        if address is None:
            raise ContactRefused(_("There is no email address for this victim."))
        entry_key = secrets.token_hex(8)
        queued = outbox_enqueue(
            channel="email",
            recipient=address.value,
            # Named as the victim allowed: someone else may see the email.
            subject=_("A message from %(sender)s") % {"sender": victim.contact_prefs.sender_name()},
            body=body,
            purpose="case.victim_message",
            idempotency_key=f"case-message-{case.pk}-{entry_key}",
            contact=victim.contact,
        )
    else:
        number = victim.identifiers.filter(kind=IdentifierKind.PHONE).first()
        if number is None:
            raise ContactRefused(_("There is no phone number for this victim."))
        # A text shows on a lock screen: signed only as the victim allowed, like an email.
        queued = outbox_enqueue(
            channel="sms",
            recipient=number.value,
            subject="",
            body=_("%(sender)s: %(body)s")
            % {"sender": victim.contact_prefs.sender_name(), "body": body},
            purpose="case.victim_message",
            idempotency_key=f"case-text-{case.pk}-{secrets.token_hex(8)}",
            contact=victim.contact,
        )
    entry = ContactLogEntry.objects.create(
        case=case,
        victim=victim,
        channel=channel,
        direction=ContactDirection.TO_VICTIM,
        at=now,
        summary=body,
        by=by,
        message=queued,
        tells=tells,
    )
    if queued is None:
        title = _("Message to the victim (%(channel)s)") % {"channel": entry.get_channel_display()}
    elif queued.status == OutboxStatus.WITHHELD:
        title = _("Message to the victim not sent (%(channel)s)") % {
            "channel": entry.get_channel_display()
        }
    elif waits:
        title = _("Message to the victim queued for their next safe time (%(channel)s)") % {
            "channel": entry.get_channel_display()
        }
    else:
        title = _("Message to the victim queued to send (%(channel)s)") % {
            "channel": entry.get_channel_display()
        }
    timeline_add(
        case=case, kind=TimelineKind.MESSAGE, title=title, detail=body, actor=by, occurred_at=now
    )
    audit_record(action="case.message.send", actor=by, target=case, summary={"channel": channel})
    return entry


def _message_outcome(
    *,
    message: OutboxMessage,
    title: str | None,
    action: str,
    delivered_at: datetime.datetime | None = None,
) -> list[ContactLogEntry]:
    """What the outbox's last word on a message means for each case it was logged on: a
    timeline line and an audit row (when `title` is given), the first-contact time (when it
    was `delivered_at`), and the duty it tells her of settled again."""
    entries = list(ContactLogEntry.objects.filter(message=message).select_related("case"))
    for entry in entries:
        if delivered_at is not None:
            _first_contact(entry.case, delivered_at, entry.channel)
        if title is not None:
            timeline_add(
                case=entry.case,
                kind=TimelineKind.MESSAGE,
                title=title % {"channel": entry.get_channel_display()},
                actor=None,
                occurred_at=delivered_at,
            )
            audit_record(
                action=action,
                target=entry.case,
                summary={"channel": entry.channel, "entry": str(entry.pk)},
            )
        if entry.tells_id is not None:
            assert entry.tells is not None
            duty_settle.as_step(duty=entry.tells, by=None)
    return entries


@write_service
def victim_message_delivered(*, message: OutboxMessage) -> list[ContactLogEntry]:
    """The outbox delivered a message to the victim: now, not when it was queued, she has
    been contacted (the first-contact time) and told what it says (a duty it tells her of).
    Runs in the outbox's audited transaction, from `message_sent`."""
    return _message_outcome(
        message=message,
        title=_("Message to the victim sent (%(channel)s)"),
        action="case.message.delivered",
        delivered_at=message.sent_at or timezone.now(),
    )


@write_service
def victim_message_undelivered(*, message: OutboxMessage) -> list[ContactLogEntry]:
    """The outbox withheld a message to the victim or gave up on it: a duty it was to tell
    her of stays open, with a task for the officer (`duty_settle`). Runs in the outbox's
    audited transaction, from `message_withheld` / `message_failed`."""
    failed = message.status == OutboxStatus.FAILED
    return _message_outcome(
        message=message,
        # Withheld messages have their own line and attention item (followups).
        title=_("A message to the victim could not be delivered (%(channel)s)") if failed else None,
        action="case.message.failed",
    )
