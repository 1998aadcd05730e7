"""Which report this browser session has signed in to on "track my report", and how often one
address may try to sign in.

The reporter proves who they are with reference + secret; the session then remembers the report.
A shared device may be left open, so the sign-in ends after a short time without activity, but
not while a hook says something of the report's is running (register_keep_signed_in). Other
public apps (the safety tools) use `tracked_report` and never read the session key themselves.

Wrong tries slow down the address they come from, never the report: the reference is in the
received email and in staff lists, so a lock on it would let the person a victim fears lock
them out of their report and every safety tool, again and again. The secret is 16 characters
(about 72 bits), so guessing it from many addresses at once is hopeless; a per-address backoff
is enough to stop one address trying quickly, and a person who mistypes waits a minute, not half
an hour.
"""

from __future__ import annotations

import datetime
import math
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext

from vigil.reporting.models import Report, ThrottleEvent, ThrottleKind
from vigil.reporting.selectors import report_for_tracking

TRACK_KEY = "reporting_track"


def tracking_sign_in(request: HttpRequest, report: Report) -> None:
    request.session[TRACK_KEY] = {"report": str(report.pk), "seen": time.time()}


def tracking_sign_out(request: HttpRequest) -> None:
    request.session.pop(TRACK_KEY, None)


# Something running for a report that must not be cut off by the idle sign-out: the safety
# tools' check-in timer (a victim signed out while it runs would need her reference and secret
# to say "I am safe"). Each hook answers, for a report id, until when its sign-ins stay alive
# (None: no reason). Registered by the app above in its AppConfig.ready, as scope hooks are.
KeepSignedIn = Callable[[str], datetime.datetime | None]
_KEEP_SIGNED_IN: list[KeepSignedIn] = []


def register_keep_signed_in(hook: KeepSignedIn) -> None:
    if hook not in _KEEP_SIGNED_IN:
        _KEEP_SIGNED_IN.append(hook)


def _kept_signed_in(report_id: str) -> bool:
    """Asked only once the idle time has passed, so an ordinary page view costs nothing."""
    try:
        report_id = str(uuid.UUID(report_id))
    except ValueError:
        return False
    now = time.time()
    for hook in _KEEP_SIGNED_IN:
        until = hook(report_id)
        if until is not None and until.timestamp() > now:
            return True
    return False


def tracked_report(request: HttpRequest) -> Report | None:
    signed_in = request.session.get(TRACK_KEY)
    if not isinstance(signed_in, dict):
        return None
    idle = time.time() - float(signed_in.get("seen", 0))
    if idle > settings.REPORT_TRACK_IDLE_MINUTES * 60 and not _kept_signed_in(
        str(signed_in.get("report"))
    ):
        tracking_sign_out(request)
        return None
    request.session[TRACK_KEY] = {**signed_in, "seen": time.time()}
    return report_for_tracking(report_id=signed_in.get("report"))


# --- Backoff for wrong sign-ins, per address ---------------------------------------------------


def _wait_after(failures: int) -> datetime.timedelta:
    """How long an address waits after its latest wrong try: nothing for the first
    REPORT_TRACK_FAILURE_LIMIT - 1, then 1, 2, 4, 8... minutes, never more than
    REPORT_TRACK_LOCK_MINUTES."""
    free = settings.REPORT_TRACK_FAILURE_LIMIT
    if failures < free:
        return datetime.timedelta(0)
    longest = settings.REPORT_TRACK_LOCK_MINUTES
    doublings = min(failures - free, longest.bit_length())  # no need to count past the longest
    return datetime.timedelta(minutes=min(2**doublings, longest))


def _recent_failures(address_key: str, now: datetime.datetime) -> list[datetime.datetime]:
    """The address's wrong tries in the window, newest first (enough of them to reach the
    longest wait, so a flood costs no more per request than that)."""
    since = now - datetime.timedelta(minutes=settings.REPORT_TRACK_BACKOFF_WINDOW_MINUTES)
    enough = settings.REPORT_TRACK_FAILURE_LIMIT + settings.REPORT_TRACK_LOCK_MINUTES.bit_length()
    return list(
        ThrottleEvent.objects.filter(
            kind=ThrottleKind.TRACK_ADDRESS, key=address_key, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:enough]
    )


def _minutes_left(failures: list[datetime.datetime], now: datetime.datetime) -> int:
    if not failures:
        return 0
    left = failures[0] + _wait_after(len(failures)) - now
    return math.ceil(left.total_seconds() / 60) if left.total_seconds() > 0 else 0


def tracking_wait_minutes(*, address_key: str, now: datetime.datetime) -> int:
    """Minutes this address must still wait before it may try to sign in; 0 when it may."""
    return _minutes_left(_recent_failures(address_key, now), now)


def tracking_failure_record(*, address_key: str, now: datetime.datetime) -> int:
    """Count a wrong try from this address; the minutes it must now wait (0 for none)."""
    ThrottleEvent.objects.create(kind=ThrottleKind.TRACK_ADDRESS, key=address_key, created_at=now)
    return tracking_wait_minutes(address_key=address_key, now=now)


def tracking_wait_message(minutes: int) -> str:
    """Calm, and says what else works: the email link and the phone are never held back."""
    return ngettext(
        "You have tried to sign in a few times from this connection. For your safety, please "
        "wait %(minutes)s minute and try again, or get a sign-in link by email. If you need to "
        "talk to us now, call 101, or 999 in an emergency.",
        "You have tried to sign in a few times from this connection. For your safety, please "
        "wait %(minutes)s minutes and try again, or get a sign-in link by email. If you need to "
        "talk to us now, call 101, or 999 in an emergency.",
        minutes,
    ) % {"minutes": minutes}
