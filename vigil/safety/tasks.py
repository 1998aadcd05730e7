"""Deferred tasks for check-in timers. Each carries the timer version it was queued for: an
extend or a cancel bumps the version, so a stale task finds nothing to do."""

from __future__ import annotations

from django.tasks import task

from vigil.common.deferred import deferrable
from vigil.safety.services import timer_expire, timer_remind


@deferrable
@task(queue_name="default")
def timer_reminder_task(timer_id: str, version: int) -> str:
    return "sent" if timer_remind(timer_id=timer_id, version=version) else "skipped"


@deferrable
@task(queue_name="default")
def timer_alert_task(timer_id: str, version: int) -> str:
    return "alerted" if timer_expire(timer_id=timer_id, version=version) else "skipped"
