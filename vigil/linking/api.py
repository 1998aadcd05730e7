"""What other apps may use of the linking engine. Anything not named here is private to it."""

from __future__ import annotations

from vigil.linking.models import Person, PersonRecord
from vigil.linking.querysets import record_scope, register_owner_scope
from vigil.linking.services import person_record_upsert

__all__ = [
    "Person",
    "PersonRecord",
    "person_record_upsert",
    "record_scope",
    "register_owner_scope",
]
