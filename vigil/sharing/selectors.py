"""Reads of the sharing app, given the acting user. Out of scope is 404, audited as denied.

What a partner is shown is built here and only here (`shared_case`), from the parts their
agency's referrals name: the partner pages, the JSON and PDF exports all read this one object.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_denied, audit_record
from vigil.cases import selectors as case_selectors
from vigil.cases.models import Case, PersonRole, TimelineEntry
from vigil.cases.querysets import VIEW, role_of
from vigil.sharing import parts as P
from vigil.sharing.models import PartnerUpdate, Referral, ReferralStatus


def referrals_visible_to(user: User, action: str = VIEW) -> QuerySet[Referral]:
    """Referrals `user` may open: a partner, those sent to their agency; police staff, those on
    cases in their reach; the DPO (for the information-sharing log), every one."""
    role = role_of(user)
    if role == Role.PARTNER:
        if action != VIEW or not user.agency_id:
            return Referral.objects.none()
        return Referral.objects.for_agency(user.agency_id)
    if role == Role.DPO:
        return Referral.objects.all() if action == VIEW else Referral.objects.none()
    if not user.is_police:
        return Referral.objects.none()
    return Referral.objects.filter(case__in=Case.objects.visible_to(user, action).values("pk"))


def referral_get(*, user: User, referral_id: UUID, action: str = VIEW) -> Referral:
    referral = (
        referrals_visible_to(user, action)
        .select_related("case", "agency", "referred_by", "approved_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        audit_denied(
            actor=user, target_type="sharing.referral", target_id=referral_id, action=action
        )
        raise Http404
    return referral


def partner_inbox(*, user: User) -> list[Referral]:
    """A partner's referrals still waiting or in work; the ended ones are gone with the case."""
    return list(
        referrals_visible_to(user)
        .filter(status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED])
        .select_related("case", "referred_by")
        .order_by("status", "acknowledge_by")
    )


def case_referrals(*, user: User, case_id: UUID) -> tuple[Case, list[Referral]]:
    """The police page of a case's referrals (police staff only; partners get 404)."""
    case = case_selectors.case_view(user=user, case_id=case_id, page="sharing")
    referrals = list(
        case.referrals.select_related("agency", "referred_by", "approved_by", "acknowledged_by")
    )
    return case, referrals


@dataclass
class SharedPerson:
    name: str = ""
    date_of_birth: str = ""
    address: str = ""
    relationship: str = ""
    description: str = ""
    safe_contact: Any = None


@dataclass
class SharedIncident:
    occurred_at: datetime.datetime
    time_known: bool
    summary: str
    behaviours: list[str]
    place: str = ""


@dataclass
class SharedCase:
    """Exactly what a partner is given of one case: nothing here that the parts do not name."""

    referral: Referral
    reference: str
    parts: frozenset[str]
    summary: dict[str, Any] | None = None
    victims: list[SharedPerson] = field(default_factory=list)
    suspects: list[SharedPerson] = field(default_factory=list)
    incidents: list[SharedIncident] | None = None
    risk_level: str | None = None
    updates: list[PartnerUpdate] = field(default_factory=list)

    @property
    def part_labels(self) -> list[str]:
        return P.part_labels([p.code for p in P.PARTS if p.code in self.parts])

    def shows(self, code: str) -> bool:
        return code in self.parts

    def to_json(self) -> dict[str, Any]:
        """The JSON export: the same fields the partner's page shows."""
        document: dict[str, Any] = {
            "reference": self.reference,
            "agency": self.referral.agency.name,
            "shared": sorted(self.parts),
        }
        if self.summary is not None:
            document["summary"] = {
                key: (value.isoformat() if hasattr(value, "isoformat") else value)
                for key, value in self.summary.items()
            }
        if self.victims:
            document["victims"] = [_person_json(v) for v in self.victims]
        if self.suspects:
            document["suspects"] = [_person_json(s) for s in self.suspects]
        if self.incidents is not None:
            document["incidents"] = [
                {
                    "occurred_on" if not i.time_known else "occurred_at": (
                        i.occurred_at.date().isoformat()
                        if not i.time_known
                        else i.occurred_at.isoformat()
                    ),
                    "summary": i.summary,
                    "behaviours": i.behaviours,
                    **({"place": i.place} if self.shows(P.INCIDENT_PLACES) else {}),
                }
                for i in self.incidents
            ]
        if self.risk_level is not None:
            document["risk_level"] = self.risk_level
        return document


def _person_json(person: SharedPerson) -> dict[str, Any]:
    out = {k: v for k, v in vars(person).items() if v and k != "safe_contact"}
    if person.safe_contact is not None:
        out["safe_contact"] = person.safe_contact.to_json()
    return out


def _victim(person: Any, parts: frozenset[str]) -> SharedPerson:
    details = person.details or {}
    return SharedPerson(
        name=person.name if P.VICTIM_NAME in parts else "",
        date_of_birth=details.get("date_of_birth", "") if P.VICTIM_DATE_OF_BIRTH in parts else "",
        address=details.get("address", "") if P.VICTIM_ADDRESS in parts else "",
        safe_contact=person.contact_prefs if P.SAFE_CONTACT in parts else None,
    )


