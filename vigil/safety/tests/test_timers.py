"""Check-in timers with frozen time: the reminder and the alert at the right moments, and
nothing from a timer that was stopped or moved."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from vigil.audit.models import AuditEvent
from vigil.cases.models import TimelineEntry
from vigil.cases.tests.factories import make_case, make_report
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.models import CheckInTimer, SafetyAlert, TimerStatus
from vigil.safety.tasks import timer_alert_task, timer_reminder_task
from vigil.safety.tests.conftest import add_contact

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 26, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(minutes: float) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def start_timer(report: Report, minutes: int = 30, **kwargs: Any) -> CheckInTimer:
    options = {"plan": "Walking home from the station", "reminder_channel": "email"}
    options.update(kwargs)
    return services.timer_start(
        report=report, minutes=minutes, alert_officer=options.pop("alert_officer", False), **options
    )


def run_due_tasks() -> list[str]:
    """What the worker would run now: every queued timer task whose time has come."""
    from django.utils import timezone

    results = []
    for row in DBTaskResult.objects.filter(run_after__lte=timezone.now(), status="READY").order_by(
        "run_after"
    ):
        task = timer_alert_task if row.task_path.endswith("timer_alert_task") else None
        task = task or (
            timer_reminder_task if row.task_path.endswith("timer_reminder_task") else None
        )
        if task is None:
            continue
        results.append(task.call(*row.args_kwargs["args"]))
        row.status = "SUCCESSFUL"
        row.save(update_fields=["status"])
    return results


def reminders() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="safety.timer_reminder"))


def alerts() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="safety.alert"))


def test_starting_a_timer_queues_the_reminder_and_the_alert(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        start_timer(report, minutes=30)
    runs = sorted(DBTaskResult.objects.values_list("task_path", "run_after"))
    assert runs == [
        ("vigil.safety.tasks.timer_alert_task", at(30)),
        ("vigil.safety.tasks.timer_reminder_task", at(28)),
    ]


def test_the_reminder_goes_two_minutes_before_the_end_to_the_safe_channel(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    add_contact(report)
    with django_capture_on_commit_callbacks(execute=True):
        timer = start_timer(report, minutes=30)
    clock.move_to(at(27.9))
    run_due_tasks()
    assert services.timer_remind(timer_id=timer.pk, version=timer.version) is False
    assert reminders() == []
    clock.move_to(at(28))
    run_due_tasks()
    (reminder,) = reminders()
    assert reminder.recipient == "alice@example.com"
    assert "18:30" in reminder.body
    # Signed with a name that gives nothing away: someone else may see her email.
    assert "The support team" in reminder.body
    assert "stalking" not in reminder.body.lower()
    assert alerts() == []


def test_the_alert_goes_to_confirmed_contacts_when_the_timer_runs_out(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    add_contact(report, email="bob@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        timer = start_timer(report, minutes=30)
    clock.move_to(at(29.9))
    run_due_tasks()
    assert alerts() == []
    clock.move_to(at(30))
    with django_capture_on_commit_callbacks(execute=False):
        run_due_tasks()
    (alert,) = alerts()
    assert alert.recipient == "bob@example.org"
    assert "Alice set a check-in timer and has not checked in" in alert.body
    assert "Walking home from the station" in alert.body
    assert report.reference not in alert.body
    timer.refresh_from_db()
    assert timer.status == TimerStatus.ALERTED


def test_a_stopped_timer_sends_nothing(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    add_contact(report)
    with django_capture_on_commit_callbacks(execute=True):
        timer = start_timer(report, minutes=30)
    clock.move_to(at(10))
    services.timer_cancel(timer=timer)
    clock.move_to(at(60))
    assert run_due_tasks() == ["skipped", "skipped"]
    assert reminders() == [] and alerts() == []
    assert services.safety_sweep()["alerts"] == 0


def test_an_extended_timer_moves_the_alert(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    add_contact(report)
    with django_capture_on_commit_callbacks(execute=True):
        timer = start_timer(report, minutes=30)
    clock.move_to(at(20))
    with django_capture_on_commit_callbacks(execute=True):
        services.timer_extend(timer=timer, minutes=15)
    clock.move_to(at(30))
    assert run_due_tasks() == ["skipped", "skipped"]  # the first reminder and alert are stale
    assert alerts() == []
    clock.move_to(at(43))
    assert run_due_tasks() == ["sent"]
    assert len(reminders()) == 1
    clock.move_to(at(45))
    assert run_due_tasks() == ["alerted"]
    assert len(alerts()) == 1


def test_an_alert_is_sent_once_however_often_its_task_runs(
    report: Report, clock: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    add_contact(report)
    timer = start_timer(report, minutes=5)
    clock.move_to(at(5))
    services.timer_expire(timer_id=timer.pk, version=timer.version)
    services.timer_expire(timer_id=timer.pk, version=timer.version)
    services.safety_sweep()
    assert len(alerts()) == 1
    assert SafetyAlert.objects.count() == 1


def test_the_sweep_alerts_when_the_queued_task_was_lost(report: Report, clock: Any) -> None:
    add_contact(report)
    start_timer(report, minutes=5)  # its tasks are never queued: no commit here
    clock.move_to(at(3))
    assert services.safety_sweep() == {"alerts": 0, "reminders": 1, "shares": 0, "purged": 0}
    clock.move_to(at(6))
    assert services.safety_sweep()["alerts"] == 1
    assert len(alerts()) == 1 and len(reminders()) == 1


def test_a_timer_too_short_for_a_reminder_has_none(report: Report, clock: Any) -> None:
    timer = start_timer(report, minutes=1)
    assert timer.remind_at is None
    clock.move_to(at(0.5))
    services.safety_sweep()
    assert reminders() == []


def test_no_reminder_by_a_channel_not_marked_safe(report: Report) -> None:
    with pytest.raises(services.SafetyError):
        start_timer(report, reminder_channel="sms")  # the report marked only email safe


def test_the_alert_carries_the_last_place_the_victim_shared(report: Report, clock: Any) -> None:
    add_contact(report)
    services.location_share(report=report, place="Costa on the High Street", from_device=False)
    clock.move_to(at(1))
    services.alert_send_now(report=report, message="Please call me", to_officer=False)
    (alert,) = alerts()
    assert "Alice has asked us to alert you now" in alert.body
    assert "Please call me" in alert.body
    assert "at 18:00: Costa on the High Street" in alert.body


def test_send_alert_now_ends_a_running_timer(report: Report, clock: Any) -> None:
    add_contact(report)
    timer = start_timer(report, minutes=30)
    services.alert_send_now(report=report, message="", to_officer=False)
    timer.refresh_from_db()
    assert timer.status == TimerStatus.ALERTED
    clock.move_to(at(30))
    assert services.timer_expire(timer_id=timer.pk, version=1) is None
    assert len(alerts()) == 1
    assert "Walking home from the station" in alerts()[0].body


def test_the_officer_sees_an_alert_the_victim_asked_them_to_get(
    report: Report, clock: Any, make_staff: Callable[..., Any], staff_client: Callable[..., Any]
) -> None:
    officer_client = staff_client("investigator")
    case = make_case(by=officer_client.user, officer=officer_client.user, report=report)
    timer = start_timer(report, minutes=5, alert_officer=True, plan="Collecting my things")
    clock.move_to(at(5))
    services.timer_expire(timer_id=timer.pk, version=timer.version)
    entry = TimelineEntry.objects.get(case=case, title__startswith="Safety alert")
    assert "Collecting my things" in entry.detail
    page = officer_client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert "Safety alert from the victim" in page.content.decode()
    assert "Collecting my things" in page.content.decode()


def test_an_alert_for_the_officer_reaches_the_case_at_triage(
    report: Report, make_staff: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.alert_send_now(report=report, message="Scared", to_officer=True)
    alert = SafetyAlert.objects.get()
    assert alert.case is None
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(by=make_staff("call_handler"), report=report)
    alert.refresh_from_db()
    assert alert.case == case
    assert TimelineEntry.objects.filter(case=case, title__startswith="Safety alert").exists()


def test_the_victim_starts_extends_and_stops_a_timer_on_the_page(
    clock: Any, alice: Client, report: Report
) -> None:
    page = alice.get(reverse("safety:timer"))
    assert "call 999" in page.content.decode()
    response = alice.post(
        reverse("safety:timer"),
        {
            "plan": "Going to the shop",
            "minutes": "20",
            "reminder_channel": "email",
            "action": "start",
        },
    )
    assert response.status_code == 302
    timer = CheckInTimer.objects.get(report=report)
    assert timer.due_at == at(20)
    alice.post(reverse("safety:timer"), {"minutes": "10", "action": "extend"})
    timer.refresh_from_db()
    assert timer.due_at == at(30) and timer.version == 2
    page = alice.get(reverse("safety:timer"))
    assert "18:30" in page.content.decode()
    alice.post(reverse("safety:timer_stop"))
    timer.refresh_from_db()
    assert timer.status == TimerStatus.CANCELLED


def test_only_the_timer_page_may_ask_for_the_location(alice: Client) -> None:
    timer_page = alice.get(reverse("safety:timer"))
    assert "geolocation=(self)" in timer_page["Permissions-Policy"]
    other = alice.get(reverse("safety:hub"))
    assert "geolocation=()" in other["Permissions-Policy"]


def test_a_place_can_be_typed_without_javascript(alice: Client, report: Report) -> None:
    response = alice.post(reverse("safety:location"), {"place": "Library, Mill Road"})
    assert response.status_code == 302
    assert services.last_location(report).place == "Library, Mill Road"  # type: ignore[union-attr]


def test_every_safety_page_says_to_call_999(alice: Client) -> None:
    for name in ("safety:hub", "safety:contacts", "safety:contact_add", "safety:timer"):
        assert "call 999" in alice.get(reverse(name)).content.decode(), name
    for name in ("safety:alert_now", "safety:diary", "safety:diary_new"):
        assert "call 999" in alice.get(reverse(name)).content.decode(), name


def test_someone_elses_timer_cannot_be_stopped(report: Report, clock: Any) -> None:
    from vigil.safety.tests.conftest import signed_in

    timer = start_timer(report)
    signed_in(make_report()).post(reverse("safety:timer_stop"))
    timer.refresh_from_db()
    assert timer.is_running


def test_a_start_form_left_open_does_not_change_a_running_timer(
    clock: Any, alice: Client, report: Report
) -> None:
    timer = start_timer(report, minutes=20)
    response = alice.post(
        reverse("safety:timer"), {"plan": "Something else", "minutes": "90", "action": "start"}
    )
    assert "already" in response["Location"]
    assert CheckInTimer.objects.get() == timer
    timer.refresh_from_db()
    assert timer.due_at == at(20) and timer.version == 1


def test_the_victim_is_told_when_an_alert_reached_no_one(alice: Client) -> None:
    response = alice.post(reverse("safety:alert_now"), {"message": "Help", "to_officer": "on"})
    page = response.content.decode()
    assert "Alert sent" in page
    assert "No one has agreed to be your trusted contact yet" in page
    assert "call 999" in page


def test_an_alert_reaching_the_case_at_triage_is_audited(
    report: Report, make_staff: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 14: the alert moved onto the case with no audit row."""
    services.alert_send_now(report=report, message="Scared", to_officer=True)
    alert = SafetyAlert.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(by=make_staff("call_handler"), report=report)

    event = AuditEvent.objects.get(action="safety.alert.to_case", target_id=str(case.pk))
    assert event.summary == {"alert": str(alert.pk)}
