"""Charts as text: scores, rest asymmetry and movement over the weeks, without Textual or DuckDB.

The data is plain (`ChartData`, built from the journal by `chart_data`). Each chart kind has
`draw_<kind>(plt, data)`, which draws into any plotext figure (the `plt` of a Textual
`PlotextPlot`, or one made here), and `render_<kind>(data, width, height)`, which draws into a
private figure of that size and returns the text with the legend underneath. The legend is text
too (`legend(kind, data, width)`) so a screen can show it beside the plot widget.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from journal.chart_kinds import ChartKind
from journal.protocol import POSE_NAMES, REGIONS
from journal.text import one_line

if TYPE_CHECKING:
    from journal.store import Store

#: Sensations the timeline always names in its legend; others are added when they occur.
MAIN_SENSATIONS: Final[tuple[str, ...]] = ("vibration", "itching", "twitching")
#: One letter per sensation, used as its marker on the timeline (no two alike, none upper case).
SENSATION_MARKERS: Final[dict[str, str]] = {
    "vibration": "v",
    "itching": "i",
    "twitching": "t",
    "tingling": "g",
    "tightness": "k",
    "pain": "p",
    "tearing": "r",
    "dry_eye": "d",
    "taste": "a",
    "sound_sensitivity": "s",
    "other": "o",
}
REGION_LABELS: Final[dict[str, str]] = {
    "brow": "brow",
    "eye": "eye",
    "midface": "midface",
    "mouth": "mouth corner",
}
#: Poses that have a movement score (rest is the reference the others are measured from).
MOVEMENT_POSES: Final[tuple[str, ...]] = tuple(p for p in POSE_NAMES if p != "rest")

_TONUS_MARKER = "T"
_MOVEMENT_MARKER = "M"
_TEST_MARKER = "•"
_COLORS: Final[dict[str, str]] = {
    "tonus": "blue+",
    "movement": "green+",
    "event": "red",
    "zero": "gray",
    "line": "cyan+",
    "vibration": "magenta+",
    "itching": "yellow+",
    "twitching": "cyan",
}
_OTHER_SENSATION_COLOR = "orange"
_MIN_PLOT_HEIGHT = 8
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class TestPoint:
    """One test: when, its tonus and movement (0–100), movement per pose, and rest measures in mm."""

    __test__ = False  # not a pytest test class, despite the name

    at: datetime
    tonus: float | None
    movement: float | None
    poses: Mapping[str, float | None] = field(default_factory=dict)
    rest: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SensationPoint:
    """The strongest intensity (0–10) of one sensation on one day."""

    day: date
    sensation: str
    intensity: int


@dataclass(frozen=True, slots=True)
class EventMark:
    """An event drawn as a vertical line: medication, therapy, a milestone or an appointment."""

    at: datetime
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything the charts show, oldest first, and the days the date axis spans.

    `start`/`end` are the first and last day shown (None: from the first to the last data);
    `weeks` is the range chosen (None: all), used in titles and messages.
    """

    tests: tuple[TestPoint, ...] = ()
    sensations: tuple[SensationPoint, ...] = ()
    events: tuple[EventMark, ...] = ()
    start: date | None = None
    end: date | None = None
    weeks: int | None = None

    def span(self) -> tuple[date, date] | None:
        """Return the first and last day of the date axis, or None when there is nothing to place."""
        days = [t.at.date() for t in self.tests] + [s.day for s in self.sensations]
        days += [e.at.date() for e in self.events]
        first = self.start or (min(days) if days else None)
        last = self.end or (max(days) if days else None)
        if first is None or last is None:
            return None
        return first, max(first, last)


# Building the data


