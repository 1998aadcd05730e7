"""Retention decisions: each in one transaction with its audit row.

Only the data protection officer decides (records/rules.py); the sweep (records/sweep.py)
only works out dates. A decision is about one record: a case, or an online or phone report
that never became a case (policy.RetentionRecord), and each service takes any of the three.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import Case
from vigil.common.models import StoredFile
from vigil.records import policy
from vigil.records.erasure import ErasureOutOfBounds, erasure_execute, erasure_plan
from vigil.records.models import (
    ErasureTombstone,
    LegalHold,
    RetentionDirty,
    RetentionReview,
)
from vigil.records.policy import RECORD_FIELD, RetentionRecord, kind_of
from vigil.reporting.models import Report

logger = logging.getLogger(__name__)


class RetentionError(ValidationError):
    """A retention decision that cannot be made, with a message the DPO can read."""


def retention_mark(record: RetentionRecord) -> None:
    """Its review date may have moved: the next sweep works it out again (records/sweep.py).

    One row per record however often it changes; a new mark while the sweep works on the
    record renews `marked_at`, so the sweep's clearing of the old mark cannot swallow it.
    """
    retention_mark_ids(kind_of(record), [record.pk])


def retention_mark_ids(kind: str, ids: list[Any]) -> None:
    now = timezone.now()
    RetentionDirty.objects.bulk_create(
        [RetentionDirty(kind=kind, record_id=pk, marked_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["kind", "record_id"],
        update_fields=["marked_at"],
    )


def retention_review_refresh(*, record: RetentionRecord) -> RetentionReview | None:
    """Work out (again) when a record is due for review; None when it has no review of its own
    (an open case, a report that became part of a case).

    Safe to run any number of times, and writes only what changed: the date only depends on
    the record and the victim's activity, so a victim's new message moves it on, and a
    reopened case leaves the queue. A report's activity also counts for its cases.
    """
    field = RECORD_FIELD[kind_of(record)]
    due = policy.record_review_due(record)
    if isinstance(record, Report):
        for case in Case.objects.filter(pk__in=policy.report_case_ids(record)):
            retention_review_refresh(record=case)
    if due is None:
        RetentionReview.objects.filter(**{field: record}).delete()
        return None
    rule, counted_from, due_at = due
    review = RetentionReview.objects.filter(**{field: record}).first()
    if review is None:
        return RetentionReview.objects.create(
            **{field: record}, rule=rule, counted_from=counted_from, review_due_at=due_at
        )
    if (review.rule, review.counted_from, review.review_due_at) != (rule, counted_from, due_at):
        review.rule, review.counted_from, review.review_due_at = rule, counted_from, due_at
        review.save(update_fields=["rule", "counted_from", "review_due_at", "updated_at"])
    return review


def active_hold(record: RetentionRecord) -> LegalHold | None:
    field = RECORD_FIELD[kind_of(record)]
    return LegalHold.objects.filter(**{field: record}, lifted_at__isnull=True).first()


def _report_held(record: RetentionRecord) -> bool:
    """A hold set on a report, online or by phone, before it became part of a case still
    holds: erasing the case would take the report, and the hold with it."""
    if not isinstance(record, Case):
        return False
    reports = policy.case_report_ids(record)
    phone_reports = record.triages.exclude(phone_report=None).values("phone_report_id")
    return (
        LegalHold.objects.filter(lifted_at__isnull=True)
        .filter(Q(report_id__in=reports) | Q(phone_report_id__in=phone_reports))
        .exists()
    )


def _locked(record: RetentionRecord) -> Any:
    return type(record)._base_manager.select_for_update().get(pk=record.pk)


@write_service
def record_hold_set(*, record: RetentionRecord, reason: str, by: User) -> LegalHold:
    """Stop any deletion of the record (litigation, an inquiry, a complaint)."""
    record = _locked(record)
    if active_hold(record) is not None:
        raise RetentionError(_("This record is already on legal hold."))
    if not reason.strip():
        raise RetentionError(_("Say why the record must be kept."))
    hold = LegalHold.objects.create(
        **{RECORD_FIELD[kind_of(record)]: record}, reason=reason.strip(), set_by=by
    )
    retention_mark(record)
    audit_record(action="records.hold.set", actor=by, target=record, summary={"hold": str(hold.pk)})
    return hold


@write_service
def record_hold_lift(*, record: RetentionRecord, reason: str, by: User) -> LegalHold:
    record = _locked(record)
    hold = active_hold(record)
    if hold is None:
        raise RetentionError(_("This record is not on legal hold."))
    if not reason.strip():
        raise RetentionError(_("Say why the hold can end."))
    hold.lifted_at = timezone.now()
    hold.lifted_by = by
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    retention_mark(record)
    audit_record(
        action="records.hold.lift", actor=by, target=record, summary={"hold": str(hold.pk)}
    )
    return hold


@write_service
def record_keep(*, record: RetentionRecord, years: int, reason: str, by: User) -> RetentionReview:
    """Reviewed and still needed: keep it, and review it again in `years`."""
    if not 1 <= years <= 10:
        raise RetentionError(_("Keep it for between 1 and 10 more years."))
    if not reason.strip():
        raise RetentionError(_("Say why the record is still needed."))
    record = _locked(record)
    review = retention_review_refresh(record=record)
    if review is None:
        raise RetentionError(
            _("Only closed cases and reports that never became a case are reviewed.")
        )
    review.kept_until = policy.add_years(timezone.now(), years)
    review.kept_reason = reason.strip()
    review.kept_by = by
    review.save(update_fields=["kept_until", "kept_reason", "kept_by", "updated_at"])
    audit_record(action="records.keep", actor=by, target=record, summary={"years": years})
    return review


def erase_refusal(record: RetentionRecord, *, now: datetime.datetime) -> str | None:
    """Why this record may not be erased now, or None. Read afresh at the moment of erasing
    (never from the sweep's last answer), so a victim's message today is counted today."""
    due = policy.record_review_due(record)
    if due is None:
        if isinstance(record, Case):
            return _("An open case cannot be deleted.")
        return _("This report is part of a case: it is reviewed, and deleted, with the case.")
    if active_hold(record) is not None or _report_held(record):
        return _("This record is on legal hold. Lift the hold first, saying why.")
    _rule, _from, due_at = due
    review = RetentionReview.objects.filter(**{RECORD_FIELD[kind_of(record)]: record}).first()
    next_review = max(due_at, review.kept_until) if review and review.kept_until else due_at
    if next_review > now:
        return _(
            "This record is not due for review until %(date)s (the victim's latest activity "
            "counts)."
        ) % {"date": timezone.localtime(next_review).strftime("%d %B %Y")}
    return None


@write_service
def record_erase(*, record: RetentionRecord, basis: str, by: User) -> ErasureTombstone:
    """Delete the record and everything that belongs to it (a case: its reports, online and
    by phone; a report: its messages, diary, evidence and safe-contact record); keep a
    tombstone.

    One transaction: if any part fails, nothing is deleted. Files go after commit, and only
    those no remaining record points at (a case's evidence can share its report's file).
    """
    record = _locked(record)
    refusal = erase_refusal(record, now=timezone.now())
    if refusal:
        raise RetentionError(refusal)
    kind = kind_of(record)
    review = RetentionReview.objects.filter(**{RECORD_FIELD[kind]: record}).first()
    try:
        plan = erasure_plan(record)
    except ErasureOutOfBounds as shared:
        logger.warning("records: erasure of %s %s refused: %s", kind, record.pk, shared)
        if isinstance(record, Case):
            message = _(
                "This case shares records with another case (the same report or victim "
                "record). Review them together: nothing was deleted."
            )
        else:
            message = _(
                "This report shares records with a case (the same victim record). Review "
                "them together: nothing was deleted."
            )
        raise RetentionError(message) from shared
    paths = plan.stored_paths()
    tombstone = ErasureTombstone.objects.create(
        kind=kind,
        case_id_erased=record.pk,
        reference=record.reference,
        rule=review.rule if review else policy.rule_for(record) if isinstance(record, Case) else "",
        basis=basis,
        closed_at=record.closed_at if isinstance(record, Case) else None,
        erased_by=by,
        counts=plan.counts(),
        files_removed=len(paths),
    )
    erasure_execute(plan)
    RetentionDirty.objects.filter(kind=kind, record_id=record.pk).delete()
    still_used = _paths_in_use(paths)
    tombstone.files_removed = len(paths - still_used)
    tombstone.save(update_fields=["files_removed"])
    audit_record(
        action="records.erase",
        actor=by,
        target=tombstone,
        summary={
            "kind": kind,
            RECORD_FIELD[kind]: str(tombstone.case_id_erased),
            "basis": basis,
            "rows": plan.counts(),
        },
    )
    transaction.on_commit(partial(_remove_files, sorted(paths - still_used)))
    return tombstone


def _paths_in_use(paths: set[str]) -> set[str]:
    # Deleting the rows released every StoredFile no other row keeps (stored_file_release):
    # the ones left are still used elsewhere.
    return set(
        StoredFile.objects.filter(storage_name__in=paths).values_list("storage_name", flat=True)
    )


def _remove_files(paths: list[str]) -> None:
    media = Path(settings.MEDIA_ROOT)
    for path in paths:
        (media / path).unlink(missing_ok=True)
    logger.info("records: removed %s stored file(s) of an erased case", len(paths))
