"""Rate limits by client address (a keyed hash, never the address) and their clean-up."""

from __future__ import annotations

import datetime
import functools

from django.utils import timezone

from vigil.common import sql
from vigil.common.crypto import blind_index
from vigil.reporting.models import (
    ThrottleEvent,
)

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
