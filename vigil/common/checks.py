"""System checks for settings whose mistakes would not show until someone is harmed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register("security", deploy=False)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Behind a proxy without knowing which proxy to trust, every visitor has the proxy's
    address: one person's wrong tries would lock out everyone (docs/operations.md)."""
    if not settings.VIGIL_BEHIND_PROXY or settings.VIGIL_TRUSTED_PROXIES:
        return []
    level = Error if settings.IS_PRODUCTION else Warning
    return [
        level(
            "VIGIL_BEHIND_PROXY is on but VIGIL_TRUSTED_PROXIES is empty.",
            hint="Set VIGIL_TRUSTED_PROXIES to the addresses or networks of your reverse "
            "proxies, e.g. 10.0.0.0/8 (see docs/operations.md).",
            id="vigil.E001" if settings.IS_PRODUCTION else "vigil.W001",
        )
    ]
