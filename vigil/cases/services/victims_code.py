"""Victims' Code duties: created with the case, completed by officers, enhanced rights.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    Case,
    ContactChannel,
    DutyKind,
    TimelineKind,
    VictimsCodeDuty,
    VictimsCodeRule,
)
from vigil.cases.policy import (
    add_working_days,
)
from vigil.cases.services.timeline import timeline_add
from vigil.cases.versions import case_lock, version_bump


def _duties_for_new_case(*, case: Case, today: datetime.date) -> None:
    rules = {rule.kind: rule for rule in VictimsCodeRule.objects.all()}
    referral = rules.get(DutyKind.REFERRAL)
    update = rules.get(DutyKind.UPDATE)
    duties = []
    if referral and referral.working_days is not None:
        duties.append(
            VictimsCodeDuty(
                case=case,
                kind=DutyKind.REFERRAL,
                description=_("Offer a referral to support services"),
                due_on=add_working_days(today, referral.working_days),
            )
        )
    if update and update.every_days:
        duties.append(
            VictimsCodeDuty(
                case=case,
                kind=DutyKind.UPDATE,
                description=_("Update the victim on the investigation"),
                due_on=today + datetime.timedelta(days=update.every_days),
            )
        )
    VictimsCodeDuty.objects.bulk_create(duties)


def key_decision_due(*, case: Case, today: datetime.date) -> datetime.date:
    rule = VictimsCodeRule.objects.filter(kind=DutyKind.KEY_DECISION).first()
    days = 5
    if rule is not None:
        enhanced = rule.enhanced_working_days
        days = enhanced if case.enhanced_rights and enhanced is not None else rule.working_days or 5
    return add_working_days(today, days)


def key_decision_duty_add(*, case: Case, description: str) -> VictimsCodeDuty:
    return VictimsCodeDuty.objects.create(
        case=case,
        kind=DutyKind.KEY_DECISION,
        description=description[:200],
        due_on=key_decision_due(case=case, today=timezone.localdate()),
    )


@write_service
def duty_complete(
    *,
    duty: VictimsCodeDuty,
    by: User,
    told_how: str,
    told_at: datetime.datetime,
    told_time_known: bool = True,
) -> VictimsCodeDuty:
    """A Victims' Code duty is done when the victim was told: how, and when, are recorded."""
    if duty.done_at is not None:
        raise CaseError(_("This duty is already done."))
    if told_how not in ContactChannel.values:
        raise CaseError(_("Say how the victim was told."))
    if told_at > timezone.now():
        raise CaseError(_("The time the victim was told must be now or in the past."))
    duty.done_at = timezone.now()
    duty.done_by = by
    duty.told_how = told_how
    duty.told_at = told_at
    duty.told_time_known = told_time_known
    duty.save(
        update_fields=["done_at", "done_by", "told_how", "told_at", "told_time_known", "updated_at"]
    )
    if duty.kind == DutyKind.UPDATE:
        rule = VictimsCodeRule.objects.filter(kind=DutyKind.UPDATE).first()
        every = (rule.every_days if rule else None) or 28
        VictimsCodeDuty.objects.create(
            case=duty.case,
            kind=DutyKind.UPDATE,
            description=duty.description,
            due_on=timezone.localdate() + datetime.timedelta(days=every),
        )
    timeline_add(
        case=duty.case,
        kind=TimelineKind.DUTY,
        title=_("Victims' Code: %(d)s (done)") % {"d": duty.description or duty.get_kind_display()},
        detail=_("Victim told by: %(how)s") % {"how": duty.get_told_how_display()},
        occurred_at=told_at,
        time_known=told_time_known,
        actor=by,
    )
    audit_record(
        action="case.duty.done",
        actor=by,
        target=duty.case,
        summary={"kind": duty.kind, "told_how": told_how},
    )
    return duty


@write_service
def case_enhanced_rights_set(
    *, case: Case, enhanced: bool, by: User, version: int | None = None
) -> Case:
    case = case_lock(case=case, version=version)
    case.enhanced_rights = enhanced
    case.save(update_fields=["enhanced_rights", "updated_at"])
    audit_record(
        action="case.enhanced_rights", actor=by, target=case, summary={"enhanced": enhanced}
    )
    version_bump(case)
    return case
