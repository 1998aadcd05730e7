"""The Splink (Fellegi-Sunter) model for bulk linking: what is compared, how pairs are blocked,
and how the model is trained on the input itself.

The model is built from the columns the input has: a column that is missing, or empty in every
row, takes no part, neither in the comparisons nor in the blocking rules. Blocking rules overlap
so that a typo in any one field still leaves the pair blocked by another rule.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

LinkType = Literal["dedupe_only", "link_only"]

# The comparison columns the engine builds, and the input columns each needs.
FEATURES: dict[str, tuple[str, ...]] = {
    "given": ("given_name",),
    "given_meta": ("given_name",),
    "surname": ("surname",),
    "surname_meta": ("surname",),
    "dob": ("date_of_birth",),
    "postcode": ("postcode",),
    "street": ("address_1",),
    "address": ("address_1", "street_number"),
    "town": ("town",),
    "premises": ("address_2",),
    "phone": ("phone",),
    "email": ("email",),
}
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "splink_model.json"
# Below this many records EM has too few pairs to learn from; the shipped parameters are used.
MIN_RECORDS_TO_TRAIN = 2000
# Pairs are scored down to this probability; the threshold is then chosen among them.
FLOOR_PROBABILITY = 0.001

# Blocking rules, each a list of column expressions that must be equal. Every field appears in
# some rules and is absent from others, so one wrong field never loses a pair on its own.
BLOCKING: list[tuple[str, ...]] = [
    ("dob", "substr(given, 1, 1)"),
    ("given_meta", "surname_meta"),
    ("postcode",),
    ("surname", "street"),
    ("street", "town", "substr(given, 1, 1)"),
    # For records whose names were both mistyped or replaced:
    ("dob", "town"),
    ("dob", "substr(surname, 1, 1)"),
    ("premises", "town"),
    ("phone",),
    ("email",),
]
# Expectation maximisation, round by round: pairs blocked on date of birth teach the model about
# names, addresses, phones and emails; pairs blocked on postcode teach it about dates of birth
# and names. (Blocking the second round on sound-alike names taught it badly: many different
# people share a common name, and EM took too many of them for matches, m(dob differs) 0.29.)
EM_ROUNDS: list[tuple[str, ...]] = [("dob",), ("postcode",)]
EM_RECORDS = 300_000

# Rules near-certain to be matches, for the first estimate of the prior.
DETERMINISTIC: list[tuple[str, ...]] = [
    ("given", "surname", "dob"),
    ("email",),
    ("phone",),
    ("given", "surname", "postcode"),
]


def _columns_of(rule: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for part in rule:
        bare = part.removeprefix("substr(").split(",")[0].strip(") ")
        names.add(bare)
    return names


def rules_for(rules: Iterable[Sequence[str]], available: set[str]) -> list[tuple[str, ...]]:
    return [tuple(rule) for rule in rules if _columns_of(rule) <= available]


def blocking_rules(available: set[str]) -> list[tuple[str, ...]]:
    chosen = rules_for(BLOCKING, available)
    # With few columns (only a name, say) block on each one alone rather than on nothing.
    return chosen or [(f,) for f in sorted(available) if f not in ("given_meta", "surname_meta")]


def _location(available: set[str]) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    # Postcode, street and town are one comparison: people in one household share all three, and
    # counting them as independent evidence made relatives look like the same person.
    present = [c for c in ("postcode", "street", "town") if c in available]
    null = " AND ".join(f"({c}_l IS NULL OR {c}_r IS NULL)" for c in present)
    levels: list[Any] = [
        cll.CustomLevel(null, label_for_charts="No location to compare").configure(
            is_null_level=True
        )
    ]
    if "postcode" in available and "address" in available:
        levels.append(
            cll.CustomLevel(
                "postcode_l = postcode_r AND address_l = address_r",
                label_for_charts="Same postcode and address",
            )
        )
    if "postcode" in available:
        levels.append(cll.CustomLevel("postcode_l = postcode_r", label_for_charts="Same postcode"))
    if "address" in available and "town" in available:
        levels.append(
            cll.CustomLevel(
                "address_l = address_r AND town_l = town_r", label_for_charts="Same address, town"
            )
        )
    if "address" in available:
        levels.append(cll.CustomLevel("address_l = address_r", label_for_charts="Same address"))
    if "street" in available and "town" in available:
        levels.append(
            cll.CustomLevel(
                "jaro_winkler_similarity(street_l, street_r) >= 0.9 "
                "AND jaro_winkler_similarity(town_l, town_r) >= 0.9",
                label_for_charts="Similar street and town",
            )
        )
    if "street" in available:
        levels.append(
            cll.CustomLevel(
                "jaro_winkler_similarity(street_l, street_r) >= 0.9",
                label_for_charts="Similar street",
            )
        )
    if "town" in available:
        levels.append(cll.CustomLevel("town_l = town_r", label_for_charts="Same town"))
    if "postcode" in available:
        levels.append(
            cll.CustomLevel(
                "levenshtein(postcode_l, postcode_r) <= 1", label_for_charts="Postcode one off"
            )
        )
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(comparison_levels=levels, output_column_name="location")


def comparisons(available: set[str]) -> list[Any]:
    import splink.comparison_library as cl

    chosen: list[Any] = []
    # Term-frequency adjustments: agreeing on "Smith" or "John" is weaker evidence than on a
    # rare name, and the input itself says which names are common.
    if {"given", "surname"} <= available:
        chosen.append(
            cl.ForenameSurnameComparison(
                "given", "surname", forename_surname_concat_col_name="given_surname"
            ).configure(term_frequency_adjustments=True)
        )
    else:
        for column in ("given", "surname"):
            if column in available:
                chosen.append(cl.NameComparison(column).configure(term_frequency_adjustments=True))
    if "dob" in available:
        chosen.append(
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d")
        )
    if available & {"postcode", "street", "town"}:
        chosen.append(_location(available))
    if "premises" in available:
        # A building or property name (address_2): rare names are strong evidence.
        chosen.append(
            cl.JaroWinklerAtThresholds("premises", [0.92, 0.8]).configure(
                term_frequency_adjustments=True
            )
        )
    if "phone" in available:
        chosen.append(cl.ExactMatch("phone").configure(term_frequency_adjustments=True))
    if "email" in available:
        # Term frequencies here too: a shared family address or j.smith@ at a big provider
        # is weaker evidence than an address only one person uses.
        chosen.append(cl.EmailComparison("email").configure(term_frequency_adjustments=True))
    return chosen


def block(rule: tuple[str, ...]) -> Any:
    from splink import block_on

    return block_on(*rule)


def settings(available: set[str], link_type: LinkType, dialect: str = "duckdb") -> dict[str, Any]:
    """The Splink settings for an input that has these comparison columns, with the SQL of
    Splink's own comparisons written for `dialect` ("spark" for the Spark engine)."""
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-4,
        comparisons=comparisons(available),
        blocking_rules_to_generate_predictions=[block(r) for r in blocking_rules(available)],
        retain_intermediate_calculation_columns=False,
        # The household rule (engine.py) reads the names and emails of each scored pair.
        retain_matching_columns=True,
    )
    return creator.get_settings(dialect).as_dict()


