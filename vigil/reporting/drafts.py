"""Which report in progress a browser is filling in: a signed draft id in its own cookie.

Reports in progress and their files are limited per client address (count, and bytes for files,
per hour), so one address cannot fill the disk: `draft_allowance_take` and
`upload_allowance_take`, called by the services that keep them.

The answers stay on the server, encrypted (ReportDraft). The cookie ends when the browser is
closed, goes only to the report's pages, cannot be read by scripts, and Exit this page deletes
it. It replaces keeping the id in the server-side session: "Send report" then reads one row
instead of two (docs/benchmarks.md), and someone who only reports has no session at all.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from vigil.reporting.models import ReportDraft, ThrottleEvent, ThrottleKind

_SALT = "vigil.reporting.draft"


def draft_id_from_cookie(request: HttpRequest) -> str | None:
    """The draft id the browser holds, if its signature checks out."""
    value = request.get_signed_cookie(settings.REPORT_DRAFT_COOKIE_NAME, default=None, salt=_SALT)
    return str(value) if value else None


def remember_draft(response: HttpResponse, draft: ReportDraft) -> None:
    # No max_age or expires: the cookie ends with the browser session (victim safety).
    response.set_signed_cookie(
        settings.REPORT_DRAFT_COOKIE_NAME,
        str(draft.pk),
        salt=_SALT,
        path=settings.REPORT_DRAFT_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_draft(response: HttpResponse) -> None:
    response.delete_cookie(
        settings.REPORT_DRAFT_COOKIE_NAME,
        path=settings.REPORT_DRAFT_COOKIE_PATH,
        samesite="Lax",
    )


# --- Limits per client address ----------------------------------------------------------------


def _used_in_the_last_hour(kind: str, address_key: str) -> tuple[int, int]:
    since = timezone.now() - datetime.timedelta(hours=1)
    used = ThrottleEvent.objects.filter(
        kind=kind, key=address_key, created_at__gte=since
    ).aggregate(count=Count("id"), amount=Sum("amount"))
    return int(used["count"] or 0), int(used["amount"] or 0)


def draft_allowance_take(*, address_key: str) -> bool:
    """Count a report started from this address, unless it has started
    REPORT_DRAFTS_PER_ADDRESS_PER_HOUR already; False when it has."""
    count, _amount = _used_in_the_last_hour(ThrottleKind.DRAFT_ADDRESS, address_key)
    if count >= settings.REPORT_DRAFTS_PER_ADDRESS_PER_HOUR:
        return False
    ThrottleEvent.objects.create(
        kind=ThrottleKind.DRAFT_ADDRESS, key=address_key, created_at=timezone.now()
    )
    return True


def upload_allowance_take(*, address_key: str, size: int) -> bool:
    """Count a file of `size` bytes added from this address, unless that would pass the
    hour's limits on files or bytes; False when it would. Call it inside the transaction that
    keeps the file, so a file refused later is not counted."""
    count, amount = _used_in_the_last_hour(ThrottleKind.UPLOAD_ADDRESS, address_key)
    if count >= settings.REPORT_UPLOADS_PER_ADDRESS_PER_HOUR:
        return False
    if amount + size > settings.REPORT_UPLOAD_BYTES_PER_ADDRESS_PER_HOUR:
        return False
    ThrottleEvent.objects.create(
        kind=ThrottleKind.UPLOAD_ADDRESS, key=address_key, created_at=timezone.now(), amount=size
    )
    return True
