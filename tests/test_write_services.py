"""Every write a view, form, the API or a management command makes goes through a write service
(issue 14): one durable transaction that writes its audit row (vigil.audit.write_service).

The test reads the source of each of those modules with `ast`, resolves every call to the
function it names (through the module's imports, so `services.case_assign(...)` and an app's
public `api.person_named(...)` both resolve to the function that runs), and asserts that each
call into a service module is a registered write service or on the short list below of calls
that are read-only or that run write services in turn. A new view calling an undecorated write
service fails here, and the existing tests of that view then prove it writes its audit row.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from vigil.audit.write_service import WRITE_SERVICES, is_write_service

ROOT = Path(__file__).resolve().parent.parent

# Where writes start: what a person (views, forms, the API) or the operator (commands) calls.
CALLER_GLOBS = (
    "vigil/*/views.py",
    "vigil/*/views/*.py",
    "vigil/*/forms.py",
    "vigil/api/v1.py",
    "vigil/api/reports.py",
    "vigil/*/management/commands/*.py",
)

# A module is a service module if it is named so, or holds a write service.
SERVICE_MODULE = re.compile(r"^vigil\.\w+\.(services|api|public)(\.\w+)?$")

# Calls into service modules that write nothing: selectors, checks, formatters. Each says why.
READ_ONLY = {
    # fill in from the failures below, each with its reason
}

# Calls that write only through write services of their own, one transaction each, by design.
RUNS_WRITE_SERVICES_IN_TURN: dict[str, str] = {}


def _caller_modules() -> Iterator[tuple[str, Path]]:
    seen: set[Path] = set()
    for pattern in CALLER_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if path.name == "__init__.py" or path in seen:
                continue
            seen.add(path)
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield dotted, path


def _dotted(node: ast.expr) -> list[str] | None:
    """`services.case_assign` -> ["services", "case_assign"]; None for `self.x`, calls, etc."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id == "self":
        return None
    parts.append(node.id)
    return parts[::-1]


def _resolve(module: ModuleType, parts: list[str]) -> Any:
    value: Any = module
    for part in parts:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _service_modules() -> set[str]:
    return {func.__module__ for func in WRITE_SERVICES.values()}


def _qualified(func: Any) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def service_calls() -> Iterator[tuple[str, int, str, Any]]:
    """(caller module, line, called name, function) for each call into a service module."""
    modules = [(name, path, importlib.import_module(name)) for name, path in _caller_modules()]
    holders = _service_modules()  # read after the imports, which register the services
    for name, path, module in modules:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            parts = _dotted(node.func)
            if parts is None:
                continue
            func = _resolve(module, parts)
            if not inspect.isfunction(func) or func.__module__ == name:
                continue
            if func.__module__ in holders or SERVICE_MODULE.match(func.__module__):
                yield name, node.lineno, ".".join(parts), func


def test_every_write_a_view_makes_goes_through_a_write_service() -> None:
    unexplained = sorted(
        f"{caller}:{line} calls {called} ({_qualified(func)})"
        for caller, line, called, func in service_calls()
        if not is_write_service(func)
        and _qualified(func) not in READ_ONLY
        and _qualified(func) not in RUNS_WRITE_SERVICES_IN_TURN
    )
    assert not unexplained, (
        "These calls reach a service that is not a @write_service. Decorate it, or, if it "
        "writes nothing, add it to READ_ONLY with the reason:\n" + "\n".join(unexplained)
    )


def test_the_walk_finds_the_calls_it_must_check() -> None:
    """Guard against a walk that silently finds nothing: known view calls are seen."""
    called = {_qualified(func) for _c, _l, _n, func in service_calls()}
    assert "vigil.cases.services.status.case_assign" in called
    assert "vigil.sharing.services.referral_make" in called


@pytest.mark.parametrize("name", sorted({**READ_ONLY, **RUNS_WRITE_SERVICES_IN_TURN}))
def test_every_listed_exception_still_exists_and_is_not_a_write_service(name: str) -> None:
    module_name, _dot, attribute = name.rpartition(".")
    func = getattr(importlib.import_module(module_name), attribute)
    assert not is_write_service(func), f"{name} is a write service now: take it off the list"
