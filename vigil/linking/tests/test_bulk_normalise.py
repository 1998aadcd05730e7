"""The SQL normalisation in bulk/sql.py gives exactly what normalise.py gives."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vigil.linking import normalise
from vigil.linking.bulk import sql

PYTHON: dict[str, Callable[[str | None], str | None]] = {
    "postcode": normalise.postcode_key,
    "email": normalise.email,
    "phone": normalise.phone,
    "name": normalise.name,
}


@pytest.fixture(scope="module")
def connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    sql.install(con)
    return con


def through_sql(con: duckdb.DuckDBPyConnection, stem: str, value: str) -> tuple[bool, str | None]:
    row = con.execute(
        f"SELECT vigil_{stem}_fast($v), vigil_{stem}_sql($v)", {"v": value}
    ).fetchall()[0]
    assert row is not None
    return bool(row[0]), row[1]


# Characters that trip up normalisers: spaces of several kinds, accents, separators, O and 0.
ALPHABET = st.sampled_from(
    [
        *list("aAbBoO0123456789 -+.@<>_()/'`\t\xa0éß"),
        "mailto:",
        "gmail.com",
        "googlemail.com",
        "SW1A",
        "1AA",
        "077",
        "+44",
        "07700900",
    ]
)
RAW = st.lists(ALPHABET, max_size=14).map("".join) | st.text(max_size=20)


@settings(max_examples=400, deadline=None)
@given(raw=RAW)
@example(raw="sw1a1aa")
@example(raw="SW1A 1OA")
@example(raw="4000")
@example(raw=" <MAILTO:Jo.Bloggs+x@GoogleMail.com> ")
@example(raw="a@b.c.")
@example(raw="+@gmail.com")
@example(raw="07700 900123")
@example(raw="+44 7700-900123")
@example(raw="07700  900123")
@example(raw="  O'Brien-Smith. ")
@example(raw="St. Mary`s Road")
def test_sql_fast_paths_equal_normalise(connection: duckdb.DuckDBPyConnection, raw: str) -> None:
    for stem, python in PYTHON.items():
        fast, value = through_sql(connection, stem, raw)
        if fast:
            assert value == python(raw), (stem, raw)


@pytest.mark.parametrize(
    ("stem", "raw"),
    [
        ("postcode", "sw1a 1aa"),
        ("email", "Jo.Bloggs@gmail.com"),
        ("phone", "07700 900123"),
        ("phone", "+447700900123"),
        ("name", "Parker Glens"),
    ],
)
def test_common_forms_take_the_fast_path(
    connection: duckdb.DuckDBPyConnection, stem: str, raw: str
) -> None:
    assert through_sql(connection, stem, raw) == (True, PYTHON[stem](raw))
