"""The diary as a PDF (WeasyPrint), with each file's SHA-256, for the victim to keep or give
to the police or a court."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from vigil.audit.services import audit_record
from vigil.reporting.models import Report
from vigil.safety.selectors import diary_list


def diary_pdf(*, report: Report) -> bytes:
    entries = list(diary_list(report=report).order_by("occurred_at"))
    html = render_to_string(
        "safety/diary_pdf.html",
        {"report": report, "entries": entries, "generated_at": timezone.now()},
    )
    audit_record(action="safety.diary.export", target=report, summary={"entries": len(entries)})
    # Imported here: WeasyPrint is slow to import and only this page needs it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
