"""Statements compiled once per model, for the few hot paths where building each query costs
more than running it: sending a report, appending to the audit chain, loading a session.

Django's ORM builds every statement anew in Python (0.2 to 0.6 ms each on a 2-core machine,
more than PostgreSQL takes to run it). Here the SQL text is made once from the model's own
metadata, and every value still goes through the field's own preparation and converters, so
encryption, UUIDs, dates and JSON are handled exactly as the ORM handles them. Two things are
skipped, so use these only where neither matters: model signals are not sent, and `save()` is
not called. Anything not on a measured hot path should use the ORM.

Only identifiers from model metadata, quoted by the database backend, and fixed SQL fragments
written in our own code are put into SQL text; every value is a parameter for the driver.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

from django.db import connections, models, router
from django.db.backends.utils import CursorWrapper

Converter = Callable[[Any, Any, Any], Any]
Field = models.Field[Any, Any]


class Statement(NamedTuple):
    sql: str
    params: list[Any]
    # execute_together raises NothingWritten when this write changes no row (a conditional
    # insert whose condition failed, an update that found nothing).
    must_write: bool = False


class NothingWritten(Exception):
    """A write marked must_write changed no row; the transaction should be rolled back."""


def _alias(model: type[models.Model]) -> str:
    return router.db_for_write(model)


def _field(model: type[models.Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


def _column(field: Field) -> str:
    assert field.column is not None
    return field.column


@functools.cache
def _inserted_fields(model: type[models.Model]) -> tuple[Field, ...]:
    """As Django inserts: an auto-incrementing id and generated columns are left to the
    database (the new id is not read back: use a UUID primary key when you need it)."""
    meta = model._meta
    return tuple(
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not getattr(field, "generated", False)
    )


@functools.cache
def _insert_sql(model: type[models.Model], alias: str, *, conditional: bool) -> str:
    quote = connections[alias].ops.quote_name
    fields = _inserted_fields(model)
    columns = ", ".join(quote(_column(field)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    if conditional:
        return f"INSERT INTO {table} ({columns}) SELECT {placeholders} WHERE "
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608


def insert_statement(
    obj: models.Model, *, only_if: tuple[str, list[Any]] | None = None
) -> Statement:
    """The INSERT that `obj.save(force_insert=True)` would send, as (sql, params). Fields with
    auto_now or auto_now_add are filled in on `obj`, and `obj` is marked saved, as save() would;
    if the statement then fails, drop `obj` rather than reuse it. With `only_if`, a condition
    (sql, params), the row is inserted only when it holds: the cursor's rowcount says which."""
    model = type(obj)
    alias = _alias(model)
    connection = connections[alias]
    params = [
        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        for field in _inserted_fields(model)
    ]
    obj._state.adding = False
    obj._state.db = alias
    if only_if is None:
        return Statement(_insert_sql(model, alias, conditional=False), params)
    condition, condition_params = only_if
    return Statement(
        _insert_sql(model, alias, conditional=True) + condition, [*params, *condition_params]
    )


