from vigil.common.behaviours import BEHAVIOURS, S2A3_EXAMPLES, s2a3_examples_for


def test_every_statutory_example_is_covered_by_some_behaviour() -> None:
    assert {b.s2a3 for b in BEHAVIOURS if b.s2a3} == set(S2A3_EXAMPLES)


def test_behaviours_map_to_their_statutory_examples() -> None:
    assert s2a3_examples_for(["following", "hacking", "spyware", "threats", "nonsense"]) == {
        "a": ["following"],
        "d": ["hacking", "spyware"],
    }
