"""What moves a review date: marked for the next sweep (records/sweep.py), in the same
transaction as the change, so a change rolled back leaves no mark and a change kept always
leaves one. Records listens to the apps it reviews; they know nothing of retention."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from vigil.cases.models import Case, CasePerson, CaseStatus, Incident, PhoneReport, Triage
from vigil.records.models import RecordKind
from vigil.records.policy import VICTIM_SOURCES
from vigil.records.report_index import (
    phone_report_identifiers_rebuild,
    report_identifiers_rebuild,
)
from vigil.records.services import retention_mark_ids
from vigil.reporting.models import MessageDirection, Report, ReportEvidence, ReportMessage
from vigil.reporting.signals import report_submitted
from vigil.safety.models import DiaryEntry


def _changes(update_fields: Any, *names: str) -> bool:
    return update_fields is None or bool(set(update_fields) & set(names))


@receiver(post_save, sender=Case, dispatch_uid="records_case_saved")
def case_saved(instance: Case, created: bool, update_fields: Any, **kwargs: Any) -> None:
    # Closure, reopening, an order (the outcome) or a risk level on a closed case; an open
    # case's other saves move nothing.
    moved = instance.status == CaseStatus.CLOSED or _changes(update_fields, "status", "closed_at")
    if moved and not created:
        retention_mark_ids(RecordKind.CASE, [instance.pk])


@receiver(post_save, sender=Incident, dispatch_uid="records_incident_saved")
def incident_saved(instance: Incident, created: bool, **kwargs: Any) -> None:
    if created and instance.source in VICTIM_SOURCES:
        retention_mark_ids(RecordKind.CASE, [instance.case_id])


@receiver(post_save, sender=ReportMessage, dispatch_uid="records_message_saved")
def message_saved(instance: ReportMessage, created: bool, **kwargs: Any) -> None:
    if created and instance.direction == MessageDirection.FROM_REPORTER:
        retention_mark_ids(RecordKind.REPORT, [instance.report_id])


@receiver(post_save, sender=DiaryEntry, dispatch_uid="records_diary_saved")
@receiver(post_save, sender=ReportEvidence, dispatch_uid="records_evidence_saved")
def victim_added(instance: DiaryEntry | ReportEvidence, created: bool, **kwargs: Any) -> None:
    if created:
        retention_mark_ids(RecordKind.REPORT, [instance.report_id])


@receiver(post_save, sender=Report, dispatch_uid="records_report_saved")
def report_saved(instance: Report, created: bool, update_fields: Any, **kwargs: Any) -> None:
    # Sent, or withdrawn: the report's own clock starts or moves.
    if created or _changes(update_fields, "withdrawn_at"):
        retention_mark_ids(RecordKind.REPORT, [instance.pk])
    # Sent (by the public form, staff or the API), or its answers changed (erasure blanks
    # them): subject access's search rows follow, in the same transaction.
    if created or _changes(update_fields, "victim", "reporter", "reporter_type"):
        report_identifiers_rebuild(report=instance)


@receiver(post_save, sender=PhoneReport, dispatch_uid="records_phone_report_saved")
def phone_report_saved(
    instance: PhoneReport, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created:
        retention_mark_ids(RecordKind.PHONE_REPORT, [instance.pk])
    # Taken, its answers edited (erasure blanks them), or triaged: subject access's search
    # rows follow, in the same transaction, as they do for online reports.
    if created or _changes(update_fields, "victim", "caller", "caller_is_victim", "triaged"):
        phone_report_identifiers_rebuild(phone_report=instance)


@receiver(post_save, sender=Triage, dispatch_uid="records_triage_saved")
def triage_saved(instance: Triage, created: bool, **kwargs: Any) -> None:
    # The report became part of a case: its own review gives way to the case's.
    if created and instance.report_id:
        retention_mark_ids(RecordKind.REPORT, [instance.report_id])
    if created and instance.phone_report_id:
        retention_mark_ids(RecordKind.PHONE_REPORT, [instance.phone_report_id])


@receiver(post_save, sender=CasePerson, dispatch_uid="records_person_saved")
def person_saved(instance: CasePerson, update_fields: Any, **kwargs: Any) -> None:
    if instance.report_id and _changes(update_fields, "report"):
        retention_mark_ids(RecordKind.REPORT, [instance.report_id])


@receiver(report_submitted, dispatch_uid="records_report_submitted")
def report_submitted_indexed(report: Report, **kwargs: Any) -> None:
    # The public form writes its report in one raw statement (no post_save): its search rows
    # are made here, just after. Should this fail, `manage.py records_reindex` makes them.
    report_identifiers_rebuild(report=report)
