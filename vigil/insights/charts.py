"""Charts drawn on the server as SVG: no script, nothing fetched from anywhere else.

Each chart has a title and a description for screen readers, and the same numbers are always in
a table beside it. This period is a solid bar and the previous period a hatched one, and every
bar carries its number as text, so nothing depends on telling colours apart. Colours are GOV.UK's
blue and dark grey, both above 3:1 against white (WCAG 1.4.11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 640
COLUMNS_WIDTH = 960
LABEL_HEIGHT = 18
VALUE_SPACE = 70
BAR_HEIGHT = 16
GAP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    hatched: bool
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[tuple[str, float, float], ...]  # text, x, y
    legend: bool
    axis_y: float = 0


def _scale(values: Sequence[float | int | None]) -> float:
    top = max((v for v in values if v is not None), default=0)
    return float(top) if top > 0 else 1.0


def _text(value: float | int | None) -> str:
    if value is None:
        return "\u2013"  # an en dash: no value
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[Any, float | int | None, float | int | None]],
) -> Chart:
    """Horizontal bars, one group per row with its label above it (so long labels never get
    cut off): this period, and the previous one when given."""
    compare = any(previous is not None for _l, _c, previous in rows)
    top = _scale([v for _l, c, p in rows for v in (c, p)])
    plot = WIDTH - VALUE_SPACE
    bars: list[Bar] = []
    labels: list[tuple[str, float, float]] = []
    y = 30.0 if compare else 4.0
    for label, current, previous in rows:
        labels.append((str(label), 0.0, y + 13))
        y += LABEL_HEIGHT
        series = [(current, False)] + ([(previous, True)] if compare else [])
        for value, hatched in series:
            width = plot * (value or 0) / top
            bars.append(
                Bar(
                    str(label),
                    _text(value),
                    0.0,
                    y,
                    max(width, 1.0 if value else 0.0),
                    BAR_HEIGHT,
                    hatched,
                    width + 6,
                    y + BAR_HEIGHT - 3,
                )
            )
            y += BAR_HEIGHT + 2
        y += GAP
    return Chart(chart_id, title, description, WIDTH, int(y), tuple(bars), tuple(labels), compare)


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    columns: Sequence[tuple[str, int]],
) -> Chart:
    """Vertical bars over time (a trend), each with its number above it."""
    height = 220
    base = height - 40.0
    plot_height = base - 24
    top = _scale([v for _l, v in columns])
    count = max(len(columns), 1)
    step = (COLUMNS_WIDTH - 60) / count
    bar_width = max(step * 0.7, 2.0)
    bars = []
    labels = []
    # Label only as many columns as fit, so the dates never overlap.
    every = max(1, round(count / 8))
    for index, (label, value) in enumerate(columns):
        h = plot_height * value / top
        x = 30 + index * step + (step - bar_width) / 2
        bars.append(
            Bar(
                label,
                _text(value) if count <= 26 else "",
                x,
                base - h,
                bar_width,
                h,
                False,
                x + bar_width / 2,
                base - h - 4,
            )
        )
        if index % every == 0:
            labels.append((label, x + bar_width / 2, base + 16))
    return Chart(
        chart_id,
        title,
        description,
        COLUMNS_WIDTH,
        height,
        tuple(bars),
        tuple(labels),
        False,
        base,
    )
