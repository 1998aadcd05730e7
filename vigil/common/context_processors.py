from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext


def service(request: HttpRequest) -> dict[str, Any]:
    """The force's name, colours and links, used by both layouts."""
    return {
        "force_name": settings.VIGIL_FORCE_NAME,
        "service_name": gettext(settings.VIGIL_SERVICE_NAME),
        "brand_colour": settings.VIGIL_BRAND_COLOUR,
        "feedback_url": settings.VIGIL_FEEDBACK_URL,
    }
