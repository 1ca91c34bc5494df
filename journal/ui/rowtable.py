"""A table that draws only the rows on screen: the Journal's and History's tables, at any length.

Textual's DataTable measures and styles every cell it is given, parses its own large stylesheet when
a screen first shows one, and redraws every visible cell when one changes: 50,000 entries froze the
Journal, and one mark on ten years of tests took 0.1–0.3 s (80–150 ms of CPU). Here each row is a
tuple of cells in columns of fixed widths; a row becomes a line of segments only when it is on
screen (and is kept until it changes), and a change redraws that one line. It keeps DataTable's look
and keys: a row cursor, ↑ ↓, Page Up/Down, Ctrl+Home/End, Home/End (sideways), Enter and a click (a
second click on the cursor row selects it), zebra stripes, a fixed header line.

Cells are shown exactly as given: a string is plain text, never markup; a rich `Text` keeps its own
styles. (Callers pass a person's words through `journal.text.printable` first.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: A row: its key and its cells, one per column.
Row = tuple[str, Sequence[object]]
#: Cells on either side of a cell's text, as in DataTable.
PAD = 1


class RowTable(ScrollView, can_focus=True):
    """Rows of pre-formatted cells under a fixed header; a row cursor; only visible rows are drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rowtable--header",
        "rowtable--cursor",
        "rowtable--even-row",
        "rowtable--odd-row",
    }

    # DataTable's look (its colours and styles), for these parts only.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .rowtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .rowtable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .rowtable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .rowtable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .rowtable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .rowtable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .rowtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowMessage(Message):
        """Something happened on a row: the table, the row's index and its key."""

        def __init__(self, table: RowTable, cursor_row: int, key: str) -> None:
            super().__init__()
            self.table, self.cursor_row, self.key = table, cursor_row, key

        @property
        def control(self) -> RowTable:
            """The table (for `on(..., "#id")`)."""
            return self.table

    class RowHighlighted(RowMessage):
        """The cursor moved to another row."""

    class RowSelected(RowMessage):
        """Enter (or a click on the cursor row) chose a row."""

    def __init__(self, columns: Sequence[tuple[str, int]], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.width_of_rows = sum(width + 2 * PAD for _label, width in self.columns)
        self._keys: list[str] = []
        self._cells: list[tuple[object, ...]] = []
        self._index: dict[str, int] = {}
        self._lines: dict[int, Strip] = {}  # row index -> its unstyled line, made when first drawn
        self._header: Strip | None = None
        self._styles: tuple[Style, Style, Style, Style, Style] | None = None
        self.cursor_row = 0
        self.virtual_size = Size(self.width_of_rows, 1)

    # What the table holds.
    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self._keys)

    @property
    def keys(self) -> list[str]:
        """The rows' keys, top to bottom."""
        return list(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None when the table is empty)."""
        return self._keys[self.cursor_row] if self._keys else None

    def has_row(self, key: str) -> bool:
        """Whether a row has the key `key`."""
        return key in self._index

    def get_row_at(self, row: int) -> tuple[object, ...]:
        """The cells of row `row` (0 is the top row)."""
        return self._cells[row]

    def get_cell_at(self, row: int, column: int) -> object:
        """The cell of row `row` in column `column`."""
        return self._cells[row][column]

    # Changing it.
    def replace_rows(self, rows: Iterable[Row]) -> None:
        """Show `rows` instead; the cursor stays on the same key, else on the same row number.

        (Moving it to the top would make the next key act on another row than the one chosen.)
        """
        chosen = self.cursor_key
        self._keys, self._cells, self._index, self._lines = [], [], {}, {}
        self._append(rows)
        row = self._index.get(chosen, self.cursor_row) if chosen is not None else self.cursor_row
        self._resized()
        self.move_cursor(row, announce=False)
        self.refresh()

    def add_rows(self, rows: Iterable[Row]) -> None:
        """Add `rows` below the others."""
        self._append(rows)
        self._resized()
        self.refresh()

    def update_cell(self, key: str, column: int, value: object) -> None:
        """Change one cell of the row `key`; only that row's line is drawn again."""
        index = self._index[key]
        cells = list(self._cells[index])
        cells[column] = value
        self._cells[index] = tuple(cells)
        self._lines.pop(index, None)
        self.refresh_line(index + 1)

    def _append(self, rows: Iterable[Row]) -> None:
        for key, cells in rows:
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._cells.append(tuple(cells))

    def _resized(self) -> None:
        self.virtual_size = Size(self.width_of_rows, len(self._keys) + 1)

    # The cursor.
    def move_cursor(self, row: int, *, scroll: bool = True, announce: bool = True) -> None:
        """Put the cursor on row `row` (kept within the rows) and bring it into view."""
        row = max(0, min(row, len(self._keys) - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:  # the lines of the old cursor row and of the new one
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
        if scroll:
            self._scroll_to_cursor()
        if announce and old != row and self._keys:
            self.post_message(self.RowHighlighted(self, row, self._keys[row]))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top, shown = round(self.scroll_y), self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False, force=True)

    def action_cursor_up(self) -> None:
        """One row up."""
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        """One screen of rows up."""
        self.move_cursor(self.cursor_row - self._visible_rows())

    def action_page_down(self) -> None:
        """One screen of rows down."""
        self.move_cursor(self.cursor_row + self._visible_rows())

    def action_scroll_top(self) -> None:
        """To the first row."""
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        """To the last row."""
        self.move_cursor(len(self._keys) - 1)

    def action_scroll_home(self) -> None:
        """Scroll to the leftmost column."""
        self.scroll_to(x=0, animate=False)

    def action_scroll_end(self) -> None:
        """Scroll to the rightmost column."""
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_select_cursor(self) -> None:
        """Say that the cursor row was chosen."""
        if self._keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self._keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a click on the cursor row chooses it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = offset.y - 1 + round(self.scroll_y)
        if row >= len(self._keys):
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    # Drawing.
    def notify_style_update(self) -> None:
        """Colours changed (focus, theme): draw the lines with the new ones."""
        super().notify_style_update()
        self._styles, self._header = None, None

    def _row_styles(self) -> tuple[Style, Style, Style, Style, Style]:
        """Header, cursor (under the cells), cursor colours (over them), even and odd rows: as DataTable."""
        if self._styles is None:
            cursor = self.get_component_rich_style("rowtable--cursor")
            self._styles = (
                self.get_component_styles("rowtable--header").rich_style,
                cursor,
                Style.from_color(cursor.color, cursor.bgcolor),
                self.get_component_styles("rowtable--even-row").rich_style,
                self.get_component_styles("rowtable--odd-row").rich_style,
            )
        return self._styles

    def _line(self, cells: Iterable[object]) -> Strip:
        text = Text(no_wrap=True, end="")
        for (_label, width), cell in zip(self.columns, cells, strict=False):
            part = cell.copy() if isinstance(cell, Text) else Text(str(cell).replace("\n", " "))
            part.truncate(width, overflow="crop", pad=True)
            text.append(" " * PAD)
            text.append_text(part)
            text.append(" " * PAD)
        segments = [s for s in text.render(self.app.console) if s.text]
        return Strip(segments, self.width_of_rows)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header, else the row scrolled there."""
        width = self.size.width
        base = self.rich_style
        header, cursor, cursor_colours, even, odd = self._row_styles()
        if y == 0:
            if self._header is None:
                line = self._line(label for label, _width in self.columns)
                self._header = Strip(Segment.apply_style(list(line), header), line.cell_length)
            strip, fill = self._header, header
        else:
            index = y - 1 + round(self.scroll_y)
            if index >= len(self._keys):
                return Strip.blank(width, base)
            cached = self._lines.get(index)
            line = cached if cached is not None else self._line(self._cells[index])
            self._lines[index] = line
            style = odd if index % 2 else even
            if index == self.cursor_row:
                segments = Segment.apply_style(list(line), style + cursor, cursor_colours)
                fill = style + cursor + cursor_colours
            else:
                segments, fill = Segment.apply_style(list(line), style), style
            strip = Strip(segments, line.cell_length)
        x = round(self.scroll_x)
        # The row's colours go on to the right edge, as in DataTable.
        return strip.crop(x, x + width).adjust_cell_length(width, base + fill)
