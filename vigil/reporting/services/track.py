"""Track my report: signing in with reference and secret, and what the reporter adds later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.common.crypto import blind_index
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.services import safe_contact_update
from vigil.reporting.models import (
    MessageDirection,
    Report,
    ReportEvidence,
    ReportMessage,
    TrackingLink,
)
from vigil.reporting.references import (
    DUMMY_SECRET_HASH,
    check_tracking_secret,
    normalise_reference,
)
from vigil.reporting.services.errors import TrackingLocked, TrackingSignInFailed
from vigil.reporting.services.evidence import _accept_evidence
from vigil.reporting.services.throttles import client_address_key
from vigil.reporting.signals import (
    FollowUpKind,
    report_followup,
)
from vigil.reporting.tracking import (
    tracking_failure_record,
    tracking_wait_message,
    tracking_wait_minutes,
)


def report_track_sign_in(*, reference: str, secret: str, address: str | None) -> Report:
    """Check reference + secret. Raises TrackingLocked or TrackingSignInFailed.

    An unknown reference and a wrong secret give the same error after the same work (a hash
    check against a dummy), so the answer does not tell anyone which references exist. Wrong
    tries slow down only the address they came from, never the report (tracking.py says why).
    """
    normalised = normalise_reference(reference)
    address_key = client_address_key(address)
    now = timezone.now()
    wait = tracking_wait_minutes(address_key=address_key, now=now)
    if wait:
        raise TrackingLocked(tracking_wait_message(wait))
    report = Report.objects.filter(reference=normalised).first()
    encoded = report.tracking_secret_hash if report is not None else DUMMY_SECRET_HASH
    matches = check_tracking_secret(secret, encoded)
    if report is not None and matches:
        with transaction.atomic():
            audit_record(action="report.track.sign_in", target=report)
        return report
    with transaction.atomic():
        if tracking_failure_record(address_key=address_key, now=now):
            # Staff can see that someone keeps trying a victim's reference.
            reference_key = blind_index(normalised, purpose="reporting-track-reference")
            audit_record(
                action="report.track.backoff", summary={"reference_key": reference_key[:16]}
            )
    raise TrackingSignInFailed(
        _("The reference or the secret code is not right. Check them and try again.")
    )


def _followup(
    report: Report,
    kind: str,
    detail: str = "",
    changes: list[str] | None = None,
    **about: Any,
) -> None:
    # What lands on the case (timeline, "needs attention", the officer's email) is read by staff
    # in the force's language, whichever language the victim chose for their own pages.
    with translation.override(settings.LANGUAGE_CODE):
        report_followup.send(
            sender=Report, report=report, kind=kind, detail=detail, changes=changes or [], **about
        )


@write_service
def report_message_from_reporter(*, report: Report, body: str) -> ReportMessage:
    message = ReportMessage.objects.create(
        report=report, direction=MessageDirection.FROM_REPORTER, body=body
    )
    audit_record(action="report.message.from_reporter", target=report)
    _followup(report, FollowUpKind.MESSAGE, body)
    return message


@write_service
def report_messages_mark_read(*, report: Report, direction: str, by: Any = None) -> int:
    """The reader has seen the messages sent to them. On record, since "read" is what the other
    side is shown: a member of staff opening the report changes what the reporter sees."""
    marked = report.messages.filter(direction=direction, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        audit_record(
            action="report.messages.read",
            actor=by,
            target=report,
            summary={"direction": direction, "count": marked},
        )
    return marked


@write_service
def report_evidence_add(
    *, report: Report, upload: UploadedFile, address: str | None = None
) -> ReportEvidence:
    already = sum(report.evidence.values_list("file__size", flat=True))
    item = ReportEvidence.objects.create(
        report=report, **_accept_evidence(upload, already_stored=already, address=address)
    )
    audit_record(
        action="report.evidence_add",
        target=report,
        summary={"evidence": str(item.pk), "sha256": item.sha256, "size": item.size},
    )
    _followup(report, FollowUpKind.EVIDENCE, item.original_name, evidence=item)
    return item


@write_service
def report_incident_add(*, report: Report, incident: dict[str, Any]) -> Report:
    """A new incident told after the report was sent; staff see when it was added."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    details = dict(locked.details)
    incidents = list(details.get("incidents", []))
    added = {**incident, "added_at": timezone.now().isoformat()}
    incidents.append(added)
    details["incidents"] = incidents
    locked.details = details
    locked.save(update_fields=["details", "updated_at"])
    audit_record(action="report.incident_add", target=locked, summary={"count": len(incidents)})
    _followup(locked, FollowUpKind.INCIDENT, str(incident.get("what_happened", "")), incident=added)
    return locked


@write_service
def report_contact_update(*, report: Report, prefs: SafeContactPrefs) -> Report:
    """New safe ways and times to contact: the old ones stop being used at once, everywhere
    (the report and its case share one record, and the outbox reads it again at send time)."""
    # The signed-in person's own record: the reporter's when they reported for someone else.
    record = report.tracker_contact
    before, after = safe_contact_update(record=record, prefs=prefs, by=None, source="report.track")
    # A sign-in link sent under the old answers stops for good: were email taken off and put
    # back, an old link in an inbox someone else now reads would otherwise work again.
    now = timezone.now()
    TrackingLink.objects.filter(report=report, used_at=None, revoked_at=None).update(
        revoked_at=now, updated_at=now
    )
    audit_record(action="report.contact_update", target=report)
    with translation.override(settings.LANGUAGE_CODE):  # words for the case: see _followup
        changes = after.changes_from(before)
    # Only the victim's own wishes are news for the case (its victim shares that record); the
    # reporter's change is in the audit log and on the report's page.
    if changes and record.pk == report.contact_id:
        _followup(report, FollowUpKind.CONTACT, changes=changes)
    return report


@write_service
def report_withdraw(*, report: Report, reason: str) -> Report:
    """The reporter asks us to take it no further. Staff decide what that means for safety;
    the request is recorded, never hidden."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        audit_record(action="report.withdraw", target=locked)
        _followup(locked, FollowUpKind.WITHDRAWAL, reason)
    return locked
