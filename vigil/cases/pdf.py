"""The case file as a PDF (WeasyPrint), for a file review, the CPS or a court."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.cases.models import Case, PersonRole, TimelineKind


def case_file_pdf(*, case: Case, by: User) -> bytes:
    people = list(case.people.all())
    timeline = list(case.timeline.select_related("actor").order_by("occurred_at", "created_at"))
    html = render_to_string(
        "cases/case_file_pdf.html",
        {
            "case": case,
            "victims": [p for p in people if p.role == PersonRole.VICTIM],
            "suspects": [p for p in people if p.role == PersonRole.SUSPECT],
            "included": list(case.included.all()),
            "incidents": list(case.incidents.all()),
            "timeline": timeline,
            "risk_history": [e for e in timeline if e.kind == TimelineKind.RISK],
            "actions": list(case.actions.select_related("owner")),
            "evidence": list(case.evidence.select_related("added_by", "file")),
            "generated_at": timezone.now(),
            "generated_by": by,
        },
    )
    audit_record(action="case.file_pdf", actor=by, target=case)
    # Imported here: WeasyPrint is slow to import and only this page needs it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
