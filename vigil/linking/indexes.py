"""Keyed hashes of identifiers: blind indexes for exact lookup, blocking keys for candidates.

The hashes are HMAC-SHA256 under a secret key, so the table of keys reveals nothing to someone
who has the database but not the key. Keys can rotate: `LINKING_INDEX_KEYS` lists
"key_id=secret" pairs, newest first. With none listed, the service's own blind-index key is used
(through `vigil.common.crypto.blind_index`) under the id "base". While records made with an
older key remain, lookups hash with every listed key, so nothing is missed;
`manage.py linking_reindex` re-hashes old records from their encrypted attributes, after which
the old key can be removed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vigil.common.crypto import blind_index
from vigil.linking import normalise

BASE_KEY_ID = "base"


@cache
def _parse_keys(raw: str) -> tuple[tuple[str, str], ...]:
    keys: list[tuple[str, str]] = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, secret = item.partition("=")
        if not sep or not key_id or not secret:
            raise ImproperlyConfigured("LINKING_INDEX_KEYS must be key_id=secret pairs.")
        keys.append((key_id, secret))
    return tuple(keys)


def index_keys() -> tuple[tuple[str, str | None], ...]:
    """(key_id, secret) newest first; a secret of None means the service's blind-index key."""
    configured = _parse_keys(getattr(settings, "LINKING_INDEX_KEYS", ""))
    return configured or ((BASE_KEY_ID, None),)


def current_key_id() -> str:
    return index_keys()[0][0]


def digest(value: str, *, purpose: str, key_id: str | None = None) -> str:
    key_id = key_id or current_key_id()
    keys = dict(index_keys())
    if key_id not in keys:
        raise ImproperlyConfigured(f"Blind-index key {key_id!r} is not configured.")
    secret = keys[key_id]
    if secret is None:
        return blind_index(value, purpose=purpose)
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def victim_digest(victim_key: str) -> str:
    """Victims are counted, never identified: the linking tables hold only this hash."""
    return blind_index(victim_key, purpose="linking.victim") if victim_key else ""


def _pair(a: str | None, b: str | None) -> str | None:
    return "|".join(sorted((a, b))) if a and b else None


def key_values(attributes: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (kind, value) a record can be found by.

    Exact identifiers (phone, email, social account, vehicle) are keys on their own. Names are
    common, so they are combined with a date of birth or a postcode district; the given name
    and surname are put in sorted order so that swapped names still meet; sound-alike codes
    catch spelling slips. A name alone is a key too, because reports often know nothing else.
    """
    values: set[tuple[str, str]] = set()
    for kind in ("phones", "emails", "socials", "vehicles"):
        for item in attributes.get(kind) or []:
            values.add((kind, item))
    dob = attributes.get("dob")
    districts = {normalise.postcode_district(p) for p in attributes.get("postcodes") or []}
    formal = normalise.nicknames()
    for name in attributes.get("names") or []:
        given, surname = name.get("given"), name.get("surname")
        # Sorted, and with nicknames resolved in either place, so "Smith Bill" meets
        # "William Smith"; only the lookup is loosened, the score still judges the pair.
        exact = _pair(given, formal.get(surname or "", surname))
        sounds = _pair(normalise.phonetic(given), normalise.phonetic(surname))
        if exact:
            values.add(("name", exact))
        if dob:
            if exact:
                values.add(("name_dob", f"{exact}|{dob}"))
            if sounds:
                values.add(("sounds_dob", f"{sounds}|{dob}"))
            if surname:
                values.add(("surname_dob", f"{surname}|{dob}"))
        for district in districts:
            if sounds and district:
                values.add(("sounds_district", f"{sounds}|{district}"))
    if dob:
        for postcode in attributes.get("postcodes") or []:
            values.add(("dob_postcode", f"{dob}|{postcode}"))
    return values


def digests(attributes: dict[str, Any], *, key_ids: Iterable[str] | None = None) -> set[str]:
    ids = list(key_ids) if key_ids is not None else [current_key_id()]
    return {
        digest(value, purpose=f"linking.{kind}", key_id=key_id)
        for kind, value in key_values(attributes)
        for key_id in ids
    }
