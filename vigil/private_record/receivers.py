"""A report sent is a person named: check it against the private records."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from vigil.private_record.identifiers import report_identifiers
from vigil.private_record.models import SourceKind
from vigil.private_record.services import person_named
from vigil.reporting.signals import report_submitted


@receiver(report_submitted, dispatch_uid="private_record.report_submitted")
def report_names_someone(sender: Any, report: Any, **kwargs: Any) -> None:
    person_named(
        source=SourceKind.REPORT,
        source_id=report.pk,
        identifiers=report_identifiers(report.suspects or []),
    )
