"""History, Results, Journal, Charts, Help and the command palette on a prepared temp journal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from textual.command import CommandList, CommandPalette
from textual.widgets import Markdown, Static
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    settle,
    until,
)

from journal.ui.rowtable import RowTable
from journal.ui.screens.charts import ChartsScreen
from journal.ui.screens.help import HelpScreen
from journal.ui.screens.history import HistoryScreen
from journal.ui.screens.home import HomeScreen
from journal.ui.screens.journal import JournalScreen
from journal.ui.screens.results import ResultsScreen

pytestmark = pytest.mark.usefixtures("images_off")

FIRST = datetime(2025, 5, 27, 8, 15)
SECOND = datetime(2025, 6, 3, 8, 30)


def two_sessions(home: Path) -> list[int]:
    """Store two tests a week apart with fixed scores; return their ids."""
    mark_first_run_done(home, side="right")
    with open_store(home) as store:
        return [
            store.add_session(fixed_session(FIRST, tonus=72.0, movement=45.0)),
            store.add_session(fixed_session(SECOND, tonus=81.5, movement=52.0, shift=0.8)),
        ]


def cells(table: RowTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def section(pilot: Any, app: Any, key: str, kind: type) -> Any:
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
    await settle(pilot)
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, kind), kind.__name__)
    await settle(pilot)
    return app.screen


def test_history_lists_every_test_and_enter_opens_its_results(home: Path) -> None:
    first, second = two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "y", HistoryScreen)
            table = screen.query_one("#sessions", RowTable)
            assert cells(table) == [
                ["", str(first), "2025-05-27 08:15", "72.0", "45.0", "1.5", "imported", "tonus-scorer/3"],
                ["", str(second), "2025-06-03 08:30", "81.5", "52.0", "1.5", "imported", "tonus-scorer/3"],
            ]
            assert table.has_focus
            await pilot.press("down", "enter")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
            results = app.screen
            assert isinstance(results, ResultsScreen)
            assert results.session_id == second
            await until(pilot, lambda: "Tonus:" in screen_text(app, "#summary"), "the scores")
            await settle(pilot)
            # One Enter opens one results screen (the table's Enter and the screen's are not both run).
            assert [type(s) for s in app.screen_stack] == [HistoryScreen, ResultsScreen]

            summary = screen_text(app, "#summary")
            assert "Test of Tue 03 Jun 2025 08:30" in summary
            assert (
                "Tonus: 82 of 100 (how even your face is at rest), 10 more than last week, "
                "a real change (more than the usual wobble)." in summary
            )
            assert "Movement: 52 of 100 (" in summary
            assert "7 more than last week, within the usual week-to-week wobble." in summary
            assert "Affected side: your right (as you told Tonus)." in summary
            assert "You noted: tiredness 2 of 10, “fixed test data”." in summary
            regions = screen_text(app, "#regions")
            # fixed_session: rest brow 21.0 / 19.5 + 0.8 (left − right +0.7: the right sits lower)
            assert "Your right eyebrow sits 0.7 mm lower than the left (last week 1.5 mm)." in regions
            assert "Your right mouth corner sits 1.7 mm lower than the left (last week 2.5 mm)." in regions
            moves = screen_text(app, "#poses-table")
            assert "Raising your eyebrows: your right side moved 52% as far as your left side" in moves
            assert "Wrinkling your nose: not taken this week (skipped)." in moves
            assert len([ln for ln in moves.splitlines() if ln.strip()]) == 1 + 10  # every pose is said
            for jargon in ("SDC", "scorer", "(given)", "midface", "–"):
                assert jargon not in summary + regions + moves, jargon
            details = app.screen.query_one("#details")
            assert not details.display
            await pilot.press("m")
            await until(pilot, lambda: details.display, "the measurement details")
            assert "tonus-scorer/3" in screen_text(app, "#details")
            assert "brow height" in screen_text(app, "#details")

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")
            assert [type(s) for s in app.screen_stack] == [HistoryScreen]

    run(body())


def test_results_of_the_first_test_say_so(home: Path) -> None:
    first, _second = two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "y", HistoryScreen)
            await pilot.press("enter")  # the cursor starts on the oldest test
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
            assert isinstance(app.screen, ResultsScreen) and app.screen.session_id == first
            await until(pilot, lambda: "Tonus:" in screen_text(app, "#summary"), "the scores")
            assert "than last week" not in screen_text(app, "#summary")
            assert "This is your first test" in screen_text(app, "#notes")
            assert "none: this is your first test" in screen_text(app, "#photo-before-title")
            await pilot.press("enter")  # Enter closes the results too
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")

    run(body())


def test_history_of_an_empty_journal_is_empty_and_enter_does_nothing(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "y", HistoryScreen)
            assert screen.query_one(RowTable).row_count == 0
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen

    run(body())


def test_journal_lists_entries_and_events_newest_first(home: Path) -> None:
    mark_first_run_done(home)
    with open_store(home) as store:
        store.add_entry(NOW - timedelta(days=2), "itching", 3, side="right", where="cheek")
        store.add_entry(NOW - timedelta(hours=1), "vibration", 6, note="after lunch")
        store.add_entry(NOW - timedelta(days=1), "twitching", 2)
        store.add_event(datetime(2025, 5, 1), "medication", "prednisolone")
        store.add_event(datetime(2025, 5, 20), "therapy", "physiotherapy starts")

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "j", JournalScreen)
            assert cells(screen.query_one("#entries", RowTable)) == [
                ["2025-06-10 08:00", "vibration", "6/10", "", "", "after lunch"],
                ["2025-06-09 09:00", "twitching", "2/10", "", "", ""],
                ["2025-06-08 09:00", "itching", "3/10", "right", "cheek", ""],
            ]
            assert cells(screen.query_one("#events", RowTable)) == [
                ["2025-05-20", "therapy", "physiotherapy starts"],
                ["2025-05-01", "medication", "prednisolone"],
            ]

            # Coming back to the section reads the journal again.
            with open_store(home) as store:
                store.add_event(datetime(2025, 6, 1), "milestone", "first smile")
            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            await pilot.press("j")
            await until(pilot, lambda: app.screen.query_one("#events", RowTable).row_count == 3, "3 events")
            assert cells(app.screen.query_one("#events", RowTable))[0] == [
                "2025-06-01",
                "milestone",
                "first smile",
            ]

    run(body())


@pytest.mark.parametrize("tests", [0, 2])
def test_charts_draw_with_no_tests_and_with_two(home: Path, tests: int) -> None:
    if tests:
        two_sessions(home)
    else:
        mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "c", ChartsScreen)
            await until(pilot, lambda: screen.chart_text != "", "the chart")
            await pilot.pause()
            drawn = re.sub(r"\x1b\[[0-9;]*m", "", screen.chart_text)
            lines = drawn.split("\n")
            assert max(len(line) for line in lines) > 50 and len(lines) > 20
            if tests:
                assert "Recovery, all weeks" in drawn
                assert "27 May" in drawn and "3 Jun" in drawn  # the first and the last test
                assert "T" in drawn and "M" in drawn  # the series' point markers
                assert "T tone  M movement" in drawn  # the one-line legend
            else:
                assert "No tests yet" in drawn

    run(body())


def test_help_opens_with_question_mark_and_closes_with_escape(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "Help")
            await pilot.pause()
            markdown = app.screen.query_one(Markdown)
            assert "Tonus" in markdown.source and "SDC95" not in markdown.source  # no jargon
            for keys in ("**Journal:**", "**Charts:**", "**History:**", "**Results:**", "`Tab` moves"):
                assert keys in markdown.source, keys
            await pilot.press("question_mark")  # ? again closes it (never a second help)
            assert [type(s) for s in app.screen_stack] == [HomeScreen]
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "Help")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after Esc")

    run(body())


def test_command_palette_offers_the_weekly_test(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Weekly test" in titles
            assert {"Home", "Journal", "Charts", "History"} <= set(titles)

            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette")
            await pilot.press(*"weekly")

            def offered() -> list[str]:
                options = app.screen.query_one(CommandList)
                return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

            await until(pilot, lambda: any("Weekly test" in o for o in offered()), "'Weekly test' offered")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")

    run(body())


NOTE = "felt [strange] pulling [/b]"  # square brackets are Textual markup; a person's words are not
LABEL = "[physio] starts"


def test_a_persons_words_with_square_brackets_are_shown_as_written(home: Path) -> None:
    two_sessions(home)
    with open_store(home) as store:
        store.add_entry(NOW - timedelta(hours=1), "vibration", 4, note=NOTE)
        store.add_event(datetime(2025, 5, 30, 9, 0), "therapy", LABEL)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: NOTE in screen_text(app, "#today"), "the note on Home")
            screen = await section(pilot, app, "j", JournalScreen)
            entries = screen.query_one("#entries", RowTable)
            assert "felt [strange] pulling [/b]" in entries.render_line(1).text
            events = screen.query_one("#events", RowTable)
            assert LABEL in events.render_line(1).text
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, ChartsScreen), "Charts")
            await until(pilot, lambda: LABEL in screen_text(app, "#chart-legend"), "the label in the legend")
            legend = app.screen.query_one("#chart-legend", Static)
            width = legend.content_size.width
            assert all(len(line) <= width for line in screen_text(app, "#chart-legend").splitlines())

    run(body())


def test_the_section_key_of_the_current_section_closes_what_is_above_it(home: Path) -> None:
    """h on Results opened from Home goes back to Home (it used to do nothing), y on Results to History."""
    two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "y", HistoryScreen)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")
            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await app.push_screen(ResultsScreen(1))
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "results above Home")
            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after h")
            assert len(app.screen_stack) == 1

    run(body())


def test_the_palette_runs_commands_not_only_sections(home: Path) -> None:
    """README: every command is in the palette: logging, events, the profile, the theme."""
    mark_first_run_done(home)

    async def body() -> None:
        from journal.ui.screens.first_run import FirstRunScreen
        from journal.ui.screens.forms import EntryForm, EventForm

        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            assert {"Log a sensation", "Add an event", "Set affected side and onset", "Theme"} <= set(
                commands
            )
            for title, kind in (
                ("Log a sensation", EntryForm),
                ("Add an event", EventForm),
                ("Set affected side and onset", FirstRunScreen),
            ):
                commands[title].callback()
                await until(pilot, lambda k=kind: isinstance(app.screen, k), title)  # type: ignore[misc]
                await pilot.press("escape")
                await until(pilot, lambda k=kind: not isinstance(app.screen, k), f"{title} closed")  # type: ignore[misc]

    run(body())
