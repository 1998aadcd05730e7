"""The one home of the rule "a write is one durable transaction that writes its audit row".

Every service a view, the API, a management command or a task calls to change data is
decorated with `@write_service`. The decorator:

- opens `transaction.atomic(durable=True)`, so the service is the outermost transaction: a
  service that is called from inside another transaction is a bug (its commit would not be a
  commit), and Django raises;
- records the function in `WRITE_SERVICES`, which the test that walks every view reads;
- on the way out, if the transaction wrote anything but no audit row, rolls the whole
  transaction back and raises `UnauditedWrite`. A change must never land unaudited, in tests or
  in production (docs/decisions.md, "Write services").

Internal helpers called inside a service are plain functions: they join the service's
transaction. A write service that another service also runs as one of its steps is called there
as `service.as_step(...)`: the same body, joining the caller's transaction and audited with it
(run with no write service open, it is its own).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, transaction

# Qualified name ("vigil.cases.services.status.case_assign") -> the decorated function.
WRITE_SERVICES: dict[str, Callable[..., Any]] = {}

_WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# PostgreSQL's combined statements (vigil.common.sql) are "WITH a AS (INSERT ...) SELECT ...".
_WRITE_IN_CTE = re.compile(r"\(\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class UnauditedWrite(RuntimeError):
    """A write service changed data without writing an audit row: a bug, found by tests."""


@dataclass
class _Tally:
    writes: int = 0
    audit_rows: int = 0


_tally: ContextVar[_Tally | None] = ContextVar("vigil_write_service_tally", default=None)


def note_audit_row() -> None:
    """Called by `audit_record` for every row it appends."""
    tally = _tally.get()
    if tally is not None:
        tally.audit_rows += 1


def _is_write(sql: str) -> bool:
    if _WRITE_SQL.match(sql):
        return True
    return sql.lstrip()[:4].upper() == "WITH" and bool(_WRITE_IN_CTE.search(sql))


@contextmanager
def _counting(tally: _Tally) -> Iterator[None]:
    def count_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        # Counted once it has run and changed a row: a refused insert (a duplicate caught by the
        # caller) or an update that matched nothing changed nothing.
        if _is_write(sql) and context["cursor"].rowcount != 0:
            tally.writes += 1
        return result

    token = _tally.set(tally)
    try:
        with connection.execute_wrapper(count_writes):
            yield
    finally:
        _tally.reset(token)


@contextmanager
def audited_transaction(name: str) -> Iterator[None]:
    """The write service's transaction as a block, for a loop that makes one per item (demo
    data); its services run inside as `service.as_step(...)`."""
    if _tally.get() is not None:
        raise RuntimeError(
            f"{name} is a write service called from inside another write service; "
            "call a plain helper instead (a service is the outermost transaction)."
        )
    tally = _Tally()
    with transaction.atomic(durable=True), _counting(tally):
        yield
        if tally.writes and not tally.audit_rows:
            # Raising inside the block rolls the whole change back.
            raise UnauditedWrite(f"{name} changed data but wrote no audit row.")


class WriteService[**P, R](Protocol):
    is_write_service: bool
    __wrapped__: Callable[P, R]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def as_step(self, *args: P.args, **kwargs: P.kwargs) -> R: ...


def write_service[**P, R](func: Callable[P, R]) -> WriteService[P, R]:
    """Make `func` a write service: one durable transaction that writes its audit row."""
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with audited_transaction(name):
            return func(*args, **kwargs)

    def as_step(*args: P.args, **kwargs: P.kwargs) -> R:
        """One step of the write service already open (its audit check covers this), or, when
        none is open, this write service on its own: durable and audited either way."""
        if _tally.get() is None:
            return wrapper(*args, **kwargs)
        return func(*args, **kwargs)

    service: Any = wrapper
    service.is_write_service = True
    service.as_step = as_step
    WRITE_SERVICES[name] = service
    return service


def is_write_service(func: object) -> bool:
    return getattr(func, "is_write_service", False) is True