def window_start(weeks: int, today: date) -> date:
    """Return the first day of the last `weeks` weeks ending with `today` (7 × weeks days in all)."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    return today - timedelta(days=7 * weeks - 1)


def within(data: ChartData, weeks: int | None, today: date) -> ChartData:
    """Keep what falls in the last `weeks` weeks up to `today` (all of it when None) and set the axis."""
    if weeks is None:
        return replace(data, start=None, end=None, weeks=None)
    first = window_start(weeks, today)
    tests = tuple(t for t in data.tests if t.at.date() >= first)
    sensations = tuple(s for s in data.sensations if s.day >= first)
    events = tuple(e for e in data.events if e.at.date() >= first)
    days = [t.at.date() for t in tests] + [s.day for s in sensations] + [e.at.date() for e in events]
    last = max([today, *days])  # a test may be up to a day ahead of the clock
    return ChartData(tests, sensations, events, first, last, weeks)


def chart_data(store: Store, weeks: int | None = None, today: date | None = None) -> ChartData:
    """Read what the charts show from the journal: tests in range with rest measures, sensations, events.

    Only calls `Store` reading methods, so it runs wherever the journal is open (e.g. a worker thread).
    """
    today = today or date.today()
    since = None if weeks is None else window_start(weeks, today)
    tests: list[TestPoint] = []
    for row in store.history():
        if since is not None and row.session.taken_at.date() < since:
            continue
        scores = store.session_scores(row.session.id, row.scorer_version) if row.scorer_version else None
        rest = scores.poses.get("rest") if scores is not None else None
        tests.append(
            TestPoint(
                row.session.taken_at,
                row.tonus,
                row.movement,
                dict(row.pose_movement),
                dict(rest.regions) if rest is not None else {},
            )
        )
    sensations = tuple(
        SensationPoint(s.day, s.sensation, s.max_intensity) for s in store.sensations_by_day(since)
    )
    events = tuple(EventMark(e.at, e.kind, one_line(e.label)) for e in store.events(since))
    return within(ChartData(tuple(tests), sensations, events), weeks, today)


# Axis helpers


def _x(when: date | datetime) -> float:
    """Place a time on the x axis: days (proleptic ordinal), with the time of day as a fraction."""
    if isinstance(when, datetime):
        seconds = when.hour * 3600 + when.minute * 60 + when.second
        return when.toordinal() + seconds / 86400
    return when.toordinal() + 0.5


def _day_label(day: date, with_year: bool = False) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day:%y}" if with_year else text


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _candidate_ticks(first: date, last: date) -> Iterable[list[date]]:
    """Tick days from dense to sparse: every day, every 2 days, Mondays every 1, 2 or 4 weeks, month
    starts every 1, 2, 3, 6 or 12 months, then years."""
    yield [first + timedelta(days=i) for i in range((last - first).days + 1)]
    yield [first + timedelta(days=i) for i in range(0, (last - first).days + 1, 2)]
    monday = first + timedelta(days=-first.weekday() % 7)
    for weeks in (1, 2, 4):
        yield [monday + timedelta(days=i) for i in range(0, (last - monday).days + 1, 7 * weeks)]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        day = first if first.day == 1 else _add_months(first, 1)
        if months >= 12:
            day = date(first.year + (first.month > 1 or first.day > 1), 1, 1)
        ticks = []
        while day <= last:
            ticks.append(day)
            day = _add_months(day, months)
        yield ticks


def date_ticks(first: date, last: date, plot_width: int) -> tuple[list[float], list[str]]:
    """Return x positions and labels for a readable date axis from `first` to `last` (whole days).

    The densest of day, Monday or month-start ticks whose labels fit `plot_width` with room between
    them; labels are "3 Feb" (with the year, "3 Feb 25", where a year begins on a multi-year axis).
    """
    multi_year = first.year != last.year
    for ticks in _candidate_ticks(first, last):
        if not ticks:
            continue
        labels = [
            _day_label(d, multi_year and (i == 0 or d.year != ticks[i - 1].year)) for i, d in enumerate(ticks)
        ]
        span = (last - first).days + 1
        # Each label needs its length plus two spaces, at its own place on the axis.
        gap = min((b - a).days for a, b in zip(ticks, ticks[1:], strict=False)) if len(ticks) > 1 else span
        widest = max(len(label) for label in labels) + 2
        if gap * plot_width / span >= widest and len(ticks) * widest <= plot_width:
            return [d.toordinal() + 0.0 for d in ticks], labels
    return [first.toordinal() + 0.0], [_day_label(first, multi_year)]


def _x_axis(plt: Any, data: ChartData, plot_width: int) -> bool:
    """Set the date axis of `plt` from the data's span; False when there is nothing to place."""
    span = data.span()
    if span is None:
        return False
    first, last = span
    ticks, labels = date_ticks(first, last, plot_width)
    plt.xlim(first.toordinal() + 0.0, last.toordinal() + 1.0)
    plt.xticks(ticks, labels)
    return True


