"""Writes on cases. Each is one transaction that records its audit row and timeline line."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Team, User
from vigil.audit.services import audit_record
from vigil.cases.errors import CaseError, ContactRefused
from vigil.cases.models import (
    CASE_PREFIX,
    PHONE_PREFIX,
    STALKING_CLASSIFICATIONS,
    ActionStatus,
    Case,
    CaseAction,
    CaseIdentifier,
    CaseNote,
    CasePerson,
    CaseStatus,
    ChecklistTemplate,
    ContactChannel,
    ContactDirection,
    ContactLogEntry,
    CourseOfConductDecision,
    DutyKind,
    Evidence,
    IdentifierKind,
    Incident,
    IncidentSource,
    IncludedClassification,
    PersonRole,
    PhoneReport,
    PriorityGrade,
    TimelineEntry,
    TimelineKind,
    Triage,
    UrgentReason,
    VictimsCodeDuty,
    VictimsCodeRule,
)
from vigil.cases.policy import (
    add_working_days,
    identifier_index,
    incident_date_problem,
    incident_moment,
    names_in_text,
    normalise_name,
    searchable_places_and_vehicles,
)
from vigil.cases.urgent import grade_refusal, urgent_alert_raise, urgent_alerts_graded
from vigil.cases.versions import StaleVersion, case_lock, version_bump
from vigil.common import stored_files
from vigil.common.behaviours import BEHAVIOUR_BY_CODE
from vigil.common.references import new_reference
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_create, safe_contact_update
from vigil.linking.services import person_record_upsert, report_suspects_sync
from vigil.notifications.services import outbox_enqueue
from vigil.private_record.api import case_suspect_named
from vigil.reporting.models import Report, ReportStatus
from vigil.reporting.services import (
    report_message_to_reporter,
    report_status_update,
)
from vigil.risk.judgements import (
    JudgementKind,
    four_needs_review,
    judgement_review_raise,
    reason_problem,
)


def new_case_reference() -> str:
    while True:
        reference = new_reference(CASE_PREFIX)
        if not Case.objects.filter(reference=reference).exists():
            return reference


def timeline_add(
    *,
    case: Case,
    kind: str,
    title: str,
    actor: User | None,
    detail: str = "",
    occurred_at: datetime.datetime | None = None,
    time_known: bool = True,
) -> TimelineEntry:
    """Add a line to the case's timeline. Other apps (risk, orders, referrals) call this too."""
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
        title=title[:200],
        detail=detail,
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        time_known=time_known,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
    return entry


# --- intake ---------------------------------------------------------------------------------


@transaction.atomic
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
) -> PhoneReport:
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
    )
    audit_record(action="intake.phone_report", actor=by, target=phone_report)
    if immediate_danger:
        urgent_alert_raise(reason=UrgentReason.DANGER, phone_report=phone_report)
    return phone_report


def _add_identifiers(
    *,
    person: CasePerson,
    phones: list[str],
    emails: list[str],
    details: dict[str, Any] | None = None,
) -> None:
    found = searchable_places_and_vehicles(details or {})
    rows = [
        CaseIdentifier(
            case_id=person.case_id,
            person=person,
            kind=kind,
            value=value,
            blind_index=identifier_index(kind, value),
        )
        for kind, values in (
            (IdentifierKind.PHONE, phones),
            (IdentifierKind.EMAIL, emails),
            (IdentifierKind.VEHICLE, found[IdentifierKind.VEHICLE]),
            (IdentifierKind.POSTCODE, found[IdentifierKind.POSTCODE]),
        )
        for value in values
        if value and value.strip()
    ]
    CaseIdentifier.objects.bulk_create(rows)


@transaction.atomic
def person_identifiers_reindex(*, person: CasePerson) -> int:
    """Make a person's search rows what they would be if the person were added today: phone
    and email hashed with the current blind-index key, vehicles and postcodes taken afresh from
    their details by linking's normaliser. Safe to run any number of times; returns the rows
    the person now has."""
    kept = list(person.identifiers.filter(kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL]))
    for row in kept:
        row.blind_index = identifier_index(row.kind, row.value)
    CaseIdentifier.objects.bulk_update(kept, ["blind_index"])
    person.identifiers.filter(kind__in=[IdentifierKind.VEHICLE, IdentifierKind.POSTCODE]).delete()
    _add_identifiers(person=person, phones=[], emails=[], details=person.details or {})
    return person.identifiers.count()


