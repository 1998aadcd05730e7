"""The Splink (Fellegi-Sunter) model for bulk linking: what is compared, how pairs are blocked,
and how the model is trained on the input itself.

The model is built from the columns the input has: a column that is missing, or empty in every
row, takes no part, neither in the comparisons nor in the blocking rules. Blocking rules overlap
so that a typo in any one field still leaves the pair blocked by another rule.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

# SQL here is built from our own table and column names and numbers only.
# ruff: noqa: S608

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
    # Sound-alike names with the year, or the day and month, of birth: on sound-alike names
    # alone, common names made this one rule three quarters of the pairs at a million
    # records. Without dates of birth the names alone (NAMES_ONLY) take its place.
    ("given_meta", "surname_meta", "substr(dob, 1, 4)"),
    ("given_meta", "surname_meta", "substr(dob, 6, 5)"),
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
# At most this many blocked pairs in each round of EM: a sample of records, hashed.
EM_PAIRS = 1_000_000

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


NAMES_ONLY = ("given_meta", "surname_meta")
# Sound-alike names alone are kept while they make at most this many pairs (they find a few
# more true pairs, with a date of birth mistyped or missing on top of a misspelt name).
NAMES_ONLY_MAX_PAIRS = 5_000_000


def blocking_rules(
    available: set[str], *, names_alone: bool | None = None
) -> list[tuple[str, ...]]:
    """The blocking rules for these columns. `names_alone`: block on sound-alike names alone
    (by default only when there are no dates of birth; see names_alone_pairs_query)."""
    chosen = rules_for(BLOCKING, available)
    if names_alone is None:
        names_alone = "dob" not in available
    if names_alone and set(NAMES_ONLY) <= available:
        # The rules on names and a part of the date of birth are then contained in this one.
        chosen = [r for r in chosen if not set(NAMES_ONLY) < set(r)] + [NAMES_ONLY]
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
        chosen.append(_email(available))
    return chosen


def spelled_from_name(side: str = "l") -> str:
    """SQL: the email's user name (before the @) contains that record's surname or given name.

    Portable SQL (split_part, instr, replace), so DuckDB and Spark read it alike."""
    user = f"split_part(email_{side}, '@', 1)"
    return (
        f"(length(surname_{side}) >= 2 AND instr({user}, replace(surname_{side}, ' ', '')) > 0"
        f" OR length(given_{side}) >= 3 AND instr({user}, replace(given_{side}, ' ', '')) > 0)"
    )


SAME_EMAIL = "email_l = email_r"
SAME_USER = "split_part(email_l, '@', 1) = split_part(email_r, '@', 1)"
FROM_NAME = f"({spelled_from_name('l')} OR {spelled_from_name('r')})"
# The email levels whose u is measured among people who share a name (see email_from_name_u).
EMAIL_FROM_NAME_LEVELS = {
    "Same email, spelled from the name": f"{SAME_EMAIL} AND {FROM_NAME}",
    "Same user name, spelled from the name": f"{SAME_USER} AND {FROM_NAME}",
}


def _email(available: set[str]) -> Any:
    """Email: an address spelled from the name is weak evidence once the names agree.

    Two different Geoffrey Perrys may both be geoffrey.perry@ at one big provider. Fellegi-
    Sunter counts the name and then the email as if independent, and u by random sampling says
    a shared email is one in a million: the same name counted twice. The levels "spelled from
    the name" get their u from people who share a name instead (email_from_name_u), so they
    add what the email says beyond the name. Term frequencies on the other exact level: a
    shared family address is weaker evidence than an address only one person uses.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    named = {"given", "surname"} <= available
    levels: list[Any] = [cll.NullLevel("email")]
    if named:
        label = "Same email, spelled from the name"
        levels.append(cll.CustomLevel(EMAIL_FROM_NAME_LEVELS[label], label_for_charts=label))
    levels.append(cll.ExactMatchLevel("email").configure(tf_adjustment_column="email"))
    if named:
        label = "Same user name, spelled from the name"
        levels.append(cll.CustomLevel(EMAIL_FROM_NAME_LEVELS[label], label_for_charts=label))
    levels += [
        cll.CustomLevel(SAME_USER, label_for_charts="Same user name"),
        cll.JaroWinklerLevel("email", 0.88),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(comparison_levels=levels, output_column_name="email")


def block(rule: tuple[str, ...]) -> Any:
    from splink import block_on

    return block_on(*rule)


def names_alone_pairs_query(tables: Sequence[str]) -> str:
    """SQL for how many pairs blocking on sound-alike names alone makes (one table: within
    it; two: between them), counted by group, without making them."""
    keys = ", ".join(NAMES_ONLY)
    present = " AND ".join(f"{c} IS NOT NULL" for c in NAMES_ONLY)
    groups = [
        f"(SELECT {keys}, count(*) AS n FROM {t} WHERE {present} GROUP BY {keys})" for t in tables
    ]
    if len(groups) == 1:
        return f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM {groups[0]} g"
    return (
        f"SELECT coalesce(sum(l.n * r.n), 0) FROM {groups[0]} l JOIN {groups[1]} r USING ({keys})"
    )


def settings(
    available: set[str],
    link_type: LinkType,
    dialect: str = "duckdb",
    *,
    names_alone: bool | None = None,
) -> dict[str, Any]:
    """The Splink settings for an input that has these comparison columns (`names_alone`: see
    blocking_rules), with the SQL of Splink's own comparisons written for `dialect` ("spark"
    for the Spark engine)."""
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-4,
        comparisons=comparisons(available),
        blocking_rules_to_generate_predictions=[
            block(r) for r in blocking_rules(available, names_alone=names_alone)
        ],
        retain_intermediate_calculation_columns=False,
        # The household rule (engine.py) reads the names and emails of each scored pair.
        retain_matching_columns=True,
    )
    return creator.get_settings(dialect).as_dict()


