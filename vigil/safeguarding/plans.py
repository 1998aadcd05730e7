"""Safety plans: measures on a case, their review, and the escalation of a high-risk case left
without one. Every write is one transaction with its timeline line and audit row."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import POLICE_ROLES, Agency, Role, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, CaseStatus, RiskLevel, TimelineKind
from vigil.cases.policy import add_working_days
from vigil.cases.services import timeline_add
from vigil.common.form_saves import SavedSinceRead
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue
from vigil.risk.models import RiskAssessment
from vigil.safeguarding.models import (
    OPEN_STATUSES,
    MeasureKind,
    MeasureStatus,
    PlanEscalation,
    SafetyMeasure,
    SafetyPlan,
)

logger = logging.getLogger(__name__)


class SafeguardingError(ValidationError):
    pass


class StaleMeasure(SafeguardingError, SavedSinceRead):
    pass


def _review_due(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.SAFETY_PLAN_REVIEW_DAYS)


def _check_owner(*, owner_user: User | None, owner_agency: Agency | None) -> None:
    if owner_user is None and owner_agency is None:
        raise SafeguardingError(
            {"owner": _("Choose who owns this measure: an officer or a partner agency.")}
        )
    if owner_user is not None and owner_agency is not None:
        raise SafeguardingError(
            {"owner": _("Choose one owner: an officer or a partner agency, not both.")}
        )
    if owner_user is not None and (owner_user.role not in POLICE_ROLES or not owner_user.is_active):
        raise SafeguardingError({"owner": _("The owner must be a member of police staff.")})
    if owner_agency is not None and owner_agency.kind != Agency.Kind.PARTNER:
        raise SafeguardingError({"owner": _("The owning agency must be a partner agency.")})


def _check_dates(*, starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise SafeguardingError({"ends_on": _("The end date must be on or after the start date.")})


@write_service
def safety_measure_add(
    *,
    case: Case,
    by: User,
    measure_code: str = "",
    title: str = "",
    detail: str = "",
    owner_user: User | None = None,
    owner_agency: Agency | None = None,
    status: str = MeasureStatus.PLANNED,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    source_agency: Agency | None = None,
) -> SafetyMeasure:
    """Add a measure to the case's safety plan (made with its first measure).

    `measure_code` picks one from the configured list; `title` names one of the officer's (or
    the partner's) own. `source_agency` marks a measure a partner agency added.
    """
    if not case.is_open:
        raise SafeguardingError(_("The case is closed: open it again to change the safety plan."))
    kind = None
    if measure_code:
        kind = MeasureKind.objects.filter(code=measure_code, is_active=True).first()
        if kind is None:
            raise SafeguardingError({"measure": _("Choose a measure from the list.")})
    name = (title or (kind.title if kind else "")).strip()
    if not name:
        raise SafeguardingError({"measure": _("Choose a measure, or describe your own.")})
    if status not in OPEN_STATUSES | {MeasureStatus.ENDED, MeasureStatus.NOT_NEEDED}:
        raise SafeguardingError({"status": _("Choose the measure's status.")})
    _check_owner(owner_user=owner_user, owner_agency=owner_agency)
    _check_dates(starts_on=starts_on, ends_on=ends_on)

    today = timezone.localdate()
    plan, made = SafetyPlan.objects.get_or_create(
        case=case, defaults={"created_by": by, "review_due_on": _review_due(today)}
    )
    measure = SafetyMeasure.objects.create(
        plan=plan,
        kind=kind,
        title=name[:200],
        detail=detail.strip(),
        owner_user=owner_user,
        owner_agency=owner_agency,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        review_on=review_on,
        source_agency=source_agency,
        added_by=by,
    )
    owner = measure.owner_label
    if source_agency is not None:
        title_line = _("Safety plan: %(agency)s added %(measure)s (owner: %(owner)s)") % {
            "agency": source_agency.name,
            "measure": measure.title,
            "owner": owner,
        }
    else:
        title_line = _("Safety plan: %(measure)s added (owner: %(owner)s)") % {
            "measure": measure.title,
            "owner": owner,
        }
    timeline_add(case=case, kind=TimelineKind.SAFEGUARDING, title=title_line, actor=by)
    audit_record(
        action="safeguarding.measure.add",
        actor=by,
        target=measure,
        summary={
            "case": str(case.pk),
            "kind": kind.code if kind else "",
            "status": status,
            "plan_made": made,
            "source_agency": str(source_agency.pk) if source_agency else "",
        },
    )
    return measure


@write_service
def safety_measure_update(
    *,
    measure: SafetyMeasure,
    by: User,
    status: str,
    owner_user: User | None,
    owner_agency: Agency | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    review_on: datetime.date | None,
    detail: str,
    version: int | None,
) -> SafetyMeasure:
    """Change a measure. Refused when someone else changed it since the form was read."""
    current = (
        SafetyMeasure.objects.select_for_update().select_related("plan__case").get(pk=measure.pk)
    )
    if version is not None and current.version != version:
        raise StaleMeasure(
            _(
                "Someone else changed this measure while you were editing it. Their changes "
                "are shown below: check them, then make your change again."
            )
        )
    case = current.plan.case
    if not case.is_open:
        raise SafeguardingError(_("The case is closed: open it again to change the safety plan."))
    if status not in OPEN_STATUSES | {MeasureStatus.ENDED, MeasureStatus.NOT_NEEDED}:
        raise SafeguardingError({"status": _("Choose the measure's status.")})
    _check_owner(owner_user=owner_user, owner_agency=owner_agency)
    _check_dates(starts_on=starts_on, ends_on=ends_on)
    old_status = current.status
    current.status = status
    current.owner_user = owner_user
    current.owner_agency = owner_agency
    current.starts_on = starts_on
    current.ends_on = ends_on
    current.review_on = review_on
    current.detail = detail.strip()
    current.version += 1
    current.save()
    if old_status != status:
        line = _("Safety plan: %(measure)s is now %(status)s") % {
            "measure": current.title,
            "status": current.get_status_display().lower(),
        }
    else:
        line = _("Safety plan: %(measure)s changed") % {"measure": current.title}
    timeline_add(case=case, kind=TimelineKind.SAFEGUARDING, title=line, actor=by)
    audit_record(
        action="safeguarding.measure.update",
        actor=by,
        target=current,
        summary={"case": str(case.pk), "status": status, "was": old_status},
    )
    return current


@write_service
def safety_plan_review(*, plan: SafetyPlan, by: User, note: str) -> SafetyPlan:
    """Someone looked at the whole plan again (after a new incident or assessment, or on its
    review date) and says what they found."""
    plan = SafetyPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if not note.strip():
        raise SafeguardingError({"note": _("Say what you checked and what you decided.")})
    now = timezone.now()
    plan.reviewed_at = now
    plan.reviewed_by = by
    plan.review_due_on = _review_due(timezone.localdate(now))
    plan.review_wanted_at = None
    plan.review_wanted_because = ""
    plan.save()
    timeline_add(
        case=plan.case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("Safety plan reviewed"),
        detail=note.strip(),
        actor=by,
    )
    audit_record(action="safeguarding.plan.review", actor=by, target=plan)
    return plan


def safety_plan_review_wanted(*, case_id: UUID, because: str) -> bool:
    """Something new on the case (an incident, a risk assessment): its plan must be looked at
    again. Runs in the caller's transaction; once per review (the first reason is kept)."""
    plan = SafetyPlan.objects.filter(case_id=case_id).select_related("case").first()
    if plan is None or plan.review_wanted_at is not None or not plan.case.is_open:
        return False
    plan.review_wanted_at = timezone.now()
    plan.review_wanted_because = because[:200]
    plan.save(update_fields=["review_wanted_at", "review_wanted_because", "updated_at"])
    timeline_add(
        case=plan.case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("Safety plan due for review: %(because)s") % {"because": because},
        actor=None,
    )
    audit_record(
        action="safeguarding.plan.review_wanted", target=plan, summary={"because": because}
    )
    return True


