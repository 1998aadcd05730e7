"""References and tracking secrets that a frightened person can read out over the phone.

The alphabet leaves out letters and digits that look or sound alike (0/O, 1/I/L, 2/Z, 5/S,
8/B), and has 23 symbols: a prime, so the weighted check character below catches every single
wrong character and every swap of two neighbouring characters.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ACDEFGHJKMNPQRTUVWXY347"
REFERENCE_BODY_LENGTH = 8
SECRET_LENGTH = 16
SECRET_HASH_PREFIX = "hmac_sha256"  # noqa: S105 - a label, not a password


def _check_character(body: str) -> str:
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def _random_characters(count: int) -> str:
    """`count` characters drawn uniformly and independently from the alphabet: the digits of one
    number drawn uniformly below 23**count (one call to the system's random source, not one
    per character)."""
    number = secrets.randbelow(len(ALPHABET) ** count)
    characters = []
    for _ in range(count):
        number, digit = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[digit])
    return "".join(characters)


def new_reference() -> str:
    """e.g. "KRX4-TMPA-7" (shown with hyphens, stored the same way)."""
    body = _random_characters(REFERENCE_BODY_LENGTH)
    raw = body + _check_character(body)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_reference(value: str) -> str:
    """What the person typed, in stored form: case, spaces and hyphens do not matter."""
    raw = "".join(char for char in value.upper() if char.isalnum())
    if len(raw) != REFERENCE_BODY_LENGTH + 1:
        return raw
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def reference_is_well_formed(value: str) -> bool:
    raw = normalise_reference(value).replace("-", "")
    if len(raw) != REFERENCE_BODY_LENGTH + 1 or any(char not in ALPHABET for char in raw):
        return False
    return _check_character(raw[:-1]) == raw[-1]


def new_tracking_secret() -> str:
    """Sixteen characters (about 72 bits), shown once in four groups: "ACDE-FGHJ-KMNP-QRTU"."""
    raw = _random_characters(SECRET_LENGTH)
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
