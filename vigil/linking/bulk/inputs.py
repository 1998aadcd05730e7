"""Reading the input files into DuckDB, and refusing input that cannot be linked.

A CSV file is checked in one streaming pass (bounded memory: one row at a time) before DuckDB
reads it, so that a problem is reported by file, row and column, which DuckDB's own errors do
not always say. Parquet is typed and already decoded: DuckDB reads it and the checks run in SQL.
Rows are counted as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from vigil.linking import normalise

# SQL here is built from our own table and column names only (user-named Parquet columns are
# quoted); every value from the input travels as a parameter or stays inside DuckDB.
# ruff: noqa: S608

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
DATE_EXAMPLE = "for example 1984-03-07 or 07/03/1984"


class BulkInputError(Exception):
    """The input cannot be linked; the message says where and why in words a user can act on."""


def first(connection: Any, query: str, parameters: Any = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the rest so the connection is free for the next."""
    rows = connection.execute(query, parameters).fetchall()
    return tuple(rows[0]) if rows else None


def problem(path: Path, message: str, *, row: int | None = None, column: str = "") -> str:
    where = str(path)
    if row is not None:
        where += f", row {row}"
    if column:
        where += f", column {column}"
    return f"{where}: {message}"


@dataclass(frozen=True)
class Source:
    """One checked input file: which of our columns it has and how many records."""

    path: Path
    columns: tuple[str, ...]  # the header as read, normalised (stripped, lower case)
    records: int
    parquet: bool

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(c for c in INPUT_COLUMNS if c in self.columns)


@cache
def _readable_date(raw: str) -> bool:
    return normalise.date_of_birth(raw) is not None


def _open(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4)
    except FileNotFoundError:
        raise BulkInputError(problem(path, "file not found.")) from None
    except IsADirectoryError:
        raise BulkInputError(problem(path, "is a folder, not a CSV or Parquet file.")) from None
    except OSError as error:
        raise BulkInputError(problem(path, f"cannot be read ({error.strerror}).")) from None


def check(path: Path) -> Source:
    """Check one input file and say what it holds; raise BulkInputError for anything unusable."""
    start = _open(path)
    if start == b"PAR1":
        return Source(path=path, columns=(), records=0, parquet=True)
    if not start:
        raise BulkInputError(
            problem(
                path, "the file is empty; it needs a header row naming a record_id column.", row=1
            )
        )
    return _check_csv(path)


def _header(path: Path, fields: list[str]) -> tuple[str, ...]:
    header = tuple(name.strip().lower() for name in fields)
    if not any(header):
        raise BulkInputError(
            problem(path, "the header row is empty; it must name a record_id column.", row=1)
        )
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            raise BulkInputError(problem(path, "this column is named twice.", row=1, column=name))
        seen.add(name)
    if "record_id" not in header:
        raise BulkInputError(
            problem(
                path,
                "has no record_id column. The header row must name a record_id column "
                f"(found: {', '.join(h for h in header if h) or 'nothing'}).",
                row=1,
                column="record_id",
            )
        )
    return header


