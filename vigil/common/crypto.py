"""Field encryption and blind indexes.

Personal data is encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`).
Each ciphertext starts with the id of the key that made it, so keys can be rotated: new values use
the first key in VIGIL_FIELD_KEYS, old values stay readable while their key is still listed, and
`manage.py rotate_keys` (vigil.operations) re-encrypts every stored value and file with the first
key. Exact-match search on encrypted values uses a blind index: a keyed HMAC of the normalised
value, which reveals nothing without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEPARATOR = "$"


class DecryptionError(Exception):
    """The stored value cannot be read with any configured key."""


@cache
def _keys(raw: str) -> tuple[tuple[str, Fernet], ...]:
    return tuple((key_id, Fernet(base64.urlsafe_b64encode(key))) for key_id, key in _raw_keys(raw))


@cache
def _raw_keys(raw: str) -> tuple[tuple[str, bytes], ...]:
    keys: list[tuple[str, bytes]] = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, key = item.partition("=")
        if not sep or not key_id or SEPARATOR in key_id:
            raise ImproperlyConfigured(
                "VIGIL_FIELD_KEYS must be a comma-separated list of key_id=fernet_key."
            )
        try:
            Fernet(key.encode())  # refuses a key of the wrong shape
            keys.append((key_id, base64.urlsafe_b64decode(key.encode())))
        except ValueError:
            raise ImproperlyConfigured(
                f"Field encryption key {key_id!r} is not a valid Fernet key."
            ) from None
    if not keys:
        raise ImproperlyConfigured("VIGIL_FIELD_KEYS has no keys.")
    return tuple(keys)


def field_keys() -> tuple[tuple[str, Fernet], ...]:
    return _keys(settings.FIELD_ENCRYPTION_KEYS)


def field_key_material() -> tuple[tuple[str, bytes], ...]:
    """The same keys as field_keys(), as their 32 raw bytes: stored files are sealed in chunks
    (vigil.common.sealed_stream) with keys derived from these, so one key list rotates both."""
    return _raw_keys(settings.FIELD_ENCRYPTION_KEYS)


def encrypt_bytes(data: bytes) -> bytes:
    key_id, fernet = field_keys()[0]
    return key_id.encode() + SEPARATOR.encode() + fernet.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    key_id, sep, body = token.partition(SEPARATOR.encode())
    if not sep:
        raise DecryptionError("Value has no key id.")
    for candidate_id, fernet in field_keys():
        if candidate_id.encode() == key_id:
            try:
                return fernet.decrypt(body)
            except InvalidToken:
                raise DecryptionError(f"Value does not verify with key {candidate_id!r}.") from None
    raise DecryptionError(f"Key {key_id.decode(errors='replace')!r} is not configured.")


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def key_id_of(token: str) -> str:
    return token.partition(SEPARATOR)[0]


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact-match lookup; `purpose` keeps e.g. phone and email indexes apart."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()
