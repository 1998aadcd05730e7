"""Figures for the coordinator's dashboard (vigil.insights): safety plans on high-risk cases.

"High risk in the period": a high-risk assessment was submitted in it (current or since
superseded). "With a current plan": a measure on the case's plan was added by the end of the
period, was wanted (not "not needed") and had not ended before the period began.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from vigil.cases.models import Case, RiskLevel
from vigil.risk.models import RiskAssessment
from vigil.safeguarding.models import MeasureStatus, SafetyMeasure


def _high_risk_in_period(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> QuerySet[Case]:
    assessed = RiskAssessment.objects.filter(
        level=RiskLevel.HIGH, submitted_at__date__gte=start, submitted_at__date__lte=end
    ).values("case_id")
    return cases.filter(pk__in=assessed)


def _with_plan(start: datetime.date, end: datetime.date) -> QuerySet[SafetyMeasure]:
    return (
        SafetyMeasure.objects.filter(created_at__date__lte=end)
        .exclude(status=MeasureStatus.NOT_NEEDED)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )


def high_risk_cases_with_current_plan(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """(high-risk cases in the period with a current plan, high-risk cases in the period)."""
    high = _high_risk_in_period(cases, start, end)
    planned = high.filter(pk__in=_with_plan(start, end).values("plan__case_id"))
    return planned.count(), high.count()


def high_risk_cases(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> QuerySet[Case]:
    """The drill-down behind the total: every high-risk case in the period."""
    return _high_risk_in_period(cases, start, end)


def high_risk_cases_without_plan(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> QuerySet[Case]:
    """The drill-down: high-risk cases in the period with no current plan."""
    high = _high_risk_in_period(cases, start, end)
    return high.exclude(pk__in=_with_plan(start, end).values("plan__case_id"))
