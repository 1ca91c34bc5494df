"""The recovery chart as text: tone and movement in % of recovery over the weeks since onset.

plotext draws the plot (the two lines with a letter at each test, and a vertical line where the
recovery signal places each onset); the rest is written into the built figure's cells (`canvas`):
the title in the frame, the noise bands behind the lines, week ticks and numbered event marks on
the axis, week numbers with dates under them, the sensation strip (one row per sensation, a bar of
its strongest intensity each week), findings drawn on the strip, a one-line legend and the event key.
"""

from __future__ import annotations

import math
from typing import Any, Final

from journal.charts.axes import day_label, message, no_tests_text, range_text, week_ticks
from journal.charts.canvas import Grid, clean
from journal.charts.data import ChartData
from journal.charts.layout import Layout, recovery_layout
from journal.charts.series import Band, RecoveryView, recovery_view

TONE_MARKER: Final = "T"
MOVEMENT_MARKER: Final = "M"
COLORS: Final[dict[str, str]] = {"tone": "blue+", "movement": "green+"}
#: Bars for a sensation's weekly strength 1–10 (0 or not logged: blank).
BARS: Final = "▁▂▃▄▅▆▇█"
BAND_MARKS: Final[dict[str, str]] = {"tone": "░", "movement": "▒"}
_GLUE: Final = "\u00a0"  # keeps an event's number with its date while the key is wrapped


def sensation_label(name: str) -> str:
    """Return a sensation's name as shown ("dry_eye" → "dry eye"), safe to print."""
    return clean(name.replace("_", " "))


def bar(intensity: int) -> str:
    """Return the bar for a weekly strength of 0–10 (blank for 0)."""
    if intensity <= 0:
        return " "
    return BARS[min(len(BARS), max(1, math.ceil(intensity * len(BARS) / 10))) - 1]


def title(data: ChartData, room: int = 1000) -> str:
    """Return the chart's title in at most `room` characters: what the scale means, if it fits."""
    name = f"Recovery, {range_text(data)}"
    for scale in (" · 0 % your worst, 100 % symmetric / full movement", " · 0 % your worst, 100 % full", ""):
        if len(name + scale) <= room:
            return name + scale
    return name[: room - 1] + "…"


def event_key(view: RecoveryView, multi_year: bool, limit: int | None = 40) -> list[str]:
    """Return the numbered events as key items ("1 30 Jul appointment: GP …"), safe to print; labels
    longer than `limit` are shortened (None: never)."""
    items = []
    for number, _x, event in view.events:
        head = f"{number} {day_label(event.at.date(), multi_year)} {clean(event.kind)}:"
        label = clean(event.label)
        items.append(head.replace(" ", _GLUE) + " " + (label if limit is None else _short(label, limit)))
    return items


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def key_lines(view: RecoveryView, width: int, multi_year: bool, limit: int | None = None) -> list[str]:
    """Return the event key as at most `limit` lines of at most `width` characters.

    Items are never split inside ("1 30 Jul appointment:" stays together); when they do not all fit,
    the last line ends with how many more there are ("… +5 more").
    """
    items = [item.replace(_GLUE, " ") for item in event_key(view, multi_year)]
    lines: list[str] = []
    line, count, i = "events:", 0, 0
    while i < len(items):
        last = limit is not None and len(lines) == limit - 1
        more = f" … +{len(items) - i - 1} more" if last and i < len(items) - 1 else ""
        piece = (" · " if count else " ") + items[i]
        if not count or len(line) + len(piece) + len(more) <= width:
            line, count, i = line + piece, count + 1, i + 1
            continue
        if last:
            break
        lines.append(line)
        line, count = " ", 0  # the next item follows one more space: indented by two
    if i < len(items):
        more = f" +{len(items) - i} more"
        if len(line) + 2 + len(more) > width:  # a long first item: shortened to leave room
            line = line[: width - len(more) - 1].rstrip() + "…"
        else:
            more = " …" + more
        line += more
    lines.append(line)
    return [text if len(text) <= width else text[: width - 1] + "…" for text in lines]


def legend_line(view: RecoveryView, width: int) -> str:
    """Return the one-line legend: as many of its parts as fit in `width`, most important first."""
    parts = [f"{TONE_MARKER} tone  {MOVEMENT_MARKER} movement"]
    if view.scale.tone_band or view.scale.movement_band:
        parts.append(f"{BAND_MARKS['tone']}{BAND_MARKS['movement']} noise")
    if view.sensations:
        parts.append(f"{BARS[0]}{BARS[3]}{BARS[-1]} week's strongest 0–10")
    if view.marks:
        parts.append("│ returns")
    if view.events:
        parts.append("1 2 events")
    line = parts[0]
    for part in parts[1:]:
        if len(line) + 3 + len(part) <= width:
            line += " · " + part
    return line[:width]


