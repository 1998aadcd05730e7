"""Writes on offenders and Stalking Protection Orders.

Each is one transaction that writes its dated step, its audit row and a line on the timeline of
every case the order protects. Which step may follow which is the table `NEXT_STAGE`: a step the
order's stage does not allow is refused with a message, never half-done.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases import services as case_services
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    Case,
    CasePerson,
    CaseStatus,
    ContactChannel,
    IncidentSource,
    PersonRole,
    TimelineKind,
    VictimsCodeDuty,
)
from vigil.common.form_saves import SavedSinceRead
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue
from vigil.offenders.deadlines import earliest_full_order_end, notification_due_on
from vigil.offenders.models import (
    IN_FORCE,
    Breach,
    ConditionKind,
    MarkerKind,
    NotificationDue,
    NotificationKind,
    Offender,
    OrderCondition,
    OrderStep,
    OtherOrder,
    RightToKnow,
    Stage,
    StalkingProtectionOrder,
    StepKind,
    WarningMarker,
)
from vigil.offenders.people import person_cases, record_for_suspect, suspect_on_case


class OrderError(ValidationError):
    """A step the order cannot take, in words the officer can act on."""


class StaleEdit(OrderError, SavedSinceRead):
    """Someone else saved the record after this form was read."""


STALE = gettext_lazy(
    "Someone else saved changes here after you opened this page. Nothing was saved."
)


def _lock(model: Any, obj: Any, version: int | None) -> None:
    """Lock the row and read it afresh; refuse if saved since `version` was read (None: no
    form, e.g. a step that only adds a row)."""
    current = model.objects.select_for_update().filter(pk=obj.pk).values_list("version", flat=True)
    if version is not None and current.get() != version:
        raise StaleEdit(str(STALE))
    obj.refresh_from_db()


# For each step: the stages it may be taken from, and the stage it leaves (None: unchanged).
NEXT_STAGE: dict[str, tuple[frozenset[str], str | None]] = {
    StepKind.DRAFTED: (frozenset({Stage.CONSIDERED, Stage.DRAFTED}), Stage.DRAFTED),
    StepKind.APPLIED: (frozenset({Stage.DRAFTED}), Stage.APPLIED),
    StepKind.HEARING: (frozenset({Stage.APPLIED, Stage.INTERIM, Stage.FULL}), None),
    StepKind.INTERIM: (frozenset({Stage.APPLIED}), Stage.INTERIM),
    StepKind.FULL: (frozenset({Stage.APPLIED, Stage.INTERIM}), Stage.FULL),
    StepKind.REFUSED: (frozenset({Stage.APPLIED, Stage.INTERIM}), Stage.REFUSED),
    StepKind.SERVED: (IN_FORCE, None),
    StepKind.VARIED: (IN_FORCE, None),
    StepKind.RENEWED: (frozenset({Stage.FULL}), None),
    StepKind.DISCHARGED: (IN_FORCE, Stage.DISCHARGED),
    StepKind.APPEALED: (frozenset({Stage.FULL, Stage.REFUSED}), None),
    StepKind.EXPIRED: (frozenset({Stage.FULL}), Stage.EXPIRED),
}

# Decisions the victim has a right to hear of (Victims' Code: key decisions).
VICTIM_TOLD_OF: dict[str, Any] = {
    StepKind.NOT_PURSUED: gettext_lazy(
        "The police have decided not to apply for a court order to protect "
        "you. Your officer will explain why."
    ),
    StepKind.INTERIM: gettext_lazy(
        "The court has made an interim order to protect you. Your officer will "
        "explain what it means."
    ),
    StepKind.FULL: gettext_lazy(
        "The court has made a Stalking Protection Order to protect you. Your "
        "officer will explain what it means."
    ),
    StepKind.REFUSED: gettext_lazy(
        "The court did not make the order the police applied for. Your officer "
        "will explain what happens next."
    ),
    StepKind.VARIED: gettext_lazy(
        "The court has changed the order that protects you. Your officer will "
        "explain what has changed."
    ),
    StepKind.RENEWED: gettext_lazy("The court has renewed the order that protects you."),
    StepKind.DISCHARGED: gettext_lazy(
        "The order that protected you has ended. Your officer will explain what happens next."
    ),
    StepKind.EXPIRED: gettext_lazy("The order that protected you has come to its end date."),
}


# The pages that record each step, in the order an officer meets them: (url step, label).
COURT_STEPS: list[tuple[str, str]] = [
    (StepKind.HEARING, "hearing"),
    (StepKind.INTERIM, "interim"),
    (StepKind.FULL, "full"),
    (StepKind.REFUSED, "refused"),
    (StepKind.SERVED, "served"),
    (StepKind.VARIED, "varied"),
    (StepKind.RENEWED, "renewed"),
    (StepKind.DISCHARGED, "discharged"),
    (StepKind.APPEALED, "appealed"),
]


def next_steps(order: StalkingProtectionOrder) -> list[tuple[str, str]]:
    """The court steps the order's stage allows now: (step, label)."""
    return [
        (slug, str(StepKind(kind).label))
        for kind, slug in COURT_STEPS
        if order.stage in NEXT_STAGE[kind][0]
    ]


