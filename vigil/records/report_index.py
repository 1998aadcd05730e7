"""The blind indexes of the email addresses and phone numbers on a report (ReportIdentifier),
made with case search's normaliser and key (vigil.cases.policy.identifier_index), so one
search of an address finds the person on a case and on a report alike. Online reports and
phone reports are indexed the same way: a person asking for their data may have done either."""

from __future__ import annotations

from typing import Any

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import IdentifierKind, PhoneReport
from vigil.cases.policy import identifier_index
from vigil.records.models import ReportIdentifier, ReportIdentifierRole
from vigil.reporting.models import Report, ReporterType


def identifier_hashes(people: list[tuple[str, Any]]) -> list[tuple[str, str, str]]:
    """(role, kind, blind index) for each email and phone in each (role, answers) given.
    Plain values in and out, so the backfill migrations use it too."""
    found = []
    for role, answers in people:
        for kind in (IdentifierKind.EMAIL, IdentifierKind.PHONE):
            value = str(answers.get(kind) or "").strip() if isinstance(answers, dict) else ""
            if value:
                found.append((str(role), str(kind), identifier_index(kind, value)))
    return found


def report_people(*, reporter_type: str, victim: Any, reporter: Any) -> list[tuple[str, Any]]:
    """Whose answers an online report holds: its victim's and, when someone else reported,
    theirs."""
    people = [(ReportIdentifierRole.VICTIM.value, victim or {})]
    if reporter_type != ReporterType.VICTIM:
        people.append((ReportIdentifierRole.REPORTER.value, reporter or {}))
    return people


def phone_report_people(
    *, victim: Any, caller: Any = None, caller_is_victim: bool = True
) -> list[tuple[str, Any]]:
    """Whose answers a phone report holds: its victim's and, when a friend or relative called
    for them, how to reach the caller, so the caller is found by their own email or phone as
    well as by the reference they were given. (The backfill migration 0005 ran before phone
    reports had a caller: victim only.)"""
    people = [(ReportIdentifierRole.VICTIM.value, victim or {})]
    if not caller_is_victim:
        people.append((ReportIdentifierRole.REPORTER.value, caller or {}))
    return people


def _rebuild(owner: dict[str, Any], people: list[tuple[str, Any]]) -> int:
    rows = [
        ReportIdentifier(**owner, role=role, kind=kind, blind_index=blind_index)
        for role, kind, blind_index in identifier_hashes(people)
    ]
    ReportIdentifier.objects.filter(**owner).delete()
    ReportIdentifier.objects.bulk_create(rows)
    return len(rows)


def report_identifiers_rebuild(*, report: Report) -> int:
    """Make the report's rows what its answers say today, under the current key. Safe to run
    any number of times; returns the rows the report now has."""
    people = report_people(
        reporter_type=report.reporter_type, victim=report.victim, reporter=report.reporter
    )
    return _rebuild({"report_id": report.pk}, people)


def phone_report_identifiers_rebuild(*, phone_report: PhoneReport) -> int:
    """As report_identifiers_rebuild, for a report taken by phone."""
    people = phone_report_people(
        victim=phone_report.victim,
        caller=phone_report.caller,
        caller_is_victim=phone_report.caller_is_victim,
    )
    return _rebuild({"phone_report_id": phone_report.pk}, people)


@write_service
def report_identifiers_reindex(*, report: Report) -> int:
    """The reindex run (`manage.py records_reindex`, and so `rotate_keys`): one report's rows
    rebuilt in its own audited transaction."""
    rows = report_identifiers_rebuild(report=report)
    audit_record(action="records.report.reindex", target=report, summary={"rows": rows})
    return rows


@write_service
def phone_report_identifiers_reindex(*, phone_report: PhoneReport) -> int:
    """As report_identifiers_reindex, for a phone report."""
    rows = phone_report_identifiers_rebuild(phone_report=phone_report)
    audit_record(action="records.phone_report.reindex", target=phone_report, summary={"rows": rows})
    return rows