def _begin(plt: Any, width: int | None) -> int:
    """Clear the figure and return the width to lay the chart out for.

    That is `width` when given, else the figure's own width (a `PlotextPlot` sets it on each render),
    else 80.
    """
    width = int(width or getattr(plt, "_width", None) or 80)
    plt.clear_figure()
    return max(20, width)


def _range_text(data: ChartData) -> str:
    if data.weeks is None:
        return "all weeks"
    return f"last {data.weeks} week" + ("" if data.weeks == 1 else "s")


def _no_tests_text(data: ChartData) -> str:
    if data.weeks is None:
        return "No tests yet: take a weekly test to start the charts"
    return f"No tests in the {_range_text(data)}: choose a longer range"


def _message(plt: Any, text: str) -> None:
    """Draw a frame holding only a centred message (a chart with nothing to show)."""
    plt.xlim(0, 1)
    plt.ylim(0, 1)
    plt.xticks([], [])
    plt.yticks([], [])
    plt.text(text, 0.5, 0.5, alignment="center", background="default")


def _events(plt: Any, data: ChartData, top: float | None, numbered: bool) -> None:
    for number, event in enumerate(data.events, start=1):
        x = _x(event.at)
        plt.vertical_line(x, color=_COLORS["event"])
        if numbered and top is not None:
            plt.text(str(number), x, top, color=_COLORS["event"], background="default", alignment="left")


# Drawing into a plotext figure


