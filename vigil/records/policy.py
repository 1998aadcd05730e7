"""When a record is due for review: the one home of the retention rules.

Defaults follow the Management of Police Information review periods (docs/domain.md,
"Retention"); a force sets its own in settings.RETENTION_REVIEW_YEARS. The clock starts at the
later of the case's closure and the victim's own last word on it (a message, a diary entry,
evidence, an incident they reported), so nothing is reviewed away while a victim still adds
to it. A report that never became a case (never triaged, or withdrawn) and a phone report never
triaged are reviewed on their own, counted from their last activity; a report that is part of
a case is reviewed with the case.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max

from vigil.cases.models import (
    Case,
    CaseOutcome,
    CasePerson,
    CaseStatus,
    IncidentSource,
    PhoneReport,
    RiskLevel,
    Triage,
)
from vigil.records.models import RecordKind, RetentionRule
from vigil.reporting.models import MessageDirection, Report, ReportEvidence, ReportMessage
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


RetentionRecord = Case | Report | PhoneReport

RECORD_FIELD: dict[str, str] = {
    RecordKind.CASE: "case",
    RecordKind.REPORT: "report",
    RecordKind.PHONE_REPORT: "phone_report",
}
RECORD_MODEL: dict[str, type[Case] | type[Report] | type[PhoneReport]] = {
    RecordKind.CASE: Case,
    RecordKind.REPORT: Report,
    RecordKind.PHONE_REPORT: PhoneReport,
}


def kind_of(record: RetentionRecord) -> str:
    if isinstance(record, Case):
        return RecordKind.CASE
    return RecordKind.REPORT if isinstance(record, Report) else RecordKind.PHONE_REPORT


def report_case_ids(report: Report) -> set[Any]:
    """The cases an online report became part of (triaged into, or naming its victim)."""
    ids = set(Triage.objects.filter(report=report).values_list("case_id", flat=True))
    return ids | set(CasePerson.objects.filter(report=report).values_list("case_id", flat=True))


def phone_report_case_ids(phone_report: PhoneReport) -> set[Any]:
    return set(Triage.objects.filter(phone_report=phone_report).values_list("case_id", flat=True))


def _reports_activity(reports: list[Any]) -> list[datetime.datetime | None]:
    """The victim's own last word on these reports: a message, a diary entry, evidence."""
    return [
        ReportMessage.objects.filter(
            report_id__in=reports, direction=MessageDirection.FROM_REPORTER
        ).aggregate(at=Max("created_at"))["at"],
        DiaryEntry.objects.filter(report_id__in=reports).aggregate(at=Max("created_at"))["at"],
        ReportEvidence.objects.filter(report_id__in=reports).aggregate(at=Max("created_at"))["at"],
    ]


def _latest(moments: list[datetime.datetime | None]) -> datetime.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def last_victim_activity(case: Case) -> datetime.datetime | None:
    return _latest(
        [
            case.incidents.filter(source__in=VICTIM_SOURCES).aggregate(at=Max("created_at"))["at"],
            *_reports_activity(case_report_ids(case)),
        ]
    )


Due = tuple[str, datetime.datetime, datetime.datetime]


def review_due(case: Case) -> Due:
    """(rule, counted from, review due) for a closed case."""
    assert case.closed_at is not None, "only closed cases have a review date"
    rule = rule_for(case)
    activity = last_victim_activity(case)
    counted_from = max(case.closed_at, activity) if activity else case.closed_at
    return rule, counted_from, add_years(counted_from, review_years(rule))


def record_review_due(record: RetentionRecord) -> Due | None:
    """(rule, counted from, review due) for any record, or None when it has no review of its
    own: an open case, or a report that is part of a case (reviewed with the case)."""
    if isinstance(record, Case):
        if record.status != CaseStatus.CLOSED or record.closed_at is None:
            return None
        return review_due(record)
    if isinstance(record, Report):
        if report_case_ids(record):
            return None
        counted_from = _latest(
            [record.received_at, record.withdrawn_at, *_reports_activity([record.pk])]
        )
    else:
        if phone_report_case_ids(record):
            return None
        counted_from = record.received_at
    assert counted_from is not None
    rule = RetentionRule.REPORT
    return rule, counted_from, add_years(counted_from, review_years(rule))
