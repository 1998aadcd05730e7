"""Reads, always for an acting user: an offender or order out of scope does not exist (404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.services import audit_denied, audit_record
from vigil.cases.models import Case
from vigil.offenders.models import (
    IN_FORCE,
    Breach,
    NotificationDue,
    Offender,
    Stage,
    StalkingProtectionOrder,
)
from vigil.offenders.people import person_cases


def offender_list(*, user: User) -> QuerySet[Offender]:
    return Offender.objects.visible_to(user).select_related("manager")


def offender_page_list(*, user: User, limit: int = 200) -> list[Offender]:
    """The offenders list page: names are personal data, so showing them is a recorded read."""
    shown = list(offender_list(user=user)[:limit])
    audit_record(action="offenders.list", actor=user, summary={"shown": len(shown)})
    return shown


def offender_get(*, user: User, offender_id: UUID, change: bool = False) -> Offender:
    """The offender, audited as read; or 404 (audited as refused)."""
    offender = (
        Offender.objects.visible_to(user, "change" if change else "view")
        .filter(pk=offender_id)
        .select_related("manager")
        .first()
    )
    if offender is None:
        audit_denied(actor=user, target_type="offenders.offender", target_id=offender_id)
        raise Http404
    audit_record(action="offenders.offender.view", actor=user, target=offender)
    return offender


def order_get(*, user: User, order_id: UUID, change: bool = False) -> StalkingProtectionOrder:
    order = (
        StalkingProtectionOrder.objects.visible_to(user, "change" if change else "view")
        .filter(pk=order_id)
        .select_related("offender__manager")
        .first()
    )
    if order is None:
        audit_denied(actor=user, target_type="offenders.order", target_id=order_id)
        raise Http404
    audit_record(action="offenders.order.view", actor=user, target=order)
    return order


@dataclass
class CaseLine:
    """A case of the person: its reference always (the offender manager needs to know it
    exists), a link only for someone who reaches the case. Never the victim."""

    case: Case
    reachable: bool


def offender_cases(*, user: User, offender: Offender) -> list[CaseLine]:
    cases = list(person_cases(offender.person_id).order_by("-opened_at"))
    reachable = set(
        Case.objects.visible_to(user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    return [CaseLine(case=c, reachable=c.pk in reachable) for c in cases]


def order_cases(*, user: User, order: StalkingProtectionOrder) -> list[CaseLine]:
    cases = list(order.protected_cases.all())
    reachable = set(
        Case.objects.visible_to(user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    return [CaseLine(case=c, reachable=c.pk in reachable) for c in cases]


@dataclass
class ManagerDesk:
    active: list[StalkingProtectionOrder]
    due: list[NotificationDue]
    overdue: list[NotificationDue]
    breaches: list[Breach]
    hearings: list[StalkingProtectionOrder]
    expiring: list[StalkingProtectionOrder]
    without_plan: list[Offender]
    lead_days: int


def manager_desk(*, user: User, today: datetime.date | None = None) -> ManagerDesk:
    """The offender manager's home page: what needs doing about the people they manage."""
    today = today or timezone.localdate()
    lead = int(settings.VIGIL_SPO_EXPIRY_LEAD_DAYS)
    orders = StalkingProtectionOrder.objects.visible_to(user).select_related("offender")
    open_notices = NotificationDue.objects.filter(
        order__in=orders.values("pk"), received_on=None
    ).select_related("order__offender")
    audit_record(action="offenders.desk", actor=user)
    return ManagerDesk(
        active=list(orders.filter(stage__in=IN_FORCE)[:50]),
        due=list(open_notices.filter(due_on__gte=today)[:50]),
        overdue=list(open_notices.filter(due_on__lt=today)[:50]),
        breaches=list(
            Breach.objects.filter(
                order__in=orders.values("pk"),
                occurred_at__gte=timezone.now() - datetime.timedelta(days=30),
            ).select_related("order__offender")[:50]
        ),
        hearings=list(orders.filter(hearing_on__gte=today).order_by("hearing_on")[:50]),
        expiring=list(
            orders.filter(
                stage=Stage.FULL,
                ends_on__gte=today,
                ends_on__lte=today + datetime.timedelta(days=lead),
            ).order_by("ends_on")[:50]
        ),
        without_plan=[o for o in offender_list(user=user)[:200] if not o.plan][:50],
        lead_days=lead,
    )
