"""Tracking secrets that a frightened person can read out over the phone, in the same alphabet
as every reference (vigil/common/references.py)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

# A report's reference is the common kind, with no prefix.
from vigil.common.references import (  # noqa: F401 - re-exported for the report's callers
    ALPHABET,
    new_reference,
    normalise_reference,
    random_characters,
    reference_is_well_formed,
)

SECRET_LENGTH = 16
SECRET_HASH_PREFIX = "hmac_sha256"  # noqa: S105 - a label, not a password


def new_tracking_secret() -> str:
    """Sixteen characters (about 72 bits), shown once in four groups: "ACDE-FGHJ-KMNP-QRTU"."""
    raw = random_characters(SECRET_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, SECRET_LENGTH, 4))


def _normalise_secret(value: str) -> str:
    return "".join(char for char in value.upper() if char.isalnum())


def _digest(secret: str, salt: str) -> str:
    message = f"{salt}\x00{_normalise_secret(secret)}".encode()
    key = f"report-tracking-secret\x00{settings.BLIND_INDEX_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def hash_tracking_secret(secret: str) -> str:
    """A salted, keyed hash. The secret is random and long, so a slow password hash would add
    cost on every report without adding safety; the key means a copy of the database alone
    cannot even test a guess."""
    salt = secrets.token_hex(16)
    return f"{SECRET_HASH_PREFIX}${salt}${_digest(secret, salt)}"


def check_tracking_secret(secret: str, encoded: str) -> bool:
    """Constant-time check. Always does the same work, whatever `encoded` holds."""
    prefix, _, rest = encoded.partition("$")
    salt, _, expected = rest.partition("$")
    actual = _digest(secret, salt)
    return hmac.compare_digest(actual, expected) and prefix == SECRET_HASH_PREFIX


# Checked against when the reference is unknown, so that case costs what a wrong secret costs.
DUMMY_SECRET_HASH = f"{SECRET_HASH_PREFIX}${'0' * 32}${'0' * 64}"
