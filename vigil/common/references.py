"""References a frightened person can read out over the phone: one generator for every record
that people quote (online reports, cases, phone reports, save-and-return codes).

The alphabet leaves out letters and digits that look or sound alike (0/O, 1/I/L, 2/Z, 5/S,
8/B), and has 23 symbols: a prime, so the weighted check character catches every single wrong
character and every swap of two neighbouring characters.
"""

from __future__ import annotations

import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY347"
BODY_LENGTH = 8


def check_character(body: str) -> str:
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def random_characters(count: int) -> str:
    """`count` characters drawn uniformly and independently from the alphabet: the digits of one
    number drawn uniformly below 23**count (one call to the system's random source, not one
    per character)."""
    number = secrets.randbelow(len(ALPHABET) ** count)
    characters = []
    for _ in range(count):
        number, digit = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[digit])
    return "".join(characters)


def new_reference(prefix: str = "") -> str:
    """e.g. "KRX4-TMPA-7", or "CS-KRX4-TMPA-7" with a prefix naming the kind of record."""
    body = random_characters(BODY_LENGTH)
    raw = body + check_character(body)
    return f"{prefix}{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_reference(value: str, prefix: str = "") -> str:
    """What the person typed, in stored form: case, spaces and hyphens do not matter."""
    raw = "".join(char for char in value.upper() if char.isalnum())
    bare = prefix.replace("-", "")
    if bare and raw.startswith(bare):
        raw = raw[len(bare) :]
    if len(raw) != BODY_LENGTH + 1:
        return prefix + raw
    return f"{prefix}{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def reference_is_well_formed(value: str, prefix: str = "") -> bool:
    raw = normalise_reference(value, prefix).removeprefix(prefix).replace("-", "")
    if len(raw) != BODY_LENGTH + 1 or any(char not in ALPHABET for char in raw):
        return False
    return check_character(raw[:-1]) == raw[-1]
