"""Scoring the blocked pairs on Spark, for inputs too big for one machine (`--engine spark`).

Only the step that grows with the number of pairs moves to Spark: blocking and scoring every
blocked pair. The rest stays the DuckDB engine's own code, so the two engines cannot drift
apart: the files are read, checked and normalised in DuckDB (engine.py, sql.py), the model is
trained there (on samples of records and pairs, so a national extract still trains on one
machine), and the scored pairs come back to DuckDB for the household rule, the prior, the
threshold and the output. The normalised records go to Spark as Parquet in `folder`, the
trained model as a settings dict (the same comparisons, written in Spark's SQL, with the
trained parameters copied level by level), and the scored pairs come back as Parquet.

On a cluster `folder` must be storage that the driver and every executor can read (see
docs/operations.md). Nothing is fetched from the network: Splink's similarity functions come
from the jar inside the splink package, and the local master needs no cluster.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from vigil.linking.bulk import engine, model
from vigil.linking.bulk.engine import Predict, Progress, Scoring, ScoringProgress
from vigil.linking.bulk.inputs import BulkInputError, problem

INSTALL_HINT = (
    "`make spark-deps` installs both (pip install -r requirements-spark.txt; "
    "apt-get install default-jre-headless)"
)
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS.update({"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40})


class SparkUnavailable(BulkInputError):
    """pyspark or Java is missing: the command cannot run, like input it cannot read (exit 2)."""


def java() -> str | None:
    """The java that pyspark will launch: $JAVA_HOME's if set, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def require() -> None:
    """Refuse to start, before reading anything, when Spark cannot run here."""
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (a Python package)")
    if java() is None:
        missing.append("a Java runtime (java on PATH, or JAVA_HOME)")
    if missing:
        raise SparkUnavailable(
            f"--engine spark needs {' and '.join(missing)}, not found here; {INSTALL_HINT}. "
            "Without them, leave out --engine to link with DuckDB."
        )


def jvm_memory(limit: str) -> str:
    """A DuckDB memory limit ("6GB", "512 MiB") as a JVM heap size ("5722m")."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]I?B)\s*", limit, re.I)
    if not match:
        raise ValueError(f"not an amount of memory: {limit!r}")
    size = float(match[1]) * _UNITS[match[2].upper()]
    return f"{max(256, int(size // 2**20))}m"


@contextlib.contextmanager
def scorer(*, folder: Path, threads: int | None, memory_limit: str) -> Iterator[Predict]:
    """A Predict that scores on Spark, passing files through a fresh folder inside `folder`
    that is deleted at the end (it holds personal data). The session starts on first use (an
    input with nothing to compare never starts a JVM) and is stopped at the end if this
    started it."""
    try:
        work = Path(tempfile.mkdtemp(prefix="vigil-link-", dir=folder))
    except OSError as error:
        raise BulkInputError(
            problem(folder, f"cannot write the Spark folder ({error.strerror}).")
        ) from None
    started: list[tuple[Any, bool]] = []

    def predict(scoring: Scoring) -> Any:
        if not started:
            started.append(_session(work, threads, memory_limit))
        return _predict(started[0][0], scoring, work)

    try:
        yield predict
    finally:
        if started and started[0][1]:
            started[0][0].stop()
        shutil.rmtree(work, ignore_errors=True)


def _session(folder: Path, threads: int | None, memory_limit: str) -> tuple[Any, bool]:
    """The active Spark session (under spark-submit or a notebook), else a local one."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # py4j logs every connection it closes at INFO; only problems should reach the user.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName("vigil link_records")
    # spark-submit starts the JVM before Python and passes it in this variable; then the
    # master, memory and jars are the submit command's (docs/operations.md).
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        cores = threads or os.cpu_count() or 1
        # One machine, no network: bind to loopback rather than whatever the hostname resolves
        # to, and no web UI port.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.master(f"local[{cores}]")
            .config("spark.driver.memory", jvm_memory(memory_limit))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG}")
            # Spark's shuffle spill, deleted with the folder.
            .config("spark.local.dir", str(folder / "spark-local"))
            # Spark's default of 200 shuffle partitions is for clusters; locally a few per core.
            .config("spark.sql.shuffle.partitions", str(4 * cores))
            # Splink's jaro_winkler and other similarity functions, from the splink package.
            .config("spark.jars", similarity_jar_location())
        )
    session = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # Splink's comparisons make long generated Java; past 64 KB Spark logs the compiler's
    # failure at length and runs the same plan interpreted. The result is the same, so quiet
    # (here too for spark-submit, whose logging is the cluster's).
    jvm: Any = session.sparkContext._jvm
    for logger in (
        "org.apache.spark.sql.catalyst.expressions.codegen",
        "org.apache.spark.sql.execution.WholeStageCodegenExec",
    ):
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
            logger, jvm.org.apache.logging.log4j.Level.OFF
        )
    # Splink breaks long query plans by writing intermediate tables as Parquet here.
    session.sparkContext.setCheckpointDir(str(folder / "spark-checkpoints"))
    return session, True


