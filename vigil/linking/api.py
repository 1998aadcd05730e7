"""What other apps may use of the linking engine. Anything not named here is private to it."""

from __future__ import annotations

from django.db.models import QuerySet

from vigil.linking.models import PersonRecord
from vigil.linking.querysets import record_scope, register_owner_scope

__all__ = ["record_scope", "records_owned_by", "register_owner_scope"]


def records_owned_by(owners: list[str]) -> QuerySet[PersonRecord]:
    """The linking records that belong to these owners ("cases.case:<uuid>", ...): for records
    management, which erases them with the case or report they came from."""
    return PersonRecord.objects.filter(owner__in=owners)
