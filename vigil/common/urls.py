from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args: object) -> str:
    """A full link for an email sent outside a request, e.g. to a coordinator."""
    return settings.VIGIL_BASE_URL.rstrip("/") + reverse(viewname, args=args)
