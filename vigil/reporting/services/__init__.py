"""Writes on reports, by sub-domain (one module each); every public name is re-exported here so
`from vigil.reporting.services import X` keeps working. Other apps use vigil.reporting.api.
`cases` calls report_status_update and report_message_to_reporter."""

from __future__ import annotations

from vigil.reporting.services.drafting import (
    draft_create,
    draft_evidence_add,
    draft_evidence_remove,
    draft_expiry,
    draft_payload,
    draft_reach,
    draft_save,
    draft_take_secret,
    drafts_purge,
)
from vigil.reporting.services.errors import (
    DraftLimited,
    EvidenceRejected,
    ReportingError,
    SubmitLimited,
    TrackingLocked,
    TrackingSignInFailed,
    UploadLimited,
)
from vigil.reporting.services.evidence import (
    EVIDENCE_TYPES,
    SNIFF_BYTES,
    detect_evidence_type,
    evidence_check,
    evidence_read,
    upload_accept,
)
from vigil.reporting.services.notices import report_message_notice, safe_email_address
from vigil.reporting.services.staff import (
    report_message_to_reporter,
    report_open_for_staff,
    report_status_update,
)
from vigil.reporting.services.submit import REFERENCE_ATTEMPTS, report_submit
from vigil.reporting.services.throttles import (
    THROTTLE_EVENTS_KEPT,
    client_address_key,
    throttle_event_unless_limited,
    throttle_events_purge,
    throttle_limit_reached,
)
from vigil.reporting.services.track import (
    report_contact_update,
    report_evidence_add,
    report_incident_add,
    report_message_from_reporter,
    report_messages_mark_read,
    report_track_sign_in,
    report_withdraw,
)

__all__ = [
    "EVIDENCE_TYPES",
    "REFERENCE_ATTEMPTS",
    "SNIFF_BYTES",
    "THROTTLE_EVENTS_KEPT",
    "DraftLimited",
    "EvidenceRejected",
    "ReportingError",
    "SubmitLimited",
    "TrackingLocked",
    "TrackingSignInFailed",
    "UploadLimited",
    "client_address_key",
    "detect_evidence_type",
    "draft_create",
    "draft_evidence_add",
    "draft_evidence_remove",
    "draft_expiry",
    "draft_payload",
    "draft_reach",
    "draft_save",
    "draft_take_secret",
    "drafts_purge",
    "evidence_check",
    "evidence_read",
    "report_contact_update",
    "report_evidence_add",
    "report_incident_add",
    "report_message_from_reporter",
    "report_message_notice",
    "report_message_to_reporter",
    "report_messages_mark_read",
    "report_open_for_staff",
    "report_status_update",
    "report_submit",
    "report_track_sign_in",
    "report_withdraw",
    "safe_email_address",
    "throttle_event_unless_limited",
    "throttle_events_purge",
    "throttle_limit_reached",
    "upload_accept",
]
