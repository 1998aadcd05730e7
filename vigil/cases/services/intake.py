"""Intake: phone reports and triage, which open a case from a report.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.errors import CaseError
from vigil.cases.models import (
    PHONE_PREFIX,
    Case,
    CasePerson,
    Evidence,
    IncidentSource,
    PersonRole,
    PhoneReport,
    PriorityGrade,
    TimelineKind,
    Triage,
    UrgentReason,
)
from vigil.cases.services.incidents import _incident_behaviours, _incident_create, _parse_date_time
from vigil.cases.services.people import _person_create, victim_safe_contact_change
from vigil.cases.services.timeline import new_case_reference, timeline_add
from vigil.cases.services.victims_code import _duties_for_new_case
from vigil.cases.urgent import grade_refusal, urgent_alert_raise, urgent_alerts_graded
from vigil.common.behaviours import staff_labels
from vigil.common.references import new_reference
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_create
from vigil.linking.services import report_suspects_sync
from vigil.reporting.models import Report, ReportStatus
from vigil.reporting.services import (
    report_status_update,
)


@write_service
def phone_report_create(
    *,
    by: User,
    summary: str,
    victim: dict[str, Any],
    safe_contact: dict[str, Any],
    suspects: list[dict[str, Any]],
    behaviours: list[str],
    immediate_danger: bool = False,
    caller_is_victim: bool = True,
    caller: dict[str, Any] | None = None,
) -> PhoneReport:
    """`caller`: how to reach a friend or relative who phoned for the victim; dropped when the
    caller is the victim (their details are the victim's)."""
    phone_report = PhoneReport.objects.create(
        reference=new_reference(PHONE_PREFIX),
        taken_by=by,
        summary=summary,
        victim=victim,
        safe_contact=safe_contact,
        suspects=suspects,
        behaviours=behaviours,
        immediate_danger=immediate_danger,
        caller_is_victim=caller_is_victim,
        caller={} if caller_is_victim else {k: v for k, v in (caller or {}).items() if v},
    )
    audit_record(action="intake.phone_report", actor=by, target=phone_report)
    if immediate_danger:
        urgent_alert_raise(reason=UrgentReason.DANGER, phone_report=phone_report)
    return phone_report


def intake_json(value: Any) -> Any:
    """A report's encrypted JSON field, which holds a documented contract shape."""
    return value


def _intake_fields(
    report: Report | None, phone_report: PhoneReport | None
) -> tuple[dict[str, Any], SafeContact, list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """victim, safe-contact record, suspects, incidents, behaviours from either intake item.

    An online report's record is the live one the victim keeps changing: the case shares it.
    A phone call's answers become the victim's record here."""
    if report is not None:
        # The report's encrypted JSON fields hold the documented contract shapes.
        details: dict[str, Any] = intake_json(report.details) or {}
        incidents = list(details.get("incidents") or [])
        if not incidents:
            incidents = [
                {
                    "date": details.get("most_recent_on") or report.received_at.date().isoformat(),
                    "what_happened": details.get("anything_else") or _("See the online report."),
                }
            ]
        return (
            intake_json(report.victim) or {},
            report.contact,
            list(intake_json(report.suspects) or []),
            incidents,
            list(details.get("behaviours") or []),
        )
    assert phone_report is not None
    incident = {
        "date": timezone.localtime(phone_report.received_at).date().isoformat(),
        "time": timezone.localtime(phone_report.received_at).strftime("%H:%M"),
        "what_happened": phone_report.summary,
    }
    return (
        phone_report.victim or {},
        safe_contact_create(prefs=SafeContactPrefs.from_json(phone_report.safe_contact)),
        list(phone_report.suspects or []),
        [incident],
        list(phone_report.behaviours or []),
    )


def _suspect_name(suspect: dict[str, Any]) -> str:
    names = suspect.get("names") or []
    return names[0] if names else _("Unknown suspect")


@write_service
def triage_record(
    *,
    by: User,
    thrive: dict[str, str],
    grade: PriorityGrade,
    report: Report | None = None,
    phone_report: PhoneReport | None = None,
    principal_classification: str = "",
    link_to: Case | None = None,
) -> Triage:
    """Record THRIVE and a grade, then create a case (or add to `link_to`) from the report."""
    if (report is None) == (phone_report is None):
        raise CaseError(_("Triage needs exactly one report."))
    item = report or phone_report
    assert item is not None
    if Triage.objects.filter(report=report, phone_report=phone_report).exists():
        raise CaseError(_("This report has already been triaged."))
    refusal = grade_refusal(grade=grade, immediate_danger=item.immediate_danger)
    if refusal:
        raise CaseError(refusal)
    now = timezone.now()
    source = IncidentSource.ONLINE_REPORT if report is not None else IncidentSource.PHONE
    victim_data, contact, suspects, incidents, behaviours = _intake_fields(report, phone_report)
    if link_to is None:
        if not principal_classification:
            raise CaseError(_("Choose what the case is recorded as."))
        case = Case.objects.create(
            reference=new_case_reference(),
            principal_classification=principal_classification,
            created_by=by,
            priority=grade,
            response_due_at=now + grade.response_time,
            opened_at=now,
        )
        victim = _person_create(
            case=case,
            role=PersonRole.VICTIM,
            name=victim_data.get("name") or _("Name not given"),
            details={k: v for k, v in victim_data.items() if k not in {"phone", "email"}},
            contact=contact,
            phones=[victim_data.get("phone", "")],
            emails=[victim_data.get("email", "")],
            report=report,
            phone_report=phone_report,
        )
        suspect_people = [
            _person_create(
                case=case,
                role=PersonRole.SUSPECT,
                name=_suspect_name(s),
                details={k: v for k, v in s.items() if k not in {"phones", "emails"}},
                phones=list(s.get("phones") or []),
                emails=list(s.get("emails") or []),
            )
            for s in suspects
        ]
        _duties_for_new_case(case=case, today=timezone.localdate())
        timeline_add(
            case=case,
            kind=TimelineKind.CASE,
            title=_("Case opened from %(ref)s") % {"ref": item.reference},
            actor=by,
        )
        decision = Triage.Decision.NEW_CASE
    else:
        case = link_to
        victim = case.people.filter(role=PersonRole.VICTIM).first() or _person_create(
            case=case,
            role=PersonRole.VICTIM,
            name=victim_data.get("name") or _("Name not given"),
            contact=contact,
            report=report,
            phone_report=phone_report,
        )
        _one_record_for_victim(victim=victim, contact=contact, report=report, by=by)
        suspect_people = list(case.people.filter(role=PersonRole.SUSPECT)[:1])
        timeline_add(
            case=case,
            kind=TimelineKind.CASE,
            title=_("Report %(ref)s added to this case") % {"ref": item.reference},
            actor=by,
        )
        decision = Triage.Decision.LINK
    suspect = suspect_people[0] if suspect_people else None
    for reported in incidents:
        occurred, time_known = _parse_date_time(reported.get("date"), reported.get("time")) or (
            now,
            True,
        )
        _incident_create(
            case=case,
            occurred_at=occurred,
            time_known=time_known,
            place=reported.get("place", ""),
            behaviours=_incident_behaviours(
                reported, report_behaviours=behaviours, incidents=incidents
            ),
            summary=reported.get("what_happened") or "",
            source=source,
            victim=victim,
            suspect=suspect,
            by=by,
        )
    if behaviours and len(incidents) != 1:
        # Kept for the course of conduct as a whole, not pinned on any one incident.
        timeline_add(
            case=case,
            kind=TimelineKind.CASE,
            title=_("Behaviours described in %(ref)s (for the whole report)")
            % {"ref": item.reference},
            detail="; ".join(staff_labels(behaviours)),
            actor=by,
        )
    if report is not None:
        evidence = [
            Evidence(
                case=case,
                description=_("Uploaded with online report %(ref)s") % {"ref": report.reference},
                file_id=e.file_id,
                report_evidence=e,
                added_by=None,
            )
            for e in report.evidence.all()
        ]
        Evidence.objects.bulk_create(evidence)
    triage = Triage.objects.create(
        report=report,
        phone_report=phone_report,
        thrive=thrive,
        grade=grade,
        due_at=now + grade.response_time,
        decision=decision,
        case=case,
        by=by,
    )
    if phone_report is not None:
        phone_report.triaged = True
        phone_report.save(update_fields=["triaged", "updated_at"])
    urgent_alerts_graded(report=report, phone_report=phone_report)
    if report is not None:
        report_status_update.as_step(
            report=report,
            status=ReportStatus.IN_REVIEW,
            by=by,
            public_note=_("We have read your report and are deciding what to do next."),
        )
        # Each named suspect becomes a linking record, so reports naming the same person meet.
        report_suspects_sync(report=report, by=by)
    audit_record(
        action="intake.triage",
        actor=by,
        target=case,
        summary={"grade": grade.code, "decision": decision, "intake": item.reference},
    )
    return triage


def _one_record_for_victim(
    *, victim: CasePerson, contact: SafeContact, report: Report | None, by: User
) -> None:
    """A report added to a case whose victim has a record already: from now on the report and
    the victim share the victim's record (one record per victim). The newer of the two answers
    is the victim's latest word, so it is the one kept."""
    if victim.contact_id is None or victim.contact_id == contact.pk:
        victim.contact = victim.contact or contact
        victim.save(update_fields=["contact", "updated_at"])
        return
    assert victim.contact is not None
    # Someone else's report speaks for them, not for the victim: it never replaces the
    # victim's own wishes (issue 16).
    from_someone_else = report is not None and report.reported_by_other
    if contact.updated_at > victim.contact.updated_at and not from_someone_else:
        victim_safe_contact_change(
            victim=victim,
            prefs=contact.prefs,
            by=by,
            from_report=report.reference if report is not None else _("a phone call"),
        )
    if report is not None:
        report.contact = victim.contact
        report.save(update_fields=["contact", "updated_at"])
