"""The keys of a private record.

Every key here comes from VIGIL_PRIVATE_RECORD_KEY (the server-held secret) and something only
the right person has: the holder's secret code, or one identifier of the person they named.
- token(identifier): the keyed hash stored for lookup (HMAC-SHA256, purpose "match").
- identifier_key(identifier): the key that wraps the record's key (HMAC-SHA256, purpose "wrap"):
  whoever derives it again holds the same identifier.
- holder_key(secret, salt): wraps the record's key for the holder, so they can come back.
The record's own key is random (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`) and
never stored unwrapped. Callisto derives per-identifier keys with an oblivious PRF so that even
the server does not see the identifier; here the server sees it while deriving, and the rate
limits (services.py) stand between a guesser and the derivation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SealBroken(Exception):
    """The key given does not open this record."""


def _derive(purpose: str, value: str) -> bytes:
    message = f"vigil.private_record.{purpose}\x00{value}".encode()
    return hmac.new(settings.PRIVATE_RECORD_KEY.encode(), message, hashlib.sha256).digest()


def token(identifier: str) -> str:
    return _derive("match", identifier).hex()


def _fernet(raw: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(raw))


def identifier_key(identifier: str) -> Fernet:
    return _fernet(_derive("wrap", identifier))


def _normalise_secret(secret: str) -> str:
    # As the sign-in reads it: case, spaces and hyphens do not matter.
    return "".join(char for char in secret.upper() if char.isalnum())


def holder_key(secret: str, salt: str) -> Fernet:
    return _fernet(_derive("holder", f"{salt}\x00{_normalise_secret(secret)}"))


def new_record_key() -> bytes:
    return Fernet.generate_key()


def wrap(record_key: bytes, *, under: Fernet) -> str:
    return under.encrypt(record_key).decode("ascii")


def unwrap(wrapped: str, *, under: Fernet) -> bytes:
    try:
        return under.decrypt(wrapped.encode("ascii"))
    except (InvalidToken, ValueError):
        raise SealBroken from None


def seal(record_key: bytes, content: dict[str, Any]) -> str:
    return Fernet(record_key).encrypt(json.dumps(content, sort_keys=True).encode()).decode()


def unseal(record_key: bytes, sealed: str) -> dict[str, Any]:
    try:
        content: dict[str, Any] = json.loads(Fernet(record_key).decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        raise SealBroken from None
    return content


def session_key() -> Fernet:
    """Wraps a record's key while its holder is signed in: held in the session row, it opens
    nothing without the private-record key (the field keys alone are not enough)."""
    return _fernet(_derive("session", "signed-in holder"))
