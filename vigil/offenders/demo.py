"""Demo offender management: one person behind two demo cases, with an order in force whose
notification is overdue (so the offender manager's home page has something to show), and one
order considered and not pursued."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, CaseStatus, PersonRole
from vigil.cases.selectors import case_link_records
from vigil.linking.services import link_confirm
from vigil.offenders import services
from vigil.offenders.models import ConditionKind, MarkerKind, Offender


@write_service
def load_demo_offenders() -> str:
    if Offender.objects.exists():
        return "Demo offenders: already loaded."
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    manager = User.objects.filter(role=Role.OFFENDER_MANAGER).first()
    cases = [
        c
        for c in Case.objects.filter(status=CaseStatus.OPEN).order_by("opened_at")
        if c.people.filter(role=PersonRole.SUSPECT).exists() and case_link_records(case=c)
    ][:3]
    if coordinator is None or len(cases) < 3:
        return "Demo offenders: no demo cases to build on."
    first, second, third = cases
    link_confirm.as_step(
        record=case_link_records(case=first)[0],
        other=case_link_records(case=second)[0],
        by=coordinator,
        note="Demo: same phone number.",
    )
    suspect = first.people.filter(role=PersonRole.SUSPECT).first()
    assert suspect is not None
    today = timezone.localdate()
    order = services.spo_consider.as_step(
        case=first, suspect=suspect, pursue=True, reasons="Two victims; escalating.", by=coordinator
    )
    services.offender_update.as_step(
        offender=order.offender,
        by=coordinator,
        manager=manager,
        plan="",
        bail_conditions="Not to contact either victim; curfew 8pm to 7am.",
    )
    services.marker_add.as_step(
        offender=order.offender,
        kind=MarkerKind.STALKING,
        reason="Stalking of two former partners.",
        by=coordinator,
    )
    services.spo_draft.as_step(
        order=order,
        acts_of_stalking="Repeated calls at night, following to work, waiting outside home.",
        risk_summary="High: fixated, escalating, two victims.",
        by=coordinator,
    )
    services.condition_add.as_step(
        order=order,
        kind=ConditionKind.PROHIBITION,
        text="Not to contact the victims directly or through anyone else.",
        reason="Contact through friends continued after a warning.",
        by=coordinator,
    )
    services.condition_add.as_step(
        order=order,
        kind=ConditionKind.REQUIREMENT,
        text="Attend a stalking perpetrator programme assessment.",
        reason="Addresses the fixation behind the behaviour.",
        by=coordinator,
    )
    week_ago = today - datetime.timedelta(days=7)
    # The demo's order was considered and drafted before it was applied for (a step may not
    # be dated before the one recorded before it).
    earlier = week_ago - datetime.timedelta(days=7)
    order.steps.filter(kind__in=["considered", "drafted", "condition"]).update(on=earlier)
    services.spo_apply.as_step(
        order=order,
        court="Exeter Magistrates' Court",
        applied_on=week_ago,
        hearing_on=today + datetime.timedelta(days=21),
        by=coordinator,
    )
    services.spo_interim.as_step(order=order, made_on=week_ago, by=coordinator)
    services.spo_serve.as_step(order=order, served_on=week_ago, by=coordinator)
    third_suspect = third.people.filter(role=PersonRole.SUSPECT).first()
    assert third_suspect is not None
    services.spo_consider.as_step(
        case=third,
        suspect=third_suspect,
        pursue=False,
        reasons="Suspect now lives abroad; a restraining order on conviction is sought instead.",
        by=coordinator,
    )
    type(order).objects.filter(pk=order.pk).update(considered_on=earlier)
    return "Demo offenders: one person behind two cases with an interim order; one not pursued."
