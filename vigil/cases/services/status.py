"""Classification, officers and status of a case.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vigil.accounts.models import Team, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    Case,
    CaseStatus,
    IncludedClassification,
    TimelineKind,
)
from vigil.cases.services.timeline import timeline_add
from vigil.cases.versions import case_lock, version_bump
from vigil.reporting.models import Report, ReportStatus
from vigil.reporting.services import (
    report_status_update,
)


@write_service
def case_classify(
    *, case: Case, principal: str, included: list[str], by: User, version: int | None = None
) -> Case:
    """Set the principal and included classifications. `version`: see vigil.cases.versions."""
    case = case_lock(case=case, version=version)
    case.principal_classification = principal
    case.save(update_fields=["principal_classification", "updated_at"])
    wanted = set(included) - {principal}
    case.included.exclude(classification__in=wanted).delete()
    existing = set(case.included.values_list("classification", flat=True))
    IncludedClassification.objects.bulk_create(
        [IncludedClassification(case=case, classification=c) for c in wanted - existing]
    )
    timeline_add(
        case=case,
        kind=TimelineKind.CASE,
        title=_("Classification: %(principal)s%(included)s")
        % {
            "principal": case.get_principal_classification_display(),
            "included": (_(", including %(n)d more") % {"n": len(wanted)}) if wanted else "",
        },
        actor=by,
    )
    audit_record(
        action="case.classify",
        actor=by,
        target=case,
        summary={"principal": principal, "included": sorted(wanted)},
    )
    version_bump(case)
    return case


@write_service
def case_assign(
    *,
    case: Case,
    officer: User | None,
    team: Team | None,
    supervisor: User | None,
    by: User,
    version: int | None = None,
) -> Case:
    """Set the officer in charge, team and supervisor. The victim should be told who it is."""
    case = case_lock(case=case, version=version)
    case.officer = officer
    case.team = team
    case.supervisor = supervisor
    case.save(update_fields=["officer", "team", "supervisor", "updated_at"])
    timeline_add(
        case=case,
        kind=TimelineKind.CASE,
        title=_("Officer in charge: %(name)s") % {"name": officer.full_name if officer else "-"},
        actor=by,
    )
    for report in Report.objects.filter(triage__case=case, status=ReportStatus.IN_REVIEW):
        report_status_update.as_step(
            report=report,
            status=ReportStatus.ASSIGNED,
            by=by,
            public_note=_("An officer is now dealing with your report."),
        )
    audit_record(
        action="case.assign",
        actor=by,
        target=case,
        summary={
            "officer": str(officer.pk) if officer else "",
            "team": str(team.pk) if team else "",
            "supervisor": str(supervisor.pk) if supervisor else "",
        },
    )
    version_bump(case)
    return case


@write_service
def case_reopen(*, case: Case, reason: str, by: User, version: int | None = None) -> Case:
    case = case_lock(case=case, version=version)
    if case.is_open:
        raise CaseError(_("The case is already open."))
    if not reason.strip():
        raise CaseError(_("Give the reason for opening the case again."))
    case.status = CaseStatus.OPEN
    case.outcome = ""
    case.outcome_reason = ""
    case.closed_at = None
    case.save(update_fields=["status", "outcome", "outcome_reason", "closed_at", "updated_at"])
    timeline_add(
        case=case, kind=TimelineKind.DECISION, title=_("Case opened again"), detail=reason, actor=by
    )
    audit_record(action="case.reopen", actor=by, target=case)
    version_bump(case)
    return case
