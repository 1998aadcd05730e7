"""Bulk record linkage of CSV files with Splink (Fellegi-Sunter) on DuckDB.

Used by `manage.py link_records`. Everything runs in memory on this machine: Splink is given the
input and nothing else, so it never fetches anything. The model is trained on the input itself
(u from random sampling, m by expectation maximisation); inputs too small to train on use the
parameters in data/splink_model.json, trained on synthetic data (bench/linking_data.py).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vigil.linking import normalise

INPUT_COLUMNS = (
    "record_id",
    "given_name",
    "surname",
    "date_of_birth",
    "street_number",
    "address_1",
    "address_2",
    "town",
    "postcode",
    "phone",
    "email",
)
FEATURES = (
    "given",
    "surname",
    "given_surname",
    "given_meta",
    "surname_meta",
    "dob",
    "postcode",
    "street",
    "address",
    "phone",
    "email",
)
MODEL_PATH = Path(__file__).resolve().parent / "data" / "splink_model.json"
DEFAULT_THRESHOLD = 0.9
# Below this many records EM has too few pairs to learn from; use the shipped parameters.
MIN_RECORDS_TO_TRAIN = 2000

Progress = Callable[[str], None]
LinkType = Literal["dedupe_only", "link_only"]


class BulkInputError(Exception):
    """The input cannot be linked; the message says why in words a user can act on."""


@dataclass
class Dataset:
    name: str
    rows: list[dict[str, str | None]] = field(default_factory=list)


def read_records(path: Path) -> Dataset:
    """Read and normalise one CSV file; raise BulkInputError for anything unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BulkInputError(f"{path}: file not found.") from None
    except IsADirectoryError:
        raise BulkInputError(f"{path}: is a folder, not a CSV file.") from None
    except OSError as error:
        raise BulkInputError(f"{path}: cannot be read ({error.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BulkInputError(
            f"{path}: is not UTF-8 text (bad byte on line {line}). Save it as UTF-8 CSV."
        ) from None
    if "\x00" in text:
        raise BulkInputError(f"{path}: contains NUL bytes; it does not look like a CSV file.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise BulkInputError(f"{path}: is empty; it needs a header row.")
    if "record_id" not in header:
        raise BulkInputError(
            f"{path}: has no record_id column. The header row must name a record_id column "
            f"(found: {', '.join(header) or 'nothing'})."
        )
    reader.fieldnames = header
    dataset = Dataset(name=path.name)
    seen: set[str] = set()
    try:
        for line, row in enumerate(reader, start=2):
            record_id = (row.get("record_id") or "").strip()
            if not record_id:
                raise BulkInputError(f"{path}: line {line} has an empty record_id.")
            if record_id in seen:
                raise BulkInputError(f"{path}: record_id {record_id!r} appears more than once.")
            seen.add(record_id)
            dataset.rows.append(features({k: row.get(k) for k in INPUT_COLUMNS}))
    except csv.Error as error:
        raise BulkInputError(f"{path}: is not valid CSV ({error}).") from None
    return dataset


def features(row: dict[str, str | None]) -> dict[str, str | None]:
    """The comparison columns for one input row, all normalised."""
    given = normalise.given_name(row.get("given_name"))
    surname = normalise.name(row.get("surname"))
    street = normalise.name(row.get("address_1"))
    number = (row.get("street_number") or "").strip().lower() or None
    return {
        "unique_id": (row.get("record_id") or "").strip(),
        "given": given,
        "surname": surname,
        "given_surname": f"{given} {surname}" if given and surname else None,
        "given_meta": normalise.phonetic(given),
        "surname_meta": normalise.phonetic(surname),
        "dob": normalise.date_of_birth(row.get("date_of_birth")),
        "postcode": normalise.postcode(row.get("postcode")),
        "street": street,
        "address": f"{number} {street}" if number and street else None,
        "phone": normalise.phone(row.get("phone")),
        "email": normalise.email(row.get("email")),
    }


def settings(link_type: LinkType) -> dict[str, Any]:
    """The Splink model: which columns are compared and how, and how pairs are blocked."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    # Postcode and street are one comparison: people in one household share both, and counting
    # them as independent evidence made relatives look like the same person.
    location = cl.CustomComparison(
        comparison_levels=[
            cll.CustomLevel(
                "(postcode_l IS NULL OR postcode_r IS NULL)"
                " AND (street_l IS NULL OR street_r IS NULL)",
                label_for_charts="Postcode and street missing",
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "postcode_l = postcode_r AND address_l = address_r",
                label_for_charts="Same postcode and address",
            ),
            cll.CustomLevel("postcode_l = postcode_r", label_for_charts="Same postcode"),
            cll.CustomLevel("address_l = address_r", label_for_charts="Same address"),
            cll.CustomLevel(
                "jaro_winkler_similarity(street_l, street_r) >= 0.9",
                label_for_charts="Similar street",
            ),
            cll.ElseLevel(),
        ],
        output_column_name="location",
    )
    creator = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-4,
        comparisons=[
            cl.ForenameSurnameComparison(
                "given", "surname", forename_surname_concat_col_name="given_surname"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            location,
            cl.ExactMatch("phone"),
            cl.EmailComparison("email"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("given_meta", "surname_meta"),
            block_on("postcode"),
            block_on("phone"),
            block_on("email"),
            block_on("surname", "street"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    return creator.get_settings("duckdb").as_dict()


def _table(rows: Sequence[dict[str, str | None]]) -> Any:
    import pyarrow as pa

    columns = ("unique_id", *FEATURES)
    return pa.table({c: pa.array([r[c] for r in rows], type=pa.string()) for c in columns})


def link(
    datasets: Sequence[Dataset],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    model: Path | None = None,
) -> list[tuple[str, str, float]]:
    """Pairs judged to be the same person, as (left_id, right_id, match_probability).

    One dataset: duplicates within it (left_id sorts before right_id). Two: links from the first
    to the second. Pairs come sorted by left_id then right_id, so output is reproducible.
    """
    say = progress or (lambda _message: None)
    splink_logger = logging.getLogger("splink")
    # Splink explains its training at length; only real failures reach the user.
    splink_logger.setLevel(logging.ERROR)
    import duckdb
    from splink import DuckDBAPI, Linker

    started = time.monotonic()
    total = sum(len(d.rows) for d in datasets)
    if len(datasets) == 1 and total < 2:
        return []
    if len(datasets) == 2 and not all(d.rows for d in datasets):
        return []
    connection = duckdb.connect(":memory:")
    connection.execute("SET threads TO 2")
    db_api = DuckDBAPI(connection)
    tables = [
        db_api.register(_table(d.rows), table_name=f"input_{i}") for i, d in enumerate(datasets)
    ]
    link_type: LinkType = "dedupe_only" if len(datasets) == 1 else "link_only"
    trainable = total >= MIN_RECORDS_TO_TRAIN and model is None
    if trainable:
        linker = Linker(
            tables if len(tables) > 1 else tables[0], settings(link_type), log_level=None
        )
        say(f"Training the model on {total:,} records…")
        _train(linker)
    else:
        saved = json.loads((model or MODEL_PATH).read_text(encoding="utf-8"))
        saved["link_type"] = link_type
        linker = Linker(tables if len(tables) > 1 else tables[0], saved, log_level=None)
        # The chance that two random records match depends on the input's size and overlap,
        # so it is re-estimated from pairs that agree on near-unique identifiers, unless the
        # input is too small for the estimate to mean anything.
        _reestimate_prior(linker)
    say(f"Comparing records ({time.monotonic() - started:.1f} s so far)…")
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    relation = predictions.as_duckdbpyrelation()
    columns = relation.columns
    rows = relation.fetchall()
    index = {name: i for i, name in enumerate(columns)}
    pairs = list(_orient(rows, index, two_files=len(datasets) == 2))
    pairs.sort()
    say(f"Found {len(pairs):,} pairs in {time.monotonic() - started:.1f} s.")
    return pairs


def _orient(
    rows: Iterable[tuple[Any, ...]], index: dict[str, int], *, two_files: bool
) -> Iterable[tuple[str, str, float]]:
    for row in rows:
        left, right = str(row[index["unique_id_l"]]), str(row[index["unique_id_r"]])
        probability = round(float(row[index["match_probability"]]), 6)
        if two_files:
            if str(row[index["source_dataset_l"]]) != "input_0":
                left, right = right, left
        elif right < left:
            left, right = right, left
        yield left, right, probability


def _estimate_prior(linker: Any) -> None:
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "surname", "dob"), block_on("email"), block_on("phone", "dob")],
        recall=0.7,
    )


def _reestimate_prior(linker: Any) -> None:
    # Splink keeps the prior on its settings object; there is no public getter in 5.0.
    settings_obj = linker._settings_obj
    saved = settings_obj._probability_two_random_records_match
    try:
        _estimate_prior(linker)
    except (ValueError, ZeroDivisionError):
        settings_obj._probability_two_random_records_match = saved
        return
    estimate = settings_obj._probability_two_random_records_match
    if not 0 < estimate < 0.5:
        settings_obj._probability_two_random_records_match = saved


def _train(linker: Any) -> None:
    from splink import block_on

    _estimate_prior(linker)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_meta", "surname_meta"), record_sample_proportion=1.0
    )


def train_and_save(datasets: Sequence[Dataset], path: Path) -> None:
    """Train on (synthetic) data and save the model that small inputs will use."""
    import duckdb
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(duckdb.connect(":memory:"))
    tables = [
        db_api.register(_table(d.rows), table_name=f"input_{i}") for i, d in enumerate(datasets)
    ]
    link_type: LinkType = "dedupe_only" if len(datasets) == 1 else "link_only"
    linker = Linker(tables if len(tables) > 1 else tables[0], settings(link_type), log_level=None)
    _train(linker)
    linker.misc.save_model_to_json(str(path), overwrite=True)


def write_pairs(pairs: Iterable[tuple[str, str, float]], out: io.TextIOBase | Any) -> int:
    writer = csv.writer(out)
    writer.writerow(["left_id", "right_id", "match_probability"])
    count = 0
    for left, right, probability in pairs:
        writer.writerow([left, right, f"{probability:.6f}"])
        count += 1
    return count
