"""Save and come back later (the GOV.UK save-and-return pattern), for a report in progress.

A victim may have to stop at once, or leave with Exit this page, which removes every trace of
the report from the device. Saving gives them a code and a secret code, shown once (and, only if
they ask, emailed to an address they say is safe), with which the report can be finished on any
device until it expires. The code is drawn like a report reference and the secret like a
tracking secret (vigil.reporting.references), and only a keyed hash of the secret is kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.common.crypto import blind_index
from vigil.common.urls import absolute_url
from vigil.contact.contract import SafeContactPrefs
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.models import ReportDraft, ThrottleEvent, ThrottleKind
from vigil.reporting.presentation import long_date
from vigil.reporting.references import (
    DUMMY_SECRET_HASH,
    check_tracking_secret,
    hash_tracking_secret,
    new_reference,
    new_tracking_secret,
    normalise_reference,
)
from vigil.reporting.services import (
    client_address_key,
    draft_expiry,
    throttle_limit_reached,
)


class ResumeRefused(ValidationError):
    """The code and secret do not open a saved report (wrong, expired, or too many tries)."""


@dataclass(frozen=True)
class SavedCodes:
    code: str
    secret: str
    expires_at: datetime.datetime


def _wrong_code_message() -> str:
    return _(
        "The code or the secret code is not right, or the report was saved more than "
        "%(days)s days ago. Check them and try again."
    ) % {"days": settings.REPORT_DRAFT_SAVED_DAYS}


def _locked_message() -> str:
    return _(
        "You have tried too many times. For your safety, this is paused for %(minutes)s "
        "minutes. If you need to talk to us now, call 101, or 999 in an emergency."
    ) % {"minutes": settings.REPORT_TRACK_LOCK_MINUTES}


@write_service
def draft_save_for_later(*, draft: ReportDraft, email: str = "") -> SavedCodes:
    """Give the draft a new code and secret (any earlier ones stop working) and keep it for
    REPORT_DRAFT_SAVED_DAYS. `email`, when given, is an address the person has just told us is
    safe to use; the message names neither the police nor what the report is about."""
    secret = new_tracking_secret()
    draft.resume_secret_hash = hash_tracking_secret(secret)
    draft.expires_at = draft_expiry(saved=True)
    for _attempt in range(5):
        draft.resume_code = new_reference()
        try:
            with transaction.atomic():
                draft.save(
                    update_fields=[
                        "resume_code",
                        "resume_secret_hash",
                        "expires_at",
                        "data",
                        "updated_at",
                    ]
                )
        except IntegrityError:
            continue  # the code is taken by another saved report: draw again
        break
    else:
        raise ResumeRefused(_("Sorry, we could not save your report. Try again."))
    audit_record(
        action="report.draft.save_for_later", target=draft, summary={"emailed": bool(email)}
    )
    if email:
        body = _(
            "You saved something to finish later.\n\n"
            "Your code is %(code)s and your secret code is %(secret)s.\n\n"
            'Go to %(url)s and choose "Continue a report you saved". This works until '
            "%(until)s.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
        ) % {
            "code": draft.resume_code,
            "secret": secret,
            "url": absolute_url("reporting:resume"),
            "until": long_date(timezone.localtime(draft.expires_at).date()),
            "sender": SafeContactPrefs().sender_name(),
        }
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=email,
            subject=str(_("Your code to carry on")),
            body=str(body),
            purpose="report.draft.saved",
            idempotency_key=f"report-draft-saved-{draft.pk}-{draft.resume_code}",
        )
    return SavedCodes(code=draft.resume_code, secret=secret, expires_at=draft.expires_at)


def draft_resume(*, code: str, secret: str, address: str | None) -> ReportDraft:
    """The saved, unsent, unexpired draft that code and secret open. Raises ResumeRefused.

    Locked out like "track my report": a wrong secret counts against the code and the address,
    and an unknown code costs the same work as a wrong secret, so answers reveal nothing."""
    normalised = normalise_reference(code)
    code_key = blind_index(normalised, purpose="reporting-resume-code")
    address_key = client_address_key(address)
    since = timezone.now() - datetime.timedelta(minutes=settings.REPORT_TRACK_LOCK_MINUTES)
    limit = settings.REPORT_TRACK_FAILURE_LIMIT
    for kind, key in (
        (ThrottleKind.RESUME_CODE, code_key),
        (ThrottleKind.RESUME_ADDRESS, address_key),
    ):
        if throttle_limit_reached(kind=kind, key=key, since=since, limit=limit):
            raise ResumeRefused(_locked_message())
    draft = (
        ReportDraft.objects.filter(
            resume_code=normalised, report__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if normalised
        else None
    )
    encoded = draft.resume_secret_hash if draft is not None else DUMMY_SECRET_HASH
    matches = check_tracking_secret(secret, encoded)
    if draft is not None and matches:
        with transaction.atomic(durable=True):
            ThrottleEvent.objects.filter(kind=ThrottleKind.RESUME_CODE, key=code_key).delete()
            audit_record(action="report.draft.resume", target=draft)
        return draft
    now = timezone.now()
    with transaction.atomic(durable=True):
        ThrottleEvent.objects.bulk_create(
            [
                ThrottleEvent(kind=ThrottleKind.RESUME_CODE, key=code_key, created_at=now),
                ThrottleEvent(kind=ThrottleKind.RESUME_ADDRESS, key=address_key, created_at=now),
            ]
        )
    raise ResumeRefused(_wrong_code_message())
