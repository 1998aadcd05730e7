"""Every scope decision the API makes, in one place.

The API decides nothing about who may see what: each function hands the client's service
account to the selector the staff pages use. When the apps move to
`Model.objects.visible_to(user, action)`, these few functions are what changes.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from vigil.api.models import ApiClient, ClientKind
from vigil.audit.services import audit_denied
from vigil.cases import selectors as case_selectors
from vigil.cases.models import Case, CaseAction, CasePerson, ContactLogEntry, TimelineEntry
from vigil.linking import selectors as link_selectors
from vigil.linking.models import PersonRecord
from vigil.sharing import parts as shared
from vigil.sharing import selectors as sharing_selectors
from vigil.sharing.parts import api_case_fields, shared_parts


def cases(client: ApiClient) -> QuerySet[Case]:
    """The cases the client may read (a partner: those shared with its agency)."""
    return case_selectors.case_queryset(user=client.user)


# The part an endpoint shows, for `case_read(part=...)`.
RISK = shared.RISK
# A part no referral can share: endpoints of police-only records (contact log, actions, links).
NEVER = "never"


def _is_partner(client: ApiClient) -> bool:
    return client.kind == ClientKind.PARTNER_SYSTEM


def case_read(client: ApiClient, case_id: UUID, *, page: str, part: str | None = None) -> Case:
    """The case, its read written to the audit log; Http404 when out of scope.

    A partner's system reads a case only as its agency's referral shares it (vigil.sharing):
    `part` names the part the endpoint shows, and without it the endpoint does not exist for
    them. The police pages' 404 for partners is lifted only because each field below is
    filtered by the same "which parts" function as the partner's own pages."""
    case = case_selectors.case_view(
        user=client.user,
        case_id=case_id,
        page=f"api.{page}",
        shared_parts_only=_is_partner(client),
    )
    if _is_partner(client) and part is not None and part not in shared_parts(client.user, case):
        audit_denied(actor=client.user, target_type="cases.case", target_id=case_id, action=page)
        raise Http404
    return case


def case_change(client: ApiClient, case_id: UUID, *, page: str) -> Case:
    """The case, if the client may change it (partners never may); else Http404."""
    return case_selectors.case_view(
        user=client.user, case_id=case_id, page=f"api.{page}", change=True
    )


def timeline(client: ApiClient, case: Case) -> QuerySet[TimelineEntry]:
    """The entries the client may read: staff notes never leave the police; a partner reads
    only what its own agency added (the timeline is a record of police work)."""
    if _is_partner(client):
        return sharing_selectors.partner_timeline(user=client.user, case=case)
    return case_selectors.case_timeline(user=client.user, case=case)


def victims(case: Case) -> list[CasePerson]:
    return case_selectors.case_people(case=case, role="victim")


def messages(case: Case) -> QuerySet[ContactLogEntry]:
    return case.contacts.select_related("victim")


def actions(case: Case) -> QuerySet[CaseAction]:
    return case.actions.all()


def link_records(case: Case) -> list[PersonRecord]:
    return case_selectors.case_link_records(case=case)


def link_candidates(client: ApiClient, record: PersonRecord) -> list[link_selectors.Candidate]:
    """Possible matches the client's service account may see, best first."""
    return link_selectors.candidates_for(record=record, user=client.user)


# Which case fields each kind of client is given. A partner's system is given the fields its
# agency's referral shares (vigil.sharing.parts): who is investigating, the case's title and
# the reasons for its outcome are police business and no part ever gives them.
POLICE_CASE_FIELDS = frozenset(
    {
        "id",
        "reference",
        "status",
        "principal_classification",
        "risk_level",
        "opened_at",
        "closed_at",
        "last_activity_at",
        "title",
        "outcome",
        "outcome_reason",
        "officer",
        "team",
        "response_due_at",
        "first_contact_at",
    }
)


def case_fields(client: ApiClient, case: Case) -> frozenset[str]:
    if _is_partner(client):
        return api_case_fields(shared_parts(client.user, case))
    return POLICE_CASE_FIELDS