def _day(value: datetime.date) -> str:
    return str(formats.date_format(value, "j F Y"))


def _check_step(order: StalkingProtectionOrder, step: str, version: int | None = None) -> None:
    # Two officers recording the same court decision at once: the second waits for the
    # first, then reads the stage the first left.
    _lock(StalkingProtectionOrder, order, version)
    if order.stage not in NEXT_STAGE[step][0]:
        raise OrderError(
            _("This cannot be recorded while the order is at “%(stage)s”.")
            % {"stage": order.get_stage_display()}
        )


def _order_step(
    *,
    order: StalkingProtectionOrder,
    kind: str,
    on: datetime.date,
    by: User | None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    document: UploadedFile | None = None,
    date_field: str = "on",
) -> StalkingProtectionOrder:
    """Take a step on the order's life (`NEXT_STAGE`): its changed fields and the stage the step
    leaves it at, saved with the dated step, the audit row and the timelines (`_step`). The
    stage comes from the table only, so a step cannot leave the order somewhere else. A step
    dated before the last one is refused by the form's `date_field`: the court bundle and the
    figures read the steps in date order, so the order's life must read forwards."""
    _refuse_date_before_last_step(order=order, on=on, date_field=date_field)
    changes = dict(changes or {})
    leaves = NEXT_STAGE[kind][1]
    if leaves is not None:
        changes["stage"] = leaves
    for field, value in changes.items():
        setattr(order, field, value)
    _step(order=order, kind=kind, on=on, by=by, note=note, document=document, fields=list(changes))
    return order


# The steps that date the order's life. A hearing step is dated with the hearing, which may be
# weeks ahead, so later steps (an interim order before it) are not held to it.
LIFE_STEPS = frozenset({StepKind.CONSIDERED, StepKind.NOT_PURSUED, *NEXT_STAGE}) - {
    StepKind.HEARING
}


def _refuse_date_before_last_step(
    *, order: StalkingProtectionOrder, on: datetime.date, date_field: str
) -> None:
    last = order.steps.filter(kind__in=LIFE_STEPS).order_by("-on", "-created_at").first()
    if last is not None and on < last.on:
        raise OrderError(
            {
                date_field: _(
                    "This date cannot be before %(day)s, when the last step was recorded "
                    "(%(step)s)."
                )
                % {"day": _day(last.on), "step": last.get_kind_display()}
            }
        )


