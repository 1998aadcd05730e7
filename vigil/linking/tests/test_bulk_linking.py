"""Bulk linking on real-shaped input: missing columns, bad input, clusters, reports, Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.linking_data import FIELDS, write_files
from vigil.linking import bulk
from vigil.linking.bulk import engine, inputs, sql

# ruff: noqa: S608 (test files written from our own temporary paths)


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[tuple[str, str]]]:
    return write_files(tmp_path_factory.mktemp("people"), left=300, right=300, links=250, seed=5)


def without(source: Path, target: Path, drop: set[str]) -> Path:
    with source.open(encoding="utf-8") as handle, target.open("w", encoding="utf-8") as out:
        reader = csv.DictReader(handle)
        keep = [f for f in reader.fieldnames or [] if f not in drop]
        writer = csv.DictWriter(out, fieldnames=keep, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(reader)
    return target


def link_error(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("link_records", *args, verbosity=0)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_a_missing_column_is_left_out_of_the_model_and_the_rest_still_link(
    people: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, truth = people
    left = without(left, tmp_path / "left.csv", {"phone", "email"})
    right = without(right, tmp_path / "right.csv", {"phone", "email"})
    out, report = tmp_path / "pairs.csv", tmp_path / "report"
    call_command(
        "link_records", str(left), str(right), "--out", str(out), "--report", str(report),
        verbosity=0,
    )  # fmt: skip
    saved = json.loads((report / "model.json").read_text(encoding="utf-8"))
    names = [c["output_column_name"] for c in saved["comparisons"]]
    assert "phone" not in names and "email" not in names
    assert {"given_surname", "dob", "location"} <= set(names)
    rules = json.dumps(saved["blocking_rules_to_generate_predictions"])
    assert "phone" not in rules and "email" not in rules
    with out.open(encoding="utf-8") as handle:
        found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    assert len(found & truth) / len(truth) >= 0.9
    assert len(found & truth) / len(found) >= 0.9


def test_a_column_empty_in_every_row_is_left_out_too(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,given_name,surname,date_of_birth,phone\n"
        "a,Bill,Smith,1985-03-12,\nb,William,Smith,12/03/1985,\nc,Ann,Jones,1990-01-01,\n"
    )
    report = tmp_path / "report"
    call_command("link_records", str(people), "--out", str(tmp_path / "o.csv"), "--report",
                 str(report), verbosity=0)  # fmt: skip
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    assert "phone" not in summary["comparisons"]
    assert "dob" in summary["comparisons"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name,surname\nJo,Bloggs\n", "people.csv, row 1, column record_id: has no record_id"),
        (b"record_id,given_name,given_name\n1,Jo,Jo\n", "row 1, column given_name: this column"),
        (b"record_id,surname\n1,Smith\n2,Sm\xefth\n", "people.csv, row 3, column surname: is not"),
        (
            b"record_id,given_name,date_of_birth\n1,Jo,1984-03-07\n2,Sam,31/02/1990\n",
            "people.csv, row 3, column date_of_birth: '31/02/1990' is not a date of birth",
        ),
        (b"record_id,date_of_birth\n1,next tuesday\n", "row 2, column date_of_birth"),
        (b"", "people.csv, row 1: the file is empty"),
        (b"record_id,given_name\n1,Jo,extra\n", "people.csv, row 2: has 3 values"),
    ],
)
def test_bad_input_exits_2_naming_file_row_and_column(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(content)
    out = tmp_path / "out.csv"
    assert expected in link_error(str(people), "--out", str(out))
    assert not out.exists()


def test_bad_input_in_the_second_file_is_named(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("record_id,date_of_birth\n1,1984-03-07\n")
    bad.write_text("record_id,date_of_birth\n1,1984-03-07\n2,1984-13-07\n")
    message = link_error(str(good), str(bad), "--out", str(tmp_path / "o.csv"))
    assert "bad.csv, row 3, column date_of_birth" in message


def test_parquet_input_links_like_csv_and_its_errors_name_the_row(
    people: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, _truth = people
    con = duckdb.connect()
    for path in (left, right):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) "
            f"TO '{tmp_path / (path.stem + '.parquet')}' (FORMAT parquet)"
        )
    csv_out, parquet_out = tmp_path / "csv.csv", tmp_path / "parquet.csv"
    call_command("link_records", str(left), str(right), "--out", str(csv_out), verbosity=0)
    call_command(
        "link_records", str(tmp_path / "left.parquet"), str(tmp_path / "right.parquet"),
        "--out", str(parquet_out), verbosity=0,
    )  # fmt: skip
    assert parquet_out.read_text() == csv_out.read_text()

    con.execute(
        "COPY (SELECT * FROM (VALUES ('1', '1984-03-07'), ('2', 'soon')) t(record_id, "
        f"date_of_birth)) TO '{tmp_path / 'bad.parquet'}' (FORMAT parquet)"
    )
    message = link_error(str(tmp_path / "bad.parquet"), "--out", str(tmp_path / "o.csv"))
    assert "bad.parquet, row 2, column date_of_birth: 'soon'" in message


def test_dedupe_writes_clusters_with_one_person_id_each(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,given_name,surname,date_of_birth,phone,email\n"
        "a,Bill,Smith,1985-03-12,07700900123,bill@example.org\n"
        "b,William,Smith,12/03/1985,+447700900123,bill@example.org\n"
        "c,Will,Smith,1985-03-12,07700 900123,\n"
        "d,Ann,Jones,1990-01-01,07700900999,ann@example.org\n"
    )
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    call_command(
        "link_records", str(people), "--dedupe", "--out", str(out), "--clusters", str(clusters),
        verbosity=0,
    )  # fmt: skip
    with clusters.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["source", "record_id", "person_id"]
    person = {r["record_id"]: r["person_id"] for r in rows}
    assert person["a"] == person["b"] == person["c"]
    assert person["d"] != person["a"]
    assert {r["source"] for r in rows} == {"people.csv"}


def test_dedupe_with_two_files_is_refused(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("record_id\n1\n")
    message = link_error(str(people), str(people), "--dedupe", "--out", str(tmp_path / "o"))
    assert "--dedupe takes one file" in message


def test_report_has_parameters_and_charts_that_need_no_network(
    people: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, _truth = people
    report = tmp_path / "report"
    call_command(
        "link_records", str(left), str(right), "--out", str(tmp_path / "p.csv"),
        "--report", str(report), verbosity=0,
    )  # fmt: skip
    saved = json.loads((report / "model.json").read_text(encoding="utf-8"))
    assert saved["comparisons"] and saved["probability_two_random_records_match"] > 0
    for chart in ("match_weights.html", "match_weight_histogram.html"):
        html = (report / chart).read_text(encoding="utf-8")
        assert "vega" in html
        assert "<script src=" not in html  # everything inline: no CDN
        assert "https://cdn" not in html


def test_a_memory_limit_is_passed_to_duckdb(
    people: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path
) -> None:
    left, right, _truth = people
    call_command(
        "link_records", str(left), str(right), "--out", str(tmp_path / "p.csv"),
        "--memory-limit", "500MB", verbosity=0,
    )  # fmt: skip
    assert (tmp_path / "p.csv").exists()
    assert "is not an amount of memory" in _argument_error(left, "--memory-limit", "lots")


def _argument_error(path: Path, *args: str) -> str:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "manage.py", "link_records", str(path), "--out", "/dev/null", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    return done.stderr


def test_normalising_in_duckdb_equals_normalise_py(
    people: tuple[Path, Path, set[tuple[str, str]]],
) -> None:
    """End to end on generated records: the DuckDB features equal the Python reference."""
    from vigil.linking import normalise

    _left, right, _truth = people
    con = duckdb.connect()
    sql.install(con)
    source = inputs.load(con, inputs.check(right), "raw_0")
    engine._normalise(con, [source])
    got = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT unique_id, given, surname, given_meta, surname_meta, dob, postcode, street, "
            "address, town, phone, email FROM features_0"
        ).fetchall()
    }
    with right.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            given, surname = normalise.given_name(row["given_name"]), normalise.name(row["surname"])
            street = normalise.name(row["address_1"])
            number = normalise.street_number(row["street_number"])
            expected = (
                given,
                surname,
                normalise.phonetic(given),
                normalise.phonetic(surname),
                normalise.date_of_birth(row["date_of_birth"] or None),
                normalise.postcode_key(row["postcode"]),
                street,
                f"{number} {street}" if number and street else None,
                normalise.name(row["town"]),
                normalise.phone(row["phone"]),
                normalise.email(row["email"]),
            )
            assert got[row["record_id"]] == expected, row


def test_public_names() -> None:
    assert tuple(FIELDS) == bulk.INPUT_COLUMNS


def test_twins_are_not_taken_for_one_person(tmp_path: Path) -> None:
    """Same surname, date of birth and home, different given names: two people, not one."""
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,given_name,surname,date_of_birth,street_number,address_1,postcode,phone,email\n"
        "a,Gemma,Bobal,2004-10-01,212,Miller Key,T4 7GX,07634347548,gbobal@example.com\n"
        "b,Hayleigh,Bobal,01/10/2004,212,Miller Key,T4 7GX,07502622578,\n"
        "c,Gemma,BOBAL,20041001,212,Miller Key,t47gx,,gbobal@example.com\n"
    )
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(people), "--out", str(out), verbosity=0)
    with out.open(encoding="utf-8") as handle:
        found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    assert found == {("a", "c")}


def test_namesakes_sharing_an_email_spelled_from_their_name_are_two_people(
    tmp_path: Path,
) -> None:
    """Namesakes, one pair in four with the same rosalind.<surname>@example.org, nothing else
    in common (and no phone to tell them apart): the name and an email spelled from it are
    one piece of evidence, not two. (Before, those pairs scored 0.8.)"""
    left, right, truth = write_files(tmp_path, left=1100, right=1100, links=1000, seed=3)
    with left.open("a", encoding="utf-8") as a, right.open("a", encoding="utf-8") as b:
        for i in range(40):
            surname = f"Vantor{chr(97 + i // 6)}{chr(97 + i % 6)}"
            email = f"rosalind.{surname.lower()}@example.org"
            a.write(
                f"NL{i},Rosalind,{surname},1950-03-{i % 18 + 10},{i + 1},Quarry Lane,,Alderton,"
                f"AL1 {i % 10}AB,07700900{i:03d},{email}\n"
            )
            other = email if i % 4 == 0 else f"r{surname.lower()}{i}@gmail.com"
            b.write(
                f"NR{i},Rosalind,{surname},1987-11-0{i % 9 + 1},{i + 40},Orchard Way,,Burford,"
                f"BU9 {i % 10}ZZ,,{other}\n"
            )
    out = tmp_path / "pairs.csv"
    call_command("link_records", str(left), str(right), "--out", str(out), verbosity=0)
    with out.open(encoding="utf-8") as handle:
        found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    assert not {(a, b) for a, b in found if a.startswith("NL")}
    assert len(found & truth) / len(truth) > 0.95


def test_the_email_levels_spelled_from_the_name_take_their_u_from_namesakes() -> None:
    from splink import DuckDBAPI, Linker

    from vigil.linking.bulk import model

    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE people AS SELECT 'x' AS unique_id, 'ann' AS given, 'lee' AS surname, "
        "'ann lee' AS given_surname, '1990-01-01' AS dob, 'ann.lee@example.org' AS email"
    )
    available = {"given", "surname", "dob", "email"}
    linker = Linker(
        DuckDBAPI(connection).register("people"),
        model.settings(available, "dedupe_only"),
        log_level=None,
    )
    chosen = model.email_from_name_u(linker, (1000, 49, 9))
    assert chosen == {
        "Same email, spelled from the name": pytest.approx(49.5 / 1001),
        "Same user name, spelled from the name": pytest.approx(9.5 / 1001),
    }
    (email,) = [c for c in linker._settings_obj.comparisons if c.output_column_name == "email"]
    levels = {lvl.label_for_charts: lvl for lvl in email.comparison_levels}
    for label, u in chosen.items():
        # Fixed, so that Splink's own estimates do not replace it after training.
        assert levels[label].u_probability == u and levels[label]._fix_u_probability
    assert model.email_from_name_u(linker, (model.MIN_NAMESAKE_PAIRS - 1, 5, 1)) == {}


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("1950-03-14", "1987-11-02", True),  # plainly different
        ("1950-03-14", "1950-03-14", False),
        ("1950-03-14", "1950-03-15", False),  # one digit
        ("1950-03-04", "1950-04-03", False),  # day and month swapped
    ],
)
def test_namesakes_are_counted_only_with_plainly_different_dates_of_birth(
    left: str, right: str, expected: bool
) -> None:
    from vigil.linking.bulk import model

    connection = duckdb.connect()
    for side, table, dob, email in (
        ("a", "l_people", left, "ann.lee@example.org"),
        ("b", "r_people", right, "ann.lee@example.org"),
    ):
        connection.execute(
            f"CREATE TABLE {table} AS SELECT '{side}' AS unique_id, 'ann' AS given, "
            f"'lee' AS surname, '{dob}' AS dob, '{email}' AS email"
        )
    query = model.email_from_name_query(
        "l_people", "r_people", dedupe=False, left_records=1,
        available={"given", "surname", "dob", "email"},
    )  # fmt: skip
    assert query is not None
    pairs, same_email, _same_user = connection.execute(query).fetchone()  # type: ignore[misc]
    assert (pairs, same_email) == ((1, 1) if expected else (0, None))


def test_sound_alike_names_alone_block_only_while_the_pairs_are_few() -> None:
    from vigil.linking.bulk import model

    every = set(model.FEATURES)
    assert model.NAMES_ONLY not in model.blocking_rules(every)
    assert model.NAMES_ONLY in model.blocking_rules(every, names_alone=True)
    assert model.NAMES_ONLY in model.blocking_rules(every - {"dob"})
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE f AS SELECT * FROM (VALUES ('JN', 'SM'), ('JN', 'SM'), ('JN', 'SM'), "
        "('AN', 'LI'), (NULL, 'LI')) t(given_meta, surname_meta)"
    )
    within = connection.execute(model.names_alone_pairs_query(["f"])).fetchone()
    between = connection.execute(model.names_alone_pairs_query(["f", "f"])).fetchone()
    assert within == (3,) and between == (10,)


def test_em_trains_on_a_bounded_number_of_pairs() -> None:
    """Splink 5 samples EM's records only when max_pairs is given."""
    from vigil.linking.bulk import model

    calls: list[dict[str, object]] = []

    class Training:
        def estimate_probability_two_random_records_match(self, *a: object, **k: object) -> None:
            pass

        def estimate_u_using_random_sampling(self, *a: object, **k: object) -> None:
            pass

        def estimate_parameters_using_expectation_maximisation(
            self, *a: object, **k: object
        ) -> None:
            calls.append(k)

    class FakeLinker:
        training = Training()

    model.train(FakeLinker(), set(model.FEATURES), records=2_000_000)
    assert calls and all(k.get("max_pairs") == model.EM_PAIRS for k in calls)
