"""Which parts of a case a partner agency is given: the one home of "which parts".

Which cases a partner reaches is CASE_REACH's business (vigil/cases/querysets.py, through the
reach this app registers); on a case they reach, they see the union of the parts named by their
agency's live referrals, and nothing else: not on their pages, not in an export, not in the API.
The address and the safe-contact details are never shared unless chosen one by one: a partner's
letter to the wrong address, or a call at the wrong time, can put the victim in danger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Role
from vigil.cases.querysets import role_of
from vigil.sharing.models import Referral


@dataclass(frozen=True)
class Part:
    code: str
    section: str
    label: str | Promise
    hint: str | Promise = ""
    # API case fields this part gives (vigil/api/scope.py reads them).
    api_fields: frozenset[str] = frozenset()


SECTION_CASE = "case"
SECTION_VICTIM = "victim"
SECTION_SUSPECT = "suspect"
SECTION_INCIDENTS = "incidents"
SECTION_RISK = "risk"
SECTIONS: dict[str, str | Promise] = {
    SECTION_CASE: _("The case"),
    SECTION_VICTIM: _("The victim"),
    SECTION_SUSPECT: _("The suspect"),
    SECTION_INCIDENTS: _("Incidents"),
    SECTION_RISK: _("Risk"),
}

SUMMARY = "summary"
VICTIM_NAME = "victim_name"
VICTIM_DATE_OF_BIRTH = "victim_date_of_birth"
VICTIM_ADDRESS = "victim_address"
SAFE_CONTACT = "safe_contact"
SUSPECT = "suspect"
INCIDENTS = "incidents"
INCIDENT_PLACES = "incident_places"
RISK = "risk"

PARTS: tuple[Part, ...] = (
    Part(
        SUMMARY,
        SECTION_CASE,
        _("Summary: offence, status and dates"),
        api_fields=frozenset(
            {
                "status",
                "principal_classification",
                "opened_at",
                "closed_at",
                "last_activity_at",
                "outcome",
            }
        ),
    ),
    Part(VICTIM_NAME, SECTION_VICTIM, _("Name")),
    Part(VICTIM_DATE_OF_BIRTH, SECTION_VICTIM, _("Date of birth")),
    Part(
        VICTIM_ADDRESS,
        SECTION_VICTIM,
        _("Address"),
        _("Only if the agency must visit or write. Never shared unless you choose it."),
    ),
    Part(
        SAFE_CONTACT,
        SECTION_VICTIM,
        _("Safe contact: how, when and whether they may be contacted"),
        _("Never shared unless you choose it."),
    ),
    Part(SUSPECT, SECTION_SUSPECT, _("Name, relationship and description")),
    Part(INCIDENTS, SECTION_INCIDENTS, _("Incidents: when, what happened, behaviours")),
    Part(
        INCIDENT_PLACES,
        SECTION_INCIDENTS,
        _("Where each incident happened"),
        _("Places may give away where the victim lives or works."),
    ),
    Part(RISK, SECTION_RISK, _("The police risk level"), api_fields=frozenset({"risk_level"})),
)
PART_BY_CODE = {part.code: part for part in PARTS}
# Identify the case and nothing more: every partner who reaches a case is given these.
ALWAYS_API_FIELDS = frozenset({"id", "reference"})


def part_labels(codes: list[str]) -> list[str]:
    """Each part named with its section ("The victim: Address"), in the order of PARTS."""
    chosen = set(codes)
    return [f"{SECTIONS[p.section]}: {p.label}" for p in PARTS if p.code in chosen]


def shared_parts(user: Any, case: Any) -> frozenset[str]:
    """The parts of `case` that `user` (a partner caseworker) is given; empty for anyone else
    and for a case no live referral to their agency shares."""
    if role_of(user) != Role.PARTNER or not getattr(user, "agency_id", None) or case is None:
        return frozenset()
    codes: set[str] = set()
    for parts in (
        Referral.objects.giving_access()
        .filter(case_id=case.pk, agency_id=user.agency_id)
        .values_list("parts", flat=True)
    ):
        codes.update(c for c in parts if c in PART_BY_CODE)
    return frozenset(codes)


def api_case_fields(parts: frozenset[str]) -> frozenset[str]:
    """The API case fields the parts give."""
    fields = set(ALWAYS_API_FIELDS)
    for code in parts:
        fields |= PART_BY_CODE[code].api_fields
    return frozenset(fields)
