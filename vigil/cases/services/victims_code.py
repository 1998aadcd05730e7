"""Victims' Code duties: created with the case, completed by officers, enhanced rights.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    ActionStatus,
    Case,
    CaseAction,
    ContactChannel,
    DutyKind,
    PersonRole,
    TimelineKind,
    VictimsCodeDuty,
    VictimsCodeRule,
)
from vigil.cases.policy import (
    add_working_days,
)
from vigil.cases.services.actions import action_add, action_set_status
from vigil.cases.services.timeline import timeline_add
from vigil.cases.tellings import Telling, TellingState, duty_tellings
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
    return _mark_done(
        duty=duty, by=by, told_how=told_how, told_at=told_at, told_time_known=told_time_known
    )


def _mark_done(
    *,
    duty: VictimsCodeDuty,
    by: User | None,
    told_how: str,
    told_at: datetime.datetime,
    told_time_known: bool = True,
) -> VictimsCodeDuty:
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
    task = duty.task
    if task is not None and task.status == ActionStatus.OPEN:
        # The task was to tell her another way. An officer who marks the duty done has done
        # it; a message that got through in the end (sent again) makes it not needed.
        outcome = ActionStatus.DONE if by is not None else ActionStatus.CANCELLED
        action_set_status.as_step(action=task, status=outcome, by=by)
    return duty


# --- duties done by a message: done when it reaches her, not when it is queued ---------------

NOT_REACHED = gettext_lazy("%(duty)s: a message did not reach the victim. Tell them another way")


def _when(telling: Telling) -> datetime.datetime:
    return telling.told_at or telling.entry.at


@write_service
def duty_settle(
    *, duty: VictimsCodeDuty, by: User | None, task: CaseAction | None = None
) -> VictimsCodeDuty:
    """Done when every victim on the case has had the news reach her, at the time the last of
    them was told; while a message waits (for her safe time, or a retry), still to do. A victim
    no message can now reach keeps it open, with the reason on the timeline and a task for the
    officer, once (`task`, if the caller made one already)."""
    duty = (
        VictimsCodeDuty.objects.select_for_update(of=("self",))
        .select_related("case", "task")
        .get(pk=duty.pk)
    )
    if task is not None and duty.task_id != task.pk:
        duty.task = task
        duty.save(update_fields=["task", "updated_at"])
        audit_record(action="case.duty.task", actor=by, target=duty.case, summary={})
    if duty.done_at is not None:
        return duty
    tellings = duty_tellings(duty)
    told: dict[object, Telling] = {}
    waiting: set[object] = set()
    for telling in tellings:
        victim_id = telling.entry.victim_id
        if telling.state == TellingState.TOLD:
            first = told.get(victim_id)
            if first is None or _when(telling) < _when(first):
                told[victim_id] = telling
        elif telling.state == TellingState.WAITING:
            waiting.add(victim_id)
    victims = set(duty.case.people.filter(role=PersonRole.VICTIM).values_list("pk", flat=True))
    if victims and victims <= set(told):
        # Told when the last of them was told, by the way that reached her.
        last = max((told[v] for v in victims), key=_when)
        return _mark_done(duty=duty, by=by, told_how=last.entry.channel, told_at=_when(last))
    not_told = victims - set(told) - waiting
    task_open = duty.task is not None and duty.task.status == ActionStatus.OPEN
    if not not_told or task_open or not tellings:
        return duty
    reasons = [t.reason for t in tellings if t.reason and t.entry.victim_id in not_told]
    creator = by or tellings[-1].entry.by
    title = str(NOT_REACHED) % {"duty": duty.description or duty.get_kind_display()}
    duty.task = action_add.as_step(
        case=duty.case, title=title[:200], owner=duty.case.officer, due_on=duty.due_on, by=creator
    )
    duty.save(update_fields=["task", "updated_at"])
    timeline_add(
        case=duty.case,
        kind=TimelineKind.DUTY,
        title=_("Victims' Code: %(d)s (not done: the victim was not told)")
        % {"d": duty.description or duty.get_kind_display()},
        detail=" ".join(dict.fromkeys(reasons)),
        actor=None,
    )
    audit_record(action="case.duty.not_told", actor=None, target=duty.case, summary={})
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
