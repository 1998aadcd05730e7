"""Services queue deferred work without importing the tasks that run it.

A tasks module imports its services (the task calls the service), so a service that imported
its tasks would make a cycle. Instead each tasks module marks its tasks with `@deferrable`, its
AppConfig imports it at start-up, and a service queues one by its dotted path. A path that was
never registered fails loudly at the first call, in every test that reaches it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import Task

_registered: dict[str, Task] = {}


def deferrable(task: Task) -> Task:
    _registered[task.module_path] = task
    return task


def enqueue(path: str, *args: Any, run_after: datetime.datetime | None = None) -> None:
    try:
        task = _registered[path]
    except KeyError:
        raise LookupError(f"no task {path!r}: does its app's ready() import it?") from None
    (task.using(run_after=run_after) if run_after else task).enqueue(*args)
