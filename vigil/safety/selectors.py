"""Reads for the safety tools. The victim's reads take the report their tracking session proved
(reference + secret on "track my report"); anything not on that report is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vigil.reporting.models import Report
from vigil.safety.models import CheckInTimer, DiaryEntry, SafetyAlert, TimerStatus, TrustedContact


def contact_list(*, report: Report) -> QuerySet[TrustedContact]:
    return TrustedContact.objects.filter(report=report)


def contact_get(*, report: Report, contact_id: Any) -> TrustedContact:
    contact = TrustedContact.objects.filter(report=report, pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def diary_list(*, report: Report) -> QuerySet[DiaryEntry]:
    return DiaryEntry.objects.filter(report=report).prefetch_related("files__file")


def diary_entry_get(*, report: Report, entry_id: Any) -> DiaryEntry:
    entry = diary_list(report=report).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def alerts_for_case(*, case: Any) -> QuerySet[SafetyAlert]:
    """For a case page the acting officer may already see (the case selector checked that)."""
    return SafetyAlert.objects.filter(case=case)


def timer_last_alerted(*, report: Report) -> SafetyAlert | None:
    """The alert of the victim's latest timer, if that timer ran out (or was ended by "send an
    alert now"): the timer page says so rather than showing an empty form."""
    latest = CheckInTimer.objects.filter(report=report).first()
    if latest is None or latest.status != TimerStatus.ALERTED:
        return None
    return SafetyAlert.objects.filter(timer=latest).first()
