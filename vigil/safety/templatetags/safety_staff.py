"""For the officer's case page: safety alerts from the victim, newest first."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.safety.selectors import alerts_for_case

register = template.Library()


@register.inclusion_tag("safety/_case_alerts.html")
def safety_alerts(case: Any) -> dict[str, Any]:
    """The case page has already checked that the officer may see this case."""
    return {"alerts": list(alerts_for_case(case=case)[:5])}
