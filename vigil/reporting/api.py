"""What other apps may use of reporting. Anything not named here is private to it."""

from __future__ import annotations

from vigil.reporting.querysets import register_staff_scope, report_scope
from vigil.reporting.services import (
    EvidenceRejected,
    UploadLimited,
    evidence_read,
    upload_accept,
)
from vigil.reporting.tracking import register_keep_signed_in

__all__ = [
    "EvidenceRejected",
    "UploadLimited",
    "evidence_read",
    "register_keep_signed_in",
    "register_staff_scope",
    "report_scope",
    "upload_accept",
]
