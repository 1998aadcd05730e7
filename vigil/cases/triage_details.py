"""What the triage page shows: everything the victim told us, and other reports naming the
same suspect. THRIVE is only as good as what the person grading can see: the behaviours, how
often it happens, how to find the suspect (phone, vehicle, address) and anything they said in
their own words (a previous conviction is often mentioned there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.cases.models import Case, PhoneReport
from vigil.cases.selectors import case_ids_for_owners, case_queryset
from vigil.common.behaviours import staff_labels
from vigil.linking.api import candidates_for_mention
from vigil.reporting.forms import FREQUENCY_CHOICES
from vigil.reporting.models import Report, SuspectRelationship


@dataclass
class SuspectDetails:
    names: str
    relationship: str
    aliases: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    social: list[str] = field(default_factory=list)
    vehicles: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class LinkedReport:
    """A record in the linking engine that may be the same suspect, with the cases it is on
    that this user may open (a candidate is only ever a lead: the percentage is not proof)."""

    label: str
    percent: int
    reasons: list[str]
    cases: list[Case]


@dataclass
class TriageDetails:
    behaviours: list[str]
    frequency: str
    started_on: str
    most_recent_on: str
    impact: str
    changes_made: str
    anything_else: str
    suspects: list[SuspectDetails]
    linked: list[LinkedReport]


def _social(item: Any) -> str:
    if isinstance(item, dict):
        platform, handle = item.get("platform", ""), item.get("handle", "")
        return f"{platform}: {handle}" if platform else str(handle)
    return str(item)


def _suspect(raw: dict[str, Any]) -> SuspectDetails:
    relationships = dict(SuspectRelationship.choices)
    return SuspectDetails(
        names=", ".join(raw.get("names") or []),
        relationship=str(relationships.get(raw.get("relationship", ""), "")),
        aliases=list(raw.get("aliases") or []),
        phones=list(raw.get("phones") or []),
        emails=list(raw.get("emails") or []),
        social=[_social(s) for s in raw.get("social") or []],
        vehicles=list(raw.get("vehicles") or []),
        addresses=list(raw.get("addresses") or []),
        description=str(raw.get("description") or ""),
    )


def _linked(*, user: User, suspects: list[dict[str, Any]]) -> list[LinkedReport]:
    cases_in_scope = case_queryset(user=user)
    found: dict[str, LinkedReport] = {}
    for raw in suspects:
        candidates = candidates_for_mention(
            user=user,
            names=[*(raw.get("names") or []), *(raw.get("aliases") or [])],
            phones=raw.get("phones") or [],
            emails=raw.get("emails") or [],
            social_accounts=raw.get("social") or [],
            vehicles=raw.get("vehicles") or [],
            addresses=raw.get("addresses") or [],
        )
        for candidate in candidates:
            record = candidate.record
            if str(record.pk) in found:
                continue
            case_ids = case_ids_for_owners([record.owner])
            found[str(record.pk)] = LinkedReport(
                label=record.label or _("A suspect on another report"),
                percent=candidate.percent,
                reasons=[str(c.label) for c in candidate.score.agreed],
                cases=list(cases_in_scope.filter(pk__in=case_ids).only("id", "reference")),
            )
    return sorted(found.values(), key=lambda linked: -linked.percent)


def triage_details(
    *, user: User, report: Report | None, phone_report: PhoneReport | None
) -> TriageDetails:
    """Everything the reporter told us, as the triage page shows it (read once, audited by the
    page's selector)."""
    item: Any = report or phone_report
    details: dict[str, Any] = (report.details if report is not None else {}) or {}
    codes = details.get("behaviours", []) if report is not None else item.behaviours
    frequencies = dict(FREQUENCY_CHOICES)
    suspects = list(item.suspects or [])
    return TriageDetails(
        behaviours=staff_labels(codes),
        frequency=str(frequencies.get(details.get("frequency", ""), "")),
        started_on=details.get("started_on", ""),
        most_recent_on=details.get("most_recent_on", ""),
        impact=details.get("impact", ""),
        changes_made=details.get("changes_made", ""),
        anything_else=details.get("anything_else", ""),
        suspects=[_suspect(s) for s in suspects if isinstance(s, dict)],
        linked=_linked(user=user, suspects=[s for s in suspects if isinstance(s, dict)]),
    )
