"""Reads, always given the acting user. Anything the user may not see does not exist (404)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_denied, audit_record, audit_term_digest
from vigil.cases.models import (
    CASE_PREFIX,
    PHONE_PREFIX,
    STALKING_CLASSIFICATIONS,
    ActionStatus,
    Case,
    CaseAction,
    CaseIdentifier,
    CasePerson,
    CourseOfConductDecision,
    Incident,
    IncludedClassification,
    PersonRole,
    PhoneReport,
    PriorityGrade,
    TimelineEntry,
    TimelineKind,
    Triage,
    VictimsCodeDuty,
)
from vigil.cases.name_search import name_matches
from vigil.cases.policy import (
    identifier_index,
    looks_like_phone,
    searchable_places_and_vehicles,
)
from vigil.cases.querysets import CHANGE, VIEW, role_of
from vigil.cases.tellings import Telling, duty_tellings
from vigil.common.behaviours import S2A3_EXAMPLES, s2a3_examples_for, staff_labels
from vigil.common.references import normalise_reference
from vigil.linking.models import PersonRecord, RecordRole
from vigil.reporting.models import Report, ReportStatus
from vigil.reporting.references import normalise_reference as normalise_report_reference

ANY_STALKING = "any_stalking"


def case_queryset(*, user: User, action: str = VIEW) -> QuerySet[Case]:
    """Every case `user` may see (or change): Case.objects.visible_to, kept for callers."""
    return Case.objects.visible_to(user, action)


def case_get(
    *, user: User, case_id: UUID, change: bool = False, shared_parts_only: bool = False
) -> Case:
    """The case, if `user` may see it (and change it, when asked); else 404, audited as denied.

    The police pages show the whole record. A partner reaches a case only to see the parts its
    referral shares (vigil.sharing.parts), so they are refused unless the caller shows only
    those (`shared_parts_only`: the partner view and the API)."""
    action = CHANGE if change else VIEW
    case = None
    if shared_parts_only or role_of(user) != Role.PARTNER:
        case = (
            Case.objects.visible_to(user, action)
            .select_related("officer", "team", "supervisor", "created_by", "priority")
            .filter(pk=case_id)
            .first()
        )
    if case is None:
        audit_denied(actor=user, target_type="cases.case", target_id=case_id, action=action)
        raise Http404
    return case


def case_view(
    *,
    user: User,
    case_id: UUID,
    page: str = "case",
    change: bool = False,
    shared_parts_only: bool = False,
) -> Case:
    """Fetch a case to show it, writing the read to the audit log: every case view is recorded."""
    case = case_get(user=user, case_id=case_id, change=change, shared_parts_only=shared_parts_only)
    audit_record(action="case.view", actor=user, target=case, summary={"page": page})
    return case


# --- intake -------------------------------------------------------------------------------


@dataclass
class IntakeItem:
    source: str
    id: UUID
    reference: str
    received_at: datetime.datetime
    immediate_danger: bool
    due_at: datetime.datetime

    @property
    def overdue(self) -> bool:
        return self.due_at < timezone.now()


def _grades() -> dict[str, PriorityGrade]:
    return {g.code: g for g in PriorityGrade.objects.all()}


def provisional_due(
    *, received_at: datetime.datetime, immediate_danger: bool, grades: dict[str, PriorityGrade]
) -> datetime.datetime:
    """Until triaged, an item is due as the grade it most likely is: danger now is an emergency."""
    grade = grades.get("emergency" if immediate_danger else "priority")
    minutes = grade.response_minutes if grade else 60
    return received_at + datetime.timedelta(minutes=minutes)


def intake_queue_rows() -> Iterator[tuple[str, Report | PhoneReport]]:
    """Every report not yet triaged, for the intake sweep (a system task: no user's scope)."""
    fields = ("id", "reference", "received_at", "immediate_danger")
    online = Report.objects.filter(status=ReportStatus.RECEIVED, triage__isnull=True)
    # Read whole before the caller writes alerts: the queue is short (it is worked all day).
    for report in list(online.only(*fields)):
        yield "online", report
    for phone_report in list(PhoneReport.objects.filter(triaged=False).only(*fields)):
        yield "phone", phone_report


def intake_queue(*, user: User) -> list[IntakeItem]:
    if not user.has_perm("cases.view_intake"):
        raise Http404
    grades = _grades()
    online = (
        Report.objects.visible_to(user)
        .filter(status=ReportStatus.RECEIVED, triage__isnull=True)
        .only("id", "reference", "received_at", "immediate_danger")[:500]
    )
    phone = (
        PhoneReport.objects.visible_to(user)
        .filter(triaged=False)
        .only("id", "reference", "received_at", "immediate_danger")[:500]
    )
    items = [
        IntakeItem(
            source=source,
            id=row.id,
            reference=row.reference,
            received_at=row.received_at,
            immediate_danger=row.immediate_danger,
            due_at=provisional_due(
                received_at=row.received_at,
                immediate_danger=row.immediate_danger,
                grades=grades,
            ),
        )
        for source, rows in (("online", online), ("phone", phone))
        for row in rows
    ]
    return sorted(items, key=lambda item: (item.due_at, item.received_at))


def intake_report_get(*, user: User, report_id: UUID) -> Report:
    """The online report on its triage page (the whole report, so the read is audited)."""
    report = (
        Report.objects.visible_to(user).prefetch_related("evidence").filter(pk=report_id).first()
    )
    if report is None or not user.has_perm("cases.view_intake"):
        audit_denied(actor=user, target_type="reporting.report", target_id=report_id)
        raise Http404
    audit_record(action="report.view", actor=user, target=report, summary={"page": "triage"})
    return report


def intake_phone_report_get(*, user: User, phone_report_id: UUID) -> PhoneReport:
    """The phone report on its triage page (the whole report, so the read is audited)."""
    phone_report = PhoneReport.objects.visible_to(user).filter(pk=phone_report_id).first()
    if phone_report is None or not user.has_perm("cases.view_intake"):
        audit_denied(actor=user, target_type="cases.phonereport", target_id=phone_report_id)
        raise Http404
    audit_record(
        action="phone_report.view", actor=user, target=phone_report, summary={"page": "triage"}
    )
    return phone_report


# --- the case page ---------------------------------------------------------------------------


@dataclass
class ConductPrompt:
    """Two or more incidents between one victim and one suspect: consider stalking."""

    victim: CasePerson
    suspect: CasePerson
    incident_count: int
    behaviours: list[str]
    s2a3: list[tuple[str, str, list[str]]]
    decision: CourseOfConductDecision | None = None
    # A "not stalking" decision made before the latest incidents: shown, but asked again.
    earlier: CourseOfConductDecision | None = None


def conduct_prompts(
    *,
    incidents: list[Incident],
    people: dict[UUID, CasePerson],
    decisions: list[CourseOfConductDecision],
) -> list[ConductPrompt]:
    """One prompt per victim and suspect pair with at least two incidents (s7: two occasions)."""
    pairs: dict[tuple[UUID, UUID], list[Incident]] = {}
    for incident in incidents:
        if incident.suspect_id is None:
            continue
        pairs.setdefault((incident.victim_id, incident.suspect_id), []).append(incident)
    latest: dict[tuple[UUID, UUID], CourseOfConductDecision] = {}
    for decision in decisions:
        latest[(decision.victim_id, decision.suspect_id)] = decision
    prompts = []
    for (victim_id, suspect_id), group in pairs.items():
        if len(group) < 2:
            continue
        codes: list[str] = []
        for incident in group:
            codes.extend(c for c in incident.behaviours if c not in codes)
        mapping = s2a3_examples_for(codes)
        current: CourseOfConductDecision | None = latest.get((victim_id, suspect_id))
        earlier = None
        if (
            current is not None
            and current.outcome not in STALKING_CLASSIFICATIONS
            and len(group) > current.incident_count
        ):
            # New incidents since "not stalking": the course of conduct may have changed.
            current, earlier = None, current
        prompts.append(
            ConductPrompt(
                victim=people[victim_id],
                suspect=people[suspect_id],
                incident_count=len(group),
                behaviours=codes,
                s2a3=[
                    (
                        letter,
                        str(S2A3_EXAMPLES[letter]),
                        staff_labels(matched),
                    )
                    for letter, matched in mapping.items()
                ],
                decision=current,
                earlier=earlier,
            )
        )
    return prompts


@dataclass
class CasePage:
    case: Case
    victims: list[CasePerson]
    suspects: list[CasePerson]
    incidents: list[Incident]
    prompts: list[ConductPrompt]
    included: list[IncludedClassification]
    actions: list[CaseAction]
    duties: list[VictimsCodeDuty]
    evidence_count: int
    link_records: list[PersonRecord] = field(default_factory=list)
    linked: LinkedCases | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def open_prompts(self) -> list[ConductPrompt]:
        return [p for p in self.prompts if p.decision is None]


def case_page(*, user: User, case_id: UUID) -> CasePage:
    case = case_view(user=user, case_id=case_id, page="case")
    people = list(case.people.all())
    by_id = {p.id: p for p in people}
    incidents = list(case.incidents.all())
    for incident in incidents:
        incident.victim = by_id[incident.victim_id]
        incident.suspect = by_id.get(incident.suspect_id) if incident.suspect_id else None
    decisions = list(case.conduct_decisions.all())
    link_records = case_link_records(case=case)
    return CasePage(
        case=case,
        victims=[p for p in people if p.role == PersonRole.VICTIM],
        suspects=[p for p in people if p.role == PersonRole.SUSPECT],
        incidents=incidents,
        prompts=conduct_prompts(incidents=incidents, people=by_id, decisions=decisions),
        included=list(case.included.all()),
        actions=list(case.actions.filter(status=ActionStatus.OPEN).select_related("owner")[:20]),
        duties=list(case.duties.filter(done_at__isnull=True)[:20]),
        evidence_count=case.evidence.count(),
        link_records=link_records,
        linked=linked_cases(user=user, case=case, records=link_records),
    )


def case_link_records(*, case: Case) -> list[PersonRecord]:
    """The linking records of this case's suspects: from staff, and from its online reports."""
    owners = [f"cases.case:{case.pk}"] + [
        f"reporting.report:{report_id}"
        for report_id in case.triages.exclude(report=None).values_list("report_id", flat=True)
    ]
    return list(
        PersonRecord.objects.filter(owner__in=owners, role=RecordRole.SUSPECT).order_by(
            "created_at"
        )
    )


@dataclass(frozen=True)
class LinkedCases:
    """Other cases whose suspect has been confirmed as the same person as this case's suspect."""

    references: list[tuple[UUID, str]]
    # Linked cases or reports this viewer may not open: said, never named.
    hidden: int

    def __bool__(self) -> bool:
        return bool(self.references or self.hidden)


def case_ids_for_owners(owners: list[str]) -> set[UUID]:
    """The cases that linking records' owners ("cases.case:<id>", "reporting.report:<id>") are."""
    case_ids = {UUID(o.split(":", 1)[1]) for o in owners if o.startswith("cases.case:")}
    report_ids = [UUID(o.split(":", 1)[1]) for o in owners if o.startswith("reporting.report:")]
    if report_ids:
        case_ids |= set(
            Triage.objects.filter(report_id__in=report_ids).values_list("case_id", flat=True)
        )
    return case_ids


def linked_cases(
    *, user: User, case: Case, records: list[PersonRecord] | None = None
) -> LinkedCases:
    """A confirmed link puts the suspect's records under one person: the other cases holding a
    record of that person are linked. Only those the viewer may open are named.

    One query when nothing is linked (the usual case); `records` are the case's own linking
    records when the caller has them already.
    """
    own = records if records is not None else case_link_records(case=case)
    persons = {record.person_id for record in own}
    if not persons:
        return LinkedCases(references=[], hidden=0)
    owners = list(
        PersonRecord.objects.filter(person_id__in=persons, role=RecordRole.SUSPECT)
        .exclude(owner__in={record.owner for record in own})
        .values_list("owner", flat=True)
        .distinct()
    )
    if not owners:
        return LinkedCases(references=[], hidden=0)
    report_ids = {UUID(o.split(":", 1)[1]) for o in owners if o.startswith("reporting.report:")}
    triaged = dict(
        Triage.objects.filter(report_id__in=report_ids).values_list("report_id", "case_id")
    )
    others = {UUID(o.split(":", 1)[1]) for o in owners if o.startswith("cases.case:")}
    others = (others | set(triaged.values())) - {case.pk}
    visible = list(
        case_queryset(user=user)
        .filter(pk__in=others)
        .order_by("reference")
        .values_list("pk", "reference")
    )
    untriaged = len(report_ids - set(triaged))
    return LinkedCases(references=visible, hidden=len(others) - len(visible) + untriaged)


def case_people(*, case: Case, role: str | None = None) -> list[CasePerson]:
    people = case.people.all()
    if role:
        people = people.filter(role=role)
    return list(people)


def case_timeline(*, user: User, case: Case, kind: str = "") -> QuerySet[TimelineEntry]:
    entries = case.timeline.select_related("actor")
    if not user.is_police:
        # Staff notes are for police staff only; partners see the rest of what is shared.
        entries = entries.exclude(kind=TimelineKind.NOTE)
    if kind:
        entries = entries.filter(kind=kind)
    return entries


# --- search ---------------------------------------------------------------------------------


@dataclass
class CaseSearch:
    text: str = ""
    classification: str = ""
    officer: UUID | None = None
    status: str = ""
    risk: str = ""
    mine: bool = False

    def filters(self) -> dict[str, str]:
        """The non-personal parts of the search, as they go into the audit row."""
        return {
            name: str(value)
            for name, value in (
                ("classification", self.classification),
                ("officer", self.officer or ""),
                ("status", self.status),
                ("risk", self.risk),
                ("mine", "yes" if self.mine else ""),
            )
            if value
        }


def _identifier_matches(text: str) -> list[UUID]:
    """Cases with a person whose vehicle or postcode is `text`, by blind index."""
    found = searchable_places_and_vehicles({"vehicles": [text], "postcodes": [text]})
    indexes = [identifier_index(kind, value) for kind, values in found.items() for value in values]
    if not indexes:
        return []
    return list(
        CaseIdentifier.objects.filter(blind_index__in=indexes).values_list("case_id", flat=True)
    )


def _through_confirmed_links(case_ids: set[UUID]) -> set[UUID]:
    """The cases, and the cases whose suspect a confirmed link says is the same person.

    A confirmed link puts both records under one linking person, so "same person" is "same
    person id"; the caller's queryset keeps the result within the searcher's scope.
    """
    if not case_ids:
        return set()
    owners = [f"cases.case:{pk}" for pk in case_ids] + [
        f"reporting.report:{pk}"
        for pk in Triage.objects.filter(case_id__in=case_ids).values_list("report_id", flat=True)
        if pk
    ]
    persons = PersonRecord.objects.filter(owner__in=owners, role=RecordRole.SUSPECT).values(
        "person_id"
    )
    linked_owners = set(
        PersonRecord.objects.filter(person_id__in=persons, role=RecordRole.SUSPECT)
        .exclude(owner__in=owners)
        .values_list("owner", flat=True)
        .distinct()
    )
    if not linked_owners:  # the usual case: nothing linked, no more queries
        return case_ids
    return case_ids | case_ids_for_owners(sorted(linked_owners))


def case_search(*, user: User, search: CaseSearch) -> QuerySet[Case]:
    """Cases matching the search that `user` may see, most recently active first.

    A search by name, phone or email is itself a read of personal data, so it is audited; the
    terms are kept only as a keyed hash (the DPO can check whether a given name was searched)."""
    cases = Case.objects.visible_to(user)
    text = search.text.strip()
    if text:
        audit_record(
            action="case.search",
            actor=user,
            summary={"terms": audit_term_digest(text), "filters": search.filters()},
        )
        if "@" in text or looks_like_phone(text):
            kind = "email" if "@" in text else "phone"
            ids = set(
                CaseIdentifier.objects.filter(blind_index=identifier_index(kind, text)).values_list(
                    "case_id", flat=True
                )
            )
            cases = cases.filter(id__in=_through_confirmed_links(ids))
        else:
            reference = text.upper()
            # The online report's reference is the one a victim quotes on 101, typed any way.
            report_refs = {reference, normalise_report_reference(text)}
            case_refs = {
                reference,
                normalise_reference(text, CASE_PREFIX),
                normalise_reference(text, PHONE_PREFIX),
            }
            # The report's cases as a list, not a subquery: "reference IN ... OR id IN
            # (subquery)" is one filter PostgreSQL can only check row by row, a scan of every
            # case (385 ms at a million); with both sides literal it reads two indexes.
            from_reports = list(
                Triage.objects.filter(report__reference__in=report_refs).values_list(
                    "case_id", flat=True
                )
            )
            reference_hits = cases.filter(Q(reference__in=case_refs) | Q(id__in=from_reports))
            if reference_hits.exists():
                cases = reference_hits
            else:
                ids = set(_identifier_matches(text)) | set(name_matches(text))
                cases = cases.filter(id__in=_through_confirmed_links(ids))
    if search.classification:
        # "Any stalking" is what the 2024 super-complaint asked forces to be able to find.
        wanted = (
            sorted(STALKING_CLASSIFICATIONS)
            if search.classification == ANY_STALKING
            else [search.classification]
        )
        cases = cases.filter(
            Q(principal_classification__in=wanted)
            | Exists(
                IncludedClassification.objects.filter(
                    case=OuterRef("pk"), classification__in=wanted
                )
            )
        )
    if search.officer:
        cases = cases.filter(officer_id=search.officer)
    if search.status:
        cases = cases.filter(status=search.status)
    if search.risk:
        cases = cases.filter(risk_level=search.risk)
    if search.mine:
        cases = cases.filter(officer=user)
    return (
        cases.select_related("officer", "team", "priority")
        .prefetch_related("included")
        .order_by("-last_activity_at")
    )


# --- overdue lists --------------------------------------------------------------------------


def overdue_actions(*, user: User) -> QuerySet[CaseAction]:
    if not user.has_perm("cases.see_overdue_lists"):
        raise Http404
    return (
        CaseAction.objects.filter(
            case__in=Case.objects.visible_to(user),
            status=ActionStatus.OPEN,
            due_on__lt=timezone.localdate(),
        )
        .select_related("case", "owner", "owner__team")
        .order_by("owner__team__name", "owner__full_name", "due_on")
    )


def overdue_duties(*, user: User) -> QuerySet[VictimsCodeDuty]:
    if not user.has_perm("cases.see_overdue_lists"):
        raise Http404
    return (
        VictimsCodeDuty.objects.filter(
            case__in=Case.objects.visible_to(user),
            done_at__isnull=True,
            due_on__lt=timezone.localdate(),
        )
        .select_related("case", "case__officer", "case__team")
        .order_by("due_on")
    )


def overdue_counts_by_owner(actions: list[CaseAction]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for action in actions:
        owner = action.owner.full_name if action.owner else "-"
        team = action.owner.team.name if action.owner and action.owner.team else "-"
        counts[(team, owner)] = counts.get((team, owner), 0) + 1
    return [(team, owner, n) for (team, owner), n in sorted(counts.items())]


# --- the audit log, for the data protection officer ---------------------------------------


def audit_events(
    *, user: User, action: str = "", actor: str = "", target: str = ""
) -> QuerySet[AuditEvent]:
    if not user.has_perm("cases.view_audit_log"):
        raise Http404
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if target:
        events = events.filter(target_id=target)
    return events


def duty_rows(*, case: Case) -> list[tuple[VictimsCodeDuty, list[Telling]]]:
    """The case's Victims' Code duties, each with where the messages telling the victim have
    got to: the officer sees "waiting to be sent" until the outbox delivers."""
    return [(duty, duty_tellings(duty)) for duty in case.duties.select_related("done_by", "task")]