def _predict(session: Any, scoring: Scoring, folder: Path) -> Any:
    from splink import Linker, SparkAPI
    from splink.internals.duckdb.dataframe import DuckDBDataFrame

    spark_api = SparkAPI(spark_session=session)
    for i in range(scoring.inputs):
        scoring.connection.execute(
            f"COPY features_{i} TO $path (FORMAT parquet)",
            {"path": str(folder / f"features_{i}.parquet")},
        )
    trained = scoring.linker.misc.save_model_to_json()
    scored = folder / "scored.parquet"
    with _watch(session.sparkContext, scoring.say, scoring.started):
        tables = [
            spark_api.register(
                session.read.parquet(str(folder / f"features_{i}.parquet")),
                table_name=f"input_{i}",
            )
            for i in range(scoring.inputs)
        ]
        linker = Linker(
            tables if len(tables) > 1 else tables[0],
            spark_settings(trained, scoring.available, names_alone=scoring.names_alone),
            log_level=None,
        )
        predictions = linker.inference.predict(
            threshold_match_probability=model.FLOOR_PROBABILITY, warning_mode="never"
        )
        predictions.as_spark_dataframe().write.mode("overwrite").parquet(str(scored))
    scoring.connection.execute(
        "CREATE OR REPLACE TABLE vigil_spark_scored AS SELECT * FROM read_parquet($path)",
        {"path": str(scored / "*.parquet")},
    )
    return DuckDBDataFrame("__splink__df_predict", "vigil_spark_scored", scoring.db_api)


class Tasks(NamedTuple):
    """What Spark's status tracker says of the scoring's jobs at one moment."""

    done: int  # tasks done in the stages running now
    total: int  # tasks in the stages running now
    finished: int  # tasks done in every stage of the scoring so far
    jobs: int


def tasks_of(tracker: Any, group: str) -> Tasks:
    """The tasks of the jobs in `group`, from a SparkContext's statusTracker(). A stage that
    Spark skipped (its output already there) has no task done, so counts nothing."""
    jobs = [job for job in map(tracker.getJobInfo, tracker.getJobIdsForGroup(group)) if job]
    stages = {
        stage.stageId: stage
        for stage in map(tracker.getStageInfo, {s for job in jobs for s in job.stageIds})
        if stage
    }
    running = [stages[s] for s in tracker.getActiveStageIds() if s in stages]
    return Tasks(
        done=sum(stage.numCompletedTasks for stage in running),
        total=sum(stage.numTasks for stage in running),
        finished=sum(stage.numCompletedTasks for stage in stages.values()),
        jobs=len(jobs),
    )


# Spark's local properties that name the job group of the calling thread.
_JOB_GROUP = ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel")


