"""When a closed case is due for review: the one home of the retention rules.

Defaults follow the Management of Police Information review periods (docs/domain.md,
"Retention"); a force sets its own in settings.RETENTION_REVIEW_YEARS. The clock starts at the
later of the case's closure and the victim's own last word on it (a message, a diary entry,
evidence, an incident they reported), so nothing is reviewed away while a victim still adds
to it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max

from vigil.cases.models import Case, CaseOutcome, IncidentSource, RiskLevel
from vigil.records.models import RetentionRule
from vigil.reporting.models import MessageDirection, ReportEvidence, ReportMessage
from vigil.safety.models import DiaryEntry

VICTIM_SOURCES = (IncidentSource.ONLINE_REPORT, IncidentSource.VICTIM)


def rule_for(case: Case) -> str:
    """The longest period that applies: an order or a high risk outlasts the standard one."""
    if case.outcome == CaseOutcome.SPO:
        return RetentionRule.ORDER
    if case.risk_level == RiskLevel.HIGH:
        return RetentionRule.HIGH_RISK
    return RetentionRule.STANDARD


def review_years(rule: str) -> int:
    return int(settings.RETENTION_REVIEW_YEARS[rule])


def add_years(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February into a year that has none
        return moment.replace(year=moment.year + years, day=28)


def case_report_ids(case: Case) -> list[Any]:
    """The online reports the case came from or whose victims it names."""
    ids = set(case.triages.exclude(report=None).values_list("report_id", flat=True))
    ids |= set(case.people.exclude(report=None).values_list("report_id", flat=True))
    return list(ids)


def last_victim_activity(case: Case) -> datetime.datetime | None:
    reports = case_report_ids(case)
    moments = [
        case.incidents.filter(source__in=VICTIM_SOURCES).aggregate(at=Max("created_at"))["at"],
        ReportMessage.objects.filter(
            report_id__in=reports, direction=MessageDirection.FROM_REPORTER
        ).aggregate(at=Max("created_at"))["at"],
        DiaryEntry.objects.filter(report_id__in=reports).aggregate(at=Max("created_at"))["at"],
        ReportEvidence.objects.filter(report_id__in=reports).aggregate(at=Max("created_at"))["at"],
    ]
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def review_due(case: Case) -> tuple[str, datetime.datetime, datetime.datetime]:
    """(rule, counted from, review due) for a closed case."""
    assert case.closed_at is not None, "only closed cases have a review date"
    rule = rule_for(case)
    activity = last_victim_activity(case)
    counted_from = max(case.closed_at, activity) if activity else case.closed_at
    return rule, counted_from, add_years(counted_from, review_years(rule))
