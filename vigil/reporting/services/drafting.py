"""A report in progress: its pages' answers, files and expiry, until it is sent."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.contact.contract import SafeContactPrefs, prefs_from_answers
from vigil.public_site.usage import journey_step_reached
from vigil.reporting import steps
from vigil.reporting.drafts import draft_allowance_take
from vigil.reporting.models import (
    DraftEvidence,
    ReportDraft,
    ReporterType,
)
from vigil.reporting.services.errors import DraftLimited
from vigil.reporting.services.evidence import _accept_evidence
from vigil.reporting.services.throttles import client_address_key


def draft_expiry(*, saved: bool = False) -> datetime.datetime:
    """A report saved for later (vigil.reporting.resume) is kept for days, any other for hours."""
    if saved:
        return timezone.now() + datetime.timedelta(days=settings.REPORT_DRAFT_SAVED_DAYS)
    return timezone.now() + datetime.timedelta(hours=settings.REPORT_DRAFT_TTL_HOURS)


def draft_create(*, address: str | None = None) -> ReportDraft:
    """A new, empty report in progress. Not audited: it holds nothing until answers arrive.
    Counted against the client's address, so one address cannot start reports without end."""
    if address is not None and not draft_allowance_take(address_key=client_address_key(address)):
        raise DraftLimited(
            _(
                "You have started a lot of reports from this connection in the last hour. "
                "Please try again in an hour, or call 101. If you are in danger now, call 999."
            )
        )
    draft = ReportDraft(submission_key=secrets.token_urlsafe(32), expires_at=draft_expiry())
    draft.data = {"answers": {}, "suspects": [], "incidents": []}
    draft.save(force_insert=True)
    return draft


def draft_reach(*, draft: ReportDraft, step: str) -> None:
    """Count this journey reaching a page of the form, once (for comms: where people stop).
    Only the count is kept; the list of pages reached lives in the draft and goes with it."""
    reached = draft.data.setdefault("reached", [])
    if journey_step_reached(reached=reached, step=step):
        draft.save(update_fields=["data", "updated_at"])


def draft_save(*, draft: ReportDraft) -> ReportDraft:
    """Keep the answers so far; every save pushes the expiry back."""
    draft.expires_at = draft_expiry(saved=bool(draft.resume_code))
    draft.save(update_fields=["data", "expires_at", "updated_at"])
    return draft


@write_service
def draft_evidence_add(
    *, draft: ReportDraft, upload: UploadedFile, address: str | None = None
) -> DraftEvidence:
    already = sum(draft.files.values_list("file__size", flat=True))
    item = DraftEvidence.objects.create(
        draft=draft, **_accept_evidence(upload, already_stored=already, address=address)
    )
    ReportDraft.objects.filter(pk=draft.pk).update(file_count=F("file_count") + 1)
    draft.file_count += 1
    audit_record(
        action="report.draft.evidence_add",
        target=item,
        summary={"sha256": item.sha256, "size": item.size, "content_type": item.content_type},
    )
    return item


@write_service
def draft_evidence_remove(*, draft: ReportDraft, evidence_id: Any) -> None:
    item = draft.files.select_related("file").filter(pk=evidence_id).first()
    if item is None:
        return
    item.delete()
    ReportDraft.objects.filter(pk=draft.pk).update(file_count=F("file_count") - 1)
    draft.file_count -= 1
    # Its StoredFile and the file go with the row (on commit: a rolled-back removal keeps it).
    audit_record(action="report.draft.evidence_remove", summary={"sha256": item.sha256})


def drafts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts past their expiry, with their files (a submitted report keeps its own)."""
    now = now or timezone.now()
    expired = ReportDraft.objects.filter(expires_at__lt=now)
    # Each draft file's row releases its StoredFile and file as it goes (stored_file_release).
    _total, per_model = expired.delete()
    return per_model.get(ReportDraft._meta.label, 0)


def _yes(value: Any) -> bool:
    return value == "yes"


def draft_payload(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the pages' answers into the documented shapes of the Report fields."""
    answers: dict[str, dict[str, Any]] = data.get("answers", {})
    name = answers.get("victim-name", {})
    contact = answers.get("victim-contact", {})
    address = answers.get("victim-address", {})
    equality = {k: v for k, v in answers.get("equality", {}).items() if v}
    victim: dict[str, Any] = {
        "name": name.get("name", ""),
        "date_of_birth": name.get("date_of_birth") or "",
        "email": contact.get("email", ""),
        "phone": contact.get("phone", ""),
        "address": {k: address.get(k, "") for k in ("line_1", "line_2", "town", "postcode")},
    }
    if equality:
        victim["equality"] = equality
    caution = steps.third_party_caution(data)
    if caution:
        # Someone else reported, and the victim does not know or may not be safe to contact:
        # their record allows nothing, and says why, until staff record the victim's own wishes.
        safe_contact = SafeContactPrefs(third_party_caution=caution)
    else:
        channels = [
            c for c in answers.get("contact-channels", {}).get("channels", []) if c != "none"
        ]
        safety = answers.get("contact-safety", {})
        safe_contact = prefs_from_answers({**safety, "channels": channels}.items())
    when = answers.get("when", {})
    details = {
        "behaviours": answers.get("behaviours", {}).get("behaviours", []),
        "started_on": when.get("started_on") or "",
        "most_recent_on": when.get("most_recent_on") or "",
        "frequency": when.get("frequency", ""),
        "incidents": list(data.get("incidents", [])),
        "impact": answers.get("impact", {}).get("impact", ""),
        "changes_made": answers.get("impact", {}).get("changes_made", ""),
        "anything_else": answers.get("anything-else", {}).get("anything_else", ""),
    }
    reporter_type = answers.get("who", {}).get("reporter_type", ReporterType.VICTIM)
    reporter = answers.get("your-details", {}) if reporter_type != ReporterType.VICTIM else {}
    reporter_safe_contact = None
    knows: dict[str, Any] = {}
    if reporter_type != ReporterType.VICTIM:
        own = answers.get("reporter-contact", {})
        reporter_safe_contact = prefs_from_answers(
            {**own, "channels": [c for c in own.get("channels", []) if c != "none"]}.items()
        )
        knows = answers.get("victim-knows", {})
    return {
        "reporter_type": reporter_type,
        "immediate_danger": _yes(answers.get("danger", {}).get("immediate_danger")),
        "victim": victim,
        "reporter": dict(reporter),
        "safe_contact": safe_contact,
        # The reporter's own record (None when the victim reports): see models.Report.
        "reporter_safe_contact": reporter_safe_contact,
        "victim_knows": knows.get("victim_knows", ""),
        "victim_contact_safe": knows.get("victim_contact_safe", ""),
        "suspects": list(data.get("suspects", [])),
        "details": details,
    }


def draft_take_secret(*, draft: ReportDraft) -> str:
    """The tracking secret, handed out once: afterwards only its hash exists."""
    with transaction.atomic():
        locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        secret = locked.pending_secret or ""
        if secret:
            locked.pending_secret = ""
            locked.save(update_fields=["pending_secret", "updated_at"])
    return secret
