"""How the public site is used, counted without tracking anyone.

Each public page shown adds one to its count for the day, and each report journey adds one to
each question page the first time it reaches it. The counts are all that is kept: no cookie is
set or read for them, and no address, browser, time of day or identifier (not even a hash) is
stored, so a visit cannot be linked to a visitor, to another visit or to a report. That is why
the cookie banner has nothing optional to ask about (vigil/public_site/consent.py).

Counts are added up in each server process and written every few seconds
(VIGIL_USAGE_FLUSH_SECONDS) in one transaction, not one write per page shown: every visitor's
page would otherwise wait for its own commit on the same hot row, which made a cached public
page cost as much as an uncached one. A process that dies loses at most those seconds of counts.

Only pages that answered 200 are counted, under their URL name (and their slug, for content
pages and report steps, which name a page and never a person), so a secret in a link (a sign-in
token, a stop link) never reaches the table and nobody can fill it with made-up addresses.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
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


Model = type[PageViewDay] | type[JourneyStepDay]
_pending: Counter[tuple[Model, datetime.date, str]] = Counter()
_pending_lock = threading.Lock()
_last_flush = [time.monotonic()]


def _add_one(model: Model, value: str) -> None:
    with _pending_lock:
        _pending[(model, timezone.localdate(), value[:120])] += 1
        due = time.monotonic() - _last_flush[0] >= settings.VIGIL_USAGE_FLUSH_SECONDS
    if due:
        flush()


def flush() -> None:
    """Write this process's counts so far: one upsert per (day, page), in one transaction."""
    with _pending_lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush[0] = time.monotonic()
    if not batch:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for (model, day, value), added in sorted(batch.items(), key=_batch_order):
                cursor.execute(_upsert_sql(model), [day, value, added, added])
    except DatabaseError:
        # A count is never worth a visitor's page: keep it for the next flush and carry on.
        logger.exception("Could not count public page views")
        with _pending_lock:
            _pending.update(batch)


def _batch_order(item: tuple[tuple[Model, datetime.date, str], int]) -> tuple[str, str, str]:
    # The same order in every process, so two flushes never wait on each other's rows.
    (model, day, value), _added = item
    return (model._meta.db_table, day.isoformat(), value)


def _upsert_sql(model: Model) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    key, count = ("page", "views") if model is PageViewDay else ("step", "journeys")
    # One statement, safe when two processes count the same page at once (SQLite and
    # PostgreSQL). The names are this module's constants, never input.
    return (
        f"INSERT INTO {table} (day, {key}, {count}) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (day, {key}) DO UPDATE SET {count} = {table}.{count} + %s"
    )


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # the process is ending; the counts are all that can be lost
        logger.exception("Could not write public page counts at exit")


atexit.register(_flush_at_exit)


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
        _add_one(PageViewDay, key)


def journey_step_reached(*, reached: list[str], step: str) -> bool:
    """Count a report journey reaching `step`, once: `reached` is the journey's own list of
    pages reached (kept in its draft, which is deleted with it). True if it was new, so the
    caller saves the draft."""
    if step in reached:
        return False
    reached.append(step)
    _add_one(JourneyStepDay, step)
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
    flush()  # this process's counts so far
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
    flush()  # this process's counts so far
    return list(
        PageViewDay.objects.filter(day__gte=start, day__lt=end)
        .order_by("day", "page")
        .values_list("day", "page", "views")
    )


def journey_steps(*, start: datetime.date, end: datetime.date) -> dict[str, int]:
    flush()  # this process's counts so far
    rows = (
        JourneyStepDay.objects.filter(day__gte=start, day__lt=end)
        .values("step")
        .annotate(total=Sum("journeys"))
    )
    return {row["step"]: row["total"] for row in rows}
