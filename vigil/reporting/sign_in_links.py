"""Signing in to "track my report" with a one-time link sent to a safe email address.

The person asking may be the one the reporter fears, with an old note of the reference or a
guess at the email address. So:

- Asking always gets the same answer after the same work. Whether the reference exists, whether
  email is a safe way to contact the reporter and whether the typed address is theirs is only
  checked afterwards, by the worker (`tracking_link_send`), so not even the response time says.
- A link goes only to the address the reporter marked safe, and only when the person typed
  that address. The email says nothing about the report.
- Only a keyed hash of the token is stored, so a copy of the database cannot be used to sign in.
  A link works once, for REPORT_TRACK_LINK_MINUTES, and a newer link stops older ones working,
  as does the reporter telling us that email is no longer safe or giving another address.
- Opening the link signs nobody in: mail scanners open links. Signing in takes a button press.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.common import deferred
from vigil.common.crypto import blind_index
from vigil.common.urls import absolute_url
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.models import Report, ThrottleEvent, ThrottleKind, TrackingLink
from vigil.reporting.references import normalise_reference
from vigil.reporting.services import (
    ReportingError,
    client_address_key,
    safe_email_address,
    throttle_limit_reached,
)

TOKEN_BYTES = 32


class TrackingLinkRefused(ReportingError):
    """The link is unknown, used, replaced by a newer one, too old, or went to an address that
    is no longer the reporter's safe one."""


def _token_hash(token: str) -> str:
    return blind_index(token, purpose="reporting-track-link-token")


def _email_index(email: str) -> str:
    """A keyed hash of the address as the person would recognise it: case and spaces do not
    matter. Comparing hashes of equal length takes the same time wherever they differ."""
    normalised = "".join(email.split()).lower()
    return blind_index(normalised, purpose="reporting-track-link-email")


def _reference_key(reference: str) -> str:
    return blind_index(normalise_reference(reference), purpose="reporting-track-reference")


def _at_limit(kind: str, key: str, *, hours: int, limit: int) -> bool:
    since = timezone.now() - datetime.timedelta(hours=hours)
    return throttle_limit_reached(kind=kind, key=key, since=since, limit=limit)


def _queue_send(report_id: str, email_index: str) -> None:
    deferred.enqueue("vigil.reporting.tasks.tracking_link_send_task", report_id, email_index)


def tracking_link_request(*, reference: str, email: str, address: str | None) -> None:
    """Someone asks for a sign-in link. Nothing is decided here, and nothing is returned: the
    worker decides whether to send one, so every request looks and takes the same."""
    now = timezone.now()
    address_key = client_address_key(address)
    limit = settings.REPORT_TRACK_LINK_REQUESTS_PER_ADDRESS_PER_HOUR
    with transaction.atomic():
        if _at_limit(ThrottleKind.LINK_ADDRESS, address_key, hours=1, limit=limit):
            audit_record(action="report.track.link_refused", summary={"reason": "address_limit"})
            return
        ThrottleEvent.objects.create(
            kind=ThrottleKind.LINK_ADDRESS, key=address_key, created_at=now
        )
        # A lookup by the unique index costs the same whether or not the reference exists.
        report_id = (
            Report.objects.filter(reference=normalise_reference(reference))
            .values_list("pk", flat=True)
            .first()
        )
        audit_record(
            action="report.track.link_request",
            summary={"reference_key": _reference_key(reference)[:16]},
        )
        transaction.on_commit(partial(_queue_send, str(report_id or ""), _email_index(email)))


def _refuse(report: Report, reason: str) -> str:
    audit_record(action="report.track.link_refused", target=report, summary={"reason": reason})
    return "refused"


