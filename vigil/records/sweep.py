"""The daily retention sweep: work out the review dates that may have moved, and only those.

A review date moves only when something happens to its record (records/receivers.py marks
it in RetentionDirty), so the sweep works out the marked records and those whose date has
come (to check them once more before the DPO sees them), not every closed case of a force:
its work grows with the day's changes, not with the years of records kept. `full=True`
(`manage.py retention_sweep --full`) works out every record from scratch, for repair after a
restore or a bulk import that bypassed the models; it gives the same dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.cases.models import Case, CaseStatus, PhoneReport, Triage
from vigil.records.models import RecordKind, RetentionDirty, RetentionReview
from vigil.records.policy import RECORD_MODEL
from vigil.records.services import retention_review_refresh
from vigil.reporting.models import Report
from vigil.reporting.services import drafts_purge
from vigil.reporting.sign_in_links import tracking_links_purge

CHUNK = 500


def _due_reviews(now: datetime.datetime) -> Iterator[tuple[str, Any]]:
    due = RetentionReview.objects.filter(review_due_at__lte=now).exclude(kept_until__gt=now)
    for case_id, report_id, phone_id in due.values_list(
        "case_id", "report_id", "phone_report_id"
    ).iterator(chunk_size=CHUNK):
        if case_id:
            yield RecordKind.CASE, case_id
        elif report_id:
            yield RecordKind.REPORT, report_id
        else:
            yield RecordKind.PHONE_REPORT, phone_id


def _every_record() -> Iterator[tuple[str, Any]]:
    """Every record that can have a review, and every review (a stale one is removed)."""
    closed = Case.objects.filter(status=CaseStatus.CLOSED).values_list("pk", flat=True)
    for pk in closed.order_by("pk").iterator(chunk_size=CHUNK):
        yield RecordKind.CASE, pk
    untriaged = Report.objects.exclude(pk__in=Triage.objects.exclude(report=None).values("report"))
    for pk in untriaged.values_list("pk", flat=True).order_by("pk").iterator(chunk_size=CHUNK):
        yield RecordKind.REPORT, pk
    phone = PhoneReport.objects.exclude(
        pk__in=Triage.objects.exclude(phone_report=None).values("phone_report")
    )
    for pk in phone.values_list("pk", flat=True).order_by("pk").iterator(chunk_size=CHUNK):
        yield RecordKind.PHONE_REPORT, pk
    yield from _due_reviews(datetime.datetime.max.replace(tzinfo=datetime.UTC))


def _refresh(kind: str, pk: Any) -> None:
    record = RECORD_MODEL[kind]._base_manager.filter(pk=pk).first()
    if record is not None:
        retention_review_refresh(record=record)


def retention_sweep(*, now: datetime.datetime | None = None, full: bool = False) -> dict[str, Any]:
    """Daily: work out the review dates that may have moved, and purge what is purged today
    (report drafts past their days, stale one-time links). Idempotent: a second run changes
    nothing. Each record in its own transaction, so one failure loses no other's work."""
    now = now or timezone.now()
    started = timezone.now()
    marks = list(RetentionDirty.objects.values_list("pk", "kind", "record_id"))
    seen: set[tuple[str, Any]] = set()
    todo = _every_record() if full else _due_reviews(now)
    for kind, pk in [(kind, pk) for _id, kind, pk in marks] + list(todo):
        if (kind, pk) in seen:
            continue
        seen.add((kind, pk))
        with transaction.atomic():
            _refresh(kind, pk)
    # A mark renewed while its record was worked out (marked_at after `started`) stays for
    # the next sweep.
    mark_ids = [mark_id for mark_id, _kind, _pk in marks]
    for start in range(0, len(mark_ids), CHUNK):
        RetentionDirty.objects.filter(
            pk__in=mark_ids[start : start + CHUNK], marked_at__lte=started
        ).delete()
    due = RetentionReview.objects.filter(review_due_at__lte=now).count()
    return {
        "refreshed": len(seen),
        "due": due,
        "drafts_purged": drafts_purge(),
        "links_purged": tracking_links_purge(),
    }
