"""Issue 15, point 6: a report of danger now, or one past its response time, reaches the duty
supervisor at once and stays on their home page until graded; the grades follow the answers;
the triage page shows everything the victim told us and other reports naming the suspect."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases import services
from vigil.cases.errors import CaseError
from vigil.cases.models import DutySupervisor, PriorityGrade, UrgentIntakeAlert
from vigil.cases.tests.factories import THRIVE, make_case, make_report
from vigil.cases.urgent import intake_sweep, on_report_received
from vigil.notifications.models import OutboxMessage
from vigil.reporting.signals import report_submitted

pytestmark = pytest.mark.django_db

TRIAGE_FORM = {**THRIVE, "decision": "new_case", "principal_classification": "stalking_s2a"}


def _urgent_emails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="intake.urgent"))


def test_an_online_report_of_danger_now_alerts_the_supervisors_at_once(
    make_staff: Callable[..., User],
) -> None:
    first = make_staff(Role.SUPERVISOR, email="sam@police.example")
    second = make_staff(Role.SUPERVISOR, email="sue@police.example")
    make_staff(Role.INVESTIGATOR, email="ivy@police.example")
    report = make_report(immediate_danger=True)
    report_submitted.send(sender=type(report), report=report, started_from="")
    emails = _urgent_emails()
    assert sorted(m.recipient for m in emails) == sorted([first.email, second.email])
    assert all(report.reference in m.subject for m in emails)
    # Nothing the victim said, and not who they are: staff email may be read anywhere.
    assert all("Alice" not in m.body and "Mallory" not in m.body for m in emails)


def test_only_the_supervisor_marked_on_duty_is_alerted(make_staff: Callable[..., User]) -> None:
    on_duty = make_staff(Role.SUPERVISOR, email="duty@police.example")
    make_staff(Role.SUPERVISOR, email="off@police.example")
    DutySupervisor.objects.create(user=on_duty)
    on_report_received(sender=None, report=make_report(immediate_danger=True))
    assert [m.recipient for m in _urgent_emails()] == [on_duty.email]


def test_a_phone_report_of_danger_now_alerts_the_duty_supervisor(
    staff_client: Callable[..., Client], make_staff: Callable[..., User]
) -> None:
    supervisor = make_staff(Role.SUPERVISOR, email="sam@police.example")
    client = staff_client(Role.CALL_HANDLER)
    client.post(
        reverse("cases:phone_report_new"),
        {
            "victim_name": "Bea Example",
            "suspect_relationship": "stranger",
            "summary": "He is outside now",
            "immediate_danger": "on",
        },
    )
    assert [m.recipient for m in _urgent_emails()] == [supervisor.email]


def test_a_report_sent_without_danger_alerts_nobody(make_staff: Callable[..., User]) -> None:
    make_staff(Role.SUPERVISOR, email="sam@police.example")
    report = make_report(immediate_danger=False)
    report_submitted.send(sender=type(report), report=report, started_from="")
    assert _urgent_emails() == []


def test_the_sweep_alerts_once_for_a_report_past_its_response_time(
    make_staff: Callable[..., User],
) -> None:
    make_staff(Role.SUPERVISOR, email="sam@police.example")
    report = make_report(received_at=timezone.now())
    assert intake_sweep()["overdue"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert intake_sweep() == {"danger": 0, "overdue": 1}
        call_command("cases_sweep")
        assert intake_sweep() == {"danger": 0, "overdue": 0}
    assert UrgentIntakeAlert.objects.get().report == report
    assert len(_urgent_emails()) == 1


def test_the_sweep_alerts_for_a_danger_report_whose_first_alert_was_lost(
    make_staff: Callable[..., User],
) -> None:
    make_staff(Role.SUPERVISOR, email="sam@police.example")
    make_report(immediate_danger=True, received_at=timezone.now())
    assert intake_sweep()["danger"] == 1
    assert intake_sweep()["danger"] == 0


def test_the_alert_stays_on_the_duty_supervisors_home_page_until_graded(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.SUPERVISOR)
    report = make_report(immediate_danger=True)
    on_report_received(sender=None, report=report)
    home = reverse("accounts:home")
    page = client.get(home).content.decode()
    assert "Urgent reports waiting for triage" in page
    assert reverse("cases:triage_online", args=[report.pk]) in page
    assert client.get(home).content.decode().count(report.reference) >= 1
    response = client.post(
        reverse("cases:triage_online", args=[report.pk]),
        {**TRIAGE_FORM, "grade": str(PriorityGrade.objects.get(code="emergency").pk)},
    )
    assert response.status_code == 302
    page = client.get(home).content.decode()
    assert reverse("cases:triage_online", args=[report.pk]) not in page
    assert "No urgent reports are waiting." in page
    assert UrgentIntakeAlert.objects.get().graded_at is not None


def test_an_investigator_has_no_urgent_intake_panel(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.INVESTIGATOR)
    on_report_received(sender=None, report=make_report(immediate_danger=True))
    assert "Urgent reports waiting" not in client.get(reverse("accounts:home")).content.decode()


def test_a_report_of_danger_now_is_offered_only_emergency_grades(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report(immediate_danger=True)
    url = reverse("cases:triage_online", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Emergency: respond within 15 minutes" in page
    assert "Scheduled" not in page
    scheduled = PriorityGrade.objects.get(code="scheduled")
    response = client.post(url, {**TRIAGE_FORM, "grade": str(scheduled.pk)})
    assert response.status_code == 200
    assert "choose an emergency grade" in response.content.decode()
    # Every other report is offered every grade.
    other_url = reverse("cases:triage_online", args=[make_report().pk])
    assert "Scheduled" in client.get(other_url).content.decode()


def test_the_service_refuses_a_slow_grade_for_a_danger_report(
    make_staff: Callable[..., User],
) -> None:
    with pytest.raises(CaseError, match="emergency grade"):
        services.triage_record(
            by=make_staff(Role.CALL_HANDLER),
            thrive=THRIVE,
            grade=PriorityGrade.objects.get(code="scheduled"),
            report=make_report(immediate_danger=True),
            principal_classification="stalking_s2a",
        )


def test_the_triage_page_shows_everything_the_victim_told_us(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report(
        suspects=[
            {
                "relationship": "ex_partner",
                "names": ["Mallory Sample"],
                "phones": ["07700 900999"],
                "vehicles": ["Red Ford Fiesta AB12 CDE"],
                "addresses": ["12 High Street, Leeds LS1 4AB"],
                "description": "Tall, tattoo on left hand",
            }
        ],
        details={
            "behaviours": ["following", "calls_messages"],
            "frequency": "daily",
            "started_on": "2026-09-01",
            "most_recent_on": "2026-11-25",
            "incidents": [],
            "impact": "I am scared to go out.",
            "changes_made": "I changed my route to work",
            "anything_else": "He was convicted of assaulting his last partner",
        },
    )
    page = client.get(reverse("cases:triage_online", args=[report.pk])).content.decode()
    for told in [
        "Following",
        "Every day or almost every day",
        "07700 900999",
        "Red Ford Fiesta AB12 CDE",
        "12 High Street, Leeds LS1 4AB",
        "Tall, tattoo on left hand",
        "I changed my route to work",
        "He was convicted of assaulting his last partner",
    ]:
        assert told in page, told


def test_the_triage_page_lists_other_reports_naming_the_same_suspect_in_scope(
    staff_client: Callable[..., Client], make_staff: Callable[..., User]
) -> None:
    client = staff_client(Role.SUPERVISOR)
    earlier = make_case(by=make_staff(Role.CALL_HANDLER))
    new = make_report()  # names Mallory Sample, 07700 900999, as the earlier report did
    page = client.get(reverse("cases:triage_online", args=[new.pk])).content.decode()
    assert earlier.reference in page
    assert reverse("cases:detail", args=[earlier.pk]) in page


def test_a_call_handler_sees_no_case_they_may_not_open_among_the_linked_reports(
    staff_client: Callable[..., Client], make_staff: Callable[..., User]
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    hidden = make_case(by=make_staff(Role.CALL_HANDLER))
    page = client.get(reverse("cases:triage_online", args=[make_report().pk])).content.decode()
    assert hidden.reference not in page
