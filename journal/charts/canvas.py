"""A built plotext figure as a grid of cells (character + colour) that the charts can write into.

plotext draws the plot; the charts then add what it cannot draw (a title in the frame, numbered
event marks on the axis, two rows of axis labels, noise bands behind the lines, the sensation
strip) by writing cells, and turn the grid back into text with or without colours.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

_SGR: Final = re.compile(r"\x1b\[[0-9;]*m")
#: ANSI colours for what the charts write themselves (plotext's names, as 256-colour codes).
STYLES: Final[dict[str, str]] = {
    "": "",
    "tone": "\x1b[38;5;12m",
    "movement": "\x1b[38;5;10m",
    "event": "\x1b[38;5;9m",
    "dim": "\x1b[38;5;8m",
    "strip": "\x1b[38;5;13m",
    "bold": "\x1b[1m",
}
_RESET: Final = "\x1b[0m"
#: Bidirectional overrides and isolates: they reorder what follows them on the line.
_BIDI: Final = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean(text: str) -> str:
    """Return a person's text safe to print in a chart: control characters as spaces, bidi overrides
    dropped, runs of spaces joined (a legend must never carry a raw escape or newline)."""
    out = []
    for ch in text:
        if ch in _BIDI:
            continue
        out.append(" " if unicodedata.category(ch) == "Cc" else ch)
    return " ".join("".join(out).split())


@dataclass(slots=True)
class Cell:
    """One character cell: the character and its ANSI style prefix ("" for none)."""

    ch: str
    style: str = ""


def parse(line: str) -> list[Cell]:
    """Split one line of a built figure into cells, keeping each character's colour."""
    cells: list[Cell] = []
    style = ""
    pos = 0
    for match in _SGR.finditer(line):
        cells += [Cell(ch, style) for ch in line[pos : match.start()]]
        code = match.group()
        style = "" if code == _RESET else code
        pos = match.end()
    cells += [Cell(ch, style) for ch in line[pos:]]
    return cells


class Grid:
    """Lines of cells, all `width` wide."""

    def __init__(self, lines: list[list[Cell]], width: int) -> None:
        self.width = width
        self.rows = [(cells + [Cell(" ") for _ in range(width)])[:width] for cells in lines]

    @classmethod
    def from_text(cls, text: str, width: int) -> Grid:
        """Make a grid from a built figure's text (with or without colours)."""
        return cls([parse(line) for line in text.splitlines()], width)

    def blank(self) -> list[Cell]:
        """Return an empty row of this grid's width."""
        return [Cell(" ") for _ in range(self.width)]

    def put(self, row: int, col: int, text: str, style: str = "") -> None:
        """Write `text` at (`row`, `col`), clipped to the grid."""
        cells = self.rows[row]
        for i, ch in enumerate(text):
            if 0 <= col + i < self.width:
                cells[col + i] = Cell(ch, STYLES.get(style, style))

    def text(self, colors: bool) -> str:
        """Return the grid as lines of text (trailing spaces removed when without colours)."""
        lines = []
        for cells in self.rows:
            if not colors:
                lines.append("".join(c.ch for c in cells).rstrip())
                continue
            parts, style = [], ""
            for c in cells:
                if c.style != style:
                    parts.append(_RESET if not c.style else (_RESET + c.style if style else c.style))
                    style = c.style
                parts.append(c.ch)
            lines.append("".join(parts) + (_RESET if style else ""))
        return "\n".join(lines)
