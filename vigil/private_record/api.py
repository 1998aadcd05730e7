"""What other apps may use of private records. Anything not named here is private to it.

Case management calls `case_suspect_named` when staff add a suspect to a case, so a record
naming them matches the case. The identifiers pass in clear only into this call; only their
keyed hashes are kept.
"""

from __future__ import annotations

from typing import Any

from vigil.private_record.identifiers import canonical_identifiers
from vigil.private_record.models import Match, SourceKind
from vigil.private_record.services import person_named


def case_suspect_named(
    *,
    case_id: Any,
    names: list[str],
    date_of_birth: str = "",
    phones: list[str] | None = None,
    emails: list[str] | None = None,
) -> Match | None:
    identifiers = canonical_identifiers(
        names=names, date_of_birth=date_of_birth, phones=phones or [], emails=emails or []
    )
    return person_named(
        source=SourceKind.CASE, source_id=case_id, identifiers=identifiers, replace=False
    )


__all__ = ["case_suspect_named"]
