"""Periodic work: keep the shared whole-force figures fresh, so no coordinator waits for them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.insights.forms import PERIODS
from vigil.insights.models import Area
from vigil.insights.selectors import MONTH, WEEK, Filters, snapshot_refresh, teams


def insights_sweep() -> int:
    """Refresh the snapshots of the standard views (each preset period, whole force, each team
    and area, by week and month). Idempotent: each view's snapshot is replaced, never added to.
    Returns how many were refreshed."""
    viewer = User.objects.filter(role=Role.COORDINATOR, is_active=True).first()
    if viewer is None:
        return 0
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    narrowings: list[tuple[object, object]] = [(None, None)]
    narrowings += [(team, None) for team in teams()]
    narrowings += [(None, area) for area in Area.objects.all()]
    refreshed = 0
    for days in PERIODS.values():
        for team, area in narrowings:
            for trend in (WEEK, MONTH):
                filters = Filters(
                    start=tomorrow - datetime.timedelta(days=days),
                    end=tomorrow,
                    team=team,  # type: ignore[arg-type]
                    area=area,  # type: ignore[arg-type]
                    trend=trend,
                )
                snapshot_refresh(filters=filters, user=viewer)
                refreshed += 1
    return refreshed
