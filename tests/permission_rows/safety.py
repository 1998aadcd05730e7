"""Safety tools' rows added by issue 16's undo: a victim's own tracking session only (everyone
else is sent to sign in to track a report, as for the other safety pages)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.permission_rows import Arguments, Row, row

ROWS: list[Row] = [
    # POST only (a GET is 405 for everyone); staff have no tracking session, so nothing
    # of a victim's can be put back by them.
    row("safety:diary_undo", "undo_entry", "405 405 405 405 405 405 405 405 405 405 405"),
    row("safety:contact_undo", "undo_contact", "405 405 405 405 405 405 405 405 405 405 405"),
]


def _entry(w: dict[str, Any], side: str) -> dict[str, Any]:
    return {"entry_id": uuid.uuid4()}


def _contact(w: dict[str, Any], side: str) -> dict[str, Any]:
    return {"contact_id": uuid.uuid4()}


ARGUMENTS: dict[str, Arguments] = {"undo_entry": _entry, "undo_contact": _contact}
