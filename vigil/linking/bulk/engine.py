"""Linking files end to end in DuckDB: read, normalise, train, score, choose a threshold, write.

The records never become Python objects: they are read by DuckDB into its tables, normalised
there (bulk/sql.py), scored by Splink inside the same database and written out by DuckDB's
COPY, sorted. DuckDB is given a memory limit and a temporary folder to spill to, so an input
bigger than memory is slower, not fatal. Nothing is fetched from the network.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from vigil.linking.bulk import inputs, model, sql
from vigil.linking.bulk.inputs import BulkInputError, Source, first, problem

# SQL here is built from our own table and column names and numbers only; values from the input
# stay inside DuckDB, and paths travel as parameters.
# ruff: noqa: S608

Progress = Callable[[str], None]
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


@dataclass(frozen=True)
class Scoring:
    """What an engine needs to score the blocked pairs: the trained DuckDB linker, whose model
    it uses, and the normalised records (DuckDB tables features_0, and features_1 if linking)."""

    connection: Any
    db_api: Any
    linker: Any
    available: set[str]
    inputs: int
    # Whether blocking on sound-alike names alone was chosen for this input (model.py).
    names_alone: bool | None = None
    # Where the engine says how far scoring has got, and when the whole run started.
    say: Progress = lambda _message: None
    started: float = 0.0


# Returns the scored pairs as a Splink table in the same DuckDB database, so that the steps
# after scoring (household rule, prior, threshold, output) are one code path for every engine.
Predict = Callable[[Scoring], Any]


@dataclass
class Result:
    records: int
    pairs: int
    threshold: float
    prior: float
    comparisons: list[str] = field(default_factory=list)
    clusters: int | None = None


def default_memory_limit() -> str:
    """A quarter of this machine's memory: room for the rest of the system and other work."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "2GB"
    return f"{max(1, total // 4 // 2**20)}MB"


def _writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise BulkInputError(
            problem(path, "cannot write the output (the folder does not exist or is read-only).")
        )


def link_files(
    paths: Sequence[Path],
    out: Path,
    *,
    threshold: float | None = None,
    clusters: Path | None = None,
    report: Path | None = None,
    saved_model: Path | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    engine: Engine = "duckdb",
    spark_dir: Path | None = None,
) -> Result:
    """Link one file (duplicates within it) or two (links from the first to the second).

    Writes left_id,right_id,match_probability to `out`, sorted; raises BulkInputError for input
    that cannot be linked, before anything is written. `engine="spark"` scores the pairs on
    Spark (bulk/spark.py); everything before and after scoring is the same code either way.
    """
    say = progress or (lambda _message: None)
    started = time.monotonic()
    if engine == "spark":
        from vigil.linking.bulk import spark

        spark.require()
    sources = [inputs.check(p) for p in paths]
    for target in (out, clusters):
        if target is not None:
            _writable(target)
    if saved_model is not None and not saved_model.is_file():
        raise BulkInputError(problem(saved_model, "model file not found."))
    # Splink explains its training at length; only real failures reach the user.
    logging.getLogger("splink").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="vigil-link-") as spill:
        connection = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": memory_limit or default_memory_limit(),
                "temp_directory": spill,
                "threads": threads or os.cpu_count() or 1,
                # Order is restored by the final ORDER BY; not keeping it lets DuckDB stream.
                "preserve_insertion_order": False,
            },
        )
        try:
            with _scorer(engine, spark_dir or Path(spill), threads, memory_limit) as predict:
                return _run(
                    connection,
                    sources,
                    out,
                    threshold=threshold,
                    clusters=clusters,
                    report=report,
                    saved_model=saved_model,
                    say=say,
                    started=started,
                    predict=predict,
                )
        finally:
            connection.close()


def _predict_in_duckdb(scoring: Scoring) -> Any:
    with _watch(scoring.connection, scoring.say, scoring.started):
        return scoring.linker.inference.predict(
            threshold_match_probability=model.FLOOR_PROBABILITY, warning_mode="never"
        )


