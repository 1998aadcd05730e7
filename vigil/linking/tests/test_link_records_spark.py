"""`link_records --engine spark`: the same pairs as DuckDB, and a clear refusal without Spark.

The Spark test starts one local Spark session (a JVM) on a few hundred records: it is the
slowest test here, so there is exactly one. `make pytest-sqlite` installs pyspark and Java first
(`make spark-deps`) and sets VIGIL_REQUIRE_SPARK, so on CI it fails rather than skips when they
are missing; elsewhere it is skipped with the command that installs them.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.linking_data import write_files
from vigil.linking.bulk import engine as bulk_engine
from vigil.linking.bulk import model, spark

ROOT = Path(__file__).resolve().parents[3]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def spark_available() -> None:
    try:
        spark.require()
    except spark.SparkUnavailable as missing:
        if os.environ.get("VIGIL_REQUIRE_SPARK"):
            pytest.fail(str(missing))
        pytest.skip(f"{missing} (run `make spark-deps`)")


@pytest.mark.spark
@pytest.mark.usefixtures("spark_available")
def test_spark_and_duckdb_engines_give_the_same_pairs_and_clusters(tmp_path: Path) -> None:
    left, right, truth = write_files(tmp_path, left=300, right=300, links=250, seed=3)
    shared = tmp_path / "shared"  # stands for a cluster's shared folder
    shared.mkdir()
    report = tmp_path / "report"
    engines = {"duckdb": [], "spark": ["--spark-dir", str(shared), "--report", str(report)]}
    results = {}
    for engine, options in engines.items():
        out, clusters = tmp_path / f"{engine}.csv", tmp_path / f"{engine}-clusters.csv"
        call_command(
            "link_records",
            str(left),
            str(right),
            *["--out", str(out), "--clusters", str(clusters), "--engine", engine],
            *["--memory-limit", "1GB", *options],
            verbosity=0,
        )
        pairs = {
            (r["left_id"], r["right_id"]): float(r["match_probability"]) for r in read_rows(out)
        }
        results[engine] = (pairs, read_rows(clusters))
    (duckdb_pairs, duckdb_clusters), (spark_pairs, spark_clusters) = results.values()
    assert set(spark_pairs) == set(duckdb_pairs)
    assert len(set(spark_pairs) & truth) >= 0.95 * len(truth)
    for pair, probability in duckdb_pairs.items():
        assert spark_pairs[pair] == pytest.approx(probability, abs=1e-4)
    assert spark_clusters == duckdb_clusters
    # The records and pairs handed between DuckDB and Spark are personal data: none is left.
    assert list(shared.iterdir()) == []
    assert (report / "model.json").is_file()
    assert (report / "match_weight_histogram.html").is_file()


@pytest.mark.spark
@pytest.mark.usefixtures("spark_available")
def test_spark_scoring_says_on_stderr_how_far_it_has_got(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A national run prints a line every few seconds; this small one is scored in a moment.
    monkeypatch.setattr(bulk_engine, "PROGRESS_EVERY", 0.05)
    left, right, _truth = write_files(tmp_path, left=60, right=60, links=40, seed=5)
    out = tmp_path / "pairs.csv"
    call_command(
        "link_records",
        *[str(left), str(right), "--out", str(out), "--engine", "spark"],
        *["--memory-limit", "1GB"],
        verbosity=2,
    )
    captured = capsys.readouterr()
    assert re.search(
        r"Comparing records on Spark: [\d,]+ of [\d,]+ tasks of the running stages done "
        r"\(\d+%\), [\d,]+ tasks a second",
        captured.err,
    )
    assert re.search(
        r"Comparing records on Spark: all [\d,]+ jobs done, [\d,]+ tasks, [\d,]+ a second "
        r"\(\d+ s comparing, \d+ s in all\)",
        captured.err,
    )
    assert "tasks" not in captured.out


class StandInTracker:
    """What SparkContext.statusTracker() answers, for jobs and stages made up here."""

    def __init__(self) -> None:
        job, stage = SimpleNamespace, SimpleNamespace
        self.groups = {"scoring": [1, 2], "someone else's": [3]}
        self.jobs = {1: job(stageIds=[10, 11]), 2: job(stageIds=[12, 13]), 3: job(stageIds=[14])}
        self.stages = {
            10: stage(stageId=10, numTasks=8, numCompletedTasks=8),  # done
            11: stage(stageId=11, numTasks=4, numCompletedTasks=0),  # skipped: output there
            12: stage(stageId=12, numTasks=20, numCompletedTasks=5),  # running
            14: stage(stageId=14, numTasks=50, numCompletedTasks=9),  # another job group's
        }  # 13 is not submitted yet: Spark has no stage info for it
        self.active = [12, 14]

    def getJobIdsForGroup(self, group: str) -> list[int]:  # Spark's names
        return self.groups[group]

    def getJobInfo(self, job: int) -> SimpleNamespace | None:
        return self.jobs.get(job)

    def getStageInfo(self, stage: int) -> SimpleNamespace | None:
        return self.stages.get(stage)

    def getActiveStageIds(self) -> list[int]:
        return self.active


def test_spark_progress_counts_the_tasks_of_the_scoring_jobs_only() -> None:
    tasks = spark.tasks_of(StandInTracker(), "scoring")
    assert tasks == spark.Tasks(done=5, total=20, finished=13, jobs=2)


def test_spark_settings_keep_every_trained_parameter_in_spark_sql() -> None:
    available = set(model.FEATURES)
    trained = model.saved_settings(available, "link_only")
    converted = spark.spark_settings(trained, available)
    assert converted["sql_dialect"] == "spark"
    assert (
        converted["probability_two_random_records_match"]
        == (trained["probability_two_random_records_match"])
    )
    assert [c["output_column_name"] for c in converted["comparisons"]] == [
        c["output_column_name"] for c in trained["comparisons"]
    ]
    for old, new in zip(trained["comparisons"], converted["comparisons"], strict=True):
        for old_level, new_level in zip(
            old["comparison_levels"], new["comparison_levels"], strict=True
        ):
            assert new_level.get("m_probability") == old_level.get("m_probability")
            assert new_level.get("u_probability") == old_level.get("u_probability")
            # DuckDB's names and date formats have no meaning in Spark.
            assert "jaro_winkler_similarity" not in new_level["sql_condition"]
            assert "%Y" not in new_level["sql_condition"]


def test_spark_engine_without_pyspark_exits_2_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("record_id,given_name\n1,Jo\n2,Jo\n")
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as caught:
        call_command("link_records", str(people), "--out", str(out), "--engine", "spark")
    assert caught.value.returncode == 2
    assert "--engine spark needs pyspark" in str(caught.value)
    assert "make spark-deps" in str(caught.value)
    assert not out.exists()


def test_spark_engine_without_java_exits_2_with_the_message_on_stderr(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("record_id,given_name\n1,Jo\n2,Jo\n")
    environment = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    environment["PATH"] = str(tmp_path)  # no java on it
    out = tmp_path / "pairs.csv"
    spark_engine = ["--engine", "spark"]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "link_records",
            str(people),
            "--out",
            str(out),
            *spark_engine,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "a Java runtime" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
