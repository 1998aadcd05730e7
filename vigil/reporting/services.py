"""Writes on reports. `cases` calls report_status_update and report_message_to_reporter."""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import os
import secrets
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.common import sql
from vigil.common.crypto import blind_index, decrypt_bytes, encrypt_bytes
from vigil.contact.contract import SafeContactPrefs, prefs_from_answers
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_update
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue
from vigil.public_site.usage import journey_step_reached
from vigil.reporting import steps
from vigil.reporting.drafts import draft_allowance_take, upload_allowance_take
from vigil.reporting.models import (
    DraftEvidence,
    MessageDirection,
    Report,
    ReportDraft,
    ReporterType,
    ReportEvidence,
    ReportMessage,
    ReportStatus,
    ReportUpdate,
    ThrottleEvent,
    ThrottleKind,
    TrackingLink,
)
from vigil.reporting.references import (
    DUMMY_SECRET_HASH,
    check_tracking_secret,
    hash_tracking_secret,
    new_reference,
    new_tracking_secret,
    normalise_reference,
)
from vigil.reporting.signals import (
    FollowUpKind,
    report_followup,
    report_submitted,
)
from vigil.reporting.tracking import (
    tracking_failure_record,
    tracking_wait_message,
    tracking_wait_minutes,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def report_status_update(
    *, report: Report, status: str, by: User | None, public_note: str = ""
) -> ReportUpdate:
    """Move a report on and tell the reporter in plain words (shown on "track my report")."""
    if status not in ReportStatus.values:
        raise ValueError(f"Unknown report status {status!r}")
    report.status = status
    report.save(update_fields=["status", "updated_at"])
    update = ReportUpdate.objects.create(
        report=report, status=status, public_note=public_note, author=by
    )
    audit_record(action="report.status", actor=by, target=report, summary={"status": status})
    return update


@transaction.atomic
def report_message_to_reporter(*, report: Report, body: str, by: User) -> ReportMessage:
    """An officer's message, read by the reporter when they sign in to track the report.

    The message itself is never sent anywhere; the reporter is only told that one is waiting,
    and only by an email address they marked safe (see report_message_notice).
    """
    message = ReportMessage.objects.create(
        report=report, direction=MessageDirection.TO_REPORTER, body=body, author=by
    )
    audit_record(action="report.message.to_reporter", actor=by, target=report)
    report_message_notice(report=report)
    return message


# --- The public report (issue 5) --------------------------------------------------------------


class ReportingError(ValidationError):
    """A problem the person can read and act on."""


class EvidenceRejected(ReportingError):
    pass


class SubmitLimited(ReportingError):
    pass


class TrackingLocked(ReportingError):
    pass


class DraftLimited(ReportingError):
    """This address has started as many reports as it may in an hour."""


class TrackingSignInFailed(ReportingError):
    pass


# What we accept, by what the file *is* (from its first bytes), never by its name.
EVIDENCE_TYPES: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jfif": "image/jpeg",
    ".jpe": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".3gp": "video/3gpp",
    ".avi": "video/x-msvideo",
}
SNIFF_BYTES = 8192