def _scorer(
    engine: Engine, folder: Path, threads: int | None, memory_limit: str | None
) -> contextlib.AbstractContextManager[Predict]:
    """The one place an engine is chosen: what scores the blocked pairs."""
    if engine == "spark":
        from vigil.linking.bulk import spark

        return spark.scorer(
            folder=folder, threads=threads, memory_limit=memory_limit or default_memory_limit()
        )
    return contextlib.nullcontext(_predict_in_duckdb)


def _run(
    connection: Any,
    sources: list[Source],
    out: Path,
    *,
    threshold: float | None,
    clusters: Path | None,
    report: Path | None,
    saved_model: Path | None,
    say: Progress,
    started: float,
    predict: Predict = _predict_in_duckdb,
) -> Result:
    sql.install(connection)
    loaded = []
    for i, source in enumerate(sources):
        loaded.append(inputs.load(connection, source, f"raw_{i}"))
        count = _count(connection, f"raw_{i}")
        say(f"Read {count:,} records from {source.path.name} ({_since(started)}).")
    _normalise(connection, loaded)
    say(f"Normalised names, dates, addresses, phones and emails ({_since(started)}).")
    sizes = [_count(connection, f"features_{i}") for i in range(len(loaded))]
    total = sum(sizes)
    link_type: model.LinkType = "dedupe_only" if len(loaded) == 1 else "link_only"
    available = _available(connection, len(loaded))
    empty = (link_type == "dedupe_only" and total < 2) or (
        link_type == "link_only" and min(sizes) == 0
    )
    if empty or not available:
        _write_pairs(connection, None, out, link_type=link_type, threshold=1.0)
        if clusters is not None:
            _write_singletons(connection, loaded, clusters)
        return Result(records=total, pairs=0, threshold=threshold or 1.0, prior=0.0)

    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection)
    tables = [db_api.register(f"features_{i}", table_name=f"input_{i}") for i in range(len(loaded))]
    splink_input = tables if len(tables) > 1 else tables[0]
    trainable = total >= model.MIN_RECORDS_TO_TRAIN and saved_model is None
    names_pairs = first(
        connection, model.names_alone_pairs_query([f"features_{i}" for i in range(len(loaded))])
    )
    # Sound-alike names alone while that stays a bounded number of pairs (None: the default).
    names_alone = (
        True if names_pairs and int(names_pairs[0]) <= model.NAMES_ONLY_MAX_PAIRS else None
    )
    if trainable:
        linker = Linker(
            splink_input,
            model.settings(available, link_type, names_alone=names_alone),
            log_level=None,
        )
        say(f"Training the model on {total:,} records ({_since(started)})…")
        query = model.email_from_name_query(
            "features_0",
            f"features_{len(loaded) - 1}",
            dedupe=link_type == "dedupe_only",
            left_records=sizes[0],
            available=available,
        )
        namesakes = first(connection, query) if query else None
        if namesakes:
            say(
                f"Namesakes with an email: {int(namesakes[0] or 0):,} pairs, "
                f"{int(namesakes[1] or 0):,} sharing it ({_since(started)})."
            )
        model.train(linker, available, records=total, namesakes=namesakes)
    else:
        linker = Linker(
            splink_input,
            model.saved_settings(available, link_type, saved_model, names_alone=names_alone),
            log_level=None,
        )
    possible = sizes[0] * sizes[1] if link_type == "link_only" else total * (total - 1) // 2
    say(
        f"Comparing records: {possible:,} possible pairs, blocked to far fewer ({_since(started)})…"
    )
    # Each engine watches its own scoring: DuckDB's progress, or Spark's status tracker.
    predictions = predict(
        Scoring(
            connection,
            db_api,
            linker,
            available,
            len(loaded),
            names_alone,
            say=say,
            started=started,
        )
    )
    scored = predictions.physical_name
    scored = _household_rule(connection, scored, available)
    prior = _refine_prior(connection, scored, model.prior(linker), possible)
    chosen = threshold if threshold is not None else _choose_threshold(connection)
    say(
        f"Scored {_count(connection, 'vigil_scored'):,} likely pairs; prior {prior:.3g}, "
        f"threshold {chosen:.4f} ({'given' if threshold is not None else 'from the model'}) "
        f"({_since(started)})."
    )
    pairs = _write_pairs(connection, "vigil_scored", out, link_type=link_type, threshold=chosen)
    result = Result(
        records=total,
        pairs=pairs,
        threshold=chosen,
        prior=prior,
        comparisons=list(model.comparison_names(linker)),
    )
    if clusters is not None:
        result.clusters = _write_clusters(connection, db_api, loaded, clusters, chosen)
        say(f"Wrote {result.clusters:,} clusters to {clusters} ({_since(started)}).")
    if report is not None:
        _write_report(linker, predictions, report, result)
        say(f"Wrote the model and its charts to {report} ({_since(started)}).")
    return result


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