# --- what counts as a current plan ----------------------------------------------------------


def current_plan_filter(today: datetime.date, prefix: str = "") -> Q:
    """A current plan: at least one measure planned or in place, and its review date not past.
    A filter on Case (or, with `prefix`, on a model reaching a case)."""
    plan = f"{prefix}safety_plan"
    return Q(**{f"{plan}__measures__status__in": list(OPEN_STATUSES)}) & (
        Q(**{f"{plan}__review_due_on__isnull": True}) | Q(**{f"{plan}__review_due_on__gte": today})
    )


def cases_with_current_plan(today: datetime.date | None = None) -> QuerySet[Case]:
    return Case.objects.filter(current_plan_filter(today or timezone.localdate())).distinct()


def has_current_plan(case: Case, today: datetime.date | None = None) -> bool:
    return cases_with_current_plan(today).filter(pk=case.pk).exists()


def plan_for_case(*, case: Case) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(case=case).select_related("reviewed_by").first()


def plan_measures(*, case: Case) -> QuerySet[SafetyMeasure]:
    return SafetyMeasure.objects.filter(plan__case=case).select_related(
        "kind", "owner_user", "owner_agency", "source_agency"
    )


# --- closing the case: open measures are settled or carried over ---------------------------


def open_measures(case: Case) -> QuerySet[SafetyMeasure]:
    return plan_measures(case=case).filter(status__in=list(OPEN_STATUSES)).order_by("created_at")


