"""Demo data, loaded by `manage.py load_demo` in the order apps give here.

Each app registers its own loader (by dotted path, so nothing is imported until demo data is
wanted) from its AppConfig.ready; the command knows no app, so base apps stay below feature apps.
A loader is idempotent and returns one line for the person running `make run`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

_loaders: dict[str, int] = {}


def register_demo(dotted_path: str, *, order: int) -> None:
    """Lower orders load first: staff (10), public-side records (20), cases (30), then what
    builds on cases (40 and up)."""
    _loaders[dotted_path] = order


def demo_loaders() -> list[Callable[[], str]]:
    return [import_string(path) for path, _order in sorted(_loaders.items(), key=lambda i: i[1])]