def _count(connection: Any, table: str) -> int:
    row = first(connection, f"SELECT count(*) FROM {table}")
    return int(row[0]) if row else 0


# While the pairs are scored (most of a national run), a progress line at most this often:
# enough to see that the run moves and how long is left, few enough lines to read.
PROGRESS_EVERY = 5.0
# Splink writes the blocked pairs to a table of this name (and a suffix) before it scores them.
BLOCKED_PAIRS = "__splink__blocked_id_pairs"


def _blocked_tables(peek: Any) -> dict[str, int]:
    """Splink's tables of blocked pairs and their sizes, from DuckDB's catalogue (no scan)."""
    rows = peek.execute(
        "SELECT table_name, estimated_size FROM duckdb_tables() WHERE starts_with(table_name, ?)",
        [BLOCKED_PAIRS],
    ).fetchall()
    return {str(name): int(size or 0) for name, size in rows}


@dataclass
class ScoringProgress:
    """The lines printed while the pairs are scored, by either engine; the rate is over the
    time since the last line.

    DuckDB (`update`, from `_watch`) says how far through the current step its query is and,
    once blocking has written the pairs, how many there are: its progress of the scoring step
    is its progress through the blocked pairs, so pairs scored is that share of them. Spark
    (`update_tasks`, from spark.py) knows no pairs, only its tasks: those of the stages
    running now, and every task done so far, which gives the rate."""

    say: Progress
    started: float
    began: float
    pairs: int | None = None
    last: tuple[float, int] | None = None

    def _elapsed(self, now: float) -> str:
        return f"{_duration(now - self.began)} comparing, {_duration(now - self.started)} in all"

    def _rate(self, now: float, count: int) -> float:
        """How many a second since the last line (or the start), `count` being the total."""
        since, before = self.last or (self.began, 0)
        self.last = (now, count)
        return (count - before) / (now - since) if now > since else 0.0

    def update_tasks(self, *, now: float, done: int, total: int, finished: int) -> None:
        if not total:  # between two jobs, or Python's turn: nothing running to measure
            return
        rate = self._rate(now, finished)
        left = f", about {_duration((total - done) / rate)} left of them" if rate > 0 else ""
        self.say(
            f"Comparing records on Spark: {done:,} of {total:,} tasks of the running stages "
            f"done ({100 * done / total:.0f}%), {rate:,.0f} tasks a second{left} "
            f"({self._elapsed(now)})."
        )

    def finish_tasks(self, *, now: float, jobs: int, tasks: int) -> None:
        """Spark's whole step, the figures to plan the next run by."""
        if tasks:
            rate = tasks / (now - self.began) if now > self.began else 0.0
            self.say(
                f"Comparing records on Spark: all {jobs:,} jobs done, {tasks:,} tasks, "
                f"{rate:,.0f} a second ({self._elapsed(now)})."
            )

    def update(self, *, now: float, percent: float, pairs: int | None) -> None:
        if percent < 0:  # between two statements: nothing running to measure
            return
        elapsed = self._elapsed(now)
        if not pairs:
            self.say(f"Comparing records: finding the pairs to compare ({elapsed}).")
            return
        self.pairs = pairs
        scored = min(pairs, round(pairs * percent / 100))
        rate = self._rate(now, scored)
        left = f", about {_duration((pairs - scored) / rate)} left" if rate > 0 else ""
        self.say(
            f"Comparing records: about {scored:,} of {pairs:,} pairs scored ({percent:.0f}%), "
            f"{rate:,.0f} a second{left} ({elapsed})."
        )

    def finish(self, *, now: float) -> None:
        """The whole step's rate, the figure to plan the next run by."""
        if self.pairs:
            rate = self.pairs / (now - self.began) if now > self.began else 0.0
            self.say(
                f"Comparing records: all {self.pairs:,} pairs scored, {rate:,.0f} a second "
                f"({self._elapsed(now)})."
            )


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