def _step(
    *,
    order: StalkingProtectionOrder,
    kind: str,
    on: datetime.date,
    by: User | None,
    note: str = "",
    document: UploadedFile | None = None,
    fields: Iterable[str] = (),
) -> OrderStep:
    """Save the order's changed fields, its dated step, the audit row and the timelines."""
    evidence = None
    cases = list(order.protected_cases.all())
    if document is not None and cases and by is not None:
        # Court papers are kept with the lead case's evidence, encrypted, with their hash.
        evidence = case_services.evidence_add.as_step(
            case=cases[0],
            description=_("Stalking Protection Order: %(step)s") % {"step": StepKind(kind).label},
            upload=document,
            by=by,
        )
    order.version += 1
    order.save(update_fields=[*fields, "version", "updated_at"])
    step = OrderStep.objects.create(
        order=order, kind=kind, on=on, note=note, document=evidence, by=by
    )
    title = _("Stalking Protection Order: %(step)s (%(day)s)") % {
        "step": StepKind(kind).label,
        "day": _day(on),
    }
    for case in cases:
        case_services.timeline_add(case=case, kind=TimelineKind.DECISION, title=title, actor=by)
    audit_record(
        action=f"offenders.order.{kind}",
        actor=by,
        target=order,
        summary={"stage": order.stage, "on": on.isoformat(), "document": bool(evidence)},
    )
    if kind in VICTIM_TOLD_OF and by is not None:
        _tell_victims(order=order, kind=kind, cases=cases, by=by)
    return step


# What a pushed message says when the victim has not told us we may say who we are, or someone
# else may read it: nothing about a court or the police, so it tells a reader nothing. It does
# not tell her the decision either, so the officer still has to.
DISCREET_NEWS = gettext_lazy(
    "We have news for you about what we talked about. We will get in touch in a way you said "
    "is safe."
)
DISCREET_NEWS_ON_REPORT = gettext_lazy(
    "We have news for you about what we talked about. Sign in to your report when it is safe "
    "to read it."
)


# The officer's task when no message could tell a victim.
TELL_BY_PHONE = gettext_lazy(
    "Tell the victim about the Stalking Protection Order decision by phone, at a time they "
    "marked safe"
)
TELL_SAFELY = gettext_lazy(
    "Tell the victim about the Stalking Protection Order decision in a way they marked safe"
)


def _may_phone(victim: CasePerson) -> bool:
    prefs = victim.contact_prefs
    return "phone" in prefs.channels and not prefs.third_party_caution


def _tell_victims(
    *, order: StalkingProtectionOrder, kind: str, cases: list[Case], by: User
) -> None:
    """A Victims' Code duty on each protected case, with its deadline, and each victim told on
    every way open to her (`_tell_victim`). The offender is never named: the victim may not
    know who it is (see Right to Know). A victim the decision could not reach safely keeps the
    duty open, with the reason on the case's timeline and a task for the officer to tell her
    another way."""
    decision = str(VICTIM_TOLD_OF[kind])
    for case in cases:
        duty = case_services.key_decision_duty_add(
            case=case, description=_("Tell the victim about the Stalking Protection Order decision")
        )
        not_told: list[str] = []
        by_phone = True
        for victim in case.people.filter(role=PersonRole.VICTIM).select_related("report"):
            channel, reasons = _tell_victim(
                case=case, victim=victim, decision=decision, by=by, duty=duty
            )
            if channel:
                continue
            not_told.append(" ".join(reasons))
            by_phone = by_phone and _may_phone(victim)
        task = None
        if not_told:
            # No name in the title: action lists are read at a glance, on shared screens.
            task = case_services.action_add.as_step(
                case=case,
                title=str(TELL_BY_PHONE if by_phone else TELL_SAFELY),
                owner=case.officer,
                due_on=duty.due_on,
                by=by,
            )
        # Done only once the news has reached every victim: on her report at once; by email or
        # text when the outbox delivers it (it may wait for her safe time, or never go).
        case_services.duty_settle.as_step(duty=duty, by=by, task=task)
        if not_told:
            case_services.timeline_add(
                case=case,
                kind=TimelineKind.DUTY,
                title=_("The victim could not be told of the order decision by message"),
                detail=_("Tell them in a safe way and mark the duty done. %(why)s")
                % {"why": " ".join(not_told)},
                actor=by,
            )