def _plot(view: RecoveryView, layout: Layout, width: int, colors: bool) -> Grid:
    """Draw the lines and onset marks with plotext; return the built figure as cells."""
    from plotext._figure import _figure_class  # a figure of our own: no global plotext state

    fig = _figure_class()
    fig._limit_size(False, False)  # plotext otherwise shrinks the figure to fit the terminal
    fig.plot_size(width, layout.plot + 2)  # and the frame's two lines
    fig.theme("pro" if colors else "clear")
    fig.xlim(view.first, view.last)
    fig.xticks([], [])
    fig.ylim(0, 100)
    ticks = [0, 25, 50, 75, 100] if layout.plot >= 9 else [0, 50, 100]
    fig.yticks(ticks, [f"{t} %".rjust(layout.margin) for t in ticks])
    for mark, x in view.marks:
        fig.vertical_line(x, color=COLORS[mark.what])
    series = {
        key: [(p.week, v) for p in view.points if (v := getattr(p, key)) is not None]
        for key in ("movement", "tone")
    }
    for key, points in series.items():  # both lines, then every test's letter on top of them
        if points:
            fig.plot([p[0] for p in points], [p[1] for p in points], marker="braille", color=COLORS[key])
    # Movement's letters first: where both sit in one cell (the first tests, both at 0 %), tone shows.
    for key, marker in (("movement", MOVEMENT_MARKER), ("tone", TONE_MARKER)):
        if series[key]:
            xs, ys = [p[0] for p in series[key]], [p[1] for p in series[key]]
            fig.scatter(xs, ys, marker=marker, color=COLORS[key])
    grid = Grid.from_text(fig.build(), width)
    bottom = next(i for i, row in enumerate(grid.rows) if any(c.ch == "└" for c in row))
    grid.rows = grid.rows[: bottom + 1]
    return grid


class _Frame:
    """Where the plot sits in the grid: the frame's corners, x → column and y → row."""

    def __init__(self, grid: Grid, view: RecoveryView) -> None:
        top = grid.rows[0]
        self.left = next(i for i, c in enumerate(top) if c.ch == "┌")
        self.right = next(i for i, c in enumerate(top) if c.ch == "┐")
        self.bottom = len(grid.rows) - 1
        self.cols = self.right - self.left - 1
        self.first, self.last = view.first, view.last

    def col(self, x: float) -> int:
        """Return the column of x (plotext's own mapping: linear over the inner columns)."""
        frac = (x - self.first) / max(self.last - self.first, 1e-9)
        return self.left + 1 + math.floor(frac * (self.cols - 1) + 0.5)

    def x(self, col: int) -> float:
        """Return the x at the middle of a column (the inverse of `col`)."""
        return self.first + (col - self.left - 1) / max(self.cols - 1, 1) * (self.last - self.first)

    def row(self, y: float) -> int:
        """Return the row of a percentage."""
        return 1 + math.floor((100.0 - y) / 100.0 * (self.bottom - 2) + 0.5)


def _bands(grid: Grid, frame: _Frame, view: RecoveryView) -> None:
    """Shade each noise band behind the lines (only empty cells; movement's over tone's)."""
    for key in ("tone", "movement"):
        band: Band | None = getattr(view.scale, f"{key}_band")
        if band is None:
            continue
        rows = range(frame.row(band.high), frame.row(band.low) + 1)
        for r in rows:
            for c in range(frame.left + 1, frame.right):
                if grid.rows[r][c].ch in " ░":
                    grid.put(r, c, BAND_MARKS[key], "dim")


def _mark_labels(grid: Grid, frame: _Frame, view: RecoveryView) -> None:
    """Name each onset line at the top of the plot ("tone wk 6"), beside its line."""
    for i, (mark, x) in enumerate(view.marks):
        text = f"{mark.what} wk {mark.week}"
        col = frame.col(x)
        start = col + 1 if col + 1 + len(text) < frame.right else col - len(text)
        grid.put(1 + i, max(frame.left + 1, start), text, mark.what)