def detect_evidence_type(head: bytes) -> str | None:
    """The MIME type of an accepted kind of file, judged from its content; None if refused."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        content_type = EVIDENCE_TYPES.get(match.extension.lower())
        if content_type:
            return content_type
    return None


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def _store_encrypted(upload: UploadedFile) -> tuple[str, str, int]:
    """Write the file encrypted under MEDIA_ROOT; return (relative path, sha256, size)."""
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    original = b"".join(chunks)
    relative = f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.enc"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    try:
        temporary.write_bytes(encrypt_bytes(original))
        os.replace(temporary, path)
    except OSError:
        # A full disk (or quota) mid-write: leave no half a file behind, and tell the person
        # plainly; their answers are in the database and stay.
        temporary.unlink(missing_ok=True)
        raise EvidenceRejected(
            _(
                "We could not save this file just now. Your answers are saved. Try again "
                "later, or send your report without it and tell the officer you have it."
            )
        ) from None
    return relative, digest.hexdigest(), len(original)


def evidence_read(*, stored_path: str) -> bytes:
    """The original bytes of a stored file (for staff, after an audited read)."""
    return decrypt_bytes((Path(settings.MEDIA_ROOT) / stored_path).read_bytes())


class UploadLimited(EvidenceRejected):
    """This address has added as many files, or bytes, as it may in an hour."""


def _check_evidence(
    upload: UploadedFile, *, already_stored: int, address: str | None = None
) -> str:
    name = upload.name or ""
    size = upload.size or 0
    limit = settings.REPORT_EVIDENCE_MAX_FILE_BYTES
    if size == 0:
        raise EvidenceRejected(_("The file %(name)s is empty") % {"name": name})
    if size > limit:
        raise EvidenceRejected(
            _("The file %(name)s must be smaller than %(size)s MB")
            % {"name": name, "size": _megabytes(limit)}
        )
    total_limit = settings.REPORT_EVIDENCE_MAX_TOTAL_BYTES
    if already_stored + size > total_limit:
        raise EvidenceRejected(
            _("All your files together must be smaller than %(size)s MB")
            % {"name": name, "size": _megabytes(total_limit)}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = detect_evidence_type(head)
    if content_type is None:
        raise EvidenceRejected(
            _("The file %(name)s must be a photo, screenshot, PDF, audio recording or video")
            % {"name": name}
        )
    if address is not None and not upload_allowance_take(
        address_key=client_address_key(address), size=size
    ):
        raise UploadLimited(
            _(
                "You have added a lot of files from this connection in the last hour. Please "
                "wait an hour before you add more. You can still send your report, and tell us "
                "about the other files when we contact you."
            )
        )
    return content_type


def upload_accept(
    upload: UploadedFile, *, already_stored: int, address: str | None
) -> dict[str, Any]:
    """For other apps' uploads (the safety tools' diary): the report's checks on a file (size,
    everything stored, what it is) and the same hourly limit per client address, then the file
    kept encrypted. Returns the fields of its row (original_name, content_type, size, sha256,
    stored_path, uploaded_at); raises EvidenceRejected (UploadLimited past the limit). Call it
    inside the transaction that keeps the row, so a file refused later is not counted."""
    return _accept_evidence(upload, already_stored=already_stored, address=address)


def evidence_check(upload: UploadedFile, *, already_stored: int = 0) -> str:
    """The web form's checks on a file (size, total size, kind), for other ways a report comes
    in (the API), so a file can be refused before anything is stored: its type, or
    EvidenceRejected."""
    return _check_evidence(upload, already_stored=already_stored)


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


def _accept_evidence(
    upload: UploadedFile, *, already_stored: int, address: str | None
) -> dict[str, Any]:
    """Check the file, then keep it encrypted; the fields of its evidence row."""
    content_type = _check_evidence(upload, already_stored=already_stored, address=address)
    stored_path, sha256, size = _store_encrypted(upload)
    return {
        "original_name": (upload.name or "")[:255],
        "content_type": content_type,
        "size": size,
        "sha256": sha256,
        "stored_path": stored_path,
        "uploaded_at": timezone.now(),
    }


@transaction.atomic
def draft_evidence_add(
    *, draft: ReportDraft, upload: UploadedFile, address: str | None = None
) -> DraftEvidence:
    already = sum(draft.files.values_list("size", flat=True))
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


@transaction.atomic
def draft_evidence_remove(*, draft: ReportDraft, evidence_id: Any) -> None:
    item = draft.files.filter(pk=evidence_id).first()
    if item is None:
        return
    item.delete()
    ReportDraft.objects.filter(pk=draft.pk).update(file_count=F("file_count") - 1)
    draft.file_count -= 1
    # Only once the row is gone for good: a rolled-back removal keeps its file.
    transaction.on_commit(partial(_delete_blob, item.stored_path))
    audit_record(action="report.draft.evidence_remove", summary={"sha256": item.sha256})


def _delete_blob(stored_path: str) -> None:
    (Path(settings.MEDIA_ROOT) / stored_path).unlink(missing_ok=True)


def drafts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts past their expiry, with their files (a submitted report keeps its own)."""
    now = now or timezone.now()
    expired = ReportDraft.objects.filter(expires_at__lt=now)
    for item in DraftEvidence.objects.filter(draft__in=expired):
        _delete_blob(item.stored_path)
    _total, per_model = expired.delete()
    return per_model.get(ReportDraft._meta.label, 0)


