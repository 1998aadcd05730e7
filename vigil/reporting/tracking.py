"""Which report this browser session has signed in to on "track my report".

The reporter proves who they are with reference + secret; the session then remembers the report.
A shared device may be left open, so the sign-in ends after a short time without activity. Other
public apps (the safety tools) use `tracked_report` and never read the session key themselves.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from vigil.reporting.models import Report
from vigil.reporting.selectors import report_for_tracking

TRACK_KEY = "reporting_track"


def tracking_sign_in(request: HttpRequest, report: Report) -> None:
    request.session[TRACK_KEY] = {"report": str(report.pk), "seen": time.time()}


def tracking_sign_out(request: HttpRequest) -> None:
    request.session.pop(TRACK_KEY, None)


def tracked_report(request: HttpRequest) -> Report | None:
    signed_in = request.session.get(TRACK_KEY)
    if not isinstance(signed_in, dict):
        return None
    idle = time.time() - float(signed_in.get("seen", 0))
    if idle > settings.REPORT_TRACK_IDLE_MINUTES * 60:
        tracking_sign_out(request)
        return None
    request.session[TRACK_KEY] = {**signed_in, "seen": time.time()}
    return report_for_tracking(report_id=signed_in.get("report"))