@contextlib.contextmanager
def polled_while_running(poll_once: Callable[[], bool]) -> Iterator[None]:
    """While the block runs, call `poll_once` on a thread every PROGRESS_EVERY seconds, until
    it returns False (its source has gone away) or the block ends; the thread is joined."""
    done = threading.Event()

    def poll() -> None:
        while not done.wait(PROGRESS_EVERY) and poll_once():
            pass

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


@contextlib.contextmanager
def _watch(connection: Any, say: Progress, started: float) -> Iterator[None]:
    """Report, every PROGRESS_EVERY seconds, how many pairs have been scored, how fast, and
    how long is left. A thread asks DuckDB between two waits, so the scoring itself does no
    extra work (DuckDB's progress is only kept while its progress bar is on; it is not drawn).
    Spark scoring has its own watch, on Spark's status tracker (spark.py)."""
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    # A second connection to the same database, to read the catalogue while the query runs.
    peek = connection.cursor()
    earlier = set(_blocked_tables(peek))  # e.g. left from training: not this run's pairs
    progress = ScoringProgress(say=say, started=started, began=time.monotonic())

    def poll_once() -> bool:
        try:
            percent = float(connection.query_progress())
            tables = _blocked_tables(peek)
        except (duckdb.Error, RuntimeError):
            return False
        pairs = sum(n for name, n in tables.items() if name not in earlier)
        progress.update(now=time.monotonic(), percent=percent, pairs=pairs or None)
        return True

    try:
        with polled_while_running(poll_once):
            yield
    finally:
        peek.close()
        connection.execute("RESET enable_progress_bar")
        connection.execute("RESET enable_progress_bar_print")
    progress.finish(now=time.monotonic())  # not after a failure: then nothing was scored


# --- normalising -------------------------------------------------------------------------------


def _normalise(connection: Any, sources: list[Source]) -> None:
    """features_i: one row per record, every comparison column normalised (see bulk/sql.py)."""
    present = {c for s in sources for c in s.known}
    for column, function in sql.PYTHON.items():
        if column not in present:
            continue
        fast = sql.FAST.get(column)
        selects = [
            f'SELECT DISTINCT "{column}" AS raw FROM raw_{i} WHERE "{column}" IS NOT NULL'
            + (f' AND NOT vigil_{fast}_fast("{column}")' if fast else "")
            for i, s in enumerate(sources)
            if column in s.known
        ]
        values = [str(r[0]) for r in connection.execute(" UNION ".join(selects)).fetchall()]
        results = [function(v) for v in values]
        pair = column in ("given_name", "surname")
        table = pa.table(
            {
                "raw": pa.array(values, type=pa.string()),
                "value": pa.array([r[0] if pair else r for r in results], type=pa.string()),
                "meta": pa.array([r[1] if pair else None for r in results], type=pa.string()),
            }
        )
        connection.register("vigil_map_view", table)
        connection.execute(f"CREATE TABLE map_{column} AS SELECT * FROM vigil_map_view")
        connection.unregister("vigil_map_view")
    for i, source in enumerate(sources):
        # In stages, each a table: an expression used twice is then computed once (DuckDB
        # inlines macros, and one email macro repeats its text clean-up several times).
        if "email" in source.known:
            connection.execute(
                f"CREATE TABLE pre_{i} AS SELECT *, vigil_email_text(email) AS vigil_email_t "
                f"FROM raw_{i}"
            )
            connection.execute(f"DROP TABLE raw_{i}")
            connection.execute(f"ALTER TABLE pre_{i} RENAME TO raw_{i}")
        connection.execute(f"CREATE TABLE base_{i} AS {_features_sql(i, source)}")
        connection.execute(f"DROP TABLE raw_{i}")
        connection.execute(
            f"CREATE TABLE features_{i} AS SELECT unique_id, given, surname, "
            "CASE WHEN given IS NOT NULL AND surname IS NOT NULL "
            "THEN given || ' ' || surname END AS given_surname, given_meta, surname_meta, dob, "
            "postcode, street, CASE WHEN number IS NOT NULL AND street IS NOT NULL "
            "THEN number || ' ' || street END AS address, town, premises, phone, email "
            f"FROM base_{i}"
        )
        connection.execute(f"DROP TABLE base_{i}")


