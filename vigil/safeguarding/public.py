"""What other apps may call in safeguarding (partner view, API, insights)."""

from __future__ import annotations

from vigil.accounts.models import Agency, User
from vigil.cases.models import Case
from vigil.safeguarding.models import MeasureStatus, SafetyMeasure
from vigil.safeguarding.plans import SafeguardingError, has_current_plan
from vigil.safeguarding.plans import safety_measure_add as _add

__all__ = ["MeasureStatus", "SafeguardingError", "has_current_plan", "safety_measure_add"]


def safety_measure_add(
    *,
    case: Case,
    status: str,
    by: User,
    measure_code: str = "",
    title: str = "",
    owner_agency: Agency | None = None,
    owner_user: User | None = None,
    source_agency: Agency | None = None,
    detail: str = "",
) -> SafetyMeasure:
    """Add a measure to the case's safety plan; it appears on the police timeline, marked with
    `source_agency` when a partner added it. The caller has checked `by` may add to this case.
    Raises SafeguardingError with a message a user can read."""
    return _add.as_step(
        case=case,
        by=by,
        measure_code=measure_code,
        title=title,
        detail=detail,
        owner_user=owner_user,
        owner_agency=owner_agency,
        status=status,
        source_agency=source_agency,
    )