def _person_create(
    *,
    case: Case,
    role: str,
    name: str,
    details: dict[str, Any] | None = None,
    contact: SafeContact | None = None,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    report: Report | None = None,
) -> CasePerson:
    if role == PersonRole.VICTIM and contact is None:
        # Until someone asks them, a victim's record says: do not contact.
        contact = safe_contact_create(prefs=SafeContactPrefs())
    person = CasePerson.objects.create(
        case=case,
        role=role,
        name=name,
        name_search=normalise_name(name),
        details=details or {},
        contact=contact if role == PersonRole.VICTIM else None,
        report=report,
    )
    _add_identifiers(person=person, phones=phones or [], emails=emails or [], details=details)
    return person


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


@transaction.atomic
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
            detail="; ".join(
                str(BEHAVIOUR_BY_CODE[c].label) for c in behaviours if c in BEHAVIOUR_BY_CODE
            ),
            actor=by,
        )
    if report is not None:
        evidence = [
            Evidence(
                case=case,
                description=_("Uploaded with online report %(ref)s") % {"ref": report.reference},
                original_name=e.original_name,
                content_type=e.content_type,
                size=e.size,
                sha256=e.sha256,
                stored_path=e.stored_path,
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
        report_status_update(
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


# --- people ---------------------------------------------------------------------------------


def _suspect_link_record(
    *,
    case: Case,
    suspect: CasePerson,
    phones: list[str] | None,
    emails: list[str] | None,
    by: User,
) -> None:
    """Offer a suspect added by staff to the linking engine, like suspects from reports."""
    victim = case.people.filter(role=PersonRole.VICTIM).order_by("created_at").first()
    owner = f"cases.case:{case.pk}"
    person_record_upsert(
        source=f"cases.person:{suspect.pk}",
        owner=owner,
        by=by,
        victim_key=f"cases.person:{victim.pk}" if victim else owner,
        label=_("Suspect on case %(ref)s") % {"ref": case.reference},
        names=[suspect.name],
        phones=phones or [],
        emails=emails or [],
    )
    # Someone keeping a private record about the same person is told (issue 23); staff learn
    # only that a match exists, on the coordinator's page.
    case_suspect_named(
        case_id=case.pk,
        names=[suspect.name],
        date_of_birth=str((suspect.details or {}).get("date_of_birth") or ""),
        phones=phones,
        emails=emails,
    )


@transaction.atomic
def case_person_add(
    *,
    case: Case,
    role: str,
    name: str,
    by: User,
    details: dict[str, Any] | None = None,
    prefs: SafeContactPrefs | None = None,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
) -> CasePerson:
    person = _person_create(
        case=case,
        role=role,
        name=name,
        details=details,
        contact=safe_contact_create(prefs=prefs) if prefs is not None else None,
        phones=phones,
        emails=emails,
    )
    audit_record(
        action=f"case.{role}.add", actor=by, target=case, summary={"person": str(person.pk)}
    )
    if role == PersonRole.SUSPECT:
        _suspect_link_record(case=case, suspect=person, phones=phones, emails=emails, by=by)
    timeline_add(
        case=case,
        kind=TimelineKind.CASE,
        title=_("%(role)s added") % {"role": person.get_role_display()},
        actor=by,
    )
    return person


def victim_safe_contact_change(
    *, victim: CasePerson, prefs: SafeContactPrefs, by: User | None, from_report: str = ""
) -> list[str]:
    """Inside the caller's transaction: the victim's one record changes, enforced at once by
    every sender; the timeline says what changed (not the victim's words). Returns the changes."""
    if victim.contact is None:
        victim.contact = safe_contact_create(prefs=SafeContactPrefs())
        victim.save(update_fields=["contact", "updated_at"])
    before, after = safe_contact_update(
        record=victim.contact, prefs=prefs, by=by, source="case.staff"
    )
    changes = after.changes_from(before)
    if changes:
        what = ", ".join(changes)
        title = (
            _("Safe contact taken from the newer report %(ref)s: %(what)s")
            % {"ref": from_report, "what": what}
            if from_report
            else _("Safe contact changed by staff: %(what)s") % {"what": what}
        )
        timeline_add(
            case=victim.case,
            kind=TimelineKind.CONTACT,
            title=title,
            detail=after.describe(),
            actor=by,
        )
    return changes


@transaction.atomic(durable=True)
def victim_safe_contact_update(
    *, victim: CasePerson, prefs: SafeContactPrefs, by: User, version: int | None = None
) -> CasePerson:
    """Staff record what the victim told them. The report and the case share the record, so
    the victim sees the same answers on "track my report".

    `version` is the record's version when the form was read: a save over a newer one (the
    victim's own change, or a colleague's) is refused, never silently undone.
    """
    if victim.contact_id is not None and version is not None:
        current = (
            SafeContact.objects.select_for_update()
            .filter(pk=victim.contact_id)
            .values_list("version", flat=True)
            .get()
        )
        if current != version:
            raise StaleVersion(
                _("Someone else saved changes here after you opened this page. Nothing was saved.")
            )
    changes = victim_safe_contact_change(victim=victim, prefs=prefs, by=by)
    audit_record(
        action="case.victim.safe_contact",
        actor=by,
        target=victim.case,
        summary={"person": str(victim.pk), "changed": len(changes)},
    )
    return victim


# --- incidents and course of conduct ----------------------------------------------------------


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


@transaction.atomic
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


@transaction.atomic
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


# --- evidence -------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    description: str,
    by: User,
    upload: UploadedFile | None = None,
    incident: Incident | None = None,
) -> Evidence:
    """Keep the file encrypted, byte for byte, with the SHA-256 of the original for integrity.

    The file goes through the one upload check every upload has (vigil.common.stored_files):
    an accepted kind of file judged from its content, not empty, under the staff size limit.
    Raises FileRefused (a ValidationError) before anything is kept, also when it cannot be
    written (a full disk leaves no half a file)."""
    evidence = Evidence(case=case, incident=incident, description=description, added_by=by, size=0)
    evidence.sha256 = hashlib.sha256().hexdigest()  # of no file at all
    if upload is not None:
        evidence.content_type = stored_files.file_check(
            upload, max_bytes=settings.CASE_EVIDENCE_MAX_FILE_BYTES
        )
        try:
            stored = stored_files.store_encrypted(
                upload, stored_path=f"cases/{case.pk}/{evidence.pk}.bin"
            )
        except stored_files.FileNotStored:
            raise stored_files.FileRefused(
                _("We could not save the file %(name)s just now. Try again later.")
                % {"name": upload.name or ""}
            ) from None
        evidence.original_name = upload.name or ""
        evidence.size = stored.size
        evidence.sha256 = stored.sha256
        evidence.stored_path = stored.stored_path
    evidence.save(force_insert=True)
    timeline_add(
        case=case,
        kind=TimelineKind.EVIDENCE,
        title=_("Evidence added (SHA-256 %(hash)s…)") % {"hash": evidence.sha256[:12]},
        detail=description,
        actor=by,
    )
    audit_record(
        action="case.evidence.add", actor=by, target=case, summary={"sha256": evidence.sha256}
    )
    return evidence


# --- classification, officers, status ---------------------------------------------------------


@transaction.atomic
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


@transaction.atomic
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
        report_status_update(
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


@transaction.atomic
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


# --- actions --------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *, case: Case, title: str, owner: User | None, due_on: datetime.date | None, by: User
) -> CaseAction:
    action = CaseAction.objects.create(
        case=case, title=title, owner=owner, due_on=due_on, created_by=by
    )
    timeline_add(
        case=case, kind=TimelineKind.ACTION, title=_("Action: %(t)s") % {"t": title}, actor=by
    )
    audit_record(
        action="case.action.add", actor=by, target=case, summary={"action": str(action.pk)}
    )
    return action


@transaction.atomic
def checklist_apply(*, case: Case, template: ChecklistTemplate, by: User) -> list[CaseAction]:
    today = timezone.localdate()
    existing = set(case.actions.values_list("title", flat=True))
    actions = [
        CaseAction(
            case=case,
            title=item.title,
            owner=case.officer,
            due_on=today + datetime.timedelta(days=item.due_in_days),
            created_by=by,
            done_by_tool=item.done_by_tool,
        )
        for item in template.items.all()
        if item.title not in existing
    ]
    CaseAction.objects.bulk_create(actions)
    timeline_add(
        case=case,
        kind=TimelineKind.ACTION,
        title=_("Checklist added: %(name)s") % {"name": template.name},
        actor=by,
    )
    audit_record(
        action="case.checklist", actor=by, target=case, summary={"template": template.code}
    )
    return actions


@transaction.atomic
def action_set_status(*, action: CaseAction, status: str, by: User) -> CaseAction:
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at", "updated_at"])
    timeline_add(
        case=action.case,
        kind=TimelineKind.ACTION,
        title=_("Action %(status)s: %(t)s")
        % {"status": action.get_status_display().lower(), "t": action.title},
        actor=by,
    )
    audit_record(
        action="case.action.status",
        actor=by,
        target=action.case,
        summary={"action": str(action.pk), "status": status},
    )
    return action


def actions_done_by_tool(*, case: Case, tool_code: str, by: User) -> list[CaseAction]:
    """A risk tool was completed on the case: its checklist actions are done (inside the
    caller's transaction, with a timeline line each, as if ticked by hand)."""
    open_actions = case.actions.filter(status=ActionStatus.OPEN, done_by_tool=tool_code)
    return [
        action_set_status(action=action, status=ActionStatus.DONE, by=by)
        for action in open_actions.select_for_update()
    ]


# --- contact with the victim ----------------------------------------------------------------


def _check_or_refuse(
    *, victim: CasePerson, channel: str, at: datetime.datetime, voicemail: bool = False
) -> None:
    if channel == ContactChannel.ONLINE_REPORT:
        # The reporter reads it only when they sign in to track their report: nothing is pushed.
        if victim.report_id is None:
            raise ContactRefused(_("This victim did not report online."))
        assert victim.report is not None
        if victim.report.reported_by_other:
            # Its messages are read by whoever made the report, not by the victim (issue 16).
            raise ContactRefused(
                _(
                    "Someone else made this online report: a message there goes to them, not "
                    "to the victim. Message the person who reported from the report's page."
                )
            )
        return
    # The live record, read now: the victim may have changed it on "track my report" a moment
    # ago.
    victim.refresh_from_db(fields=["contact"])
    result = victim.contact_prefs.check(
        channel=channel, at=timezone.localtime(at), voicemail=voicemail
    )
    if not result.allowed:
        raise ContactRefused(result.reason)


def _first_contact(case: Case, at: datetime.datetime, channel: str) -> None:
    # A message left on "track my report" is read only when the victim next signs in, which may
    # be days away: it does not meet the response time, which asks that we reach them.
    if channel == ContactChannel.ONLINE_REPORT:
        return
    if case.first_contact_at is None:
        case.first_contact_at = at
        case.save(update_fields=["first_contact_at", "updated_at"])


@transaction.atomic
def contact_log(
    *,
    case: Case,
    victim: CasePerson,
    channel: str,
    direction: str,
    summary: str,
    by: User,
    at: datetime.datetime | None = None,
    left_voicemail: bool = False,
    record_against_wishes: bool = False,
) -> ContactLogEntry:
    """Log a call, visit or letter. Contact we make must use a channel and time marked safe.

    A contact that already happened against the victim's wishes (a call outside their safe
    hours) is still a fact of the case: with `record_against_wishes` it is recorded with the
    warning, on the log and the timeline, rather than lost.
    """
    at = at or timezone.now()
    against_wishes = ""
    if direction == ContactDirection.TO_VICTIM:
        try:
            _check_or_refuse(victim=victim, channel=channel, at=at, voicemail=left_voicemail)
        except ContactRefused as refused:
            if not record_against_wishes:
                raise ContactRefused(
                    _(
                        "%(reason)s If this contact really happened, tick “It happened: "
                        "record it with this warning”."
                    )
                    % {"reason": refused.messages[0]}
                ) from None
            against_wishes = refused.messages[0]
    entry = ContactLogEntry.objects.create(
        case=case,
        victim=victim,
        channel=channel,
        direction=direction,
        at=at,
        summary=summary,
        left_voicemail=left_voicemail,
        against_wishes=against_wishes,
        by=by,
    )
    _first_contact(case, at, channel)
    title = f"{entry.get_channel_display()}, {entry.get_direction_display().lower()}"
    if against_wishes:
        title = _("%(contact)s, against the victim's wishes") % {"contact": title}
    timeline_add(
        case=case,
        kind=TimelineKind.CONTACT,
        title=title,
        detail=f"{against_wishes}\n{summary}" if against_wishes else summary,
        actor=by,
        occurred_at=at,
    )
    audit_record(
        action="case.contact.log",
        actor=by,
        target=case,
        summary={"channel": channel, "against_wishes": bool(against_wishes)},
    )
    return entry


@transaction.atomic
def victim_message_send(
    *, case: Case, victim: CasePerson, channel: str, body: str, by: User
) -> ContactLogEntry:
    """Send a message to the victim, only by a channel and at a time they marked safe."""
    now = timezone.now()
    if channel not in {ContactChannel.EMAIL, ContactChannel.TEXT, ContactChannel.ONLINE_REPORT}:
        raise CaseError(_("Messages go by email, text or the online report."))
    _check_or_refuse(victim=victim, channel=channel, at=now)
    if channel != ContactChannel.ONLINE_REPORT and victim.contact_prefs.others_may_read:
        # Refused, not only warned: if the person she fears reads it, a warning helps nobody.
        suspects = [p.name for p in case.people.filter(role=PersonRole.SUSPECT)]
        if names_in_text(body, suspects):
            raise ContactRefused(
                _(
                    "The victim said someone else may read their messages, and this message "
                    "names the suspect. Take the name out, or send it on their online report "
                    "or say it in a call at a safe time."
                )
            )
    if channel == ContactChannel.ONLINE_REPORT:
        assert victim.report is not None
        report_message_to_reporter(report=victim.report, body=body, by=by)
    elif channel == ContactChannel.EMAIL:
        address = victim.identifiers.filter(kind=IdentifierKind.EMAIL).first()
        if address is None:
            raise ContactRefused(_("There is no email address for this victim."))
        entry_key = secrets.token_hex(8)
        outbox_enqueue(
            channel="email",
            recipient=address.value,
            # Named as the victim allowed: someone else may see the email.
            subject=_("A message from %(sender)s") % {"sender": victim.contact_prefs.sender_name()},
            body=body,
            purpose="case.victim_message",
            idempotency_key=f"case-message-{case.pk}-{entry_key}",
            contact=victim.contact,
        )
    else:
        # Text messages are logged for the officer to send from the force's phone system until
        # an SMS backend is added to the outbox.
        if not victim.identifiers.filter(kind=IdentifierKind.PHONE).exists():
            raise ContactRefused(_("There is no phone number for this victim."))
    entry = ContactLogEntry.objects.create(
        case=case,
        victim=victim,
        channel=channel,
        direction=ContactDirection.TO_VICTIM,
        at=now,
        summary=body,
        by=by,
    )
    _first_contact(case, now, channel)
    timeline_add(
        case=case,
        kind=TimelineKind.MESSAGE,
        title=_("Message to the victim (%(channel)s)") % {"channel": entry.get_channel_display()},
        detail=body,
        actor=by,
        occurred_at=now,
    )
    audit_record(action="case.message.send", actor=by, target=case, summary={"channel": channel})
    return entry


# --- Victims' Code --------------------------------------------------------------------------


@transaction.atomic
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


@transaction.atomic
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


# --- notes ----------------------------------------------------------------------------


@transaction.atomic
def note_add(*, case: Case, body: str, by: User) -> CaseNote:
    """A private staff note: never shown or sent to the victim or reporter."""
    note = CaseNote.objects.create(case=case, body=body, by=by)
    timeline_add(case=case, kind=TimelineKind.NOTE, title=_("Staff note"), detail=body, actor=by)
    audit_record(action="case.note.add", actor=by, target=case)
    return note