# No rate limit or lock-out looks back further than a day; older events only take up room.
THROTTLE_EVENTS_KEPT = datetime.timedelta(days=2)


def throttle_events_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete rate-limit events too old for any limit to count."""
    now = now or timezone.now()
    deleted, _per_model = ThrottleEvent.objects.filter(
        created_at__lt=now - THROTTLE_EVENTS_KEPT
    ).delete()
    return deleted


def client_address_key(address: str | None) -> str:
    """The key rate limits count a client address under (a keyed hash, never the address)."""
    return blind_index(address or "unknown", purpose="reporting-throttle-address")


def safe_email_address(report: Report) -> str:
    """The address to email about this report, or "" when email is not a safe way to contact
    the person who made it. Someone reporting for another is written to by their own record
    and address, never the victim's (who may not know about the report)."""
    if "email" not in report.tracker_prefs.channels:
        return ""
    if report.reporter_type == ReporterType.VICTIM:
        return str(report.victim.get("email", ""))
    if report.reporter_contact_id is not None:
        return str(report.reporter.get("email", ""))
    # A report from before the reporter had their own record (issue 16).
    return str(report.reporter.get("email", "") or report.victim.get("email", ""))


def _queue_received_email(report: Report) -> None:
    """Only to an address marked safe; nothing about what happened, and the police are not
    named unless the person said we may say who we are. If someone else may read the inbox,
    not even the reference: with it, that person could follow the report."""
    recipient = safe_email_address(report)
    if not recipient:
        return
    prefs = report.tracker_prefs
    if prefs.may_carry_reference and report.reporter_contact_id is not None:
        # Someone reporting for another, in an inbox only they read: say who we will contact
        # (issue 16), never the victim's name.
        who = (
            _(
                "We will contact you in the ways you chose. We will not contact the person it "
                "is happening to unless we must to keep them safe, and we will try to talk to "
                "you first."
            )
            if report.contact_prefs.third_party_caution
            else _(
                "We will contact you in the ways you chose, and may also contact the person it "
                "is happening to in the ways you told us are safe for them."
            )
        )
        body = _(
            "Thank you. We have received what you sent us.\n\n%(who)s\n\n"
            "Your reference is %(reference)s. Keep it with your secret code to check for "
            "updates.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
        ) % {"who": who, "reference": report.reference, "sender": prefs.sender_name()}
    elif prefs.may_carry_reference:
        body = _(
            "Thank you. We have received what you sent us.\n\n"
            "Your reference is %(reference)s. Keep it with your secret code to check for "
            "updates.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
        ) % {"reference": report.reference, "sender": prefs.sender_name()}
    else:
        body = _(
            "Thank you. We have received what you sent us.\n\n"
            "If you are in danger now, call 999.\n\n%(sender)s"
        ) % {"sender": prefs.sender_name()}
    outbox_enqueue(
        channel=Channel.EMAIL,
        recipient=recipient,
        subject=str(_("We have received your message")),
        body=str(body),
        purpose="report.received",
        idempotency_key=f"report-received-{report.pk}",
        contact=report.tracker_contact,
    )


