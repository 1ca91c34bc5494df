"""Small multiples: one small chart per region (resting asymmetry) or per pose (movement), shared dates.

The regions charts show the oriented resting asymmetry (affected minus healthy, droop positive, from
`series.oriented_asymmetry`) with the person's noise band (shaded) and a dotted line at normal
asymmetry (the tonus score's dead band); without a known affected side, left − right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Final

from journal.charts.axes import begin, message, no_tests_text, range_text, x_axis, x_of
from journal.charts.data import ChartData, TestPoint
from journal.charts.series import oriented_asymmetry
from journal.protocol import POSE_NAMES, REGIONS
from journal.scoring.scores import DEAD_BAND
from journal.signals.noise import DEFAULT_REGION_SEM_MM, estimate_noise
from journal.signals.onset import BASELINE_TESTS

REGION_LABELS: Final[dict[str, str]] = {
    "brow": "brow",
    "eye": "eye",
    "midface": "midface",
    "mouth": "mouth corner",
}
#: Poses that have a movement score (rest is the reference the others are measured from).
MOVEMENT_POSES: Final[tuple[str, ...]] = tuple(p for p in POSE_NAMES if p != "rest")
LINE_COLOR: Final = "cyan+"
ZERO_COLOR: Final = "gray"
_TEST_MARKER = "•"
_BAND_MARKER = "░"
_NORMAL_MARKER = "┈"
#: Horizontal lines that shade a band: one at least every row of a panel up to ~40 rows tall.
_FILL_STEPS = 40


def _grid(count: int, width: int) -> tuple[int, int]:
    """Rows and columns for `count` small charts in `width` columns: as many columns as fit (at least
    25 characters each, at most 3), leaving at most one slot empty."""
    for cols in (3, 2):
        if width // cols >= 25 and cols <= count and math.ceil(count / cols) * cols - count <= 1:
            return math.ceil(count / cols), cols
    return count, 1


def _small_multiples(
    plt: Any,
    data: ChartData,
    width: int,
    names: Sequence[str],
    draw_one: Callable[[Any, str], None],
) -> None:
    """Draw one small chart per name in a grid; they share the date axis, labelled under each column."""
    rows, cols = _grid(len(names), width)
    plt.subplots(rows, cols)
    cell_width = max(10, width // cols - 8)
    for i, name in enumerate(names):
        cell = plt.subplot(i // cols + 1, i % cols + 1)
        x_axis(cell, data, cell_width)
        if i + cols < len(names):  # another chart below shows the dates
            cell.xticks([], [])
        draw_one(cell, name)  # events: listed in the key (vertical lines would hide the lines)
    for i in range(len(names), rows * cols):
        empty = plt.subplot(i // cols + 1, i % cols + 1)
        empty.frame(False)
        empty.xaxes(False, False)
        empty.yaxes(False, False)
        empty.xticks([], [])
        empty.yticks([], [])


def _line(cell: Any, points: list[tuple[float, float]]) -> None:
    """Draw a thin line through the points (a lone point as a dot, or it would hardly show)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cell.plot(xs, ys, marker="braille", color=LINE_COLOR)
    if len(points) == 1:
        cell.scatter(xs, ys, marker=_TEST_MARKER, color=LINE_COLOR)


def rest_value(test: TestPoint, region: str, affected_side: str | None) -> float | None:
    """Return a test's resting asymmetry of one region (mm): oriented when the side is known, else
    left − right."""
    if affected_side in ("left", "right"):
        return oriented_asymmetry(test.rest, affected_side).get(region)
    pair = test.rest.get(region)
    return None if pair is None else float(pair[0]) - float(pair[1])


def rest_limit(data: ChartData) -> float:
    """Return the half-height (mm) of the regions charts: the largest value, at least 2 mm."""
    side = data.context.affected_side
    values = [abs(v) for t in data.tests for r in REGIONS if (v := rest_value(t, r, side)) is not None]
    return float(max(2, math.ceil(max(values, default=0.0))))


