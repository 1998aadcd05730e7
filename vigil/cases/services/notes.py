"""Notes on a case.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import (
    Case,
    CaseNote,
    TimelineKind,
)
from vigil.cases.services.timeline import timeline_add


@write_service
def note_add(*, case: Case, body: str, by: User) -> CaseNote:
    """A private staff note: never shown or sent to the victim or reporter."""
    note = CaseNote.objects.create(case=case, body=body, by=by)
    timeline_add(case=case, kind=TimelineKind.NOTE, title=_("Staff note"), detail=body, actor=by)
    audit_record(action="case.note.add", actor=by, target=case)
    return note