# The ways a decision reaches a victim without an officer: "track my report" (read when she
# signs in), then email and text, queued by the outbox, which checks her live safe-contact
# record now and again when it sends, and holds a text until a day and hour she marked safe.
TELLING_CHANNELS = (ContactChannel.ONLINE_REPORT, ContactChannel.EMAIL, ContactChannel.TEXT)


def _tell_victim(
    *, case: Case, victim: CasePerson, decision: str, by: User, duty: VictimsCodeDuty
) -> tuple[str, list[str]]:
    """Send on every channel open to the victim. Return the first channel that carried the
    decision itself ("" if none did) and, if none did, why each channel could not.

    Her report is behind her sign-in, so it carries the decision. An email or a text carries
    it only if she said we may say who we are and nobody else reads her messages; otherwise it
    says there is news and nothing more, and she is not yet told."""
    told_how, reasons = "", []
    on_report = nudged = False
    for channel in TELLING_CHANNELS:
        if channel == ContactChannel.ONLINE_REPORT:
            if victim.report_id is None:
                continue
            body, tells = decision, True
        elif victim.contact_prefs.may_name_police:
            body, tells = decision, True
        else:
            body, tells = str(DISCREET_NEWS_ON_REPORT if on_report else DISCREET_NEWS), False
        try:
            case_services.victim_message_send.as_step(
                case=case,
                victim=victim,
                channel=channel,
                body=body,
                by=by,
                wait_for_safe_time=True,
                tells=duty if tells else None,
            )
        except CaseError as refused:
            reasons.append(" ".join(refused.messages))
            continue
        on_report = on_report or channel == ContactChannel.ONLINE_REPORT
        nudged = nudged or not tells
        if tells and not told_how:
            told_how = channel
    if not told_how and nudged:
        reasons.append(
            _(
                "The messages we could send say only that there is news: the victim did not "
                "say we may say who we are, or someone else may read their messages."
            )
        )
    return told_how, ([] if told_how else reasons)


# --- the person -----------------------------------------------------------------------------


@write_service
def offender_for_suspect(*, case: Case, suspect: CasePerson, by: User) -> Offender:
    """The offender record of a case's suspect: one per person, whichever case it starts from."""
    if suspect.case_id != case.pk or suspect.role != PersonRole.SUSPECT:
        raise OrderError(_("Choose a suspect on this case."))
    record = record_for_suspect(case=case, suspect=suspect, by=by)
    offender = Offender.objects.filter(person_id=record.person_id).first()
    if offender is not None:
        return offender
    offender = Offender.objects.create(person_id=record.person_id, name=suspect.name, created_by=by)
    audit_record(action="offenders.offender.create", actor=by, target=offender)
    return offender


@write_service
def offender_update(
    *,
    offender: Offender,
    by: User,
    manager: User | None,
    plan: str,
    bail_conditions: str,
    version: int | None = None,
) -> Offender:
    _lock(Offender, offender, version)
    if manager is not None and not manager.has_role("offender_manager"):
        raise OrderError(_("Choose an offender manager."))
    offender.manager = manager
    offender.plan = plan
    offender.bail_conditions = bail_conditions
    offender.version += 1
    offender.save(update_fields=["manager", "plan", "bail_conditions", "version", "updated_at"])
    audit_record(
        action="offenders.offender.update",
        actor=by,
        target=offender,
        summary={"manager": str(manager.pk) if manager else "", "plan": bool(plan)},
    )
    return offender


@write_service
def marker_add(*, offender: Offender, kind: str, reason: str, by: User | None) -> WarningMarker:
    marker = WarningMarker.objects.filter(offender=offender, kind=kind, removed_at=None).first()
    if marker is not None:
        return marker
    marker = WarningMarker.objects.create(offender=offender, kind=kind, reason=reason, added_by=by)
    audit_record(action="offenders.marker.add", actor=by, target=offender, summary={"kind": kind})
    return marker