def report_message_notice(*, report: Report) -> None:
    """Tell the reporter a message is waiting, only by an email address they marked safe, and
    without a word of the message itself (they read it after signing in)."""
    recipient = safe_email_address(report)
    oldest_unread = (
        report.messages.filter(direction=MessageDirection.TO_REPORTER, read_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if not recipient or oldest_unread is None:
        return
    body = _(
        "You have a new message. Sign in with your reference and secret code to read it."
        "\n\nIf you are in danger now, call 999.\n\n%(sender)s"
    ) % {"sender": report.tracker_prefs.sender_name()}
    with transaction.atomic():
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=recipient,
            subject=str(_("You have a new message")),
            body=str(body),
            purpose="report.message_waiting",
            # One notice until they have read their messages, however many arrive meanwhile.
            idempotency_key=f"report-message-waiting-{oldest_unread.pk}",
            contact=report.tracker_contact,
        )


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


# A new reference is drawn when one is already taken. With 23**8 possible references that
# almost never happens, so the unique index is the check rather than a query before every insert.
REFERENCE_ATTEMPTS = 5


def _attach_evidence(*, report: Report, draft: ReportDraft) -> int:
    if not draft.file_count:
        return 0
    files = list(draft.files.all())
    if not files:
        return 0
    ReportEvidence.objects.bulk_create(
        [
            ReportEvidence(
                report=report,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                stored_path=item.stored_path,
                uploaded_at=item.uploaded_at,
            )
            for item in files
        ]
    )
    # The blobs now belong to the report; only the draft's rows go.
    draft.files.all().delete()
    return len(files)


def throttle_limit_reached(*, kind: str, key: str, since: datetime.datetime, limit: int) -> bool:
    """Whether `limit` events of this kind and key have happened since then. It counts at most
    `limit` rows, so a flood from one address costs no more per request than the limit.
    Compiled once (vigil.common.sql): every report sent and every sign-in asks it."""
    with sql.cursor_for(ThrottleEvent) as cursor:
        cursor.execute(
            _recent_events_sql(),
            [kind, key, sql.prepare_value(ThrottleEvent, "created_at", since), limit],
        )
        (count,) = cursor.fetchone()
    return int(count) >= limit


def throttle_event_unless_limited(
    *, kind: str, key: str, since: datetime.datetime, limit: int, now: datetime.datetime
) -> sql.Statement:
    """One statement that counts an event unless `limit` have happened since then: checking
    and counting cost one round trip. It is marked must_write, so sql.execute_together raises
    NothingWritten when the limit was reached."""
    insert = sql.insert_statement(
        ThrottleEvent(kind=kind, key=key, created_at=now),
        only_if=(
            f"({_recent_events_sql()}) < %s",
            [kind, key, sql.prepare_value(ThrottleEvent, "created_at", since), limit, limit],
        ),
    )
    return insert._replace(must_write=True)


@functools.cache
def _recent_events_sql() -> str:
    table, kind, key, created_at = sql.quoted(ThrottleEvent, "kind", "key", "created_at")
    return (
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {kind} = %s AND {key} = %s"  # noqa: S608
        f" AND {created_at} >= %s LIMIT %s) AS recent"
    )


def _report_create(
    *, draft: ReportDraft, submission_key: str, address_key: str, payload: dict[str, Any]
) -> Report:
    """One transaction: the report, its files, the draft's new state and the audit row."""
    secret = new_tracking_secret()
    now = timezone.now()
    fields = dict(payload)
    # The victim's one live safe-contact record starts with the report's answers.
    contact = SafeContact(data=fields.pop("safe_contact").to_json())
    reporter_prefs = fields.pop("reporter_safe_contact", None)
    # Someone reporting for another gets their own record, kept apart from the victim's.
    reporter_contact = (
        SafeContact(data=reporter_prefs.to_json()) if reporter_prefs is not None else None
    )
    report = Report(
        reference=new_reference(),
        received_at=now,
        status=ReportStatus.RECEIVED,
        tracking_secret_hash=hash_tracking_secret(secret),
        submission_key=submission_key,
        contact=contact,
        reporter_contact=reporter_contact,
        **fields,
    )
    # Compiled (and the answers encrypted) before the transaction starts. The answers now live
    # in the report; the draft keeps only what the confirmation page needs, until it expires.
    writes = [
        throttle_event_unless_limited(
            kind=ThrottleKind.SUBMIT_ADDRESS,
            key=address_key,
            since=now - datetime.timedelta(hours=1),
            limit=settings.REPORT_SUBMIT_PER_ADDRESS_PER_HOUR,
            now=now,
        ),
        sql.insert_statement(contact),
        *([sql.insert_statement(reporter_contact)] if reporter_contact is not None else []),
        sql.insert_statement(report),
        sql.update_statement(
            ReportDraft,
            {"report": report.pk, "pending_secret": secret, "data": {}, "updated_at": now},
            pk=draft.pk,
        ),
    ]
    try:
        with transaction.atomic():
            _queue_received_email(report)
            if draft.file_count:
                # The files' rows need the report's row first.
                sql.execute_together(Report, writes)
                files = _attach_evidence(report=report, draft=draft)
                audit_record(action="report.submit", target=report, summary={"evidence": files})
            else:
                # Most reports have no files: the writes go in the statement that takes the
                # audit chain's lock, one round trip instead of three (see vigil.common.sql).
                audit_record(
                    action="report.submit",
                    target=report,
                    summary={"evidence": 0},
                    together_with=writes,
                )
    except sql.NothingWritten:  # the rate limit's event was not counted: nothing was kept
        raise SubmitLimited(
            _(
                "We cannot accept more reports from this connection just now. "
                "Please try again later or call 101."
            )
        ) from None
    return report


def report_submit(
    *, draft: ReportDraft, submission_key: str, address: str | None
) -> tuple[Report, bool]:
    """Send the report: the report, its files and the audit row commit together or not at all.

    Returns (report, created). A second call for the same draft (a double click, a retry after
    a lost response) returns the report the first call made: the unique submission key on
    Report makes that hold even between two servers, without locking the draft. The report's
    first "received" entry on the timeline comes from its received time.
    """
    if draft.submission_key != submission_key:
        raise ReportingError(_("This report has already been sent"))
    address_key = client_address_key(address)
    payload = draft_payload(draft.data)
    attempts_left = REFERENCE_ATTEMPTS
    while True:
        try:
            report = _report_create(
                draft=draft,
                submission_key=submission_key,
                address_key=address_key,
                payload=payload,
            )
        except IntegrityError:
            # Either another request for this draft won the race, or the reference was taken.
            existing = Report.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
            attempts_left -= 1
            if not attempts_left:
                # Not a clash of references after all: let it be logged, and the person sees
                # the calm error page with their draft kept.
                raise
            continue
        draft.report = report
        _announce_submitted(report, started_from=str(draft.data.get("started_from") or ""))
        return report, True


def _announce_submitted(report: Report, *, started_from: str) -> None:
    for receiver, result in report_submitted.send_robust(
        sender=Report, report=report, started_from=started_from
    ):
        if isinstance(result, Exception):
            logger.error(
                "A receiver of report_submitted failed (%s) for report %s",
                getattr(receiver, "__name__", receiver),
                report.pk,
                exc_info=result,
            )


def draft_take_secret(*, draft: ReportDraft) -> str:
    """The tracking secret, handed out once: afterwards only its hash exists."""
    with transaction.atomic():
        locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        secret = locked.pending_secret or ""
        if secret:
            locked.pending_secret = ""
            locked.save(update_fields=["pending_secret", "updated_at"])
    return secret


# --- Track my report ---------------------------------------------------------------------------


def report_track_sign_in(*, reference: str, secret: str, address: str | None) -> Report:
    """Check reference + secret. Raises TrackingLocked or TrackingSignInFailed.

    An unknown reference and a wrong secret give the same error after the same work (a hash
    check against a dummy), so the answer does not tell anyone which references exist. Wrong
    tries slow down only the address they came from, never the report (tracking.py says why).
    """
    normalised = normalise_reference(reference)
    address_key = client_address_key(address)
    now = timezone.now()
    wait = tracking_wait_minutes(address_key=address_key, now=now)
    if wait:
        raise TrackingLocked(tracking_wait_message(wait))
    report = Report.objects.filter(reference=normalised).first()
    encoded = report.tracking_secret_hash if report is not None else DUMMY_SECRET_HASH
    matches = check_tracking_secret(secret, encoded)
    if report is not None and matches:
        with transaction.atomic():
            audit_record(action="report.track.sign_in", target=report)
        return report
    with transaction.atomic():
        if tracking_failure_record(address_key=address_key, now=now):
            # Staff can see that someone keeps trying a victim's reference.
            reference_key = blind_index(normalised, purpose="reporting-track-reference")
            audit_record(
                action="report.track.backoff", summary={"reference_key": reference_key[:16]}
            )
    raise TrackingSignInFailed(
        _("The reference or the secret code is not right. Check them and try again.")
    )


def _followup(
    report: Report,
    kind: str,
    detail: str = "",
    changes: list[str] | None = None,
    **about: Any,
) -> None:
    report_followup.send(
        sender=Report, report=report, kind=kind, detail=detail, changes=changes or [], **about
    )


@transaction.atomic
def report_message_from_reporter(*, report: Report, body: str) -> ReportMessage:
    message = ReportMessage.objects.create(
        report=report, direction=MessageDirection.FROM_REPORTER, body=body
    )
    audit_record(action="report.message.from_reporter", target=report)
    _followup(report, FollowUpKind.MESSAGE, body)
    return message


@transaction.atomic
def report_messages_mark_read(*, report: Report, direction: str) -> int:
    """The reader has seen the messages sent to them."""
    return report.messages.filter(direction=direction, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def report_evidence_add(
    *, report: Report, upload: UploadedFile, address: str | None = None
) -> ReportEvidence:
    already = sum(report.evidence.values_list("size", flat=True))
    item = ReportEvidence.objects.create(
        report=report, **_accept_evidence(upload, already_stored=already, address=address)
    )
    audit_record(
        action="report.evidence_add",
        target=report,
        summary={"evidence": str(item.pk), "sha256": item.sha256, "size": item.size},
    )
    _followup(report, FollowUpKind.EVIDENCE, item.original_name, evidence=item)
    return item


@transaction.atomic
def report_incident_add(*, report: Report, incident: dict[str, Any]) -> Report:
    """A new incident told after the report was sent; staff see when it was added."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    details = dict(locked.details)
    incidents = list(details.get("incidents", []))
    added = {**incident, "added_at": timezone.now().isoformat()}
    incidents.append(added)
    details["incidents"] = incidents
    locked.details = details
    locked.save(update_fields=["details", "updated_at"])
    audit_record(action="report.incident_add", target=locked, summary={"count": len(incidents)})
    _followup(locked, FollowUpKind.INCIDENT, str(incident.get("what_happened", "")), incident=added)
    return locked


@transaction.atomic
def report_contact_update(*, report: Report, prefs: SafeContactPrefs) -> Report:
    """New safe ways and times to contact: the old ones stop being used at once, everywhere
    (the report and its case share one record, and the outbox reads it again at send time)."""
    # The signed-in person's own record: the reporter's when they reported for someone else.
    record = report.tracker_contact
    before, after = safe_contact_update(record=record, prefs=prefs, by=None, source="report.track")
    # A sign-in link sent under the old answers stops for good: were email taken off and put
    # back, an old link in an inbox someone else now reads would otherwise work again.
    now = timezone.now()
    TrackingLink.objects.filter(report=report, used_at=None, revoked_at=None).update(
        revoked_at=now, updated_at=now
    )
    audit_record(action="report.contact_update", target=report)
    changes = after.changes_from(before)
    # Only the victim's own wishes are news for the case (its victim shares that record); the
    # reporter's change is in the audit log and on the report's page.
    if changes and record.pk == report.contact_id:
        _followup(report, FollowUpKind.CONTACT, changes=changes)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, reason: str) -> Report:
    """The reporter asks us to take it no further. Staff decide what that means for safety;
    the request is recorded, never hidden."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        audit_record(action="report.withdraw", target=locked)
        _followup(locked, FollowUpKind.WITHDRAWAL, reason)
    return locked


def report_open_for_staff(*, report: Report, by: User) -> Report:
    """Every time a member of staff opens a report, it is recorded."""
    audit_record(action="report.view", actor=by, target=report)
    return report