def measure_key(measure: SafetyMeasure) -> str:
    return f"measure:{measure.pk}"


def measures_carry_over(case: Case, reasons: Mapping[str, str], by: User) -> int:
    """In the closing transaction: each open measure is kept with the reason it stays open."""
    count = 0
    for measure in open_measures(case):
        reason = reasons.get(measure_key(measure), "").strip()
        if not reason:  # closing refuses before this; never mark a measure without one
            continue
        measure.status = MeasureStatus.CARRIED_OVER
        measure.carried_over_reason = reason
        measure.version += 1
        measure.save(update_fields=["status", "carried_over_reason", "version", "updated_at"])
        audit_record(
            action="safeguarding.measure.carry_over",
            actor=by,
            target=measure,
            summary={"case": str(case.pk)},
        )
        count += 1
    return count


# --- a high-risk case left without a plan -------------------------------------------------


def high_risk_since(case: Case) -> datetime.datetime | None:
    """When the case's current high-risk spell began: its oldest current high assessment."""
    found: datetime.datetime | None = RiskAssessment.objects.filter(
        case=case, superseded_by__isnull=True, level=RiskLevel.HIGH
    ).aggregate(since=Min("submitted_at"))["since"]
    return found


def plan_due_at(since: datetime.datetime) -> datetime.datetime:
    """The moment a plan is due: the same time of day, SAFETY_PLAN_DUE_WORKING_DAYS working days
    (England and Wales bank holidays excluded) after the case became high risk."""
    local = timezone.localtime(since)
    day = add_working_days(local.date(), settings.SAFETY_PLAN_DUE_WORKING_DAYS)
    return local.replace(year=day.year, month=day.month, day=day.day)


def high_risk_open_cases() -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.OPEN, risk_level=RiskLevel.HIGH)


def safeguarding_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Tell the coordinators about each high-risk case still without a current plan when it
    is due. Idempotent: one PlanEscalation per high-risk spell, one email per coordinator."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"escalated": 0}
    waiting = high_risk_open_cases().exclude(pk__in=cases_with_current_plan(today).values("pk"))
    for case in waiting.order_by("opened_at"):
        since = high_risk_since(case)
        if since is None or plan_due_at(since) > now:
            continue
        try:
            if _escalate(case=case, since=since):
                counts["escalated"] += 1
        except Exception:  # one case must not stop the others
            logger.exception("could not escalate case %s", case.pk)
    return counts


@write_service
def _escalate(*, case: Case, since: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            escalation = PlanEscalation.objects.create(case=case, high_risk_since=since)
    except IntegrityError:
        return False  # told already, for this spell
    timeline_add(
        case=case,
        kind=TimelineKind.SAFEGUARDING,
        title=_("High risk and no current safety plan: the stalking coordinator was told"),
        actor=None,
    )
    # Only the reference and a link: staff email may be read outside the force's systems.
    link = absolute_url("safeguarding:plan", case.pk)
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        if not coordinator.email:
            continue
        outbox_enqueue(
            channel="email",
            recipient=coordinator.email,
            subject=_("No safety plan: high-risk case %(ref)s") % {"ref": case.reference},
            body=_(
                "Case %(ref)s has been high risk for more than %(days)s working day(s) without "
                "a current safety plan. Open it in Vigil: %(link)s"
            )
            % {
                "ref": case.reference,
                "days": settings.SAFETY_PLAN_DUE_WORKING_DAYS,
                "link": link,
            },
            purpose="safeguarding.no_plan",
            idempotency_key=f"plan-escalation:{escalation.pk}:{coordinator.pk}",
        )
    audit_record(
        action="safeguarding.plan.escalate",
        target=case,
        summary={"high_risk_since": since.isoformat()},
    )
    return True
