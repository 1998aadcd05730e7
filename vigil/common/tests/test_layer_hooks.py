"""The hooks that let a lower app trigger work above it without importing it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from vigil.common import deferred
from vigil.common.demo import demo_loaders


def test_a_task_never_registered_fails_loudly() -> None:
    with pytest.raises(LookupError, match=r"vigil\.nowhere\.tasks\.missing"):
        deferred.enqueue("vigil.nowhere.tasks.missing", "1")


def test_every_task_a_service_queues_is_registered_at_start_up() -> None:
    from vigil.notifications.services import DELIVER_TASK
    from vigil.safety.services import ALERT_TASK, REMINDER_TASK

    for path in (
        DELIVER_TASK,
        REMINDER_TASK,
        ALERT_TASK,
        "vigil.reporting.tasks.tracking_link_send_task",
    ):
        assert path in deferred._registered, path


def test_demo_loaders_run_staff_first_and_cases_before_what_builds_on_them() -> None:
    names = [f"{load.__module__}.{load.__name__}" for load in demo_loaders()]
    assert names.index("vigil.accounts.demo.load_demo") == 0
    assert names.index("vigil.safety.demo.load_demo_safety") < names.index(
        "vigil.cases.demo.load_demo"
    )
    assert names.index("vigil.cases.demo.load_demo") < names.index("vigil.risk.demo.load_demo")


@pytest.mark.django_db
def test_the_demo_victims_shared_diary_entry_reaches_her_case_at_triage(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    from vigil.cases.models import Triage
    from vigil.safety.demo import demo_report
    from vigil.safety.models import DiaryEntry

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
        call_command("load_demo")  # idempotent: the second run adds no case or triage
    report = demo_report()
    assert Triage.objects.filter(report=report).count() == 1
    shared = DiaryEntry.objects.get(report=report, shared_at__isnull=False)
    assert shared.incident is not None
    assert shared.incident.case == Triage.objects.get(report=report).case
    assert "Safety tools demo: track report" in capsys.readouterr().out


def test_without_case_management_the_safety_tools_find_no_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vigil.safety import case_link, services

    monkeypatch.setattr(case_link, "_registered", [])
    assert services.case_for_report(object()) is None  # type: ignore[arg-type]
