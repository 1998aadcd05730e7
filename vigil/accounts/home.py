"""Panels on the staff home page, given by apps above accounts (which cannot import them).

Each app registers a function of the signed-in user that returns its panel, or None when it has
nothing for that user's role; the home page shows them in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vigil.accounts.models import User


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelSource = Callable[[User], HomePanel | None]
_SOURCES: list[PanelSource] = []


def register_home_panel(source: PanelSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def home_panels(user: User) -> list[HomePanel]:
    return [panel for source in _SOURCES if (panel := source(user)) is not None]
