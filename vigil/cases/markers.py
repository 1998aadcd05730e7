"""Warning markers and panels that apps above case management show on cases.

Offender management knows the person behind a case's suspect (warning markers such as
"violence" or "breach history", orders in force); cases cannot import it (layers), so it
registers here when it starts. A source is asked for many cases at once, so a list of fifty
cases costs a few queries, not fifty. Sources get the case objects (fetched through the user's
scope), so one that a case's markers and its panel both need can keep it on the case for the
rest of the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class CaseMarker:
    label: str
    # A GOV.UK tag colour: "red" for a danger to people, "orange" for an order or history.
    colour: str = "red"


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


MarkerSource = Callable[[Any, list[Any]], dict[UUID, list[CaseMarker]]]
PanelSource = Callable[[Any, Any], CasePanel | None]
_marker_sources: list[MarkerSource] = []
_panel_sources: list[PanelSource] = []


def register_marker_source(source: MarkerSource) -> None:
    if source not in _marker_sources:
        _marker_sources.append(source)


def register_case_panel(source: PanelSource) -> None:
    if source not in _panel_sources:
        _panel_sources.append(source)


def markers_for(user: Any, cases: Iterable[Any]) -> dict[UUID, list[CaseMarker]]:
    """The markers of each case, for cases the caller has already fetched through the user's
    scope (a marker never reveals a case; it says who the person behind it is)."""
    cases = list(cases)
    found: dict[UUID, list[CaseMarker]] = {case.pk: [] for case in cases}
    if not cases:
        return found
    for source in _marker_sources:
        for pk, markers in source(user, cases).items():
            found.setdefault(pk, []).extend(markers)
    return found


def attach_markers(user: Any, cases: Iterable[Any]) -> None:
    """Give each case of a page its `markers` attribute, in one round of queries."""
    cases = list(cases)
    by_case = markers_for(user, cases)
    for case in cases:
        case.markers = by_case.get(case.pk, [])


def case_panels(user: Any, case: Any) -> list[CasePanel]:
    return [panel for source in _panel_sources if (panel := source(user, case)) is not None]
