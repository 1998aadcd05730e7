from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.linking_data import write_files
from vigil.linking.bulk import engine

ROOT = Path(__file__).resolve().parents[3]


def read_pairs(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[tuple[str, str]]]:
    return write_files(tmp_path_factory.mktemp("people"), left=300, right=300, links=250, seed=3)


def link_error(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("link_records", *args)
    return caught.value


def test_linking_two_files_finds_the_true_pairs(
    generated: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, truth = generated
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(left), str(right), "--out", str(out), verbosity=0)
    header, rows = read_pairs(out)
    assert header == ["left_id", "right_id", "match_probability"]
    found = {(row["left_id"], row["right_id"]) for row in rows}
    assert all(left_id.startswith("L") and right_id.startswith("R") for left_id, right_id in found)
    assert all(0.5 <= float(row["match_probability"]) <= 1 for row in rows)
    assert len(found & truth) / len(truth) >= 0.95
    assert len(found & truth) / len(found) >= 0.95


def test_one_file_finds_duplicates_within_it(
    generated: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, truth = generated
    both = tmp_path / "both.csv"
    lines = left.read_text().splitlines() + right.read_text().splitlines()[1:]
    both.write_text("\n".join(lines) + "\n")
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(both), "--out", str(out), verbosity=0)
    _header, rows = read_pairs(out)
    found = {(row["left_id"], row["right_id"]) for row in rows}
    assert all(left_id < right_id for left_id, right_id in found)
    assert len(found & truth) / len(truth) >= 0.95


def test_a_higher_threshold_reports_fewer_pairs(
    generated: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, _truth = generated
    loose, strict = tmp_path / "loose.csv", tmp_path / "strict.csv"
    call_command("link_records", str(left), str(right), "--out", str(loose), "--threshold", "0.5")
    call_command(
        "link_records", str(left), str(right), "--out", str(strict), "--threshold", "0.99999"
    )
    assert len(read_pairs(strict)[1]) < len(read_pairs(loose)[1])


def test_any_subset_of_columns_is_enough_and_other_columns_are_ignored(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,email,favourite_colour\n1,Jo.Bloggs@gmail.com,red\n2,jobloggs@gmail.com,blue\n"
        "3,someone@example.org,green\n"
    )
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(people), "--out", str(out), "--threshold", "0.01")
    header, _rows = read_pairs(out)
    assert header == ["left_id", "right_id", "match_probability"]


def test_missing_record_id_column_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,given_name\n1,Jo\n")
    error = link_error(str(people), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "has no record_id column" in str(error)


def test_empty_record_id_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("record_id,given_name\n1,Jo\n,Sam\n")
    error = link_error(str(people), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "people.csv, row 3, column record_id: the record_id is empty" in str(error)


def test_repeated_record_id_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("record_id,given_name\n1,Jo\n1,Sam\n")
    error = link_error(str(people), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "people.csv, row 3, column record_id: record_id '1' appears more than once" in str(error)


def test_file_that_is_not_utf8_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(b"record_id,given_name\n1,Zo\xeb\n")
    error = link_error(str(people), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "people.csv, row 2, column given_name: is not UTF-8 text" in str(error)


def test_missing_file_is_exit_code_2(tmp_path: Path) -> None:
    error = link_error(str(tmp_path / "nowhere.csv"), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "file not found" in str(error)


def test_empty_file_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("")
    error = link_error(str(people), "--out", str(tmp_path / "out.csv"))
    assert error.returncode == 2
    assert "people.csv, row 1: the file is empty" in str(error)


def test_bad_input_exits_with_code_2_and_a_message_on_stderr(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name\nJo\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "link_records", str(people), "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "has no record_id column" in result.stderr
    assert not (tmp_path / "o").exists()


def test_progress_goes_to_stderr_not_into_the_output(
    generated: tuple[Path, Path, set[tuple[str, str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    left, right, _truth = generated
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(left), str(right), "--out", str(out), verbosity=2)
    captured = capsys.readouterr()
    assert "Read 300 records from left.csv" in captured.err
    assert "Read 300 records from right.csv" in captured.err
    assert "Comparing records" in captured.err
    assert "Wrote" in captured.err
    assert captured.out == ""


def test_scoring_says_on_stderr_how_many_pairs_are_scored_and_how_fast(
    generated: tuple[Path, Path, set[tuple[str, str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A national run prints a line every few seconds; this small one is scored in a moment.
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 0.001, raising=False)
    left, right, _truth = generated
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(left), str(right), "--out", str(out), verbosity=2)
    captured = capsys.readouterr()
    assert re.search(
        r"Comparing records: about [\d,]+ of [\d,]+ pairs scored \(\d+%\), [\d,]+ a second",
        captured.err,
    )
    assert re.search(
        r"Comparing records: all [\d,]+ pairs scored, [\d,]+ a second "
        r"\(\d+ s comparing, \d+ s in all\)",
        captured.err,
    )
    assert "pairs scored" not in captured.out


def test_a_progress_line_gives_pairs_scored_the_rate_and_the_time_left() -> None:
    lines: list[str] = []
    progress = engine.ScoringProgress(say=lines.append, started=0.0, began=100.0)
    progress.update(now=105.0, percent=40.0, pairs=None)  # still blocking
    progress.update(now=110.0, percent=25.0, pairs=4000)
    progress.update(now=120.0, percent=50.0, pairs=4000)
    progress.update(now=121.0, percent=-1.0, pairs=4000)  # between two statements: quiet
    progress.finish(now=140.0)
    assert lines == [
        "Comparing records: finding the pairs to compare (5 s comparing, 1 min 45 s in all).",
        "Comparing records: about 1,000 of 4,000 pairs scored (25%), 100 a second, about 30 s "
        "left (10 s comparing, 1 min 50 s in all).",
        "Comparing records: about 2,000 of 4,000 pairs scored (50%), 100 a second, about 20 s "
        "left (20 s comparing, 2 min 0 s in all).",
        "Comparing records: all 4,000 pairs scored, 100 a second (40 s comparing, 2 min 20 s in "
        "all).",
    ]


def test_a_spark_progress_line_gives_tasks_done_the_rate_and_the_time_left() -> None:
    lines: list[str] = []
    progress = engine.ScoringProgress(say=lines.append, started=0.0, began=100.0)
    progress.update_tasks(now=105.0, done=0, total=0, finished=0)  # between two jobs: quiet
    progress.update_tasks(now=110.0, done=10, total=40, finished=50)
    # A new stage has begun: its own tasks, the rate over every task done since the last line.
    progress.update_tasks(now=120.0, done=5, total=20, finished=100)
    progress.finish_tasks(now=140.0, jobs=3, tasks=200)
    assert lines == [
        "Comparing records on Spark: 10 of 40 tasks of the running stages done (25%), 5 tasks "
        "a second, about 6 s left of them (10 s comparing, 1 min 50 s in all).",
        "Comparing records on Spark: 5 of 20 tasks of the running stages done (25%), 5 tasks "
        "a second, about 3 s left of them (20 s comparing, 2 min 0 s in all).",
        "Comparing records on Spark: all 3 jobs done, 200 tasks, 5 a second (40 s comparing, "
        "2 min 20 s in all).",
    ]


def test_tiny_inputs_work(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,given_name,surname,date_of_birth,phone\n"
        "a,Bill,Smith,1985-03-12,07700900123\nb,William,Smith,19850312,+447700900123\n"
    )
    lonely = tmp_path / "one.csv"
    lonely.write_text("record_id,given_name\n1,Jo\n")
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(people), "--out", str(out), verbosity=0)
    assert [(r["left_id"], r["right_id"]) for r in read_pairs(out)[1]] == [("a", "b")]
    call_command("link_records", str(lonely), "--out", str(out), verbosity=0)
    assert read_pairs(out)[1] == []


def test_output_that_cannot_be_written_is_exit_code_2(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("Record_ID,Email\n1,a@example.org\n2,b@example.org\n")
    error = link_error(str(people), "--out", str(tmp_path / "no-such-folder" / "out.csv"))
    assert error.returncode == 2
    assert "cannot write the output" in str(error)
