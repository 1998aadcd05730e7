"""Small, strict helpers to read settings from the environment (healthchecks' style)."""

from __future__ import annotations

import base64
import binascii
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


# How long each secret must be: Django's own deployment check asks 50 characters of a
# SECRET_KEY; the HMAC keys need at least 32 (256 bits if random). A field key is a Fernet key.
SECRET_MIN_LENGTH = {"VIGIL_SECRET_KEY": 50}
DEFAULT_SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT_CHARACTERS = 8
FERNET_KEY_BYTES = 32


def _field_keys_problem(name: str, raw: str, development: str) -> str:
    dev_keys = {item.partition("=")[2].strip() for item in development.split(",")}
    for item in (item.strip() for item in raw.split(",")):
        key_id, sep, key = item.partition("=")
        if not sep or not key_id.strip() or not key.strip():
            return f"{name} must be a comma-separated list of key_id=fernet_key"
        if key.strip() in dev_keys:
            return f"{name} uses the public development key {key_id.strip()!r}"
        try:
            decoded = base64.urlsafe_b64decode(key.strip().encode())
        except (binascii.Error, ValueError):
            decoded = b""
        if len(decoded) != FERNET_KEY_BYTES:
            return (
                f"{name}: key {key_id.strip()!r} is not a Fernet key (make one with "
                '`python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`)'
            )
    return ""


def _secret_problem(name: str, value: str, development: str) -> str:
    """What is wrong with one secret, or "" when it will do."""
    if name == "VIGIL_FIELD_KEYS":
        return _field_keys_problem(name, value, development)
    if development and value == development:
        return f"{name} is the public development value"
    shortest = SECRET_MIN_LENGTH.get(name, DEFAULT_SECRET_MIN_LENGTH)
    if len(value) < shortest:
        return f"{name} is too short: it needs at least {shortest} characters"
    if len(set(value)) < SECRET_MIN_DISTINCT_CHARACTERS:
        return f"{name} is too simple: use a long random value"
    return ""


def require_secrets(
    names: list[str], *, mode: str, development_values: dict[str, str] | None = None
) -> None:
    """Refuse to start outside development when a secret is missing, short, or one of the
    development values printed in this repository.

    A production server running on a default or guessable key would make every encrypted field
    and every audit hash forgeable, so this must be a loud startup error, not a warning.
    """
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            f"Vigil is running in {mode} mode but these secrets are not set: {', '.join(missing)}. "
            "Set them in the environment (see docs/operations.md), "
            "or set VIGIL_ENV=development on a developer's machine."
        )
    development_values = development_values or {}
    problems = [
        problem
        for name in names
        if (problem := _secret_problem(name, os.environ[name], development_values.get(name, "")))
    ]
    if problems:
        raise ImproperlyConfigured(
            f"Vigil is running in {mode} mode but these secrets will not do: "
            f"{'; '.join(problems)}. Generate new ones (see docs/operations.md)."
        )
