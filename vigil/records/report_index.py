"""The blind indexes of the email addresses and phone numbers on a report (ReportIdentifier),
made with case search's normaliser and key (vigil.cases.policy.identifier_index), so one
search of an address finds the person on a case and on a report alike."""

from __future__ import annotations

from typing import Any

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import IdentifierKind
from vigil.cases.policy import identifier_index
from vigil.records.models import ReportIdentifier, ReportIdentifierRole
from vigil.reporting.models import Report, ReporterType


def report_identifier_rows(
    *, report_id: Any, reporter_type: str, victim: Any, reporter: Any
) -> list[ReportIdentifier]:
    """The rows a report should have: its victim's email and phone and, when someone else
    reported, theirs. Plain values in, so the backfill migration can use it too."""
    people = [(ReportIdentifierRole.VICTIM, victim or {})]
    if reporter_type != ReporterType.VICTIM:
        people.append((ReportIdentifierRole.REPORTER, reporter or {}))
    rows = []
    for role, answers in people:
        for kind in (IdentifierKind.EMAIL, IdentifierKind.PHONE):
            value = str(answers.get(kind) or "").strip() if isinstance(answers, dict) else ""
            if value:
                rows.append(
                    ReportIdentifier(
                        report_id=report_id,
                        role=role,
                        kind=kind,
                        blind_index=identifier_index(kind, value),
                    )
                )
    return rows


def report_identifiers_rebuild(*, report: Report) -> int:
    """Make the report's rows what its answers say today, under the current key. Safe to run
    any number of times; returns the rows the report now has."""
    rows = report_identifier_rows(
        report_id=report.pk,
        reporter_type=report.reporter_type,
        victim=report.victim,
        reporter=report.reporter,
    )
    ReportIdentifier.objects.filter(report_id=report.pk).delete()
    ReportIdentifier.objects.bulk_create(rows)
    return len(rows)


@write_service
def report_identifiers_reindex(*, report: Report) -> int:
    """The reindex run (`manage.py records_reindex`, and so `rotate_keys`): one report's rows
    rebuilt in its own audited transaction."""
    rows = report_identifiers_rebuild(report=report)
    audit_record(action="records.report.reindex", target=report, summary={"rows": rows})
    return rows