def _features_sql(i: int, source: Source) -> str:
    has = set(source.known)
    joins: list[str] = []

    def mapped(column: str, part: str = "value") -> str:
        if column not in has:
            return "NULL::VARCHAR"
        alias = f"m_{column}"
        join = f'LEFT JOIN map_{column} {alias} ON {alias}.raw = r."{column}"'
        if join not in joins:
            joins.append(join)
        fast = sql.FAST.get(column)
        if column == "email":
            return (
                'CASE WHEN vigil_email_fast(r."email") THEN vigil_email_parts(r.vigil_email_t) '
                f"ELSE {alias}.{part} END"
            )
        if fast:
            return (
                f'CASE WHEN vigil_{fast}_fast(r."{column}") THEN vigil_{fast}_sql(r."{column}") '
                f"ELSE {alias}.{part} END"
            )
        return f"{alias}.{part}"

    columns = {
        "unique_id": "trim(r.record_id)",
        "given": mapped("given_name"),
        "surname": mapped("surname"),
        "given_meta": mapped("given_name", "meta"),
        "surname_meta": mapped("surname", "meta"),
        "dob": mapped("date_of_birth"),
        "postcode": mapped("postcode"),
        "street": mapped("address_1"),
        "number": mapped("street_number"),
        "town": mapped("town"),
        "premises": mapped("address_2"),
        "phone": mapped("phone"),
        "email": mapped("email"),
    }
    select = ", ".join(f'{expression} AS "{name}"' for name, expression in columns.items())
    return f"SELECT {select} FROM raw_{i} r {' '.join(joins)}"


def _available(connection: Any, count: int) -> set[str]:
    """Comparison columns with values in every input: a missing column takes no part."""
    available = set(model.FEATURES)
    for i in range(count):
        counts = ", ".join(f'count("{c}")' for c in model.FEATURES)
        row = first(connection, f"SELECT {counts} FROM features_{i}")
        available &= {c for c, n in zip(model.FEATURES, row or (), strict=True) if n}
    return available


# --- the prior and the threshold ---------------------------------------------------------------


HOUSEHOLD = (
    "jaro_winkler_similarity(surname_l, surname_r) >= 0.9 "
    "AND ((length(given_l) = 1 OR length(given_r) = 1) AND left(given_l, 1) <> left(given_r, 1)"
    " OR length(given_l) > 1 AND length(given_r) > 1 "
    "AND jaro_winkler_similarity(given_l, given_r) < 0.7) "
    "AND NOT (given_l = surname_r AND given_r = surname_l)"
)
# Above this share of plainly different given names among pairs that share an email address,
# the input's given names are not stable enough for the household rule.
HOUSEHOLD_MAX_RATE = 0.05


def _household_rule(connection: Any, scored: str, available: set[str]) -> str:
    """Leave out pairs that look like two members of one household: the same surname (give or
    take a typo), given names plainly different (or an initial that is not theirs), the names
    not merely swapped, and no email address in common.

    Twins and other relatives share a surname, an address, often a phone and, for twins, the
    date of birth. Fellegi-Sunter weighs each field on its own, and so many agreements outweigh
    the one disagreement that matters; this rule says what the model cannot. Nicknames are not
    caught by it: they are mapped to the formal name before comparing.

    Some sources do write one person with a different given name (a preferred or middle name;
    FEBRL's generator replaces given names outright). The input decides: among pairs that share
    an email address (and a date of birth), given names must rarely differ plainly for the
    rule to apply. Without an email column there is nothing to decide by and the rule is off.
    """
    if not {"given", "surname", "email"} <= available:
        return scored
    # An email address alone can be shared by two people with one initial and surname
    # (j.smith@...), so where there are dates of birth the pair must share that too.
    same_dob = "AND dob_l = dob_r" if "dob" in available else ""
    measured = first(
        connection,
        f"SELECT count(*), count(*) FILTER (WHERE {HOUSEHOLD}) FROM {scored} "
        f"WHERE email_l = email_r {same_dob} "
        "AND jaro_winkler_similarity(surname_l, surname_r) >= 0.9",
    )
    pairs, differing = (int(measured[0]), int(measured[1])) if measured else (0, 0)
    if pairs >= 20 and differing / pairs > HOUSEHOLD_MAX_RATE:
        return scored
    connection.execute(
        f"CREATE OR REPLACE TABLE vigil_kept AS SELECT * FROM {scored} "
        f"WHERE NOT ({HOUSEHOLD} AND NOT coalesce(email_l = email_r, false))"
    )
    return "vigil_kept"