def region_band(data: ChartData, region: str) -> tuple[float, float] | None:
    """Return one region's noise band (mm): the first tests' median ± SDC95 (from every test)."""
    side = data.context.affected_side
    tests = data.context.history or data.tests
    values = [v for t in tests if (v := rest_value(t, region, side)) is not None]
    if not values:
        return None
    noise = estimate_noise(values, (), DEFAULT_REGION_SEM_MM[region])
    early = sorted(values[:BASELINE_TESTS])
    centre = early[(len(early) - 1) // 2]
    return centre - noise.sdc, centre + noise.sdc


def _fill(cell: Any, x0: float, x1: float, y0: float, y1: float, marker: str, color: str) -> None:
    """Cover a rectangle with markers: a horizontal line of them every small step in y (plotext
    fills every cell along a line), dense enough for the tallest panel."""
    for j in range(_FILL_STEPS):
        y = y0 + (y1 - y0) * j / (_FILL_STEPS - 1)
        cell.plot([x0, x1], [y, y], marker=marker, color=color)


def draw_regions(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw the resting asymmetry per region (mm) per test, with the noise band and normal asymmetry.

    One small chart per region, all on the same scale, so the regions compare.
    """
    width = begin(plt, width)
    if not any(t.rest for t in data.tests):
        plt.title(f"Resting asymmetry by region, {range_text(data)}")
        text = no_tests_text(data) if not data.tests else "No rest measures in these tests"
        message(plt, text)
        return
    limit = rest_limit(data)
    ticks = [-limit, 0.0, limit]
    side = data.context.affected_side
    span = data.span()
    assert span is not None  # there are tests
    x0, x1 = span[0].toordinal() + 0.0, span[1].toordinal() + 1.0

    def one(cell: Any, region: str) -> None:
        points = [(x_of(t.at), v) for t in data.tests if (v := rest_value(t, region, side)) is not None]
        cell.title(REGION_LABELS.get(region, region) + ("" if points else " (not measured)"))
        band = region_band(data, region)
        if band is not None:
            _fill(cell, x0, x1, max(band[0], -limit), min(band[1], limit), _BAND_MARKER, ZERO_COLOR)
        cell.horizontal_line(0, color=ZERO_COLOR)
        normal = DEAD_BAND.get(region, 1.0)  # type: ignore[call-overload]
        cell.plot([x0, x1], [normal, normal], marker=_NORMAL_MARKER, color=ZERO_COLOR)
        if points:
            _line(cell, points)
        cell.ylim(-limit, limit)
        cell.yticks(ticks, [_mm(v) for v in ticks])

    _small_multiples(plt, data, width, REGIONS, one)


def _mm(value: float) -> str:
    return "0" if value == 0 else f"{value:+g}"


def draw_poses(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw the movement score (0–100) of each pose per test, one small chart per pose."""
    width = begin(plt, width)
    names = list(MOVEMENT_POSES) + sorted(
        {p for t in data.tests for p in t.poses if p not in MOVEMENT_POSES and p != "rest"}
    )
    if not data.tests:
        plt.title(f"Movement by pose, {range_text(data)}")
        message(plt, no_tests_text(data))
        return

    def one(cell: Any, pose: str) -> None:
        points = [(x_of(t.at), float(v)) for t in data.tests if (v := t.poses.get(pose)) is not None]
        cell.title(pose.replace("_", " ") + ("" if points else " (not scored)"))
        if points:
            _line(cell, points)
        else:  # an invisible point: plotext draws no axis labels on an empty chart, shifting the panel
            cell.scatter([x_of(data.tests[0].at)], [0], marker=" ")
        cell.ylim(0, 100)
        cell.yticks([0, 100], ["0", "100"])  # a middle tick would sit a row off in a short chart

    _small_multiples(plt, data, width, names, one)
