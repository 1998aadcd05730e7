from __future__ import annotations

from vigil.common.references import (
    ALPHABET,
    new_reference,
    normalise_reference,
    reference_is_well_formed,
)


def test_a_prefixed_reference_checks_and_normalises_like_a_bare_one() -> None:
    reference = new_reference("CS-")
    body = reference.removeprefix("CS-")
    assert all(char in ALPHABET for char in body.replace("-", ""))
    assert reference_is_well_formed(reference, "CS-")
    assert normalise_reference(f" cs {body.lower().replace('-', '')} ", "CS-") == reference
    # One wrong character is caught by the check character.
    wrong = body[0] + ("A" if body[1] != "A" else "C") + body[2:]
    assert not reference_is_well_formed("CS-" + wrong, "CS-")


def test_an_old_reference_of_another_length_is_kept_as_typed() -> None:
    assert normalise_reference("cs-abcd2345", "CS-") == "CS-ABCD2345"
