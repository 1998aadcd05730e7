"""Which linking records a member of staff may see: through the case or report they came from.

A record's `owner` ("cases.case:<uuid>", "reporting.report:<uuid>") names what it belongs to.
The linking engine knows nothing of cases or reports, so the app that owns each kind of owner
registers its scope here when it starts (`register_owner_scope`): a record is in scope exactly
when its owner is. With nothing registered, nobody sees any record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import CharField, Func, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

OwnerScope = Callable[[Any, str], QuerySet[Any]]
RecordScope = Callable[[Any, str], Q]

# name -> (user, action) -> filter on PersonRecord; a record is visible if any of them lets it.
_record_scopes: dict[str, RecordScope] = {}


def register_record_scope(name: str, scope: RecordScope) -> None:
    _record_scopes[name] = scope


def register_owner_scope(prefix: str, scope: OwnerScope) -> None:
    """Records whose owner is "<prefix>:<pk>" are visible when the pk is in scope(user, action)."""

    def owned(user: Any, action: str) -> Q:
        owners = (
            scope(user, action)
            .annotate(_owner=Concat(Value(f"{prefix}:"), UUIDText("pk"), output_field=CharField()))
            .values("_owner")
        )
        return Q(owner__in=owners)

    register_record_scope(prefix, owned)


class UUIDText(Func):
    """A UUID primary key as text in the form str(uuid) gives, on every database: SQLite keeps
    UUIDs as 32 hex digits, PostgreSQL casts them with the hyphens."""

    output_field = CharField()

    def __init__(self, expression: Any) -> None:
        super().__init__(Cast(expression, CharField()))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        parts = [f"SUBSTR({sql}, {start}, {length})" for start, length in _HEX_GROUPS]
        return " || '-' || ".join(parts), params * len(parts)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])


_HEX_GROUPS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


def record_scope(user: Any, action: str = "view") -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    for record_scope_of in _record_scopes.values():
        allowed = record_scope_of(user, action)
        if not allowed:  # an empty Q lets everything through (and `|` would drop it)
            return Q()
        scope |= allowed
    return scope


class PersonRecordQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = "view") -> PersonRecordQuerySet:
        return self.filter(record_scope(user, action))