def tracking_link_send(*, report_id: str, email_index: str) -> str:
    """Run by the worker for every request: send a link only if the reference exists, email is
    a safe way to contact the reporter, and the typed address is the one they gave us.

    Returns what happened ("sent", "refused" or "unknown"), for the task's result.
    """
    if not report_id:
        return "unknown"
    with transaction.atomic():
        # Locked, so two requests at once cannot both squeeze under the daily limit.
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return "unknown"
        recipient = safe_email_address(report)
        matches = hmac.compare_digest(email_index, _email_index(recipient))
        if not recipient:
            return _refuse(report, "no_safe_email")
        if not report.tracker_prefs.may_carry_reference:
            # Someone else reads that inbox: a link there would let them into the report.
            return _refuse(report, "others_may_read")
        if not matches:
            return _refuse(report, "email_does_not_match")
        reference_key = _reference_key(report.reference)
        limit = settings.REPORT_TRACK_LINKS_PER_REFERENCE_PER_DAY
        if _at_limit(ThrottleKind.LINK_REFERENCE, reference_key, hours=24, limit=limit):
            return _refuse(report, "reference_limit")
        now = timezone.now()
        revoked = TrackingLink.objects.filter(
            report=report, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, updated_at=now)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        minutes = settings.REPORT_TRACK_LINK_MINUTES
        link = TrackingLink.objects.create(
            report=report,
            token_hash=_token_hash(token),
            expires_at=now + datetime.timedelta(minutes=minutes),
            recipient_index=_email_index(recipient),
        )
        ThrottleEvent.objects.create(
            kind=ThrottleKind.LINK_REFERENCE, key=reference_key, created_at=now
        )
        _queue_link_email(report=report, link=link, token=token, recipient=recipient)
        audit_record(
            action="report.track.link_sent",
            target=report,
            summary={"link": str(link.pk), "older_links_stopped": revoked},
        )
    return "sent"


def _queue_link_email(*, report: Report, link: TrackingLink, token: str, recipient: str) -> None:
    """Nothing about the report, and the police are not named unless the reporter said we may
    say who we are: someone else may see the email."""
    sender = report.tracker_prefs.sender_name()
    body = _(
        "Here is the sign-in link you asked for. It works once, for the next %(minutes)s "
        "minutes:\n\n%(url)s\n\n"
        "If you did not ask for it, you do not need to do anything. If you are worried, "
        "call 101.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
    ) % {
        "minutes": settings.REPORT_TRACK_LINK_MINUTES,
        "url": absolute_url("reporting:track_link", token),
        "sender": sender,
    }
    outbox_enqueue(
        channel=Channel.EMAIL,
        recipient=recipient,
        subject=str(_("Your sign-in link")),
        body=str(body),
        purpose="report.track_link",
        idempotency_key=f"report-track-link-{link.pk}",
        contact=report.tracker_contact,
    )


def _why_unusable(link: TrackingLink | None, now: datetime.datetime) -> str:
    """Empty if the link may sign someone in; else the reason, for the audit log."""
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "replaced"
    if link.expires_at <= now:
        return "expired"
    # The reporter may have found that someone else reads that inbox, and told us so.
    if not hmac.compare_digest(link.recipient_index, _email_index(safe_email_address(link.report))):
        return "email_no_longer_safe"
    if not link.report.tracker_prefs.may_carry_reference:
        return "others_may_read"
    return ""


def tracking_link_is_usable(*, token: str) -> bool:
    """Whether pressing "Sign in" would work. Only reads: opening a link changes nothing."""
    link = (
        TrackingLink.objects.select_related("report").filter(token_hash=_token_hash(token)).first()
    )
    return not _why_unusable(link, timezone.now())


def tracking_link_use(*, token: str, address: str | None = None) -> Report:
    """Sign in with a link: it is used up in the same transaction as its audit row. Claiming it
    is one conditional update, so two presses at the same moment sign in only once."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            TrackingLink.objects.select_related("report")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        reason = _why_unusable(link, now)
        if link is not None and not reason:
            claimed = TrackingLink.objects.filter(
                pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            ).update(used_at=now, updated_at=now)
            if claimed:
                audit_record(
                    action="report.track.link_used",
                    target=link.report,
                    summary={"link": str(link.pk)},
                )
                return link.report
            reason = "used"
        _record_refused_use(link, reason, address=address, now=now)
    raise TrackingLinkRefused(_("This sign-in link has expired or has already been used."))


def _record_refused_use(
    link: TrackingLink | None, reason: str, *, address: str | None, now: datetime.datetime
) -> None:
    """Audit a refused press, but not endlessly: someone pressing made-up links from one
    address must not be able to fill the audit log (its writes queue on one lock)."""
    address_key = client_address_key(address)
    limit = settings.REPORT_TRACK_LINK_REQUESTS_PER_ADDRESS_PER_HOUR
    if _at_limit(ThrottleKind.LINK_ADDRESS, address_key, hours=1, limit=limit):
        return
    ThrottleEvent.objects.create(kind=ThrottleKind.LINK_ADDRESS, key=address_key, created_at=now)
    audit_record(
        action="report.track.link_refused",
        target=link.report if link is not None else None,
        summary={"reason": reason},
    )


def tracking_links_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete links that can no longer sign anyone in; the audit log keeps their story."""
    now = now or timezone.now()
    deleted, _per_model = TrackingLink.objects.filter(expires_at__lt=now).delete()
    return deleted