def shared_case(*, user: User, referral_id: UUID, page: str = "partner") -> SharedCase:
    """The case as the partner's agency is given it, its read audited with the parts shown.

    A referral still waiting for an answer shows the referral, never the case: the agency has
    not taken the victim on yet, and may decline."""
    referral = referral_get(user=user, referral_id=referral_id)
    if user.role != Role.PARTNER:
        raise Http404
    shared = SharedCase(referral=referral, reference=referral.case.reference, parts=frozenset())
    if not referral.gives_access:
        audit_record(
            action="sharing.referral.view",
            actor=user,
            target=referral,
            summary={"status": referral.status},
        )
        return shared
    # Through the case scope, so a referral ended a moment ago stops here (404, audited).
    case = case_selectors.case_view(
        user=user, case_id=referral.case_id, page=f"sharing.{page}", shared_parts_only=True
    )
    parts = P.shared_parts(user, case)
    shared.parts = parts
    audit_record(
        action="sharing.partner_view",
        actor=user,
        target=case,
        summary={"referral": str(referral.pk), "page": page, "parts": sorted(parts)},
    )
    if P.SUMMARY in parts:
        shared.summary = {
            "classification": case.get_principal_classification_display(),
            "status": case.get_status_display(),
            "opened_at": case.opened_at,
            "closed_at": case.closed_at,
        }
    people = list(case.people.select_related("contact"))
    victim_parts = parts & {P.VICTIM_NAME, P.VICTIM_DATE_OF_BIRTH, P.VICTIM_ADDRESS, P.SAFE_CONTACT}
    if victim_parts:
        shared.victims = [_victim(p, parts) for p in people if p.role == PersonRole.VICTIM]
    if P.SUSPECT in parts:
        shared.suspects = [
            SharedPerson(
                name=p.name,
                relationship=p.relationship_label,
                description=(p.details or {}).get("description", ""),
            )
            for p in people
            if p.role == PersonRole.SUSPECT
        ]
    if P.INCIDENTS in parts:
        shared.incidents = [
            SharedIncident(
                occurred_at=i.occurred_at,
                time_known=i.time_known,
                summary=i.summary,
                behaviours=i.behaviour_labels,
                place=i.place if P.INCIDENT_PLACES in parts else "",
            )
            for i in case.incidents.all()
        ]
    if P.RISK in parts:
        shared.risk_level = case.get_risk_level_display()
    shared.updates = list(
        PartnerUpdate.objects.filter(case=case, agency_id=referral.agency_id).select_related("by")
    )
    return shared


def partner_timeline(*, user: User, case: Case) -> QuerySet[TimelineEntry]:
    """The police timeline holds police work: a partner is given only their agency's entries."""
    if user.agency_id is None:
        return case.timeline.none()
    entry_ids = PartnerUpdate.objects.filter(case=case, agency_id=user.agency_id).values(
        "timeline_entry_id"
    )
    return case.timeline.filter(pk__in=entry_ids)


# What each audited step means, for the DPO's log (the audit log keeps the codes).
EVENT_LABELS = {
    "sharing.referral.make": _("Referral made"),
    "sharing.referral.approve": _("Sharing without consent approved"),
    "sharing.referral.accept": _("Accepted by the agency"),
    "sharing.referral.decline": _("Declined by the agency"),
    "sharing.referral.end": _("Referral ended"),
    "sharing.referral.overdue": _("Not answered in time: reminder sent"),
    "sharing.referral.view": _("The agency read the referral"),
    "sharing.partner_view": _("The agency read the shared parts"),
    "sharing.update.add": _("The agency added to the case"),
    "sharing.export.link": _("Export link made"),
    "sharing.export.download": _("Export downloaded"),
    "case.view": _("The agency opened the case"),
}


@dataclass
class SharingLogRow:
    referral: Referral
    events: list[AuditEvent]

    @property
    def steps(self) -> list[tuple[AuditEvent, str]]:
        return [(e, str(EVENT_LABELS.get(e.action, e.action))) for e in self.events]


def sharing_log_cases(*, user: User) -> list[Case]:
    """For the DPO: the cases that have ever been referred, newest first (references only)."""
    if role_of(user) != Role.DPO:
        raise Http404
    return list(
        Case.objects.filter(referrals__isnull=False)
        .distinct()
        .only("id", "reference")
        .order_by("-opened_at")[:500]
    )


def sharing_log(*, user: User, case_id: UUID) -> tuple[Case, list[SharingLogRow]]:
    """The information-sharing log of one case: what went to whom, when, on what basis, and
    every time a partner read or exported it."""
    if role_of(user) != Role.DPO:
        audit_denied(actor=user, target_type="cases.case", target_id=case_id, action="sharing_log")
        raise Http404
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404
    referrals = list(
        case.referrals.select_related(
            "agency", "referred_by", "approved_by", "acknowledged_by", "ended_by"
        ).order_by("created_at")
    )
    ids = [str(r.pk) for r in referrals]
    events = list(
        AuditEvent.objects.filter(
            Q(target_type="sharing.referral", target_id__in=ids)
            | Q(target_type="cases.case", target_id=str(case.pk), actor_role=Role.PARTNER)
        ).order_by("id")
    )
    rows = []
    for referral in referrals:
        mine = [
            e
            for e in events
            if e.target_id == str(referral.pk)
            or (e.summary or {}).get("referral") == str(referral.pk)
        ]
        rows.append(SharingLogRow(referral=referral, events=mine))
    audit_record(action="sharing.log.view", actor=user, target=case)
    return case, rows
