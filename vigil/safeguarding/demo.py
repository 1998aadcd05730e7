"""Demo safety plans and a MARAC, made through the real services (idempotent): half the
high-risk demo cases get a plan, so the coordinator's panel shows the other half."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import Agency, Role, User
from vigil.cases.models import Case, CaseStatus, RiskLevel
from vigil.safeguarding import meetings
from vigil.safeguarding.models import Meeting, MeetingKind, SafetyPlan
from vigil.safeguarding.plans import safety_measure_add


def load_demo_safeguarding() -> str:
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).first()
    partner = Agency.objects.filter(kind=Agency.Kind.PARTNER).order_by("name").first()
    high = list(
        Case.objects.filter(
            risk_level=RiskLevel.HIGH, status=CaseStatus.OPEN, officer__isnull=False
        ).order_by("reference")
    )
    plans = 0
    for case in high[::2]:
        if SafetyPlan.objects.filter(case=case).exists() or case.officer is None:
            continue
        safety_measure_add(
            case=case,
            by=case.officer,
            measure_code="alarm",
            owner_user=case.officer,
            status="in_place",
        )
        if partner is not None:
            safety_measure_add(
                case=case,
                by=case.officer,
                measure_code="tech_safety_check",
                owner_agency=partner,
                status="planned",
            )
        plans += 1
    if coordinator is not None and not Meeting.objects.exists():
        meeting = meetings.meeting_create(
            kind=MeetingKind.MARAC,
            held_on=timezone.localdate() + datetime.timedelta(days=7),
            place="Town hall, room 4",
            by=coordinator,
        )
        for case in high[:2]:
            meetings.meeting_case_add(
                meeting=meeting, case=case, reason="judgement", note="", by=coordinator
            )
    return f"Demo safeguarding ready: {plans} new safety plans."
