"""Case management's side of the victim's safety tools (registered in CasesConfig.ready): where a
safety alert and a shared diary entry land on the case. See vigil/safety/case_link.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from vigil.cases.models import (
    Case,
    CasePerson,
    Incident,
    IncidentSource,
    PersonRole,
    TimelineKind,
    Triage,
)
from vigil.cases.services import evidence_add, incident_add, timeline_add

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from vigil.accounts.models import User
    from vigil.reporting.models import Report
    from vigil.safety.models import DiaryEntry, SafetyAlert


def _officer_for(case: Case) -> User:
    """Who an incident shared by the victim is recorded under: the officer in charge, or
    whoever triaged the report, or whoever opened the case."""
    if case.officer is not None:
        return case.officer
    triage = case.triages.select_related("by").first()
    return triage.by if triage and triage.by else case.created_by


def _entry_summary(entry: DiaryEntry) -> str:
    parts = [_("Shared by the victim from their diary."), entry.what_happened]
    for label, value in (
        (_("Who was there"), entry.who_was_there),
        (_("Police reference"), entry.police_reference),
        (_("Impact on me"), entry.impact),
        (_("What I changed"), entry.changes_made),
        (_("Impact on others"), entry.impact_on_others),
    ):
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(str(p) for p in parts)


class CaseSafetyLink:
    def case_for_report(self, report: Report) -> Case | None:
        triage = Triage.objects.filter(report=report).select_related("case").first()
        if triage is not None:
            return triage.case
        person = CasePerson.objects.filter(report=report).select_related("case").first()
        return person.case if person else None

    def alert_to_case(self, alert: SafetyAlert, case: Any) -> None:
        detail = [str(alert.get_reason_display())]
        if alert.message:
            detail.append(_("Message: %(m)s") % {"m": alert.message})
        if alert.place:
            detail.append(_("Last place shared: %(p)s") % {"p": alert.place})
        timeline_add(
            case=case,
            kind=TimelineKind.CONTACT,
            title=_("Safety alert from the victim (check-in timer)"),
            detail="\n".join(str(d) for d in detail),
            actor=None,
            occurred_at=alert.created_at,
        )

    def diary_to_case(
        self, entry: DiaryEntry, case: Any, files: list[UploadedFile]
    ) -> Incident | None:
        victim = (
            case.people.filter(role=PersonRole.VICTIM, report=entry.report).first()
            or case.people.filter(role=PersonRole.VICTIM).first()
        )
        if victim is None:
            return None
        by = _officer_for(case)
        incident = incident_add.as_step(
            case=case,
            occurred_at=entry.occurred_at,
            summary=_entry_summary(entry),
            source=IncidentSource.ONLINE_REPORT,
            victim=victim,
            suspect=case.people.filter(role=PersonRole.SUSPECT).first(),
            by=by,
            place=entry.place,
        )
        for upload in files:
            evidence_add.as_step(
                case=case,
                description=_("From the victim's diary, shared by them"),
                by=by,
                upload=upload,
                incident=incident,
            )
        return incident