def draw_timeline(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw tonus and movement (0–100, left axis), daily sensations (0–10, right) and events (lines).

    `plt` is a plotext figure: the `plt` of a Textual `PlotextPlot` or one from `render_timeline`.
    Everything it held is replaced; its size and theme are left to the caller.
    """
    width = _begin(plt, width)
    title = f"Tonus, movement and sensations, {_range_text(data)}"
    if not _x_axis(plt, data, width - 12):
        plt.title(title)
        _message(plt, _no_tests_text(data))
        return
    scored = any(t.tonus is not None or t.movement is not None for t in data.tests)
    plt.title(title if scored else _no_tests_text(data))
    # Sensations first: where a sensation and a score share a cell, the score stays visible.
    for sensation in _sensations_shown(data):
        felt = [(_x(s.day), s.intensity) for s in data.sensations if s.sensation == sensation]
        if felt:
            plt.scatter(
                [p[0] for p in felt],
                [p[1] for p in felt],
                marker=_sensation_marker(sensation),
                color=_COLORS.get(sensation, _OTHER_SENSATION_COLOR),
                yside="right",
            )
    if data.sensations:
        plt.ylim(0, 10, yside="right")
        plt.yticks([0, 5, 10], ["0", "5", "10"], yside="right")
    scores = {
        key: [(_x(t.at), float(v)) for t in data.tests if (v := getattr(t, key)) is not None]
        for key in ("tonus", "movement")
    }
    for key, points in scores.items():  # both lines, then every test's letter on top of them
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille", color=_COLORS[key])
    for key, marker in (("tonus", _TONUS_MARKER), ("movement", _MOVEMENT_MARKER)):
        if scores[key]:
            xs, ys = [p[0] for p in scores[key]], [p[1] for p in scores[key]]
            plt.scatter(xs, ys, marker=marker, color=_COLORS[key])
    plt.ylim(0, 100)
    plt.yticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"])
    _events(plt, data, 100, numbered=True)


def _sensations_shown(data: ChartData) -> list[str]:
    present = {s.sensation for s in data.sensations}
    order = list(SENSATION_MARKERS)
    extra = sorted(present - set(order))
    return [s for s in order if s in MAIN_SENSATIONS or s in present] + extra


def _sensation_marker(sensation: str) -> str:
    return SENSATION_MARKERS.get(sensation, "?")


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
        _x_axis(cell, data, cell_width)
        if i + cols < len(names):  # another chart below shows the dates
            cell.xticks([], [])
        draw_one(cell, name)
        _events(cell, data, None, numbered=False)
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
    cell.plot(xs, ys, marker="braille", color=_COLORS["line"])
    if len(points) == 1:
        cell.scatter(xs, ys, marker=_TEST_MARKER, color=_COLORS["line"])


def _rest_difference(test: TestPoint, region: str) -> float | None:
    pair = test.rest.get(region)
    return None if pair is None else float(pair[0]) - float(pair[1])


def rest_limit(data: ChartData) -> float:
    """Return the half-height (mm) of the regions charts: the largest difference, at least 2 mm."""
    diffs = [abs(d) for t in data.tests for r in REGIONS if (d := _rest_difference(t, r)) is not None]
    return float(max(2, math.ceil(max(diffs, default=0.0))))


def draw_regions(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw rest asymmetry (left − right, mm) per region (brow, eye, midface, mouth corner) per test.

    One small chart per region, all on the same scale with the zero line drawn, so the regions compare.
    """
    width = _begin(plt, width)
    if not any(t.rest for t in data.tests):
        plt.title(f"Rest asymmetry by region, {_range_text(data)}")
        text = _no_tests_text(data) if not data.tests else "No rest measures in these tests"
        _message(plt, text)
        return
    limit = rest_limit(data)
    ticks = [-limit, 0.0, limit]

    def one(cell: Any, region: str) -> None:
        points = [(_x(t.at), d) for t in data.tests if (d := _rest_difference(t, region)) is not None]
        cell.title(REGION_LABELS.get(region, region) + ("" if points else " (not measured)"))
        cell.horizontal_line(0, color=_COLORS["zero"])
        if points:
            _line(cell, points)
        cell.ylim(-limit, limit)
        cell.yticks(ticks, [_mm(v) for v in ticks])

    _small_multiples(plt, data, width, REGIONS, one)


def _mm(value: float) -> str:
    return "0" if value == 0 else f"{value:+g}"


def draw_poses(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw the movement score (0–100) of each pose per test, one small chart per pose."""
    width = _begin(plt, width)
    names = list(MOVEMENT_POSES) + sorted(
        {p for t in data.tests for p in t.poses if p not in MOVEMENT_POSES and p != "rest"}
    )
    if not data.tests:
        plt.title(f"Movement by pose, {_range_text(data)}")
        _message(plt, _no_tests_text(data))
        return

    def one(cell: Any, pose: str) -> None:
        points = [(_x(t.at), float(v)) for t in data.tests if (v := t.poses.get(pose)) is not None]
        cell.title(pose.replace("_", " ") + ("" if points else " (not scored)"))
        if points:
            _line(cell, points)
        else:  # an invisible point: plotext draws no axis labels on an empty chart, shifting the panel
            cell.scatter([_x(data.tests[0].at)], [0], marker=" ")
        cell.ylim(0, 100)
        cell.yticks([0, 100], ["0", "100"])  # a middle tick would sit a row off in a short chart

    _small_multiples(plt, data, width, names, one)


_DRAW: Final[dict[str, Callable[[Any, ChartData, int | None], None]]] = {
    "timeline": draw_timeline,
    "regions": draw_regions,
    "poses": draw_poses,
}


def draw(kind: ChartKind, plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw the chart of `kind` into the plotext figure `plt` (see `draw_timeline`)."""
    _DRAW[kind](plt, data, width)


# The legend


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Joins words that a legend line must not split ("d dry eye", "3 29 Aug appointment:") while it is
#: wrapped; it becomes a plain space afterwards.
_GLUE: Final = "\u00a0"


def _event_key(data: ChartData, numbered: bool) -> list[str]:
    span = data.span()
    multi_year = span is not None and span[0].year != span[1].year
    items = []
    for number, event in enumerate(data.events, start=1):
        tag = f"{number}{_GLUE}" if numbered else ""
        head = f"{tag}{_day_label(event.at.date(), multi_year)} {event.kind}:".replace(" ", _GLUE)
        items.append(f"{head} {_short(event.label)}")
    return ["| events: " + " · ".join(items)] if items else []


def legend(kind: ChartKind, data: ChartData, width: int = 80) -> list[str]:
    """Return the legend of a chart as lines of at most `width` characters (markers, scales, events)."""
    if kind == "timeline":
        sensations = "  ".join(
            f"{_sensation_marker(s)}{_GLUE}{s.replace('_', _GLUE)}" for s in _sensations_shown(data)
        )
        parts = [
            f"{_TONUS_MARKER}{_GLUE}tonus  {_MOVEMENT_MARKER}{_GLUE}movement (0–100, left) · "
            f"{sensations} (strongest of the day, 0–10, right)"
        ]
        parts += _event_key(data, numbered=True)
    elif kind == "regions":
        parts = [
            f"Rest asymmetry, {_range_text(data)}: left − right in mm; above 0, your left side sits "
            "higher (eye: opens wider)"
        ]
        parts += _event_key(data, numbered=False)
    else:
        parts = [
            f"Movement per pose, {_range_text(data)}: 0–100, where 100 = your affected side moves as "
            "much as the other side"
        ]
        parts += _event_key(data, numbered=False)
    lines: list[str] = []
    for part in parts:
        lines += textwrap.wrap(part, width=max(20, width), subsequent_indent="  ", break_on_hyphens=False)
    return [line.replace(_GLUE, " ") for line in lines]


# Rendering to text


def _size(figure: Any, width: int, height: int, colors: bool) -> None:
    figure._limit_size(False, False)  # plotext otherwise shrinks the figure to fit the terminal
    figure.plot_size(width, height)
    figure.theme("pro" if colors else "clear")


def render(kind: ChartKind, data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the chart of `kind` with its legend as text of `width` × at most `height` characters."""
    from plotext import uncolorize

    width, height = max(20, width), max(_MIN_PLOT_HEIGHT, height)
    key = legend(kind, data, width)
    room = min(max(2, height // 4), height - _MIN_PLOT_HEIGHT)
    if len(key) > room:  # many events: the chart keeps most of the height
        key = key[: room - 1] + ["  …"] if room > 1 else key[:room]
    from plotext._figure import _figure_class  # a figure of our own: no global plotext state

    figure = _figure_class()
    draw(kind, figure, data, width)
    _size(figure, width, height - len(key), colors)
    canvas = figure.build()
    if not colors:
        canvas = uncolorize(canvas)
    lines = [line.rstrip() if not colors else line for line in canvas.splitlines()]
    return "\n".join(lines + key)


def render_timeline(data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the timeline (scores, sensations, events on one date axis) with its legend as text."""
    return render("timeline", data, width, height, colors)


def render_regions(data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the rest asymmetry per region over the tests, with its legend, as text."""
    return render("regions", data, width, height, colors)


def render_poses(data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the movement per pose over the tests, with its legend, as text."""
    return render("poses", data, width, height, colors)
