"""The court bundle for a Stalking Protection Order application, as a PDF (WeasyPrint).

For the magistrates' court: the course of conduct across every protected case, each incident
with its date and the SHA-256 of its evidence, the risk history, and the proposed conditions
with their reasons. It names no victim's contact details.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.cases.models import Evidence, Incident, TimelineEntry, TimelineKind
from vigil.offenders.models import StalkingProtectionOrder


def court_bundle_pdf(*, order: StalkingProtectionOrder, by: User) -> bytes:
    cases = list(order.protected_cases.all())
    incidents = list(
        Incident.objects.filter(case__in=cases).select_related("case").order_by("occurred_at")
    )
    evidence = list(
        Evidence.objects.filter(case__in=cases).select_related("file").order_by("created_at")
    )
    by_incident: dict[object, list[Evidence]] = {}
    for item in evidence:
        by_incident.setdefault(item.incident_id, []).append(item)
    for incident in incidents:
        incident.hashes = [e.sha256 for e in by_incident.get(incident.pk, [])]  # type: ignore[attr-defined]
    html = render_to_string(
        "offenders/bundle_pdf.html",
        {
            "order": order,
            "offender": order.offender,
            "cases": cases,
            "incidents": incidents,
            "evidence": evidence,
            "risk_history": TimelineEntry.objects.filter(case__in=cases, kind=TimelineKind.RISK)
            .select_related("case")
            .order_by("occurred_at"),
            "conditions": order.conditions.filter(ended_on=None),
            "generated_at": timezone.now(),
            "generated_by": by,
        },
    )
    audit_record(action="offenders.order.bundle", actor=by, target=order)
    # Imported here: WeasyPrint is slow to import and only this page needs it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
