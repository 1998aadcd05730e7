"""Reads for the records pages, given the acting user (the DPO; see rules.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.records.models import ErasureTombstone, LegalHold, RecordKind, RetentionReview
from vigil.records.policy import RECORD_FIELD, RECORD_MODEL, RetentionRecord
from vigil.records.rules import is_records_officer


def _require(user: Any) -> None:
    if not is_records_officer(user):
        raise Http404


def review_queue(*, user: Any, now: datetime.datetime | None = None) -> QuerySet[RetentionReview]:
    """Records due for review now (closed cases, reports that never became a case), oldest
    first; a record on hold is not in the queue (it cannot be deleted), nor one kept until a
    later review."""
    _require(user)
    now = now or timezone.now()
    # A NULL key never equals another: each review matches holds on its own record only.
    held = LegalHold.objects.filter(
        Q(case=OuterRef("case"))
        | Q(report=OuterRef("report"))
        | Q(phone_report=OuterRef("phone_report")),
        lifted_at__isnull=True,
    )
    return (
        RetentionReview.objects.filter(review_due_at__lte=now)
        .exclude(kept_until__gt=now)
        .exclude(Exists(held))
        .select_related("case", "report", "phone_report")
        .order_by("review_due_at")
    )


def holds_active(*, user: Any) -> QuerySet[LegalHold]:
    _require(user)
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related(
        "case", "report", "phone_report", "set_by"
    )


def tombstones(*, user: Any) -> QuerySet[ErasureTombstone]:
    _require(user)
    return ErasureTombstone.objects.select_related("erased_by")[:200]


@dataclass(frozen=True)
class RecordRetention:
    record: RetentionRecord
    kind: str
    review: RetentionReview | None
    holds: list[LegalHold]

    @property
    def active_hold(self) -> LegalHold | None:
        return next((hold for hold in self.holds if hold.is_active), None)


def record_retention(*, user: Any, kind: str, record_id: UUID) -> RecordRetention:
    """One record's retention, for the DPO (every record, by role: records/rules.py)."""
    _require(user)
    if kind not in RecordKind.values:
        raise Http404
    record = RECORD_MODEL[kind]._base_manager.filter(pk=record_id).first()
    if record is None:
        raise Http404
    field = RECORD_FIELD[kind]
    return RecordRetention(
        record=record,
        kind=kind,
        review=RetentionReview.objects.filter(**{field: record}).first(),
        holds=list(
            LegalHold.objects.filter(**{field: record}).select_related("set_by", "lifted_by")
        ),
    )
