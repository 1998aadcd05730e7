"""Urgent intake: a report of danger now, or one past its response time, must reach a person.

An untriaged report that says "in danger now" alerts the duty supervisor the moment it arrives
(online reports through reporting's `report_received` signal, phone reports when they are
saved); `intake_sweep` alerts for reports that have gone past their provisional response time
untriaged, and catches any danger report whose first alert was lost. Each alert is one
`UrgentIntakeAlert` row per report and reason, so the sweep can run every minute and nobody is
told twice. The alert stays on the duty supervisor's home page until the report is graded.

Who is "the duty supervisor" is data: supervisors marked on duty (`DutySupervisor`), or every
active supervisor when nobody is marked (docs/decisions.md, "Urgent intake").
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.home import HomePanel
from vigil.accounts.models import Role, User
from vigil.audit.services import audit_record
from vigil.cases.models import (
    DutySupervisor,
    PhoneReport,
    PriorityGrade,
    UrgentIntakeAlert,
    UrgentReason,
)
from vigil.cases.selectors import intake_queue_rows, provisional_due
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.models import Report

logger = logging.getLogger(__name__)


# --- the grades a report may be given --------------------------------------------------------


def grades_offered(*, immediate_danger: bool) -> QuerySet[PriorityGrade]:
    """Danger now: only the grades marked for it (emergency by default); otherwise all."""
    grades = PriorityGrade.objects.all()
    if immediate_danger:
        offered = grades.filter(offered_in_danger=True)
        # A force that unticked every grade must not leave a danger report ungradable: the
        # fastest grade is then the only one.
        return offered if offered.exists() else grades.order_by("response_minutes")[:1]
    return grades


def grade_refusal(*, grade: PriorityGrade, immediate_danger: bool) -> str:
    """Why this grade may not be given, or "" when it may."""
    if immediate_danger and not grades_offered(immediate_danger=True).filter(pk=grade.pk).exists():
        return _(
            "The reporter said they are in danger now: choose an emergency grade. If they are "
            "safe now, record that in Threat and Risk and ask a supervisor to regrade."
        )
    return ""


# --- who is told ------------------------------------------------------------------------------


def duty_supervisors() -> list[User]:
    """Supervisors marked on duty; with none marked (or none of them active), all of them."""
    on_duty = list(
        User.objects.filter(
            intake_duty__isnull=False, role=Role.SUPERVISOR, is_active=True
        ).order_by("pk")
    )
    if on_duty:
        return on_duty
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk"))


def is_duty_supervisor(user: User) -> bool:
    if user.role != Role.SUPERVISOR or not user.is_active:
        return False
    marked = DutySupervisor.objects.filter(user__role=Role.SUPERVISOR, user__is_active=True)
    return not marked.exists() or marked.filter(user=user).exists()


# --- raising and clearing alerts --------------------------------------------------------------


def urgent_alert_raise(
    *, reason: str, report: Report | None = None, phone_report: PhoneReport | None = None
) -> UrgentIntakeAlert | None:
    """Alert the duty supervisors about one untriaged report, once per report and reason.

    Returns the new alert, or None when this alert was raised before. The email carries only
    the reference and a link: staff email may be read outside the force's systems.
    """
    item: Any = report or phone_report
    try:
        with transaction.atomic():
            alert = UrgentIntakeAlert.objects.create(
                report=report, phone_report=phone_report, reason=reason
            )
            reason_text = alert.get_reason_display()
            link = absolute_url("accounts:home")
            for user in duty_supervisors():
                if not user.email:
                    continue
                outbox_enqueue(
                    channel="email",
                    recipient=user.email,
                    subject=_("Urgent: report %(ref)s needs triage now") % {"ref": item.reference},
                    body=_(
                        "%(reason)s. Report %(ref)s is waiting for triage. Sign in to Vigil: "
                        "%(link)s"
                    )
                    % {"reason": reason_text, "ref": item.reference, "link": link},
                    purpose="intake.urgent",
                    idempotency_key=f"intake-urgent:{alert.pk}:{user.pk}",
                )
            audit_record(
                action="intake.urgent_alert",
                target=item,
                summary={"reason": reason, "intake": item.reference},
            )
    except IntegrityError:
        # Raised already (by the sweep or another server): the supervisors were told.
        return None
    return alert


def urgent_alerts_graded(
    *, report: Report | None = None, phone_report: PhoneReport | None = None
) -> int:
    """The report is graded: its alerts leave the supervisors' home pages (the rows stay)."""
    alerts = UrgentIntakeAlert.objects.filter(graded_at__isnull=True)
    alerts = alerts.filter(report=report) if report is not None else alerts
    alerts = alerts.filter(phone_report=phone_report) if phone_report is not None else alerts
    return alerts.update(graded_at=timezone.now(), updated_at=timezone.now())


def on_report_received(sender: Any, report: Report, **kwargs: Any) -> None:
    """An online report arrived: danger now alerts at once."""
    if report.immediate_danger:
        urgent_alert_raise(reason=UrgentReason.DANGER, report=report)


def intake_sweep() -> dict[str, int]:
    """Alert for untriaged reports past their response time, and danger reports not yet
    alerted for. Idempotent: each report alerts once per reason, however often this runs."""
    now = timezone.now()
    counts = {"danger": 0, "overdue": 0}
    alerted: dict[tuple[str, Any], set[str]] = {}
    for seen in UrgentIntakeAlert.objects.values("report_id", "phone_report_id", "reason"):
        if seen["report_id"]:
            key = ("online", seen["report_id"])
        else:
            key = ("phone", seen["phone_report_id"])
        alerted.setdefault(key, set()).add(seen["reason"])
    grades = {g.code: g for g in PriorityGrade.objects.all()}
    for source, row in intake_queue_rows():
        done = alerted.get((source, row.pk), set())
        item: dict[str, Any] = {"report" if source == "online" else "phone_report": row}
        try:
            danger = row.immediate_danger and UrgentReason.DANGER not in done
            if danger and urgent_alert_raise(reason=UrgentReason.DANGER, **item):
                counts["danger"] += 1
            due = provisional_due(
                received_at=row.received_at, immediate_danger=row.immediate_danger, grades=grades
            )
            overdue = due <= now and UrgentReason.OVERDUE not in done
            if overdue and urgent_alert_raise(reason=UrgentReason.OVERDUE, **item):
                counts["overdue"] += 1
        except Exception:  # one bad report must not stop the alerts for the others
            logger.exception("could not alert for intake item %s", row.pk)
    return counts


# --- the duty supervisor's home page ---------------------------------------------------------


def urgent_alerts_open(*, user: User) -> list[UrgentIntakeAlert]:
    """Alerts not yet graded, for reports this user may see, oldest first."""
    online = Report.objects.visible_to(user).values("pk")
    phone = PhoneReport.objects.visible_to(user).values("pk")
    return list(
        UrgentIntakeAlert.objects.filter(graded_at__isnull=True)
        .filter(Q(report__in=online) | Q(phone_report__in=phone))
        .select_related("report", "phone_report")
        .order_by("created_at")[:200]
    )


def urgent_intake_panel(user: User) -> HomePanel | None:
    if not is_duty_supervisor(user):
        return None
    return HomePanel(
        template="cases/_urgent_intake.html", context={"alerts": urgent_alerts_open(user=user)}
    )
