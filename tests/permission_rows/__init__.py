"""Rows of the permission matrix that an app contributes in its own file.

An app with many URLs (or objects of its own) puts its rows here, in
`tests/permission_rows/<app>.py`,
so that its rows, its arguments and the objects it adds to the world live together:

    ROWS: list[Row]                      # rows, in the shape of MATRIX
    ARGUMENTS: dict[str, Arguments]      # argument builders its rows name (keys must be new)
    def extend_world(w: dict) -> None:   # optional: add its objects to w["in"] / w["out"]

A POST row's "act" marks a role that may act: it POSTs the row's `data` (a dict, or a builder
like ARGUMENTS' for a payload naming objects of the world) and must get past authorisation.

The matrix test collects every module here; a URL still fails the test until some row covers it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

Arguments = Callable[[dict[str, Any], str], dict[str, Any]]
Payload = dict[str, str] | Arguments


@dataclass(frozen=True)
class Row:
    name: str
    args: str
    inside: str
    outside: str = ""
    method: str = "get"
    data: Payload | None = None

    def payload(self, w: dict[str, Any], side: str) -> dict[str, str]:
        """What a role that may act POSTs: the least the view needs to get past its checks."""
        if self.data is None:
            return {}
        return self.data(w, side) if callable(self.data) else dict(self.data)


def row(
    name: str,
    args: str,
    inside: str,
    outside: str = "",
    method: str = "get",
    data: Payload | None = None,
) -> Row:
    return Row(name, args, inside, outside, method, data)


def contributions() -> Iterator[ModuleType]:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{__name__}.{info.name}")
