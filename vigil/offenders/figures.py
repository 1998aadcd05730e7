"""Stalking Protection Order figures for the coordinator (insights reads these).

Each figure counts orders protecting any of the given cases (the caller's scope), by the dated
steps in the window: an order considered in March and granted in May counts as considered in
March and granted in May.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.cases.models import Case
from vigil.offenders.models import NotificationDue, OrderStep, StalkingProtectionOrder, StepKind

STAGES: dict[str, str] = {
    "considered": StepKind.CONSIDERED,
    "not_pursued": StepKind.NOT_PURSUED,
    "applied": StepKind.APPLIED,
    "interim": StepKind.INTERIM,
    "granted": StepKind.FULL,
    "breached": StepKind.BREACH,
}


def _orders_of(cases: QuerySet[Case]) -> QuerySet[StalkingProtectionOrder]:
    return StalkingProtectionOrder.objects.filter(protected_cases__in=cases.values("pk")).distinct()


def _steps(cases: QuerySet[Case], start: datetime.date, end: datetime.date, kind: str) -> Any:
    return OrderStep.objects.filter(
        order__in=_orders_of(cases).values("pk"), kind=kind, on__gte=start, on__lte=end
    )


def spo_pipeline(cases: QuerySet[Case], start: datetime.date, end: datetime.date) -> dict[str, int]:
    """How many orders reached each stage between `start` and `end` (both days included)."""
    return {
        name: _steps(cases, start, end, kind).values("order").distinct().count()
        for name, kind in STAGES.items()
    }


def notifications_overdue(cases: QuerySet[Case], at: datetime.datetime) -> int:
    """Notifications (s9) overdue at `at`: due before that day and not received by it."""
    day = timezone.localdate(at)
    return (
        NotificationDue.objects.filter(
            order__in=_orders_of(cases).values("pk"), due_on__lt=day, created_at__lte=at
        )
        .filter(Q(received_on=None) | Q(received_on__gt=day))
        .count()
    )


def spo_cases(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date, *, stage: str
) -> QuerySet[Case]:
    """The drill-down behind one figure of `spo_pipeline`: the cases those orders protect."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    orders = _steps(cases, start, end, STAGES[stage]).values("order")
    return cases.filter(
        pk__in=StalkingProtectionOrder.protected_cases.through.objects.filter(
            stalkingprotectionorder__in=orders
        ).values("case")
    )
