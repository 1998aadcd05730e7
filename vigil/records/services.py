"""Retention decisions: each in one transaction with its audit row.

Only the data protection officer decides (records/rules.py); the sweep only works out dates.
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
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, CaseStatus, Evidence
from vigil.records import policy
from vigil.records.erasure import ErasureOutOfBounds, erasure_execute, erasure_plan
from vigil.records.models import ErasureTombstone, LegalHold, RetentionReview
from vigil.reporting.models import ReportEvidence
from vigil.reporting.services import drafts_purge
from vigil.reporting.sign_in_links import tracking_links_purge
from vigil.safety.models import DiaryFile

logger = logging.getLogger(__name__)


class RetentionError(ValidationError):
    """A retention decision that cannot be made, with a message the DPO can read."""


def retention_review_refresh(*, case: Case) -> RetentionReview | None:
    """Work out (again) when a closed case is due for review; None for an open case.

    Safe to run any number of times: the date only depends on the case and the victim's
    activity, so a victim's new message moves it on, and a reopened case leaves the queue.
    """
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        RetentionReview.objects.filter(case=case).delete()
        return None
    rule, counted_from, due = policy.review_due(case)
    review, _created = RetentionReview.objects.update_or_create(
        case=case, defaults={"rule": rule, "counted_from": counted_from, "review_due_at": due}
    )
    return review


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


@write_service
def legal_hold_set(*, case: Case, reason: str, by: User) -> LegalHold:
    """Stop any deletion of the case (litigation, an inquiry, a complaint)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if active_hold(case) is not None:
        raise RetentionError(_("This case is already on legal hold."))
    if not reason.strip():
        raise RetentionError(_("Say why the case must be kept."))
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), set_by=by)
    audit_record(action="records.hold.set", actor=by, target=case, summary={"hold": str(hold.pk)})
    return hold


@write_service
def legal_hold_lift(*, case: Case, reason: str, by: User) -> LegalHold:
    case = Case.objects.select_for_update().get(pk=case.pk)
    hold = active_hold(case)
    if hold is None:
        raise RetentionError(_("This case is not on legal hold."))
    if not reason.strip():
        raise RetentionError(_("Say why the hold can end."))
    hold.lifted_at = timezone.now()
    hold.lifted_by = by
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    audit_record(action="records.hold.lift", actor=by, target=case, summary={"hold": str(hold.pk)})
    return hold


@write_service
def case_keep(*, case: Case, years: int, reason: str, by: User) -> RetentionReview:
    """Reviewed and still needed: keep it, and review it again in `years`."""
    if not 1 <= years <= 10:
        raise RetentionError(_("Keep it for between 1 and 10 more years."))
    if not reason.strip():
        raise RetentionError(_("Say why the case is still needed."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    review = retention_review_refresh(case=case)
    if review is None:
        raise RetentionError(_("Only closed cases are reviewed."))
    review.kept_until = policy.add_years(timezone.now(), years)
    review.kept_reason = reason.strip()
    review.kept_by = by
    review.save(update_fields=["kept_until", "kept_reason", "kept_by", "updated_at"])
    audit_record(action="records.keep", actor=by, target=case, summary={"years": years})
    return review


def erase_refusal(case: Case, *, now: datetime.datetime) -> str | None:
    """Why this case may not be erased now, or None. Read afresh at the moment of erasing."""
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        return _("An open case cannot be deleted.")
    if active_hold(case) is not None:
        return _("This case is on legal hold. Lift the hold first, saying why.")
    _rule, _from, due = policy.review_due(case)
    review = RetentionReview.objects.filter(case=case).first()
    next_review = max(due, review.kept_until) if review and review.kept_until else due
    if next_review > now:
        return _(
            "This case is not due for review until %(date)s (the victim's latest activity counts)."
        ) % {"date": timezone.localtime(next_review).strftime("%d %B %Y")}
    return None


@write_service
def case_erase(*, case: Case, basis: str, by: User) -> ErasureTombstone:
    """Delete the case, its reports and everything that belongs to them; keep a tombstone.

    One transaction: if any part fails, nothing is deleted. Files go after commit, and only
    those no remaining record points at (a case's evidence can share its report's file).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    refusal = erase_refusal(case, now=timezone.now())
    if refusal:
        raise RetentionError(refusal)
    review = RetentionReview.objects.filter(case=case).first()
    try:
        plan = erasure_plan(case)
    except ErasureOutOfBounds as shared:
        logger.warning("records: erasure of %s refused: %s", case.pk, shared)
        raise RetentionError(
            _(
                "This case shares records with another case (the same report or victim "
                "record). Review them together: nothing was deleted."
            )
        ) from shared
    paths = plan.stored_paths()
    tombstone = ErasureTombstone.objects.create(
        case_id_erased=case.pk,
        reference=case.reference,
        rule=review.rule if review else policy.rule_for(case),
        basis=basis,
        closed_at=case.closed_at,
        erased_by=by,
        counts=plan.counts(),
        files_removed=len(paths),
    )
    erasure_execute(plan)
    still_used = _paths_in_use(paths)
    tombstone.files_removed = len(paths - still_used)
    tombstone.save(update_fields=["files_removed"])
    audit_record(
        action="records.erase",
        actor=by,
        target=tombstone,
        summary={"case": str(tombstone.case_id_erased), "basis": basis, "rows": plan.counts()},
    )
    transaction.on_commit(partial(_remove_files, sorted(paths - still_used)))
    return tombstone


def _paths_in_use(paths: set[str]) -> set[str]:
    used: set[str] = set()
    for model in (Evidence, ReportEvidence, DiaryFile):
        used |= set(
            model._base_manager.filter(stored_path__in=paths).values_list("stored_path", flat=True)
        )
    return used


def _remove_files(paths: list[str]) -> None:
    media = Path(settings.MEDIA_ROOT)
    for path in paths:
        (media / path).unlink(missing_ok=True)
    logger.info("records: removed %s stored file(s) of an erased case", len(paths))


def retention_sweep(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Daily: refresh every closed case's review date, and purge what is purged today (report
    drafts past their days, stale one-time links). Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    refreshed = 0
    closed = Case.objects.filter(status=CaseStatus.CLOSED).order_by("pk")
    for case in closed.iterator(chunk_size=500):
        with transaction.atomic():
            retention_review_refresh(case=case)
        refreshed += 1
    # Reopened cases leave the queue.
    RetentionReview.objects.exclude(case__status=CaseStatus.CLOSED).delete()
    due = RetentionReview.objects.filter(review_due_at__lte=now).count()
    return {
        "refreshed": refreshed,
        "due": due,
        "drafts_purged": drafts_purge(),
        "links_purged": tracking_links_purge(),
    }