@contextlib.contextmanager
def _watch(context: Any, say: Progress, started: float) -> Iterator[None]:
    """Every engine.PROGRESS_EVERY seconds, the same kind of line as DuckDB's scoring prints,
    from Spark's status tracker: scoring is most of a national run, and without them Spark
    says nothing for all of it. The scoring's jobs run in a job group of their own, so the
    lines count only them even in a shared session (under spark-submit); the thread only
    reads the tracker, and the caller's own job group is put back at the end."""
    group = f"vigil-link-{uuid.uuid4().hex}"
    before = {key: context.getLocalProperty(key) for key in _JOB_GROUP}
    context.setJobGroup(group, "vigil link_records: scoring the pairs")
    tracker = context.statusTracker()
    progress = ScoringProgress(say=say, started=started, began=time.monotonic())

    def poll_once() -> bool:
        from py4j.protocol import Py4JError

        try:
            now = tasks_of(tracker, group)
        except Py4JError:  # the session is stopping: the scoring has failed
            return False
        progress.update_tasks(
            now=time.monotonic(), done=now.done, total=now.total, finished=now.finished
        )
        return True

    try:
        with engine.polled_while_running(poll_once):
            yield
    finally:
        for key, value in before.items():
            context.setLocalProperty(key, value)  # None removes it
    final = tasks_of(tracker, group)  # not after a failure: then nothing was scored
    progress.finish_tasks(now=time.monotonic(), jobs=final.jobs, tasks=final.finished)


def spark_settings(
    trained: dict[str, Any], available: set[str], *, names_alone: bool | None = None
) -> dict[str, Any]:
    """The trained DuckDB model as Spark settings: the same comparisons and blocking rules, from
    model.settings in Spark's SQL, with every level's trained parameters.

    Levels are matched by their DuckDB SQL (the trained model may lack a level the fresh
    settings have, when a saved model was used), then given the Spark SQL of the same level.
    """
    link_type = trained["link_type"]
    as_duckdb = model.settings(available, link_type, "duckdb", names_alone=names_alone)
    as_spark = model.settings(available, link_type, "spark", names_alone=names_alone)
    in_spark: dict[tuple[str, str], str] = {}
    for duck, spark in zip(as_duckdb["comparisons"], as_spark["comparisons"], strict=True):
        for duck_level, spark_level in zip(
            duck["comparison_levels"], spark["comparison_levels"], strict=True
        ):
            key = (duck["output_column_name"], duck_level["sql_condition"])
            in_spark[key] = spark_sql(spark_level["sql_condition"])
    comparisons = []
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        levels = [
            {**level, "sql_condition": in_spark[(name, level["sql_condition"])]}
            for level in comparison["comparison_levels"]
        ]
        comparisons.append({**comparison, "comparison_levels": levels})
    return {
        **trained,
        "sql_dialect": "spark",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": as_spark[
            "blocking_rules_to_generate_predictions"
        ],
    }


def _function_names() -> dict[str, str]:
    """DuckDB's name for each similarity function Splink knows -> Spark's (from Splink)."""
    from splink.internals.dialects import SplinkDialect

    duckdb, spark = SplinkDialect.from_string("duckdb"), SplinkDialect.from_string("spark")
    names = {}
    for attribute in dir(duckdb):
        if attribute.endswith("_function_name"):
            try:
                names[getattr(duckdb, attribute)] = getattr(spark, attribute)
            except (NotImplementedError, AttributeError):
                continue
    return {d: s for d, s in names.items() if d != s}


# strftime's date parts (model.py's date formats, for DuckDB) -> Java's (Spark's).
_DATE_PARTS = {"%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH", "%M": "mm", "%S": "ss"}


def spark_sql(condition: str) -> str:
    """A level's SQL for Spark. Splink writes its own levels in the dialect asked for, except
    the date format it is given (model.py gives DuckDB's %Y-%m-%d; Spark reads yyyy-MM-dd); the
    custom levels of model.py are DuckDB SQL, whose similarity functions Spark names
    differently (jaro_winkler_similarity is jaro_winkler there)."""
    for duckdb_name, spark_name in _function_names().items():
        condition = re.sub(rf"\b{re.escape(duckdb_name)}\s*\(", f"{spark_name}(", condition)

    def java_format(literal: re.Match[str]) -> str:
        text = literal[0]
        for part, java in _DATE_PARTS.items():
            text = text.replace(part, java)
        return text

    return re.sub(r"'[^']*%[YmdHMS][^']*'", java_format, condition)
