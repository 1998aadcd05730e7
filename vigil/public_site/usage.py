"""How the public site is used, counted without tracking anyone.

Each public page shown adds one to its count for the day, and each report journey adds one to
each question page the first time it reaches it. The counts are all that is kept: no cookie is
set or read for them, and no address, browser, time of day or identifier (not even a hash) is
stored, so a visit cannot be linked to a visitor, to another visit or to a report. That is why
the cookie banner has nothing optional to ask about (vigil/public_site/consent.py).

Only pages that answered 200 are counted, under their URL name (and their slug, for content
pages and report steps, which name a page and never a person), so a secret in a link (a sign-in
token, a stop link) never reaches the table and nobody can fill it with made-up addresses.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from vigil.public_site.models import JourneyStepDay, PageViewDay

logger = logging.getLogger(__name__)

COUNTED_NAMESPACES = frozenset({"public_site", "reporting"})
# Machine-read or redirecting pages: not visits by a person.
NOT_COUNTED = frozenset(
    {"public_site:healthz", "public_site:robots_txt", "public_site:sitemap", "public_site:exit"}
)
# URL arguments that name a page; any other argument (tokens, ids) is never stored.
PAGE_ARGUMENTS = ("slug", "collection")


def _add_one(model: type[PageViewDay] | type[JourneyStepDay], key: str, value: str) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    count = "views" if model is PageViewDay else "journeys"
    # One statement, safe when two requests count the same page at once (SQLite and
    # PostgreSQL). The names are this module's constants, never input.
    sql = (
        f"INSERT INTO {table} (day, {key}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (day, {key}) DO UPDATE SET {count} = {table}.{count} + 1"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [timezone.localdate(), value[:120]])
    except DatabaseError:
        # A count is never worth a visitor's page: log it and carry on.
        logger.exception("Could not count a public page view")


def page_key(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.namespace or match.namespace not in COUNTED_NAMESPACES:
        return None
    if match.view_name in NOT_COUNTED:
        return None
    extra = [str(match.kwargs[name]) for name in PAGE_ARGUMENTS if name in match.kwargs]
    return ":".join([match.view_name, *extra])


def page_view_count(request: HttpRequest, response: HttpResponse) -> None:
    if request.method != "GET" or response.status_code != 200:
        return
    key = page_key(request)
    if key is not None:
        _add_one(PageViewDay, "page", key)


def journey_step_reached(*, reached: list[str], step: str) -> bool:
    """Count a report journey reaching `step`, once: `reached` is the journey's own list of
    pages reached (kept in its draft, which is deleted with it). True if it was new, so the
    caller saves the draft."""
    if step in reached:
        return False
    reached.append(step)
    _add_one(JourneyStepDay, "step", step)
    return True


class PageViewMiddleware:
    """Counts public pages shown (see the module docstring for what is, and is not, kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        page_view_count(request, response)
        return response


# --- reads, for the comms view in insights -------------------------------------------------------


def page_views(*, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """Views per page in [start, end), most viewed first."""
    rows = (
        PageViewDay.objects.filter(day__gte=start, day__lt=end)
        .values("page")
        .annotate(total=Sum("views"))
        .order_by("-total", "page")
    )
    return [(row["page"], row["total"]) for row in rows]


def page_views_daily(
    *, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, str, int]]:
    """Every (day, page, views) row of the period, for the CSV download."""
    return list(
        PageViewDay.objects.filter(day__gte=start, day__lt=end)
        .order_by("day", "page")
        .values_list("day", "page", "views")
    )


def journey_steps(*, start: datetime.date, end: datetime.date) -> dict[str, int]:
    rows = (
        JourneyStepDay.objects.filter(day__gte=start, day__lt=end)
        .values("step")
        .annotate(total=Sum("journeys"))
    )
    return {row["step"]: row["total"] for row in rows}
