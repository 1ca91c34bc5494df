"""`tonus chart`: the Charts screen's charts printed to the terminal."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import Any, Final

from journal.chart_kinds import KINDS
from journal.errors import UsageError

#: The terminal's size is used up to these: beyond them a chart gets no easier to read.
MAX_WIDTH: Final = 200
MAX_HEIGHT: Final = 60
#: The most weeks --weeks takes (a century): more would only overflow the date arithmetic.
MAX_WEEKS: Final = 5200
#: Sizes a chart can be drawn in at all (given with --width/--height).
LIMITS: Final = {"width": (40, 1000), "height": (12, 500)}
NO_TESTS: Final = (
    "No tests yet: `tonus import FOLDER` brings in photos of a weekly test, or run `tonus` to take one."
)


def register(sub: Any) -> None:
    """Add the `chart` subcommand."""
    chart = sub.add_parser(
        "chart",
        help="print a chart: recovery with sensations and events, resting asymmetry, or movement per pose",
        description=(
            "Print a chart of the journal. recovery: tone and movement from your worst (0 %) to "
            "symmetric (100 %) over the weeks since onset, with weekly sensations and numbered events; "
            "regions: resting asymmetry per region in mm; poses: movement per pose."
        ),
    )
    chart.add_argument("--weeks", type=int, metavar="N", help="only the last N weeks (default: every test)")
    chart.add_argument("--kind", choices=KINDS, default="recovery", help="which chart (default: recovery)")
    chart.add_argument("--width", type=int, metavar="W", help="columns (default: the terminal's)")
    chart.add_argument("--height", type=int, metavar="H", help="lines (default: the terminal's)")
    chart.set_defaults(handler=run_chart)


def chart_size(width: int | None, height: int | None) -> tuple[int, int]:
    """Return the chart size: as given (checked), else the terminal's, kept within sensible bounds."""
    for value, what in ((width, "width"), (height, "height")):
        low, high = LIMITS[what]
        if value is not None and not low <= value <= high:
            raise UsageError(f"The {what} {value} does not suit a chart: give {low} to {high}.")
    terminal = shutil.get_terminal_size(fallback=(80, 24))
    (min_w, _), (min_h, _) = LIMITS["width"], LIMITS["height"]
    # One line is left for the shell prompt that follows.
    w = width if width is not None else min(max(terminal.columns, min_w), MAX_WIDTH)
    h = height if height is not None else min(max(terminal.lines - 1, min_h), MAX_HEIGHT)
    return w, h


def use_colors() -> bool:
    """Colour only a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run_chart(args: argparse.Namespace) -> int:
    """Print the chosen chart of the journal (opened read-only)."""
    from journal.charts import StripNote, load_charts, read_history_and_rest, render
    from journal.cli.journal_cmd import open_journal
    from journal.services.dashboard import recovery_from_store
    from journal.signals.leadlag import leadlag_from_store

    if args.weeks is not None and args.weeks < 1:
        raise UsageError(f"--weeks {args.weeks} shows nothing: give 1 or more, or leave it out for all.")
    if args.weeks is not None and args.weeks > MAX_WEEKS:
        raise UsageError(
            f"--weeks {args.weeks} is more than a century of weeks: give up to {MAX_WEEKS}, or leave it out."
        )
    width, height = chart_size(args.width, args.height)
    with open_journal(args.home, read_only=True) as store:
        read = read_history_and_rest(store)  # once for the signal, the lead-lag and the charts
        if not read[0]:
            print(NO_TESTS)
            return 0
        found = [r for r in leadlag_from_store(store, *read) if r.beyond_chance]
        notes = tuple(StripNote(r.sensation, r.sentence()) for r in found)
        signal = recovery_from_store(store, *read)
        data = load_charts(store, args.weeks, signal=signal, notes=notes, read=read)
    print(render(args.kind, data, width, height, colors=use_colors()))
    return 0
