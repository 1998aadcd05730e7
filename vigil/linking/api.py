"""What other apps may use of the linking engine. Anything not named here is private to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from vigil.linking.models import Person, PersonRecord
from vigil.linking.querysets import record_scope, register_owner_scope
from vigil.linking.selectors import Candidate, candidates_for
from vigil.linking.services import person_record_upsert, record_attributes

__all__ = [
    "Candidate",
    "Person",
    "PersonRecord",
    "candidates_for_mention",
    "person_record_upsert",
    "record_scope",
    "records_owned_by",
    "register_owner_scope",
]


def records_owned_by(owners: list[str]) -> QuerySet[PersonRecord]:
    """The linking records that belong to these owners ("cases.case:<uuid>", ...): for records
    management, which erases them with the case or report they came from."""
    return PersonRecord.objects.filter(owner__in=owners)


def candidates_for_mention(
    *,
    user: Any,
    names: Sequence[str] = (),
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    social_accounts: Sequence[str | Mapping[str, str]] = (),
    vehicles: Sequence[str] = (),
    addresses: Sequence[str] = (),
    limit: int = 10,
) -> list[Candidate]:
    """Records this user may see that may be the person described, before any record of the
    description is kept (a report at triage): nothing is written, the scoring is the engine's."""
    mention = PersonRecord(  # type: ignore[misc]
        source="",
        owner="",
        attributes=record_attributes(
            names=names,
            phones=phones,
            emails=emails,
            social_accounts=social_accounts,
            vehicles=vehicles,
            addresses=addresses,
        ),
    )
    return candidates_for(record=mention, user=user, limit=limit)