def saved_settings(
    available: set[str],
    link_type: LinkType,
    path: Path | None = None,
    *,
    names_alone: bool | None = None,
) -> dict[str, Any]:
    """The model for this input's columns, with m and u taken from a saved model.

    Comparisons and levels are matched by name and SQL condition: a level this input has that
    the saved model also has keeps the saved parameters; the saved levels of columns this input
    lacks are left out with those columns.
    """
    saved = json.loads((path or MODEL_PATH).read_text(encoding="utf-8"))
    fresh = settings(available, link_type, names_alone=names_alone)
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


def train(
    linker: Any, available: set[str], *, records: int, namesakes: Sequence[Any] | None = None
) -> None:
    """Prior from near-certain rules, u by random sampling (and, for emails spelled from the
    name, among namesakes: `namesakes` is the row email_from_name_query gives), m by
    expectation maximisation."""
    estimate_prior(linker, available, sample=min(1.0, EM_RECORDS / max(records, 1)))
    linker.training.estimate_u_using_random_sampling(max_pairs=1.5e6, seed=1)
    email_from_name_u(linker, namesakes)
    # EM needs pairs, not all of them. Splink 5 samples EM's records only when max_pairs is
    # given (record_sample_proportion alone sizes a probe and nothing else): without it, a
    # million records blocked on date of birth made 40 million pairs, 25 times over.
    probe = min(1.0, EM_RECORDS / max(records, 1))
    rounds = rules_for(EM_ROUNDS, available)
    if not rounds:
        rounds = blocking_rules(available)[:2]
    for rule in rounds:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block(rule), max_pairs=EM_PAIRS, record_sample_proportion=probe
        )


# Pairs that share a full name but whose dates of birth differ by more than a slip of one digit
# or a swapped day and month: different people, near enough all of them.
_DIFFERENT_PEOPLE = (
    "dob_l <> dob_r AND levenshtein(dob_l, dob_r) > 1 AND NOT ("
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
    "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2))"
)
# Fewer pairs than this say too little; the u from random sampling is kept.
MIN_NAMESAKE_PAIRS = 30
# Namesakes are counted among at most this many records of the left input.
NAMESAKE_RECORDS = 200_000


def email_from_name_query(
    left: str, right: str, *, dedupe: bool, left_records: int, available: set[str]
) -> str | None:
    """SQL counting namesakes (same given name and surname, plainly different dates of birth,
    both with an email) and how many of them fall in each "spelled from the name" level.

    Those are the chances the levels have among non-matches once the names agree: the u that
    makes the email add only what it says beyond the name. Columns as the engines name them.
    """
    if not {"given", "surname", "email", "dob"} <= available:
        return None
    every = max(1, math.ceil(left_records / NAMESAKE_RECORDS))
    sample = f" AND hash(l.unique_id) % {every} = 0" if every > 1 else ""
    distinct = " AND l.unique_id < r.unique_id" if dedupe else ""
    levels = list(EMAIL_FROM_NAME_LEVELS.values())
    return (
        "SELECT count(*), "
        f"sum(CASE WHEN {levels[0]} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {levels[1]} AND NOT ({levels[0]}) THEN 1 ELSE 0 END) FROM ("
        "SELECT l.given AS given_l, r.given AS given_r, l.surname AS surname_l, "
        "r.surname AS surname_r, l.email AS email_l, r.email AS email_r, l.dob AS dob_l, "
        f"r.dob AS dob_r FROM {left} l JOIN {right} r "
        "ON l.given = r.given AND l.surname = r.surname "
        "WHERE l.email IS NOT NULL AND r.email IS NOT NULL "
        f"AND l.dob IS NOT NULL AND r.dob IS NOT NULL{distinct}{sample}"
        f") namesakes WHERE {_DIFFERENT_PEOPLE}"
    )


def email_from_name_u(linker: Any, counts: Sequence[Any] | None) -> dict[str, float]:
    """Set the u of the "spelled from the name" email levels from namesake counts (pairs,
    same email, same user name) as email_from_name_query gives them; return what was set."""
    if not counts or int(counts[0] or 0) < MIN_NAMESAKE_PAIRS:
        return {}
    pairs = int(counts[0])
    observed = dict(zip(EMAIL_FROM_NAME_LEVELS, (int(c or 0) for c in counts[1:]), strict=True))
    chosen: dict[str, float] = {}
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name != "email":
            continue
        for level in comparison.comparison_levels:
            label = level.label_for_charts
            if label in observed:
                # Half a pair added: a level no namesake reached is rare, not impossible.
                level.u_probability = chosen[label] = (observed[label] + 0.5) / (pairs + 1)
                # Splink re-derives u from its own estimates after each training step
                # unless the level's u is fixed.
                level._fix_u_probability = True
    return chosen


def estimate_prior(linker: Any, available: set[str], *, sample: float = 1.0) -> None:
    """A first prior from near-certain rules, on a sample of records past a few hundred
    thousand (it is refined from the scored pairs later, so a rough start is enough)."""
    rules = rules_for(DETERMINISTIC, available)
    if not rules:
        return
    try:
        with warnings.catch_warnings():
            # Splink warns when a sampled rule saw few pairs: expected of a rough first
            # estimate, and on the user's screen it would only alarm.
            warnings.simplefilter("ignore", UserWarning)
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
