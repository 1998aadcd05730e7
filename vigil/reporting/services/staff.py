"""What staff do to a report: move it on, write to the reporter, open it (audited).
`cases` calls report_status_update and report_message_to_reporter."""

from __future__ import annotations

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.reporting.models import (
    MessageDirection,
    Report,
    ReportMessage,
    ReportStatus,
    ReportUpdate,
)
from vigil.reporting.services.notices import report_message_notice


@write_service
def report_status_update(
    *, report: Report, status: str, by: User | None, public_note: str = ""
) -> ReportUpdate:
    """Move a report on and tell the reporter in plain words (shown on "track my report")."""
    if status not in ReportStatus.values:
        raise ValueError(f"Unknown report status {status!r}")
    report.status = status
    report.save(update_fields=["status", "updated_at"])
    update = ReportUpdate.objects.create(
        report=report, status=status, public_note=public_note, author=by
    )
    audit_record(action="report.status", actor=by, target=report, summary={"status": status})
    return update


@write_service
def report_message_to_reporter(*, report: Report, body: str, by: User) -> ReportMessage:
    """An officer's message, read by the reporter when they sign in to track the report.

    The message itself is never sent anywhere; the reporter is only told that one is waiting,
    and only by an email address they marked safe (see report_message_notice).
    """
    message = ReportMessage.objects.create(
        report=report, direction=MessageDirection.TO_REPORTER, body=body, author=by
    )
    audit_record(action="report.message.to_reporter", actor=by, target=report)
    report_message_notice(report=report)
    return message


def report_open_for_staff(*, report: Report, by: User) -> Report:
    """Every time a member of staff opens a report, it is recorded."""
    audit_record(action="report.view", actor=by, target=report)
    return report
