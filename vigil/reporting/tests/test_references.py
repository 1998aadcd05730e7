from __future__ import annotations

from vigil.reporting.references import (
    ALPHABET,
    check_tracking_secret,
    hash_tracking_secret,
    new_reference,
    new_tracking_secret,
    reference_is_well_formed,
)


def test_references_use_no_characters_that_look_alike() -> None:
    for _ in range(200):
        reference = new_reference()
        assert not set(reference.replace("-", "")) & set("0O1IL2Z5S8B")
        assert reference_is_well_formed(reference)


def test_the_check_character_catches_every_single_wrong_character() -> None:
    raw = new_reference().replace("-", "")
    for position in range(len(raw)):
        for char in ALPHABET:
            if char != raw[position]:
                typo = raw[:position] + char + raw[position + 1 :]
                assert not reference_is_well_formed(typo)


def test_the_check_character_catches_swapped_neighbours() -> None:
    raw = new_reference().replace("-", "")
    for position in range(len(raw) - 1):
        if raw[position] != raw[position + 1]:
            swapped = raw[:position] + raw[position + 1] + raw[position] + raw[position + 2 :]
            assert not reference_is_well_formed(swapped)


def test_a_secret_matches_only_its_own_hash() -> None:
    secret = new_tracking_secret()
    encoded = hash_tracking_secret(secret)
    assert secret not in encoded
    assert check_tracking_secret(secret, encoded)
    assert check_tracking_secret(secret.lower().replace("-", " "), encoded)
    assert not check_tracking_secret(new_tracking_secret(), encoded)
    assert hash_tracking_secret(secret) != encoded  # salted


def test_every_character_is_used_in_every_position() -> None:
    """The characters come from the digits of one random number: each position must still
    range over the whole alphabet (a wrong base or digit order would leave some out)."""
    seen: list[set[str]] = [set() for _ in range(16)]
    for _ in range(600):
        for position, char in enumerate(new_tracking_secret().replace("-", "")):
            seen[position].add(char)
    assert all(chars == set(ALPHABET) for chars in seen)
