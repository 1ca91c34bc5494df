"""Large journals on the Journal and History screens: pages as the person scrolls, no needless refill,
and History's mark touching only the rows that change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from test_ui_sections import SECOND, section, two_sessions
from ui_helpers import SIZE, make_services, mark_first_run_done, new_app, open_store, run, until

from journal.ui.rowtable import RowTable
from journal.ui.screens.history import HistoryScreen
from journal.ui.screens.journal import PAGE, JournalScreen

pytestmark = pytest.mark.usefixtures("images_off")

ENTRIES = 2 * PAGE + 50


def many_entries(home: Path, count: int = ENTRIES) -> list[int]:
    """`count` entries half an hour apart in one statement; return their ids newest first."""
    mark_first_run_done(home)
    with open_store(home) as store:
        store.cursor().execute(
            "INSERT INTO entries (occurred_at, sensation, intensity, note) "
            "SELECT TIMESTAMP '2025-01-01 08:00' + to_minutes(i * 30), 'itching', i % 11, 'n' || i "
            "FROM range(?) t(i)",
            [count],
        )
        return [e.id for e in reversed(store.entries())]


def keys(table: RowTable) -> list[int]:
    return [int(k) for k in table.keys]


async def idle(pilot: Any) -> None:
    await pilot.pause()
    await until(pilot, lambda: all(w.is_finished for w in pilot.app.workers), "the workers")
    await pilot.pause()


def test_journal_shows_the_newest_page_then_older_ones_as_the_cursor_goes_down(home: Path) -> None:
    newest_first = many_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "j", JournalScreen)
            table = screen.query_one("#entries", RowTable)
            await until(pilot, lambda: table.row_count > 0, "the first page")
            assert keys(table) == newest_first[:PAGE]
            for pages in (2, 3):
                await pilot.press("ctrl+end")  # the cursor to the last row loaded
                await until(
                    pilot, lambda pages=pages: table.row_count == min(pages * PAGE, ENTRIES), "a page"
                )
                await idle(pilot)
            assert keys(table) == newest_first  # every entry once, newest first
            assert screen.all_loaded
            await pilot.press("ctrl+end")
            await idle(pilot)
            assert table.row_count == ENTRIES

    run(body())


def test_journal_scrolling_to_the_bottom_reads_the_next_page(home: Path) -> None:
    newest_first = many_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "j", JournalScreen)
            table = screen.query_one("#entries", RowTable)
            await until(pilot, lambda: table.row_count > 0, "the first page")
            table.scroll_end(animate=False)
            await until(pilot, lambda: table.row_count == 2 * PAGE, "the second page")
            assert keys(table) == newest_first[: 2 * PAGE]
            assert table.cursor_row == 0  # scrolling moved no cursor

    run(body())


def test_journal_reload_refills_only_when_something_changed(home: Path) -> None:
    many_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "j", JournalScreen)
            table = screen.query_one("#entries", RowTable)
            await until(pilot, lambda: table.row_count > 0, "the first page")
            await pilot.press("ctrl+end")
            await until(pilot, lambda: table.row_count == 2 * PAGE, "the second page")
            await idle(pilot)
            clears: list[int] = []
            real_replace = table.replace_rows
            table.replace_rows = lambda *a, **k: (clears.append(1), real_replace(*a, **k))[1]  # type: ignore[method-assign]
            screen.load()
            await idle(pilot)
            assert clears == [] and table.row_count == 2 * PAGE  # nothing changed: nothing redrawn
            with open_store(home) as store:
                new = store.add_entry(store.entries()[-1].at, "pain", 4, note="new one")
            screen.load()
            await until(pilot, lambda: clears == [1], "the refill")
            await idle(pilot)
            assert keys(table)[0] == new  # the newest entry on top, as many rows as before
            assert table.row_count == 2 * PAGE

    run(body())


def test_history_mark_updates_only_the_rows_whose_mark_changes(home: Path) -> None:
    first, second = two_sessions(home)
    with open_store(home) as store:
        third = store.add_session(fixed_session(SECOND.replace(day=5), tonus=70.0, movement=50.0))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "y", HistoryScreen)
            table = screen.query_one("#sessions", RowTable)
            await until(pilot, lambda: table.row_count == 3, "the tests")
            updated: list[str] = []
            real = table.update_cell
            table.update_cell = lambda row, col, value, **k: (  # type: ignore[method-assign]
                updated.append(f"{row}:{value}"),
                real(row, col, value, **k),
            )[1]
            for row, expect in ((0, [f"{first}:★"]), (1, [f"{second}:★"]), (2, [f"{first}:", f"{third}:★"])):
                updated.clear()
                table.move_cursor(row=row)
                await pilot.press("m")
                await pilot.pause()
                assert updated == expect
            assert screen.marked == [second, third]
            marks = [str(table.get_row_at(i)[0]) for i in range(3)]
            assert marks == ["", "★", "★"]

    run(body())
