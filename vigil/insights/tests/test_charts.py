"""Every bar and label of a chart is drawn inside the chart's own box: nothing is cut off."""

from __future__ import annotations

import pytest

from vigil.insights.charts import Chart, bar_chart, column_chart


def _inside(chart: Chart) -> None:
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width, bar
        assert bar.y >= 0 and bar.y + bar.height <= chart.height, bar
    for text, x, y in chart.labels:
        assert 0 <= x <= chart.width and 0 <= y <= chart.height, text


@pytest.mark.parametrize("count", [1, 4, 13, 26, 53, 260])
def test_a_trend_of_any_length_fits_its_chart(count: int) -> None:
    columns = [(f"week {n}", n % 7) for n in range(count)]
    chart = column_chart(chart_id="t", title="Trend", description="", columns=columns)
    assert len(chart.bars) == count
    _inside(chart)
    # The last week, the one people look at, is drawn in full.
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width


def test_a_bar_chart_fits_its_chart() -> None:
    chart = bar_chart(
        chart_id="b",
        title="By risk",
        description="",
        rows=[("High", 3, 1), ("Medium", 10, 12), ("Standard", 0, None)],
    )
    _inside(chart)
