"""Every chart kind by name: draw it into a plotext figure, render it as text, or give its key.

`render(kind, data, width, height)` returns the chart as text with its legend underneath (what
`tonus chart` prints and the Charts screen shows); `legend(kind, data, width)` returns the chart's
key in full (the scale in words, the noise bands, every event), which the screen shows below the
fold; `draw(kind, plt, data)` draws the plot alone into any plotext figure.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from typing import Any, Final

from journal.chart_kinds import ChartKind
from journal.charts.axes import begin, day_label, range_text, x_of
from journal.charts.canvas import Grid, clean
from journal.charts.data import ChartData
from journal.charts.recovery_chart import draw_message, event_key, render_recovery, sensation_label
from journal.charts.series import recovery_view
from journal.charts.small import draw_poses, draw_regions

_MIN_PLOT_HEIGHT: Final = 8
_GLUE: Final = "\u00a0"


def draw_recovery(plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw only the recovery lines into a plotext figure (the text chart adds the rest)."""
    begin(plt, width)
    view = recovery_view(data)
    if view is None or not view.points:
        draw_message(plt, data)
        return
    plt.xlim(view.first, view.last)
    plt.ylim(0, 100)
    for key, color in (("tone", "blue+"), ("movement", "green+")):
        points = [(p.week, v) for p in view.points if (v := getattr(p, key)) is not None]
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille", color=color)


_DRAW: Final[dict[str, Callable[[Any, ChartData, int | None], None]]] = {
    "recovery": draw_recovery,
    "regions": draw_regions,
    "poses": draw_poses,
}


def draw(kind: ChartKind, plt: Any, data: ChartData, width: int | None = None) -> None:
    """Draw the chart of `kind` into the plotext figure `plt` (everything it held is replaced)."""
    _DRAW[kind](plt, data, width)


def _event_items(data: ChartData, numbered: bool) -> list[str]:
    span = data.span()
    multi_year = span is not None and span[0].year != span[1].year
    items = []
    for number, event in enumerate(data.events, start=1):
        tag = f"{number}{_GLUE}" if numbered else ""
        head = f"{tag}{day_label(event.at.date(), multi_year)} {clean(event.kind)}:".replace(" ", _GLUE)
        label = clean(event.label)
        items.append(f"{head} {label if len(label) <= 40 else label[:39].rstrip() + '…'}")
    return ["events: " + " · ".join(items)] if items else []


def _recovery_key(data: ChartData) -> list[str]:
    view = recovery_view(data)
    parts = [
        f"Recovery, {range_text(data)}: tone (T) from your resting asymmetry, movement (M) from how much "
        "your affected side moves compared with the other; 0 % = your worst test, 100 % = symmetric at "
        "rest / moving as much as the other side.",
    ]
    if view is not None:
        bands = []
        for key, mark in (("tone", "░"), ("movement", "▒")):
            band = getattr(view.scale, f"{key}_band")
            if band is not None:
                bands.append(f"{mark} {key} {band.low:.0f}–{band.high:.0f} %")
        if bands:
            parts.append(
                "Your noise (" + ", ".join(bands) + "): a test inside its band may differ from your first "
                "tests by measurement noise alone."
            )
        if view.marks:
            said = ", ".join(f"{m.what} from week {m.week}" for m, _x in view.marks)
            parts.append(f"│ where the recovery signal finds a rise beyond your noise: {said}.")
        origin = "your palsy's onset" if view.from_onset else "your first test"
        parts.append(f"Weeks count from {origin} ({day_label(view.origin)}; week 1 = its first 7 days).")
        if view.sensations:
            parts.append(
                "Sensations: a bar per week, as high as the strongest you logged that week (0–10); "
                + ", ".join(
                    f"{sensation_label(r.sensation)} {r.days} day{'s' if r.days != 1 else ''}"
                    for r in view.sensations
                )
                + "."
            )
        parts += [f"↑ {clean(n.sensation)}: {clean(n.text)}" for n in view.notes]
        if view.events:
            parts.append("Events (numbered on the axis):")
            span = data.span()
            multi_year = span is not None and span[0].year != span[1].year
            parts += [f"  {item}" for item in event_key(view, multi_year, limit=None)]
    return parts