@write_service
def other_order_add(
    *,
    offender: Offender,
    kind: str,
    made_on: datetime.date,
    ends_on: datetime.date | None,
    terms: str,
    by: User,
) -> OtherOrder:
    if ends_on is not None and ends_on < made_on:
        raise OrderError(_("The end date must be on or after the date the order was made."))
    order = OtherOrder.objects.create(
        offender=offender, kind=kind, made_on=made_on, ends_on=ends_on, terms=terms, added_by=by
    )
    audit_record(
        action="offenders.other_order.add", actor=by, target=offender, summary={"kind": kind}
    )
    return order


# --- the order's life -----------------------------------------------------------------------


@write_service
def spo_consider(
    *, case: Case, suspect: CasePerson, pursue: bool, reasons: str, by: User
) -> StalkingProtectionOrder:
    """The decision to apply for an order, or not (with reasons, shown on the case and counted
    in the coordinator's figures). The order protects every open case of the person that the
    officer reaches; more can be added as the application is drafted."""
    if not pursue and not reasons.strip():
        raise OrderError(_("Say why an order will not be applied for."))
    offender = offender_for_suspect.as_step(case=case, suspect=suspect, by=by)
    today = timezone.localdate()
    order = StalkingProtectionOrder.objects.create(
        offender=offender,
        stage=Stage.CONSIDERED if pursue else Stage.NOT_PURSUED,
        considered_on=today,
        not_pursued_reason="" if pursue else reasons,
        created_by=by,
    )
    protected = {case.pk} | set(
        person_cases(offender.person_id).visible_to(by, "change").values_list("pk", flat=True)
    )
    open_cases = Case.objects.filter(pk__in=protected, status=CaseStatus.OPEN)
    order.protected_cases.set([case, *open_cases.exclude(pk=case.pk)])
    _step(order=order, kind=StepKind.CONSIDERED, on=today, by=by, note=reasons if pursue else "")
    if not pursue:
        _step(order=order, kind=StepKind.NOT_PURSUED, on=today, by=by, note=reasons)
    return order


@write_service
def spo_draft(
    *,
    order: StalkingProtectionOrder,
    acts_of_stalking: str,
    risk_summary: str,
    by: User,
    version: int | None = None,
) -> StalkingProtectionOrder:
    _check_step(order, StepKind.DRAFTED, version)
    if not acts_of_stalking.strip() or not risk_summary.strip():
        raise OrderError(_("Describe the acts of stalking and the risk."))
    return _order_step(
        order=order,
        kind=StepKind.DRAFTED,
        on=timezone.localdate(),
        by=by,
        changes={"acts_of_stalking": acts_of_stalking, "risk_summary": risk_summary},
    )


@write_service
def condition_add(
    *, order: StalkingProtectionOrder, kind: str, text: str, reason: str, by: User
) -> OrderCondition:
    """A proposed prohibition or requirement, each with the reason the court is asked for it."""
    if order.stage not in {Stage.CONSIDERED, Stage.DRAFTED, *IN_FORCE}:
        raise OrderError(_("Conditions can be added while drafting, or when the order is varied."))
    if kind not in ConditionKind.values or not text.strip() or not reason.strip():
        raise OrderError(_("Give the condition and the reason for it."))
    condition = OrderCondition.objects.create(
        order=order, kind=kind, text=text, reason=reason, added_by=by
    )
    _step(order=order, kind=StepKind.CONDITION, on=timezone.localdate(), by=by)
    return condition


@write_service
def spo_apply(
    *,
    order: StalkingProtectionOrder,
    court: str,
    applied_on: datetime.date,
    hearing_on: datetime.date | None,
    by: User,
    document: UploadedFile | None = None,
) -> StalkingProtectionOrder:
    _check_step(order, StepKind.APPLIED)
    if not order.conditions.exists():
        raise OrderError(_("Add at least one proposed prohibition or requirement first."))
    if hearing_on is not None and hearing_on < applied_on:
        raise OrderError(_("The hearing date must be on or after the date of the application."))
    return _order_step(
        order=order,
        kind=StepKind.APPLIED,
        on=applied_on,
        by=by,
        document=document,
        date_field="applied_on",
        changes={"court": court, "applied_on": applied_on, "hearing_on": hearing_on},
    )


