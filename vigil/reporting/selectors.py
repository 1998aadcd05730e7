"""Reads on reports. Staff reads take the acting user; the reporter's read takes the report id
their tracking session proved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from vigil.accounts.models import User
from vigil.audit.services import audit_denied
from vigil.common import sql
from vigil.reporting.models import Report, ReportDraft, ReportStatus
from vigil.reporting.rules import can_view_reports


def draft_for_browser(*, draft_id: Any, sent: bool = False) -> ReportDraft | None:
    """The report in progress whose id the browser holds (vigil.reporting.drafts), if it has not
    expired (or, with `sent`, the one it has just sent).

    Every page of the report reads it, and "Send report" must read it before writing anything,
    so the statement is compiled once (vigil.common.sql) rather than built per request."""
    if not draft_id:
        return None
    try:
        pk = uuid.UUID(str(draft_id))
    except ValueError:
        return None
    return sql.fetch_one(
        ReportDraft,
        _DRAFT_SENT if sent else _DRAFT_IN_PROGRESS,
        [
            sql.prepare_value(ReportDraft, "id", pk),
            sql.prepare_value(ReportDraft, "expires_at", timezone.now()),
        ],
    )


_DRAFT_IN_PROGRESS = "id = %s AND expires_at > %s AND report_id IS NULL"
_DRAFT_SENT = "id = %s AND expires_at > %s AND report_id IS NOT NULL"


def report_for_tracking(*, report_id: Any) -> Report | None:
    if not report_id:
        return None
    return Report.objects.filter(pk=report_id).first()


@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    title: str
    note: str


def report_timeline(*, report: Report) -> list[TimelineEntry]:
    """What the reporter sees: status changes and public notes only, never staff notes.

    Sending a report writes no update row: the first entry, "Received", is its received time."""
    entries = [
        TimelineEntry(
            when=update.created_at,
            title=str(ReportStatus(update.status).label),
            # Staff actions write their note in the staff's language; the ones Vigil writes are
            # catalogue sentences, so the reporter reads them in the language they chose.
            note=gettext(update.public_note) if update.public_note else "",
        )
        for update in report.updates.all()
    ]
    entries.append(
        TimelineEntry(when=report.received_at, title=str(ReportStatus.RECEIVED.label), note="")
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def report_list(*, user: User) -> QuerySet[Report]:
    """Reports `user` may see, newest first: untriaged ones for intake roles, triaged ones
    through their case (vigil/reporting/querysets.py). Staff who may see none get 404."""
    if not can_view_reports(user):
        raise Http404
    return Report.objects.visible_to(user).order_by("-received_at")


def report_get(*, user: User, report_id: Any, action: str = "view") -> Report:
    """The report, if in `user`'s scope for `action`; else 404, audited as denied."""
    report = Report.objects.visible_to(user, action).filter(pk=report_id).first()
    if report is None or not can_view_reports(user):
        audit_denied(actor=user, target_type="reporting.report", target_id=report_id, action=action)
        raise Http404
    return report
