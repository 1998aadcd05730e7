"""Reads for the records pages, given the acting user (the DPO; see rules.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.cases.models import Case
from vigil.records.models import ErasureTombstone, LegalHold, RetentionReview
from vigil.records.rules import is_records_officer


def _require(user: Any) -> None:
    if not is_records_officer(user):
        raise Http404


def review_queue(*, user: Any, now: datetime.datetime | None = None) -> QuerySet[RetentionReview]:
    """Closed cases due for review now, oldest first; a case on hold is not in the queue (it
    cannot be deleted), nor a case kept until a later review."""
    _require(user)
    now = now or timezone.now()
    held = LegalHold.objects.filter(case=OuterRef("case"), lifted_at__isnull=True)
    return (
        RetentionReview.objects.filter(review_due_at__lte=now)
        .exclude(kept_until__gt=now)
        .exclude(Exists(held))
        .select_related("case")
        .order_by("review_due_at")
    )


def holds_active(*, user: Any) -> QuerySet[LegalHold]:
    _require(user)
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related("case", "set_by")


def tombstones(*, user: Any) -> QuerySet[ErasureTombstone]:
    _require(user)
    return ErasureTombstone.objects.select_related("erased_by")[:200]


@dataclass(frozen=True)
class CaseRecord:
    case: Case
    review: RetentionReview | None
    holds: list[LegalHold]

    @property
    def active_hold(self) -> LegalHold | None:
        return next((hold for hold in self.holds if hold.is_active), None)


def case_record(*, user: Any, case_id: UUID) -> CaseRecord:
    _require(user)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404
    return CaseRecord(
        case=case,
        review=RetentionReview.objects.filter(case=case).first(),
        holds=list(case.legal_holds.select_related("set_by", "lifted_by")),
    )
