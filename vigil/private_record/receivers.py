"""A report sent is a person named: check it against the private records."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from vigil.private_record.identifiers import report_identifiers
from vigil.private_record.models import SourceKind
from vigil.private_record.services import FROM_RECORD, person_named, record_replaced_by_report
from vigil.reporting.signals import report_submitted


@receiver(report_submitted, dispatch_uid="private_record.report_submitted")
def report_names_someone(sender: Any, report: Any, started_from: str = "", **kwargs: Any) -> None:
    # A record turned into a report is replaced by it: the record goes (its holder would
    # otherwise be told that "someone else" named the person they named), and the report, which
    # names the same person, now matches anyone else who did.
    kind, _sep, record_id = started_from.partition(":")
    if kind == FROM_RECORD:
        record_replaced_by_report(record_id=record_id)
    person_named(
        source=SourceKind.REPORT,
        source_id=report.pk,
        identifiers=report_identifiers(report.suspects or []),
    )
