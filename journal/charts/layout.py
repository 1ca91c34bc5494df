"""How the recovery chart shares the lines of a terminal: the plot first, then the strip and the key.

The plot gets at least `MIN_PLOT_ROWS` rows when the height allows; the sensation strip one row per
sensation after that, the event key what is left (the rest goes below the fold, or is counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Lines around the plot rows: the frame's top (holding the title) and bottom (the axis, with event
#: numbers), the week numbers, the dates under them, and the one-line legend.
FIXED_LINES: Final = 5
#: Plot rows wanted before the strip or the key get a line (80×24 keeps them).
MIN_PLOT_ROWS: Final = 12
#: Plot rows below which the chart cannot be read at all.
FLOOR_PLOT_ROWS: Final = 3
#: Widest name in the strip's left margin (longer names are shortened).
MAX_MARGIN: Final = 14
MIN_MARGIN: Final = 5  # "100 %"


@dataclass(frozen=True, slots=True)
class Layout:
    """Lines for each part of the recovery chart, and the width of the left margin."""

    plot: int
    strip: int
    notes: int
    key: int
    margin: int


def recovery_layout(
    width: int, height: int, sensations: int, notes: int, key_lines: int, names: int = 0
) -> Layout:
    """Share `height` lines: plot ≥ 12 rows if possible, then strip rows, notes, key lines.

    `sensations` rows are wanted for the strip, `notes` for findings drawn on it, `key_lines` for
    the event key (0 when the key goes elsewhere); `names` is the longest sensation name.
    """
    avail = max(FLOOR_PLOT_ROWS, height - FIXED_LINES)
    want_strip = sensations + (notes if sensations else 0)
    plot_min = max(FLOOR_PLOT_ROWS, min(MIN_PLOT_ROWS, avail - min(want_strip, 2) - min(key_lines, 1)))
    key_floor = min(key_lines, 1)
    strip = min(want_strip, max(0, avail - plot_min - key_floor))
    note_rows = max(0, min(notes, strip - sensations)) if sensations else 0
    strip_rows = strip - note_rows
    if strip_rows < sensations and note_rows:  # sensations before notes when short of room
        strip_rows, note_rows = strip, 0
    key = min(key_lines, max(0, avail - plot_min - strip_rows - note_rows))
    plot = avail - strip_rows - note_rows - key
    margin = (
        MIN_MARGIN if not sensations else min(max(MIN_MARGIN, names), MAX_MARGIN, max(MIN_MARGIN, width // 6))
    )
    return Layout(plot, strip_rows, note_rows, key, margin)