@write_service
def spo_hearing(
    *, order: StalkingProtectionOrder, hearing_on: datetime.date, by: User
) -> StalkingProtectionOrder:
    _check_step(order, StepKind.HEARING)
    return _order_step(
        order=order,
        kind=StepKind.HEARING,
        on=hearing_on,
        by=by,
        date_field="hearing_on",
        changes={"hearing_on": hearing_on},
    )


@write_service
def spo_interim(
    *,
    order: StalkingProtectionOrder,
    made_on: datetime.date,
    by: User,
    document: UploadedFile | None = None,
) -> StalkingProtectionOrder:
    _check_step(order, StepKind.INTERIM)
    return _order_step(
        order=order,
        kind=StepKind.INTERIM,
        on=made_on,
        by=by,
        date_field="made_on",
        document=document,
        changes={"interim_made_on": made_on},
    )


def _end_interim(order: StalkingProtectionOrder, on: datetime.date, by: User) -> None:
    """The Act: an interim order has effect until the main application is determined."""
    if order.interim_made_on is not None and order.interim_ended_on is None:
        order.interim_ended_on = on
        _step(
            order=order,
            kind=StepKind.INTERIM_ENDED,
            on=on,
            by=by,
            note=_("The application was decided."),
            fields=["interim_ended_on"],
        )


@write_service
def spo_full(
    *,
    order: StalkingProtectionOrder,
    made_on: datetime.date,
    ends_on: datetime.date | None,
    until_further_order: bool,
    by: User,
    document: UploadedFile | None = None,
) -> StalkingProtectionOrder:
    """A full order: a fixed term of at least 2 years, or until further order (s5)."""
    _check_step(order, StepKind.FULL)
    if until_further_order:
        ends_on = None
    elif ends_on is None:
        raise OrderError(_("Give the date the order ends, or choose “until further order”."))
    elif ends_on < earliest_full_order_end(made_on):
        raise OrderError(
            _("A full order lasts at least 2 years: it cannot end before %(day)s.")
            % {"day": _day(earliest_full_order_end(made_on))}
        )
    _end_interim(order, made_on, by)
    return _order_step(
        order=order,
        kind=StepKind.FULL,
        on=made_on,
        by=by,
        date_field="made_on",
        document=document,
        changes={
            "full_made_on": made_on,
            "ends_on": ends_on,
            "until_further_order": until_further_order,
        },
    )


@write_service
def spo_refuse(
    *, order: StalkingProtectionOrder, on: datetime.date, note: str, by: User
) -> StalkingProtectionOrder:
    _check_step(order, StepKind.REFUSED)
    _end_interim(order, on, by)
    return _order_step(order=order, kind=StepKind.REFUSED, on=on, by=by, note=note)


@write_service
def spo_serve(
    *, order: StalkingProtectionOrder, served_on: datetime.date, by: User
) -> NotificationDue:
    """Service starts the notification requirement (s9): names and home address within 3 days
    beginning with the day of service."""
    _check_step(order, StepKind.SERVED)
    _order_step(
        order=order,
        kind=StepKind.SERVED,
        on=served_on,
        by=by,
        changes={"served_on": served_on},
        date_field="served_on",
    )
    return NotificationDue.objects.create(
        order=order,
        kind=NotificationKind.FIRST,
        starts_on=served_on,
        due_on=notification_due_on(served_on),
    )


@write_service
def spo_change(
    *,
    order: StalkingProtectionOrder,
    kind: str,
    on: datetime.date,
    note: str,
    by: User,
    ends_on: datetime.date | None = None,
    ended_conditions: Iterable[OrderCondition] = (),
    document: UploadedFile | None = None,
) -> StalkingProtectionOrder:
    """Variation, renewal, discharge, appeal or expiry: each by the court, each dated. A
    variation may end conditions (kept, stamped with the day they ended: a breach before that
    day was still a breach)."""
    _check_step(order, kind)
    changes: dict[str, Any] = {}
    ended = [c.pk for c in ended_conditions]
    if ended:
        if kind != StepKind.VARIED:
            raise OrderError(_("Conditions end when the order is varied."))
        order.conditions.filter(pk__in=ended, ended_on=None).update(ended_on=on)
    if kind == StepKind.RENEWED:
        if ends_on is None or ends_on < earliest_full_order_end(on):
            raise OrderError(
                _("A renewed order lasts at least 2 years: it cannot end before %(day)s.")
                % {"day": _day(earliest_full_order_end(on))}
            )
        changes = {"ends_on": ends_on, "until_further_order": False}
    if kind == StepKind.DISCHARGED and order.stage == Stage.INTERIM:
        _end_interim(order, on, by)
    return _order_step(
        order=order, kind=kind, on=on, by=by, note=note, document=document, changes=changes
    )