def _refine_prior(connection: Any, scored: str, start: float, possible: int) -> float:
    """Re-estimate the chance that two random records match from the scored pairs themselves.

    With m and u fixed, the maximum-likelihood prior is the mean of the match probabilities
    over all possible pairs; pairs that were not blocked, or scored below the floor, count as
    nearly zero. Each step shifts every match weight by the change in the prior's log-odds.
    The result is in table vigil_scored (left, right, weight, probability).
    """
    prior = start
    if possible > 0:
        for _step in range(60):
            shift = model.logit2(prior) - model.logit2(start)
            row = first(
                connection, f"SELECT sum(1 / (1 + pow(2, -(match_weight + {shift})))) FROM {scored}"
            )
            expected = float(row[0] or 0) if row else 0.0
            estimate = min(max(expected / possible, 1e-12), 0.5)
            if math.isclose(estimate, prior, rel_tol=1e-4):
                prior = estimate
                break
            prior = estimate
    shift = model.logit2(prior) - model.logit2(start)
    connection.execute(
        "CREATE OR REPLACE TABLE vigil_scored AS SELECT *, "
        f"match_weight + {shift} AS vigil_weight, "
        f"1 / (1 + pow(2, -(match_weight + {shift}))) AS vigil_probability FROM {scored}"
    )
    return prior


def _choose_threshold(connection: Any) -> float:
    """The probability that maximises the F1 score the model itself expects.

    Taking the k most likely pairs, the model expects sum(p) of them to be right, out of
    sum(p over all pairs) true matches: expected F1 = 2 * S_k / (k + S_all).
    """
    row = first(
        connection,
        """
        WITH ranked AS (
            SELECT vigil_probability AS p,
                   sum(vigil_probability) OVER (ORDER BY vigil_probability DESC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s,
                   row_number() OVER (ORDER BY vigil_probability DESC) AS k
            FROM vigil_scored
        )
        SELECT p FROM ranked
        ORDER BY 2 * s / (k + (SELECT sum(vigil_probability) FROM vigil_scored)) DESC, p DESC
        LIMIT 1
        """,
    )
    if not row or row[0] is None:
        return 0.5
    # Never below even odds: a pair the model thinks more likely different is not reported.
    return max(0.5, min(float(row[0]), 0.999999))


# --- writing -----------------------------------------------------------------------------------


def _pairs_sql(scored: str | None, *, link_type: str, threshold: float) -> str:
    if scored is None:
        return (
            "SELECT NULL::VARCHAR AS left_id, NULL::VARCHAR AS right_id, "
            "NULL::VARCHAR AS match_probability WHERE false"
        )
    if link_type == "link_only":
        left = "CASE WHEN source_dataset_l = 'input_0' THEN unique_id_l ELSE unique_id_r END"
        right = "CASE WHEN source_dataset_l = 'input_0' THEN unique_id_r ELSE unique_id_l END"
    else:
        left, right = "least(unique_id_l, unique_id_r)", "greatest(unique_id_l, unique_id_r)"
    return (
        f"SELECT {left} AS left_id, {right} AS right_id, "
        "printf('%.6f', round(vigil_probability, 6)) AS match_probability "
        f"FROM {scored} WHERE vigil_probability >= {threshold!r} ORDER BY 1, 2"
    )


