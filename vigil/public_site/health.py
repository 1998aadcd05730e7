"""What /healthz reports: can we reach the database, and is the task queue moving?"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone

# A task that has waited this long means no worker is running.
STUCK_AFTER = datetime.timedelta(minutes=5)


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": "error", "error": type(error).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _task_queue() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError as error:
        return {"status": "error", "error": type(error).__name__}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    status = "ok" if not oldest or timezone.now() - oldest < STUCK_AFTER else "degraded"
    return {"status": status, "waiting": waiting, "oldest_waiting_seconds": round(age)}


def health_report() -> dict[str, Any]:
    database = _database()
    queue = _task_queue() if database["status"] == "ok" else {"status": "unknown"}
    # Only an unreachable database makes the service unhealthy: a slow queue is "degraded".
    status = "ok" if database["status"] == "ok" else "error"
    return {"status": status, "checks": {"database": database, "task_queue": queue}}