# --- notification requirement ---------------------------------------------------------------


@write_service
def notification_record(
    *,
    order: StalkingProtectionOrder,
    kind: str,
    received_on: datetime.date,
    details: str,
    by: User,
    changed_on: datetime.date | None = None,
) -> NotificationDue:
    """The defendant's notification of names and home address (after service), or of a change
    (within 3 days beginning with the day of the change)."""
    if order.served_on is None:
        raise OrderError(_("Record when the order was served first."))
    if not details.strip():
        raise OrderError(_("Give the names and home address notified."))
    if kind == NotificationKind.CHANGE:
        if changed_on is None or changed_on > received_on:
            raise OrderError(
                _("Give the date of the change, on or before the day it was notified.")
            )
        due = NotificationDue.objects.create(
            order=order,
            kind=kind,
            starts_on=changed_on,
            due_on=notification_due_on(changed_on),
        )
    else:
        first = order.notifications.filter(kind=NotificationKind.FIRST, received_on=None).first()
        if first is None:
            raise OrderError(_("The first notification has already been recorded."))
        due = first
    due.received_on = received_on
    due.details = details
    due.recorded_by = by
    due.save(update_fields=["received_on", "details", "recorded_by", "updated_at"])
    late = received_on > due.due_on
    note = (
        _("Late: due by %(day)s, a possible offence (s8).") % {"day": _day(due.due_on)}
        if late
        else ""
    )
    _step(order=order, kind=StepKind.NOTIFIED, on=received_on, by=by, note=note)
    return due


