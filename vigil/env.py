"""Small, strict helpers to read settings from the environment (healthchecks' style)."""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str, default: str = "") -> list[str]:
    """Addresses or networks, comma-separated ("10.0.0.0/8,192.0.2.1"); a value that is neither
    is a startup error naming the setting, never a proxy silently left untrusted."""
    networks = []
    for value in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(value, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list addresses or networks like 10.0.0.0/8, not {value!r}."
            ) from None
    return networks


def require_trusted_proxies(*, behind_proxy: bool, trusted: list[str]) -> None:
    """Behind a proxy, REMOTE_ADDR is the proxy's: without knowing which proxies to trust,
    every visitor would share one address and one person's wrong tries would lock out all."""
    if behind_proxy and not trusted:
        raise ImproperlyConfigured(
            "VIGIL_BEHIND_PROXY is on but VIGIL_TRUSTED_PROXIES is not set. Set it to the "
            "addresses or networks of your reverse proxies (see docs/operations.md)."
        )


def require_secrets(names: list[str], *, mode: str) -> None:
    """Refuse to start outside development when a secret is missing.

    A production server running on a default key would make every encrypted field and every
    audit hash forgeable, so this must be a loud startup error, not a warning.
    """
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            f"Vigil is running in {mode} mode but these secrets are not set: {', '.join(missing)}. "
            "Set them in the environment (see docs/operations.md), "
            "or set VIGIL_ENV=development on a developer's machine."
        )
