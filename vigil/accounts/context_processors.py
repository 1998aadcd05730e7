from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from vigil.accounts.roles import STAFF_NAVIGATION


def staff(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    items = []
    for item in STAFF_NAVIGATION:
        if not item.shown_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/staff/" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "active": active})
    return {
        "staff_navigation": items,
        "idle_timeout_seconds": settings.STAFF_IDLE_TIMEOUT_MINUTES * 60,
        "idle_warning_seconds": settings.STAFF_IDLE_WARNING_MINUTES * 60,
    }