def legend(kind: ChartKind, data: ChartData, width: int = 80) -> list[str]:
    """Return the key of a chart in full as lines of at most `width` characters."""
    if kind == "recovery":
        parts = _recovery_key(data)
    elif kind == "regions":
        side = data.context.affected_side
        what = (
            f"affected ({side}) side minus the other in mm, above 0 = lower (eye: wider), as palsy pulls it"
            if side in ("left", "right")
            else "left − right in mm (no affected side given); above 0, your left side sits higher"
        )
        parts = [
            f"Resting asymmetry, {range_text(data)}: {what} · ░ your noise · ┈ normal asymmetry",
            *_event_items(data, numbered=True),
        ]
    else:
        parts = [
            f"Movement per pose, {range_text(data)}: 0–100, where 100 = your affected side moves as "
            "much as the other side",
            *_event_items(data, numbered=True),
        ]
    lines: list[str] = []
    for part in parts:
        lines += textwrap.wrap(part, width=max(20, width), subsequent_indent="  ", break_on_hyphens=False)
    return [line.replace(_GLUE, " ") for line in lines]


def render(
    kind: ChartKind,
    data: ChartData,
    width: int = 80,
    height: int = 24,
    colors: bool = False,
    key: bool = True,
) -> str:
    """Return the chart of `kind` with its legend as text of `width` × at most `height` characters.

    `key=False` leaves the event list out (the Charts screen shows `legend` below the fold).
    """
    width, height = max(20, width), max(_MIN_PLOT_HEIGHT, height)
    if kind == "recovery":
        return render_recovery(data, width, height, colors, key)
    from plotext._figure import _figure_class  # a figure of our own: no global plotext state

    lines = legend(kind, data, width)
    first = lines[:1] if not key else lines
    room = min(max(2, height // 4), height - _MIN_PLOT_HEIGHT)
    if len(first) > room:  # many events: the chart keeps most of the height
        first = first[: room - 1] + ["  …"] if room > 1 else first[:room]
    figure = _figure_class()
    draw(kind, figure, data, width)
    figure._limit_size(False, False)  # plotext otherwise shrinks the figure to fit the terminal
    figure.plot_size(width, height - len(first))
    figure.theme("pro" if colors else "clear")
    grid = Grid.from_text(figure.build(), width)
    _number_events(grid, data)
    return "\n".join([*grid.text(colors).split("\n"), *first])


def _number_events(grid: Grid, data: ChartData) -> None:
    """Write each event's number on the date axis of every chart in the bottom row of small charts."""
    span = data.span()
    rows = [i for i, row in enumerate(grid.rows) if any(c.ch == "└" for c in row)]
    if span is None or not rows or not data.events:
        return
    first, last = span[0].toordinal() + 0.0, span[1].toordinal() + 1.0
    row = grid.rows[rows[-1]]
    lefts = [i for i, c in enumerate(row) if c.ch == "└"]
    rights = [i for i, c in enumerate(row) if c.ch == "┘"]
    for left, right in zip(lefts, rights, strict=False):
        cols, used = right - left - 1, set()
        for number, event in enumerate(data.events, start=1):
            text = str(number)
            frac = (x_of(event.at) - first) / (last - first)
            c = left + 1 + math.floor(frac * (cols - 1) + 0.5)
            c = min(max(c, left + 1), right - len(text))
            while any(i in used for i in range(c, c + len(text))) and c + len(text) < right:
                c += 1
            grid.put(rows[-1], c, text, "event")
            used |= set(range(c, c + len(text) + 1))


def render_regions(data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the resting asymmetry per region over the tests, with its legend, as text."""
    return render("regions", data, width, height, colors)


def render_poses(data: ChartData, width: int = 80, height: int = 24, colors: bool = False) -> str:
    """Return the movement per pose over the tests, with its legend, as text."""
    return render("poses", data, width, height, colors)