def _check_csv(path: Path) -> Source:
    # surrogateescape keeps a bad byte as a marker in the text, so the row and column that hold
    # it can be named once the line is parsed.
    with path.open("rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        row_number = 1
        try:
            fields = next(reader, None)
            if fields is None:
                raise BulkInputError(
                    problem(path, "the file is empty; it needs a header row.", row=1)
                )
            _check_text(path, 1, fields, fields)
            header = _header(path, fields)
            id_at = header.index("record_id")
            dob_at = header.index("date_of_birth") if "date_of_birth" in header else -1
            width = len(header)
            for row_number, row in enumerate(reader, start=2):
                if len(row) != width:
                    if not any(row):
                        continue  # a blank line, as spreadsheets leave at the end
                    raise BulkInputError(
                        problem(
                            path,
                            f"has {len(row)} values but the header names {width} columns.",
                            row=row_number,
                        )
                    )
                if not "".join(row).isascii():
                    _check_text(path, row_number, row, list(header))
                if not row[id_at].strip():
                    raise BulkInputError(
                        problem(path, "the record_id is empty.", row=row_number, column="record_id")
                    )
                if dob_at >= 0:
                    raw = row[dob_at].strip()
                    if raw and not _readable_date(raw):
                        raise BulkInputError(
                            problem(
                                path,
                                f"{raw!r} is not a date of birth that can be read "
                                f"({DATE_EXAMPLE}; in the past, after 1900).",
                                row=row_number,
                                column=header[dob_at],
                            )
                        )
        except csv.Error as error:
            raise BulkInputError(
                problem(path, f"is not valid CSV ({error}).", row=row_number + 1)
            ) from None
    return Source(path=path, columns=header, records=row_number - 1, parquet=False)


def _check_text(path: Path, row: int, values: list[str], names: list[str]) -> None:
    for value, name in zip(values, names, strict=False):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BulkInputError(
                problem(
                    path,
                    "is not UTF-8 text (a byte here is not UTF-8). Save the file as UTF-8 CSV.",
                    row=row,
                    column=name.strip().lower() or "(unnamed)",
                )
            ) from None
        if "\x00" in value:
            raise BulkInputError(
                problem(path, "contains a NUL byte; this does not look like a CSV file.", row=row)
            )


def load(connection: Any, source: Source, table: str) -> Source:
    """Read one checked file into a DuckDB table of text columns; return what it holds."""
    path = str(source.path)
    if source.parquet:
        return _load_parquet(connection, source, table)
    # Only our own column names reach the SQL; any other column is renamed and not kept.
    names = ", ".join(
        f"'{c}'" if c in INPUT_COLUMNS else f"'vigil_other_{i}'"
        for i, c in enumerate(source.columns)
    )
    keep = ", ".join(f'"{c}"' for c in source.known)
    try:
        connection.execute(
            f"CREATE TABLE {table} AS SELECT {keep} FROM read_csv($path, header = true, "
            f"all_varchar = true, delim = ',', quote = '\"', escape = '\"', names = [{names}], "
            "strict_mode = false)",
            {"path": path},
        )
    except duckdb.Error as error:
        raise BulkInputError(problem(source.path, f"cannot be read as CSV ({error}).")) from None
    _check_unique(connection, source, table)
    return source


def _load_parquet(connection: Any, source: Source, table: str) -> Source:
    path = str(source.path)
    try:
        described = connection.execute(
            "SELECT name FROM parquet_schema($path) WHERE name <> 'schema'", {"path": path}
        ).fetchall()
    except duckdb.Error as error:
        raise BulkInputError(
            problem(source.path, f"is not a readable Parquet file ({error}).")
        ) from None
    raw_names = [str(r[0]) for r in described]
    header = _header(source.path, raw_names)
    by_name = dict(zip(header, raw_names, strict=True))
    source = Source(path=source.path, columns=header, records=0, parquet=True)
    quoted = {c: by_name[c].replace('"', '""') for c in source.known}
    select = ", ".join(f'CAST("{quoted[c]}" AS VARCHAR) AS "{c}"' for c in source.known)
    connection.execute(
        f"CREATE TABLE {table} AS SELECT file_row_number + 1 AS vigil_row, {select} "
        "FROM read_parquet($path, file_row_number = true)",
        {"path": path},
    )
    bad = first(
        connection,
        f"SELECT min(vigil_row) FROM {table} WHERE record_id IS NULL OR trim(record_id) = ''",
    )
    if bad and bad[0] is not None:
        raise BulkInputError(
            problem(source.path, "the record_id is empty.", row=int(bad[0]), column="record_id")
        )
    if "date_of_birth" in source.known:
        values = connection.execute(
            f"SELECT DISTINCT trim(date_of_birth) FROM {table} WHERE trim(date_of_birth) <> ''"
        ).fetchall()
        unreadable = [str(v[0]) for v in values if not _readable_date(str(v[0]))]
        if unreadable:
            row = first(
                connection,
                f"SELECT min(vigil_row) FROM {table} "
                "WHERE list_contains($bad, trim(date_of_birth))",
                {"bad": unreadable},
            )
            raise BulkInputError(
                problem(
                    source.path,
                    f"{unreadable[0]!r} is not a date of birth that can be read ({DATE_EXAMPLE}).",
                    row=int(row[0]) if row and row[0] is not None else None,
                    column=by_name["date_of_birth"],
                )
            )
    records = first(connection, f"SELECT count(*) FROM {table}")
    source = Source(
        path=source.path, columns=header, records=int(records[0]) if records else 0, parquet=True
    )
    _check_unique(connection, source, table)
    return source


def _check_unique(connection: Any, source: Source, table: str) -> None:
    repeated = first(
        connection, f"SELECT trim(record_id) FROM {table} GROUP BY 1 HAVING count(*) > 1 LIMIT 1"
    )
    if repeated is None:
        return
    record_id = str(repeated[0])
    rows = _rows_of(source, record_id)
    where = f" (rows {rows[0]} and {rows[1]})" if len(rows) >= 2 else ""
    raise BulkInputError(
        problem(
            source.path,
            f"record_id {record_id!r} appears more than once{where}.",
            row=rows[1] if len(rows) >= 2 else None,
            column="record_id",
        )
    )


def _rows_of(source: Source, record_id: str) -> list[int]:
    """The rows that hold one record_id: only asked when reporting a problem, so a rescan."""
    if source.parquet:
        return []
    found: list[int] = []
    with source.path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        header = [c.strip().lower() for c in next(reader)]
        at = header.index("record_id")
        for number, row in enumerate(reader, start=2):
            if len(row) > at and row[at].strip() == record_id:
                found.append(number)
                if len(found) == 2:
                    break
    return found
