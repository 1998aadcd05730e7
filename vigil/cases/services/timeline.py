"""The case timeline and case references, shared by every part of case management (and other apps).

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases.models import (
    CASE_PREFIX,
    Case,
    TimelineEntry,
)
from vigil.common.references import new_reference


def new_case_reference() -> str:
    while True:
        reference = new_reference(CASE_PREFIX)
        if not Case.objects.filter(reference=reference).exists():
            return reference


def timeline_add(
    *,
    case: Case,
    kind: str,
    title: str,
    actor: User | None,
    detail: str = "",
    occurred_at: datetime.datetime | None = None,
    time_known: bool = True,
) -> TimelineEntry:
    """Add a line to the case's timeline. Other apps (risk, orders, referrals) call this too."""
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
        title=title[:200],
        detail=detail,
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        time_known=time_known,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
    return entry
