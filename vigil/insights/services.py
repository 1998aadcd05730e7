"""Periodic work: keep the shared whole-force figures fresh, so no coordinator waits for them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.insights.forms import PERIODS
from vigil.insights.models import Area
from vigil.insights.selectors import Filters, snapshot_refresh, teams


def insights_sweep() -> int:
    """Refresh the snapshots of the standard views (each preset period; the whole force, each
    team and each area). Idempotent: each view's snapshot is replaced, never added to.
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
            filters = Filters(
                start=tomorrow - datetime.timedelta(days=days),
                end=tomorrow,
                team=team,  # type: ignore[arg-type]
                area=area,  # type: ignore[arg-type]
            )
            snapshot_refresh(filters=filters, user=viewer)
            refreshed += 1
    return refreshed
