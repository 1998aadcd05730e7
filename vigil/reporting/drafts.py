"""Which report in progress a browser is filling in: a signed draft id in its own cookie.

The answers stay on the server, encrypted (ReportDraft). The cookie ends when the browser is
closed, goes only to the report's pages, cannot be read by scripts, and Exit this page deletes
it. It replaces keeping the id in the server-side session: "Send report" then reads one row
instead of two (docs/benchmarks.md), and someone who only reports has no session at all.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.reporting.models import ReportDraft

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
