"""At triage a report gets its case: shares that were waiting for one are applied then (case
management connects `triage_saved` to its triage model)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction

from vigil.reporting.models import Report

logger = logging.getLogger(__name__)


def _apply(report_id: Any) -> None:
    from vigil.safety.services import pending_shares_apply

    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return
    try:
        pending_shares_apply(report=report)
    except Exception:  # triage has committed; `manage.py safety_sweep` tries again
        logger.exception("could not apply diary shares for report %s at triage", report_id)


def triage_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and instance.report_id:
        transaction.on_commit(partial(_apply, instance.report_id))
