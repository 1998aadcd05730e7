"""Incidents and the course-of-conduct decision.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    STALKING_CLASSIFICATIONS,
    Case,
    CasePerson,
    CourseOfConductDecision,
    Incident,
    IncidentSource,
    IncludedClassification,
    TimelineKind,
)
from vigil.cases.policy import (
    incident_date_problem,
    incident_moment,
)
from vigil.cases.services.timeline import timeline_add
from vigil.cases.services.victims_code import key_decision_duty_add
from vigil.cases.versions import version_bump
from vigil.risk.judgements import (
    JudgementKind,
    four_needs_review,
    judgement_review_raise,
    reason_problem,
)


def _parse_date_time(date: str | None, time: str | None) -> tuple[datetime.datetime, bool] | None:
    """When a reported incident happened, and whether its time is known (None: no real date).

    A date outside the plausible range is treated as not given rather than stored as a fact.
    """
    if not date:
        return None
    try:
        day = datetime.date.fromisoformat(date)
        at = datetime.time.fromisoformat(time) if time else None
    except ValueError:
        return None
    if incident_date_problem(day) is not None:
        return None
    return incident_moment(day, at), at is not None


def _incident_behaviours(
    reported: dict[str, Any], *, report_behaviours: list[str], incidents: list[Any]
) -> list[str]:
    """The behaviours of one reported incident. Ticks for the report as a whole belong to an
    incident only when it is the report's only one: tagging every incident with every tick
    would put behaviour on the record that the victim never said happened that day."""
    own = reported.get("behaviours")
    if own is not None:
        return list(own)
    return list(report_behaviours) if len(incidents) == 1 else []


def _incident_create(
    *,
    case: Case,
    occurred_at: datetime.datetime,
    summary: str,
    source: str,
    victim: CasePerson,
    suspect: CasePerson | None,
    by: User | None,
    place: str = "",
    behaviours: list[str] | None = None,
    time_known: bool = True,
) -> Incident:
    incident = Incident.objects.create(
        case=case,
        occurred_at=occurred_at,
        time_known=time_known,
        place=place,
        behaviours=behaviours or [],
        summary=summary,
        source=source,
        victim=victim,
        suspect=suspect,
        recorded_by=by,
    )
    timeline_add(
        case=case,
        kind=TimelineKind.INCIDENT,
        title=_("Incident recorded (%(source)s)") % {"source": incident.get_source_display()},
        detail=summary,
        actor=by,
        occurred_at=occurred_at,
        time_known=time_known,
    )
    if suspect is not None:
        count = Incident.objects.filter(case=case, victim=victim, suspect=suspect).count()
        if count == 2:
            timeline_add(
                case=case,
                kind=TimelineKind.DECISION,
                title=_("Possible course of conduct: consider stalking (s2A/s4A)"),
                actor=None,
            )
    return incident


def incident_from_victim(
    *, case: Case, victim: CasePerson, suspect: CasePerson | None, reported: dict[str, Any]
) -> Incident:
    """An incident the victim added on "track my report", in the shape of the report's
    incidents; inside the reporter's transaction (see followups.py)."""
    occurred, time_known = _parse_date_time(reported.get("date"), reported.get("time")) or (
        timezone.now(),
        False,
    )
    return _incident_create(
        case=case,
        occurred_at=occurred,
        time_known=time_known,
        place=str(reported.get("place") or ""),
        behaviours=list(reported.get("behaviours") or []),
        summary=str(reported.get("what_happened") or ""),
        source=IncidentSource.ONLINE_REPORT,
        victim=victim,
        suspect=suspect,
        by=None,
    )


@write_service
def incident_add(
    *,
    case: Case,
    occurred_at: datetime.datetime,
    summary: str,
    source: str,
    victim: CasePerson,
    suspect: CasePerson | None,
    by: User | None,
    place: str = "",
    behaviours: list[str] | None = None,
    time_known: bool = True,
) -> Incident:
    if victim.case_id != case.pk or (suspect is not None and suspect.case_id != case.pk):
        raise CaseError(_("The people must be on this case."))
    incident = _incident_create(
        case=case,
        occurred_at=occurred_at,
        time_known=time_known,
        summary=summary,
        source=source,
        victim=victim,
        suspect=suspect,
        by=by,
        place=place,
        behaviours=behaviours,
    )
    audit_record(
        action="case.incident.add", actor=by, target=case, summary={"incident": str(incident.pk)}
    )
    return incident


@write_service
def conduct_decision_record(
    *,
    case: Case,
    victim: CasePerson,
    suspect: CasePerson,
    fixated: bool,
    obsessive: bool,
    unwanted: bool,
    repeated: bool,
    outcome: str,
    reasons: str,
    by: User,
) -> CourseOfConductDecision:
    """The officer's decision on a possible course of conduct, with reasons, on the timeline.

    "Not stalking" against FOUR answers that say otherwise needs real reasons and goes to a
    supervisor: recording stalking as something else is how victims were failed (2024
    super-complaint).
    """
    if not reasons.strip():
        raise CaseError(_("Give the reasons for the decision."))
    count = Incident.objects.filter(case=case, victim=victim, suspect=suspect).count()
    if count < 2:
        raise CaseError(_("A course of conduct needs at least two incidents."))
    yes_answers = sum((fixated, obsessive, unwanted, repeated))
    against_four = outcome not in STALKING_CLASSIFICATIONS and four_needs_review(yes_answers)
    if against_four:
        problem = reason_problem(reasons)
        if problem:
            raise CaseError(
                {
                    "reasons": _(
                        "You answered yes to %(yes)s of the four FOUR questions but decided "
                        "this is not stalking. A supervisor will review this, so say why. "
                        "%(problem)s"
                    )
                    % {"yes": yes_answers, "problem": problem}
                }
            )
    decision = CourseOfConductDecision.objects.create(
        case=case,
        victim=victim,
        suspect=suspect,
        fixated=fixated,
        obsessive=obsessive,
        unwanted=unwanted,
        repeated=repeated,
        outcome=outcome,
        reasons=reasons,
        incident_count=count,
        decided_by=by,
    )
    if outcome in STALKING_CLASSIFICATIONS and case.principal_classification != outcome:
        _included, added = IncludedClassification.objects.get_or_create(
            case=case, classification=outcome
        )
        if added:
            version_bump(case)
    four = ", ".join(
        f"{label}: {_('yes') if answer else _('no')}"
        for label, answer in (
            (_("Fixated"), fixated),
            (_("Obsessive"), obsessive),
            (_("Unwanted"), unwanted),
            (_("Repeated"), repeated),
        )
    )
    timeline_add(
        case=case,
        kind=TimelineKind.DECISION,
        title=_("Course of conduct decision: %(outcome)s")
        % {"outcome": decision.get_outcome_display()},
        detail=f"{four}. {reasons}",
        actor=by,
    )
    key_decision_duty_add(case=case, description=_("Tell the victim about the stalking decision"))
    audit_record(
        action="case.conduct_decision", actor=by, target=case, summary={"outcome": outcome}
    )
    if against_four:
        judgement_review_raise(
            case=case,
            kind=JudgementKind.NOT_STALKING_AGAINST_FOUR,
            indicated=_("FOUR: %(yes)s of 4 yes") % {"yes": yes_answers},
            chosen=str(decision.get_outcome_display()),
            reasons=reasons,
            by=by,
            conduct_decision=decision,
        )
    return decision