def update_statement(model: type[models.Model], values: dict[str, Any], *, pk: Any) -> Statement:
    """UPDATE of the named fields of one row, by primary key, values prepared by their fields
    (a foreign key takes the related row's primary key)."""
    alias = _alias(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [_field(model, name) for name in values]
    assignments = ", ".join(f"{quote(_column(field))} = %s" for field in fields)
    pk_field = model._meta.pk
    assert pk_field is not None
    table, pk_column = quote(model._meta.db_table), quote(_column(pk_field))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    return Statement(sql, [*params, pk_field.get_db_prep_value(pk, connection)])


@functools.cache
def _select(
    model: type[models.Model], alias: str
) -> tuple[str, tuple[str, ...], tuple[tuple[int, tuple[Converter, ...], Any], ...]]:
    """(SELECT of every concrete column, their attribute names, per-column converters)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{quote(table)}.{quote(_column(field))}" for field in fields)
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        chain = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if chain:
            converters.append((index, tuple(chain), column))
    return (
        f"SELECT {columns} FROM {quote(table)}",  # noqa: S608
        tuple(field.attname for field in fields),
        tuple(converters),
    )


def fetch_one[ModelT: models.Model](
    model: type[ModelT], where: str, params: Sequence[Any]
) -> ModelT | None:
    """The first row matching a WHERE clause written in our code, as a model instance whose
    values went through the same converters as a queryset's (decryption included)."""
    alias = _alias(model)
    connection = connections[alias]
    select, attnames, converters = _select(model, alias)
    with connection.cursor() as cursor:
        cursor.execute(f"{select} WHERE {where}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, chain, column in converters:
        for convert in chain:
            values[index] = convert(values[index], column, connection)
    return model.from_db(alias, attnames, values)


def prepare_value(model: type[models.Model], field_name: str, value: Any) -> Any:
    """A value for a WHERE clause, prepared as the ORM would for this field."""
    connection = connections[_alias(model)]
    return _field(model, field_name).get_db_prep_value(value, connection)


def quoted(model: type[models.Model], *names: str) -> list[str]:
    """The model's table, then the named fields' columns, quoted for its database."""
    quote = connections[_alias(model)].ops.quote_name
    return [quote(model._meta.db_table), *(quote(_column(_field(model, n))) for n in names)]


def cursor_for(model: type[models.Model]) -> CursorWrapper:
    return connections[_alias(model)].cursor()


def execute_together(
    model: type[models.Model], writes: Sequence[Statement], *, then: Statement | None = None
) -> tuple[Any, ...] | None:
    """Run writes that do not read each other's results, then `then` (usually a SELECT), and
    return the first row `then` gives, if any. On PostgreSQL they all go as one statement (the
    writes as data-modifying WITH clauses), one round trip instead of several; elsewhere one by
    one. A write marked must_write that changes no row raises NothingWritten. Call inside a
    transaction: all of them are kept, or none."""
    connection = connections[_alias(model)]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not writes:
            for write in writes:
                cursor.execute(write.sql, write.params)
                if write.must_write and cursor.rowcount < 1:
                    raise NothingWritten(write.sql)
            if then is None:
                return None
            cursor.execute(then.sql, then.params)
            return cursor.fetchone() if cursor.description else None
        return _together_on_postgresql(cursor, writes, then)


def _together_on_postgresql(
    cursor: CursorWrapper, writes: Sequence[Statement], then: Statement | None
) -> tuple[Any, ...] | None:
    clauses, params, counted = [], [], []
    for index, write in enumerate(writes):
        name = f"write_{index}"
        clauses.append(f"{name} AS ({write.sql}{' RETURNING 1' if write.must_write else ''})")
        params.extend(write.params)
        if write.must_write:
            counted.append((name, write.sql))
    if then is not None:
        clauses.append(f"then_ AS ({then.sql})")
        params.extend(then.params)
    # One row whatever `then` finds: the rows each checked write made, whether `then` found a
    # row, then that row's columns.
    counts = [f"(SELECT count(*) FROM {name})" for name, _sql in counted]  # noqa: S608
    if then is None:
        select = f"SELECT {', '.join(counts) or '0'}"
    else:
        found = "(SELECT count(*) FROM then_)"
        select = f"SELECT {', '.join([*counts, found, 'then_.*'])} FROM (SELECT 1) AS one"  # noqa: S608
        select += " LEFT JOIN then_ ON true"
    cursor.execute(f"WITH {', '.join(clauses)} {select}", params)
    row = cursor.fetchone()
    assert row is not None
    for (_name, sql), count in zip(counted, row, strict=False):
        if count < 1:
            raise NothingWritten(sql)
    if then is None or not row[len(counted)]:
        return None
    return tuple(row[len(counted) + 1 :])