def _axis(grid: Grid, frame: _Frame, view: RecoveryView, data: ChartData, margin: int) -> None:
    """Write the title in the top frame, ticks and event numbers on the bottom one, then the rows
    of week numbers and of dates."""
    grid.put(0, frame.left + 2, f" {title(data, frame.cols - 4)} ", "bold")
    weeks = week_ticks(frame.first, frame.last, frame.cols, 6)
    week_row, date_row = grid.blank(), grid.blank()
    grid.rows += [week_row, date_row]
    label = "week" if view.from_onset else "test wk"
    grid.put(frame.bottom + 1, max(0, margin - len(label)), label, "dim")
    taken: set[int] = set()
    for w in weeks:
        c = frame.col(w)
        grid.put(frame.bottom, c, "┬")
        grid.put(frame.bottom + 1, c - (len(str(w)) - 1) // 2, str(w))
        day = day_label(view.day(w))
        start = min(max(frame.left + 1, c - (len(day) - 1) // 2), grid.width - len(day))
        if not taken & set(range(start - 1, start + len(day) + 1)):
            grid.put(frame.bottom + 2, start, day, "dim")
            taken |= set(range(start, start + len(day)))
    used: set[int] = set()
    for number, x, _event in view.events:
        text = str(number)
        c = min(max(frame.col(x), frame.left + 1), frame.right - len(text))
        while any(i in used for i in range(c, c + len(text))) and c + len(text) < frame.right:
            c += 1
        grid.put(frame.bottom, c, text, "event")
        used |= set(range(c, c + len(text) + 1))


def _strip(grid: Grid, frame: _Frame, view: RecoveryView, layout: Layout) -> None:
    """One row per sensation: its name, then a bar of its strongest intensity in each week."""
    per_week = frame.cols / max(view.last - view.first, 1e-9)
    rows = list(view.sensations)
    hidden = rows[max(0, layout.strip - 1) :] if len(rows) > layout.strip else []
    if hidden:
        rows = rows[: max(0, layout.strip - 1)]
    for row in rows:
        cells = grid.blank()
        grid.rows.append(cells)
        r = len(grid.rows) - 1
        name = sensation_label(row.sensation)
        name = name if len(name) <= layout.margin else name[: layout.margin - 1] + "…"
        grid.put(r, layout.margin - len(name), name)
        strength = dict(row.weeks)
        for c in range(frame.left + 1, frame.right):
            week = math.floor(frame.x(c) + 1e-9)
            # A space where a week begins, between weekly bars, when a week has room for it.
            gap = per_week >= 3 and week != math.floor(frame.x(c - 1) + 1e-9)
            value = strength.get(week, 0)
            if value and not gap:
                grid.put(r, c, bar(value), "strip")
    if hidden:
        names = ", ".join(sensation_label(h.sensation) for h in hidden)
        more = f"+{len(hidden)} more: {names}"
        grid.rows.append(grid.blank())
        grid.put(len(grid.rows) - 1, 1, more if len(more) < grid.width - 1 else more[: grid.width - 3] + "…")
    shown = {r.sensation for r in rows}
    for note in view.notes[: layout.notes]:
        grid.rows.append(grid.blank())
        text = sensation_label(note.text)
        c = frame.col(view.x(note.at)) if note.at is not None else frame.left + 1
        if note.sensation not in shown:
            text = f"{sensation_label(note.sensation)}: {text}"
        line = f"↑ {text}" if c + 2 + len(text) <= grid.width else f"{text} ↑"
        start = c if line.startswith("↑") else max(0, c - len(line) + 1)
        grid.put(len(grid.rows) - 1, start, line, "strip")


def render_recovery(
    data: ChartData, width: int = 80, height: int = 24, colors: bool = False, key: bool = True
) -> str:
    """Return the recovery chart as `width` × at most `height` characters of text.

    With `key` the event key takes the lines left (shortened to fit); without, the caller shows it
    elsewhere (`legend`), as the Charts screen does below the fold.
    """
    view = recovery_view(data)
    if view is None or not view.points:
        return _empty(data, width, height, colors)
    span = data.span()
    multi_year = span is not None and span[0].year != span[1].year
    keys = key_lines(view, width, multi_year) if key else []  # all of them: how many lines they want
    names = [len(sensation_label(r.sensation)) for r in view.sensations]
    layout = recovery_layout(width, height, len(names), len(view.notes), len(keys), max(names, default=0))
    if layout.strip < len(names):  # the margin fits the names shown (the last row says "+n more")
        shown = names[: max(0, layout.strip - 1)]
        layout = recovery_layout(width, height, len(names), len(view.notes), len(keys), max(shown, default=0))
    grid = _plot(view, layout, width, colors)
    frame = _Frame(grid, view)
    _bands(grid, frame, view)
    _mark_labels(grid, frame, view)
    _axis(grid, frame, view, data, layout.margin)
    _strip(grid, frame, view, layout)
    lines = grid.text(colors).split("\n")
    lines.append(legend_line(view, width))
    if keys and layout.key:
        lines += key_lines(view, width, multi_year, layout.key)
    return "\n".join(lines)


def _empty(data: ChartData, width: int, height: int, colors: bool) -> str:
    """A frame holding only a message (no tests in range)."""
    from plotext import uncolorize
    from plotext._figure import _figure_class

    fig = _figure_class()
    fig._limit_size(False, False)
    fig.plot_size(width, max(5, height))
    fig.theme("pro" if colors else "clear")
    draw_message(fig, data)
    text = fig.build()
    return text if colors else "\n".join(line.rstrip() for line in uncolorize(text).splitlines())


def draw_message(plt: Any, data: ChartData) -> None:
    """Draw the empty chart's title and message into a plotext figure."""
    plt.title(f"Recovery, {range_text(data)}")
    message(plt, no_tests_text(data))