def offenders_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Periodic (deploy/ timers): each overdue notification alerts the offender manager once and
    shows as a possible offence on the order and its cases; full orders past their end expire.
    Idempotent: run it twice, nothing more happens."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    alerted = 0
    overdue = NotificationDue.objects.filter(
        received_on=None, due_on__lt=today, overdue_alerted_at=None
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        alerted += _alert_overdue(pk, now)
    expired = 0
    ending = StalkingProtectionOrder.objects.filter(stage=Stage.FULL, ends_on__lt=today)
    for order_pk in list(ending.values_list("pk", flat=True)):
        expired += _expire(order_pk, today)
    return {"alerted": alerted, "expired": expired}


@write_service
def _alert_overdue(pk: Any, now: datetime.datetime) -> int:
    due = (
        NotificationDue.objects.select_for_update(of=("self",))
        .select_related("order__offender__manager")
        .get(pk=pk)
    )
    if due.overdue_alerted_at is not None or due.received_on is not None:
        return 0
    due.overdue_alerted_at = now
    due.save(update_fields=["overdue_alerted_at", "updated_at"])
    order = due.order
    _step(
        order=order,
        kind=StepKind.NOTIFY_OVERDUE,
        on=timezone.localdate(now),
        by=None,
        note=_("%(what)s was due by %(day)s: a possible offence (s8).")
        % {"what": due.get_kind_display(), "day": _day(due.due_on)},
    )
    manager = order.offender.manager
    if manager is not None and manager.is_active and manager.email:
        outbox_enqueue(
            channel="email",
            recipient=manager.email,
            subject=_("Vigil: a notification under a Stalking Protection Order is overdue"),
            body=_(
                "A person you manage has not notified their names and home address in time. "
                "Please sign in to Vigil and open the order: %(link)s"
            )
            % {"link": absolute_url("offenders:order", order.pk)},
            purpose="offenders.notification_overdue",
            idempotency_key=f"offenders.overdue:{due.pk}",
        )
    return 1


@write_service
def _expire(pk: Any, today: datetime.date) -> int:
    order = StalkingProtectionOrder.objects.select_for_update().get(pk=pk)
    if order.stage != Stage.FULL or order.ends_on is None or order.ends_on >= today:
        return 0
    _order_step(order=order, kind=StepKind.EXPIRED, on=order.ends_on, by=None)
    return 1


# --- breaches -------------------------------------------------------------------------------


@write_service
def breach_record(
    *,
    order: StalkingProtectionOrder,
    occurred_at: datetime.datetime,
    condition: OrderCondition | None,
    summary: str,
    evidence: str,
    by: User,
    time_known: bool = True,
) -> Breach:
    """A breach is an offence (s8): an incident on every case the order protects, each with an
    action to consider arrest and charge, and a breach-history marker on the person."""
    if not order.in_force:
        raise OrderError(_("A breach can only be recorded while an order is in force."))
    if condition is not None and condition.order_id != order.pk:
        raise OrderError(_("Choose a condition of this order."))
    if not summary.strip():
        raise OrderError(_("Describe what happened."))
    breach = Breach.objects.create(
        order=order,
        occurred_at=occurred_at,
        time_known=time_known,
        condition=condition,
        summary=summary,
        evidence=evidence,
        recorded_by=by,
    )
    what = condition.text if condition is not None else _("the order")
    for case in order.protected_cases.all():
        victim = case.people.filter(role=PersonRole.VICTIM).order_by("created_at").first()
        if victim is None:
            continue
        incident = case_services.incident_add.as_step(
            case=case,
            occurred_at=occurred_at,
            time_known=time_known,
            summary=_("Breach of the Stalking Protection Order (%(what)s): %(summary)s")
            % {"what": what, "summary": summary},
            source=IncidentSource.OFFICER,
            victim=victim,
            suspect=suspect_on_case(case=case, person_id=order.offender.person_id),
            by=by,
        )
        breach.incidents.add(incident)
        case_services.action_add.as_step(
            case=case,
            title=str(_("Consider arrest and charge: breach of the Stalking Protection Order")),
            owner=case.officer,
            due_on=timezone.localdate(),
            by=by,
        )
    marker_add.as_step(
        offender=order.offender,
        kind=MarkerKind.BREACH_HISTORY,
        reason=_("Breached a Stalking Protection Order"),
        by=by,
    )
    _step(order=order, kind=StepKind.BREACH, on=timezone.localdate(occurred_at), by=by)
    return breach


# --- Right to Know --------------------------------------------------------------------------

APPROVING_ROLES = ("supervisor", "coordinator")


@write_service
def right_to_know_record(
    *,
    offender: Offender,
    case: Case,
    decision: str,
    reasons: str,
    approved_by: User,
    by: User,
) -> RightToKnow:
    if not reasons.strip():
        raise OrderError(_("Give the reasons for the decision."))
    if approved_by.pk == by.pk or not approved_by.has_role(*APPROVING_ROLES):
        raise OrderError(
            _("The decision is approved by a supervisor or coordinator other than you.")
        )
    if case.pk not in set(person_cases(offender.person_id).values_list("pk", flat=True)):
        raise OrderError(_("Choose a case of this person."))
    record = RightToKnow.objects.create(
        offender=offender,
        case=case,
        decision=decision,
        reasons=reasons,
        decided_by=by,
        approved_by=approved_by,
        decided_on=timezone.localdate(),
    )
    case_services.timeline_add(
        case=case,
        kind=TimelineKind.DECISION,
        title=_("Right to Know: %(decision)s") % {"decision": record.get_decision_display()},
        actor=by,
    )
    audit_record(
        action="offenders.right_to_know",
        actor=by,
        target=offender,
        summary={"decision": decision, "case": str(case.pk), "approved_by": str(approved_by.pk)},
    )
    return record
