"""Sending a report: the report, its files and the audit row commit together or not at all."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.common import sql
from vigil.contact.models import SafeContact
from vigil.reporting.models import (
    Report,
    ReportDraft,
    ReportEvidence,
    ReportStatus,
    ThrottleKind,
)
from vigil.reporting.references import (
    hash_tracking_secret,
    new_reference,
    new_tracking_secret,
)
from vigil.reporting.services.drafting import draft_payload
from vigil.reporting.services.errors import ReportingError, SubmitLimited
from vigil.reporting.services.notices import _queue_received_email
from vigil.reporting.services.throttles import client_address_key, throttle_event_unless_limited
from vigil.reporting.signals import (
    report_submitted,
)

logger = logging.getLogger(__name__)


# A new reference is drawn when one is already taken. With 23**8 possible references that
# almost never happens, so the unique index is the check rather than a query before every insert.
REFERENCE_ATTEMPTS = 5


def _attach_evidence(*, report: Report, draft: ReportDraft) -> int:
    if not draft.file_count:
        return 0
    files = list(draft.files.all())
    if not files:
        return 0
    ReportEvidence.objects.bulk_create(
        [
            ReportEvidence(
                report=report,
                file_id=item.file_id,
                uploaded_at=item.uploaded_at,
            )
            for item in files
        ]
    )
    # The files now belong to the report (the same StoredFile rows); only the draft's rows go.
    draft.files.all().delete()
    return len(files)


def _report_create(
    *, draft: ReportDraft, submission_key: str, address_key: str, payload: dict[str, Any]
) -> Report:
    """One transaction: the report, its files, the draft's new state and the audit row."""
    secret = new_tracking_secret()
    now = timezone.now()
    fields = dict(payload)
    # The victim's one live safe-contact record starts with the report's answers.
    contact = SafeContact(data=fields.pop("safe_contact").to_json())
    reporter_prefs = fields.pop("reporter_safe_contact", None)
    # Someone reporting for another gets their own record, kept apart from the victim's.
    reporter_contact = (
        SafeContact(data=reporter_prefs.to_json()) if reporter_prefs is not None else None
    )
    report = Report(
        reference=new_reference(),
        received_at=now,
        status=ReportStatus.RECEIVED,
        tracking_secret_hash=hash_tracking_secret(secret),
        submission_key=submission_key,
        contact=contact,
        reporter_contact=reporter_contact,
        **fields,
    )
    # Compiled (and the answers encrypted) before the transaction starts. The answers now live
    # in the report; the draft keeps only what the confirmation page needs, until it expires.
    writes = [
        throttle_event_unless_limited(
            kind=ThrottleKind.SUBMIT_ADDRESS,
            key=address_key,
            since=now - datetime.timedelta(hours=1),
            limit=settings.REPORT_SUBMIT_PER_ADDRESS_PER_HOUR,
            now=now,
        ),
        sql.insert_statement(contact),
        *([sql.insert_statement(reporter_contact)] if reporter_contact is not None else []),
        sql.insert_statement(report),
        sql.update_statement(
            ReportDraft,
            {"report": report.pk, "pending_secret": secret, "data": {}, "updated_at": now},
            pk=draft.pk,
        ),
    ]
    try:
        with transaction.atomic():
            _queue_received_email(report)
            if draft.file_count:
                # The files' rows need the report's row first.
                sql.execute_together(Report, writes)
                files = _attach_evidence(report=report, draft=draft)
                audit_record(action="report.submit", target=report, summary={"evidence": files})
            else:
                # Most reports have no files: the writes go in the statement that takes the
                # audit chain's lock, one round trip instead of three (see vigil.common.sql).
                audit_record(
                    action="report.submit",
                    target=report,
                    summary={"evidence": 0},
                    together_with=writes,
                )
    except sql.NothingWritten:  # the rate limit's event was not counted: nothing was kept
        raise SubmitLimited(
            _(
                "We cannot accept more reports from this connection just now. "
                "Please try again later or call 101."
            )
        ) from None
    return report


def report_submit(
    *, draft: ReportDraft, submission_key: str, address: str | None
) -> tuple[Report, bool]:
    """Send the report: the report, its files and the audit row commit together or not at all.

    Returns (report, created). A second call for the same draft (a double click, a retry after
    a lost response) returns the report the first call made: the unique submission key on
    Report makes that hold even between two servers, without locking the draft. The report's
    first "received" entry on the timeline comes from its received time.
    """
    if draft.submission_key != submission_key:
        raise ReportingError(_("This report has already been sent"))
    address_key = client_address_key(address)
    payload = draft_payload(draft.data)
    attempts_left = REFERENCE_ATTEMPTS
    while True:
        try:
            report = _report_create(
                draft=draft,
                submission_key=submission_key,
                address_key=address_key,
                payload=payload,
            )
        except IntegrityError:
            # Either another request for this draft won the race, or the reference was taken.
            existing = Report.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
            attempts_left -= 1
            if not attempts_left:
                # Not a clash of references after all: let it be logged, and the person sees
                # the calm error page with their draft kept.
                raise
            continue
        draft.report = report
        _announce_submitted(report, started_from=str(draft.data.get("started_from") or ""))
        return report, True


def _announce_submitted(report: Report, *, started_from: str) -> None:
    for receiver, result in report_submitted.send_robust(
        sender=Report, report=report, started_from=started_from
    ):
        if isinstance(result, Exception):
            logger.error(
                "A receiver of report_submitted failed (%s) for report %s",
                getattr(receiver, "__name__", receiver),
                report.pk,
                exc_info=result,
            )
