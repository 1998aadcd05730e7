"""Every scope decision the API makes, in one place.

The API decides nothing about who may see what: each function hands the client's service
account to the selector the staff pages use. When the apps move to
`Model.objects.visible_to(user, action)`, these few functions are what changes.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from vigil.api.models import ApiClient, ClientKind
from vigil.cases import selectors as case_selectors
from vigil.cases.models import Case, CaseAction, CasePerson, ContactLogEntry, TimelineEntry
from vigil.linking import selectors as link_selectors
from vigil.linking.models import PersonRecord


def cases(client: ApiClient) -> QuerySet[Case]:
    """The cases the client may read (a partner: those shared with its agency)."""
    return case_selectors.case_queryset(user=client.user)


def case_read(client: ApiClient, case_id: UUID, *, page: str) -> Case:
    """The case, its read written to the audit log; Http404 when out of scope."""
    return case_selectors.case_view(user=client.user, case_id=case_id, page=f"api.{page}")


def case_change(client: ApiClient, case_id: UUID, *, page: str) -> Case:
    """The case, if the client may change it (partners never may); else Http404."""
    return case_selectors.case_view(
        user=client.user, case_id=case_id, page=f"api.{page}", change=True
    )


def timeline(client: ApiClient, case: Case) -> QuerySet[TimelineEntry]:
    """The entries the client may read: staff notes never leave the police."""
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


# Which case fields each kind of client is given. A case shared with a partner agency is shared
# for the victim's support, with the victim's consent; who is investigating, the case's title
# and the reasons for its outcome are police business and stay out of the partner's system.
# CaseShare has no per-field choices yet: when it has, this is what reads them.
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
PARTNER_CASE_FIELDS = frozenset(
    {
        "id",
        "reference",
        "status",
        "principal_classification",
        "risk_level",
        "opened_at",
        "closed_at",
        "last_activity_at",
        "outcome",
    }
)


def case_fields(client: ApiClient) -> frozenset[str]:
    if client.kind == ClientKind.PARTNER_SYSTEM:
        return PARTNER_CASE_FIELDS
    return POLICE_CASE_FIELDS