def _copy(connection: Any, query: str, path: Path) -> int:
    """Write a query's rows as CSV by way of a temporary file, so a failure leaves no half file."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        connection.execute(
            f"COPY ({query}) TO $path (FORMAT csv, HEADER true, DELIMITER ',')",
            {"path": str(temporary)},
        )
        os.replace(temporary, path)
    except (duckdb.Error, OSError) as error:
        temporary.unlink(missing_ok=True)
        raise BulkInputError(problem(path, f"cannot write the output ({error}).")) from None
    return _count(connection, f"read_csv('{_quote(path)}', header = true, all_varchar = true)")


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_pairs(
    connection: Any, scored: str | None, out: Path, *, link_type: str, threshold: float
) -> int:
    if scored is None:
        out.write_text("left_id,right_id,match_probability\n", encoding="utf-8")
        return 0
    return _copy(connection, _pairs_sql(scored, link_type=link_type, threshold=threshold), out)


def _nodes(sources: list[Source]) -> str:
    return " UNION ALL ".join(
        f"SELECT 'input_{i}' || '-__-' || unique_id AS node_id, "
        f"'{s.path.name.replace(chr(39), '')}'"
        f" AS source, unique_id AS record_id FROM features_{i}"
        for i, s in enumerate(sources)
    )


def _write_clusters(
    connection: Any, db_api: Any, sources: list[Source], path: Path, threshold: float
) -> int:
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    connection.execute(f"CREATE OR REPLACE TABLE vigil_nodes AS {_nodes(sources)}")
    # Within one file Splink's pairs carry no source column; every record is from input_0.
    left, right = (
        ("source_dataset_l", "source_dataset_r") if len(sources) > 1 else ("'input_0'", "'input_0'")
    )
    connection.execute(
        "CREATE OR REPLACE TABLE vigil_edges AS SELECT "
        f"{left} || '-__-' || unique_id_l AS node_id_l, "
        f"{right} || '-__-' || unique_id_r AS node_id_r, "
        "vigil_probability AS match_probability FROM vigil_scored"
    )
    clustered = cluster_pairwise_predictions_at_threshold(
        "vigil_nodes",
        "vigil_edges",
        db_api,
        node_id_column_name="node_id",
        threshold_match_probability=threshold,
    )
    # One person id per cluster: the first record of the cluster, by file then record id.
    query = (
        "WITH c AS (SELECT n.source, n.record_id, x.cluster_id, n.node_id FROM vigil_nodes n "
        f"JOIN {clustered.physical_name} x ON x.node_id = n.node_id) "
        "SELECT source, record_id, dense_rank() OVER (ORDER BY cluster_id) AS person_id "
        "FROM c ORDER BY person_id, node_id"
    )
    _copy(connection, query, path)
    found = first(connection, f"SELECT count(DISTINCT cluster_id) FROM {clustered.physical_name}")
    return int(found[0]) if found else 0


def _write_singletons(connection: Any, sources: list[Source], path: Path) -> None:
    query = (
        f"SELECT source, record_id, row_number() OVER (ORDER BY node_id) AS person_id "
        f"FROM ({_nodes(sources)}) ORDER BY person_id"
    )
    _copy(connection, query, path)


def _write_report(linker: Any, predictions: Any, folder: Path, result: Result) -> None:
    """The model's parameters and two charts, as files that open with no network."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(folder / "model.json"), overwrite=True)
        # inline=True bundles Vega from Splink's own package files: no CDN is asked for.
        linker.visualisations.match_weights_chart().save(
            str(folder / "match_weights.html"), inline=True
        )
        linker.visualisations.match_weights_histogram(predictions).save(
            str(folder / "match_weight_histogram.html"), inline=True
        )
        (folder / "summary.json").write_text(
            json.dumps(
                {
                    "records": result.records,
                    "pairs": result.pairs,
                    "threshold": result.threshold,
                    "probability_two_random_records_match": result.prior,
                    "comparisons": result.comparisons,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    except OSError as error:
        raise BulkInputError(
            problem(folder, f"cannot write the report ({error.strerror}).")
        ) from None