def saved_settings(
    available: set[str], link_type: LinkType, path: Path | None = None
) -> dict[str, Any]:
    """The model for this input's columns, with m and u taken from a saved model.

    Comparisons and levels are matched by name and SQL condition: a level this input has that
    the saved model also has keeps the saved parameters; the saved levels of columns this input
    lacks are left out with those columns.
    """
    saved = json.loads((path or MODEL_PATH).read_text(encoding="utf-8"))
    fresh = settings(available, link_type)
    by_name = {c["output_column_name"]: c for c in saved.get("comparisons", [])}
    kept = []
    for comparison in fresh["comparisons"]:
        old = by_name.get(comparison["output_column_name"])
        if old is None:
            continue
        old_levels = {lvl["sql_condition"]: lvl for lvl in old["comparison_levels"]}
        levels = []
        for level in comparison["comparison_levels"]:
            match = old_levels.get(level["sql_condition"])
            if level.get("is_null_level"):
                levels.append(level)
            elif match is not None and "m_probability" in match:
                levels.append(match)
        if any(not lvl.get("is_null_level") for lvl in levels):
            kept.append({**comparison, "comparison_levels": levels})
    fresh["comparisons"] = kept
    fresh["probability_two_random_records_match"] = saved.get(
        "probability_two_random_records_match", 1e-4
    )
    return fresh


def train(linker: Any, available: set[str], *, records: int) -> None:
    """Prior from near-certain rules, u by random sampling, m by expectation maximisation."""
    estimate_prior(linker, available, sample=min(1.0, EM_RECORDS / max(records, 1)))
    linker.training.estimate_u_using_random_sampling(max_pairs=1.5e6, seed=1)
    # EM needs pairs, not all of them: past a few hundred thousand records a sample of records
    # trains as well and keeps the blocked pairs (which grow with the square) in hand.
    sample = min(1.0, EM_RECORDS / max(records, 1))
    rounds = rules_for(EM_ROUNDS, available)
    if not rounds:
        rounds = blocking_rules(available)[:2]
    for rule in rounds:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block(rule), record_sample_proportion=sample
        )


def estimate_prior(linker: Any, available: set[str], *, sample: float = 1.0) -> None:
    """A first prior from near-certain rules, on a sample of records past a few hundred
    thousand (it is refined from the scored pairs later, so a rough start is enough)."""
    rules = rules_for(DETERMINISTIC, available)
    if not rules:
        return
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block(r) for r in rules], recall=0.8, record_sample_proportion=sample
        )
    except (ValueError, ZeroDivisionError):
        return  # nothing agreed on those rules; the refinement after scoring takes over


def logit2(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def prior(linker: Any) -> float:
    # Splink keeps the prior on its settings object; there is no public getter in 5.0.
    return float(linker._settings_obj._probability_two_random_records_match)


def comparison_names(linker: Any) -> Sequence[str]:
    return [c.output_column_name for c in linker._settings_obj.comparisons]
