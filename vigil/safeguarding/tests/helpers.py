from __future__ import annotations

from vigil.accounts.models import Agency, User
from vigil.cases.models import Case
from vigil.safeguarding.models import SafetyMeasure
from vigil.safeguarding.plans import safety_measure_add


def partner_agency(name: str = "Safe Steps Advocacy") -> Agency:
    agency, _made = Agency.objects.get_or_create(name=name, defaults={"kind": Agency.Kind.PARTNER})
    return agency


def add_alarm(case: Case, by: User, **more: object) -> SafetyMeasure:
    return safety_measure_add(
        case=case, by=by, measure_code="alarm", owner_user=by, status="in_place", **more
    )  # type: ignore[arg-type]
