from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from vigil.cases.markers import case_panels, markers_for

register = template.Library()


@register.simple_tag(takes_context=True)
def case_markers(context: Any, case: Any) -> str:
    """The warning markers and panels other apps give this case (see cases/markers.py)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    markers = markers_for(user, [case]).get(case.pk, [])
    panels = case_panels(user, case)
    if not markers and not panels:
        return ""
    return render_to_string(
        "cases/_markers.html",
        {"markers": markers, "panels": panels, "case": case, "user": user},
        request=request,
    )
