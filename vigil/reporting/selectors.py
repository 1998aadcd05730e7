"""Reads on reports. Staff reads take the acting user; the reporter's read takes the report id
their tracking session proved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.accounts.models import User
from vigil.reporting.models import Report, ReportDraft, ReportStatus
from vigil.reporting.rules import can_view_reports


def draft_in_session(*, draft_id: Any, sent: bool = False) -> ReportDraft | None:
    """The report in progress whose id the browser session holds, if it has not expired (or,
    with `sent`, the one it has just sent)."""
    if not draft_id:
        return None
    return ReportDraft.objects.filter(
        pk=draft_id, expires_at__gt=timezone.now(), report__isnull=not sent
    ).first()


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
            note=update.public_note or "",
        )
        for update in report.updates.all()
    ]
    entries.append(
        TimelineEntry(when=report.received_at, title=str(ReportStatus.RECEIVED.label), note="")
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def report_list(*, user: User) -> QuerySet[Report]:
    """The intake queue: newest first. Staff outside intake roles see nothing (404)."""
    if not can_view_reports(user):
        raise Http404
    return Report.objects.order_by("-received_at")


def report_get(*, user: User, report_id: Any) -> Report:
    if not can_view_reports(user):
        raise Http404
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report
