"""Signed, expiring exports of exactly what a referral shares, for an agency with its own system.

Never a file and a password sent by hand: the police (or the agency's caseworker) make a link
signed by Vigil that works for a few hours, only for a signed-in caseworker of that agency, only
while the referral is live. The JSON and the PDF are made from the object the partner's pages
show (vigil.sharing.selectors.shared_case), so an export cannot hold more than the page.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.services import audit_denied, audit_record
from vigil.sharing.models import Referral
from vigil.sharing.selectors import SharedCase, shared_case

SALT = "vigil.sharing.export"
FORMATS = ("json", "pdf")


@dataclass(frozen=True)
class ExportLink:
    url: str
    expires_at: datetime.datetime


def export_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SHARING_EXPORT_HOURS)


def export_link_make(*, referral: Referral, fmt: str, by: User) -> ExportLink:
    """A link to the export that expires after SHARING_EXPORT_HOURS."""
    if fmt not in FORMATS or not referral.gives_access:
        raise Http404
    token = signing.dumps({"r": str(referral.pk), "f": fmt}, salt=SALT, compress=True)
    audit_record(action="sharing.export.link", actor=by, target=referral, summary={"format": fmt})
    return ExportLink(
        url=reverse("sharing:export", args=[token]),
        expires_at=timezone.now() + export_lifetime(),
    )


def export_open(*, token: str, user: User) -> tuple[SharedCase, str]:
    """The shared case a valid, unexpired link names, for a caseworker of its agency."""
    try:
        data: dict[str, Any] = signing.loads(token, salt=SALT, max_age=export_lifetime())
        referral_id = UUID(data["r"])
        fmt = data["f"]
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        audit_denied(actor=user, target_type="sharing.export", target_id="", action="export")
        raise Http404 from None
    if fmt not in FORMATS:
        raise Http404
    shared = shared_case(user=user, referral_id=referral_id, page=f"export.{fmt}")
    if not shared.referral.gives_access:
        raise Http404
    audit_record(
        action="sharing.export.download",
        actor=user,
        target=shared.referral,
        summary={"format": fmt, "parts": sorted(shared.parts)},
    )
    return shared, fmt


def export_json(shared: SharedCase) -> bytes:
    document = {
        "generated_at": timezone.now().isoformat(),
        "source": "Vigil",
        **shared.to_json(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def export_pdf(shared: SharedCase) -> bytes:
    html = render_to_string(
        "sharing/export_pdf.html", {"shared": shared, "generated_at": timezone.now()}
    )
    # Imported here: WeasyPrint is slow to import and only exports need it.
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
