from __future__ import annotations

import itertools
from typing import Any

from vigil.linking.models import PersonRecord
from vigil.linking.services import person_record_upsert

_numbers = itertools.count(1)


def add_record(*, victim: str = "", by: Any = None, **details: Any) -> PersonRecord:
    """A suspect in a report of its own, for the given victim."""
    n = next(_numbers)
    details.setdefault("source", f"test.report:{n}#suspect-0")
    details.setdefault("owner", f"test.report:{n}")
    details.setdefault("label", f"Suspect in report {n}")
    return person_record_upsert(victim_key=victim, by=by, **details)
