"""RowTable, the Journal's and History's table: only rows on screen are drawn, keys and clicks move a
row cursor, a changed cell redraws its own line, and cells are shown exactly as given."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from ui_helpers import run

from journal.ui.rowtable import RowTable

COLUMNS = (("n", 6), ("word", 12))
ROWS = 50_000


class TableApp(App[None]):
    """One table, filled with `rows`, and the messages it sent."""

    def __init__(self, rows: list[tuple[str, tuple[object, ...]]]) -> None:
        super().__init__()
        self.rows = rows
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowTable(COLUMNS, id="t")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.replace_rows(self.rows)
        table.focus()

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self.highlighted.append(event.key)

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        self.selected.append(event.key)


def numbered(count: int) -> list[tuple[str, tuple[object, ...]]]:
    return [(str(i), (str(i), f"word {i}")) for i in range(count)]


def drawn(table: RowTable) -> list[str]:
    """The lines the table draws now (line 0 is the header)."""
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def test_fifty_thousand_rows_draw_only_the_lines_on_screen() -> None:
    async def body() -> None:
        app = TableApp(numbered(ROWS))
        async with app.run_test(size=(40, 12)) as pilot:
            table = app.query_one(RowTable)
            await pilot.pause()
            assert table.row_count == ROWS
            lines = drawn(table)
            assert lines[0].split() == ["n", "word"]
            assert lines[1].split() == ["0", "word", "0"]
            assert len(table._lines) <= table.size.height  # no row off screen was formatted
            await pilot.press("ctrl+end")
            await pilot.pause()
            assert table.cursor_row == ROWS - 1 and table.cursor_key == str(ROWS - 1)
            assert drawn(table)[-1].split()[:1] == [str(ROWS - 1)]  # the cursor row scrolled into view
            assert len(table._lines) <= 2 * table.size.height

    run(body())


def test_keys_move_the_cursor_and_enter_or_a_second_click_selects() -> None:
    async def body() -> None:
        app = TableApp(numbered(100))
        async with app.run_test(size=(40, 12)) as pilot:
            table = app.query_one(RowTable)
            await pilot.pause()
            await pilot.press("down", "down", "up")
            assert table.cursor_row == 1
            await pilot.press("pagedown")
            assert table.cursor_row == 1 + (table.scrollable_content_region.height - 1)
            await pilot.press("ctrl+home")
            assert table.cursor_row == 0 and round(table.scroll_y) == 0
            await pilot.press("enter")
            await pilot.pause()
            assert app.selected == ["0"]
            await pilot.click(RowTable, offset=(3, 3))  # line 3: the third row
            await pilot.pause()
            assert table.cursor_row == 2 and app.selected == ["0"]
            await pilot.click(RowTable, offset=(3, 3))
            await pilot.pause()
            assert app.selected == ["0", "2"]
            await pilot.click(RowTable, offset=(3, 0))  # the header chooses nothing
            await pilot.pause()
            assert table.cursor_row == 2 and app.selected == ["0", "2"]
            assert app.highlighted == ["1", "2", "1", str(table.scrollable_content_region.height), "0", "2"]

    run(body())


def test_replacing_the_rows_keeps_the_cursor_on_its_key() -> None:
    async def body() -> None:
        app = TableApp(numbered(10))
        async with app.run_test(size=(40, 12)) as pilot:
            table = app.query_one(RowTable)
            table.move_cursor(4)
            table.replace_rows([("new", ("x", "y")), *numbered(10)])
            assert table.cursor_key == "4" and table.cursor_row == 5
            table.replace_rows(numbered(3))  # the key is gone: the same row number, within the rows
            assert table.cursor_row == 2
            await pilot.pause()

    run(body())


def test_a_changed_cell_redraws_only_its_own_line() -> None:
    async def body() -> None:
        app = TableApp(numbered(30))
        async with app.run_test(size=(40, 12)) as pilot:
            table = app.query_one(RowTable)
            await pilot.pause()
            drawn(table)
            refreshed: list[Any] = []
            real = table.refresh
            table.refresh = lambda *regions, **k: (refreshed.extend(regions), real(*regions, **k))[1]  # type: ignore[method-assign]
            table.update_cell("3", 1, "changed")
            assert [(r.y, r.height) for r in refreshed] == [(4, 1)]
            assert drawn(table)[4].split() == ["3", "changed"]

    run(body())


def test_cells_are_shown_as_written_never_as_markup() -> None:
    words = "[b]not bold[/b] [red]x"

    async def body() -> None:
        app = TableApp([("1", ("1", words)), ("2", ("2", Text(words)))])
        async with app.run_test(size=(60, 8)) as pilot:
            table = app.query_one(RowTable)
            await pilot.pause()
            assert drawn(table)[1].split(maxsplit=1)[1] == words[:12]  # cut to the column's width
            assert drawn(table)[2].split(maxsplit=1)[1] == words[:12]
            table.move_cursor(1)  # (the cursor row is drawn bold)
            for line in (1, 2):
                if line == 2:
                    table.move_cursor(0)
                assert not any(s.style and s.style.bold for s in table.render_line(line) if "not" in s.text)

    run(body())
