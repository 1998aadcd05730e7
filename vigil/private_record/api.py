"""What other apps may use of private records. Anything not named here is private to it.

Case management calls `case_names` when a case's suspects change, so a record naming one of them
matches the case. It passes identifiers in clear only into this call; nothing keeps them.
"""

from __future__ import annotations

from typing import Any

from vigil.private_record.identifiers import canonical_identifiers
from vigil.private_record.models import Match, SourceKind
from vigil.private_record.services import person_named


def case_names(*, case_id: Any, suspects: list[dict[str, Any]]) -> Match | None:
    """`suspects`: [{"names": [str], "date_of_birth": str, "phones": [str], "emails": [str],
    "social": [str | {"platform", "handle"}], "vehicles": [str]}]."""
    identifiers: set[str] = set()
    for suspect in suspects:
        identifiers |= canonical_identifiers(
            names=suspect.get("names", []),
            date_of_birth=str(suspect.get("date_of_birth") or ""),
            phones=suspect.get("phones", []),
            emails=suspect.get("emails", []),
            social=suspect.get("social", []),
            vehicles=suspect.get("vehicles", []),
        )
    return person_named(source=SourceKind.CASE, source_id=case_id, identifiers=identifiers)


__all__ = ["case_names"]
