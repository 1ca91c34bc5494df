"""Refusals keep the typed input; e/d act on the focused table (events too); History deletes a test."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_ui_journal_screen import back_to_journal, open_form, retype, stored_entries, stored_events
from test_ui_sections import cells, section, two_sessions
from textual.widgets import Input, Label
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    until,
)

from journal.ui.rowtable import RowTable
from journal.ui.screens.forms import EntryForm, EventForm
from journal.ui.screens.history import HistoryScreen
from journal.ui.screens.journal import JournalScreen
from journal.ui.screens.prompts import Confirm

pytestmark = pytest.mark.usefixtures("images_off")


def test_a_time_in_the_future_is_refused_in_the_form_and_the_input_is_kept(home: Path) -> None:
    """The journal refuses it: the dialog stays open with every field as typed (it used to close)."""
    mark_first_run_done(home)
    later = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")  # the journal's own clock

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "a", EntryForm)
            await pilot.press("tab", "7", "tab", "tab", "tab")
            await retype(pilot, later)
            await pilot.press("tab", *"after [physio]", "ctrl+s")
            await until(pilot, lambda: "future" in screen_text(app, "#problem"), "the refusal")
            assert screen_text(app, "#problem").startswith("Not saved: ")
            assert app.screen is form
            assert form.query_one("#intensity", Input).value == "7"
            assert form.query_one("#at", Input).value == later
            assert form.query_one("#note", Input).value == "after [physio]"
            assert stored_entries(home) == []

            form.query_one("#at", Input).focus()
            await retype(pilot, "2025-06-10 08:00")
            await pilot.press("ctrl+s")
            await back_to_journal(pilot)
            (entry,) = stored_entries(home)
            assert (entry.intensity, entry.note, entry.at.hour) == (7, "after [physio]", 8)

    run(body())


def test_e_and_d_act_on_the_events_table_when_it_has_the_focus(home: Path) -> None:
    mark_first_run_done(home)
    with open_store(home) as store:
        store.add_entry(NOW - timedelta(hours=2), "pain", 4)
        store.add_event(NOW - timedelta(days=3), "therapy", "physio starts")
        store.add_event(NOW - timedelta(days=1), "medication", "[eye] drops")

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "j", JournalScreen)
            events = screen.query_one("#events", RowTable)
            await until(pilot, lambda: events.row_count == 2, "the events")
            await pilot.press("tab")  # from the sensations to the events
            await until(pilot, lambda: events.has_focus, "the events table focused")
            await pilot.press("down")  # the older event (newest first)
            form = await open_form(pilot, "e", EventForm)
            assert form.query_one("#label", Input).value == "physio starts"
            form.query_one("#label", Input).focus()
            await retype(pilot, "physio, first session")
            await pilot.press("ctrl+s")
            await back_to_journal(pilot)
            assert [(e.kind, e.label) for e in stored_events(home)] == [
                ("therapy", "physio, first session"),
                ("medication", "[eye] drops"),
            ]
            assert [e.intensity for e in stored_entries(home)] == [4]  # the sensation is untouched
            await until(pilot, lambda: "physio, first session" in [str(r[2]) for r in cells(events)], "shown")

            events.focus()
            events.move_cursor(row=0)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            assert "[eye] drops" in str(app.screen.query(Label).first().render())
            await pilot.press("y")
            await back_to_journal(pilot)
            assert [e.label for e in stored_events(home)] == ["physio, first session"]
            assert len(stored_entries(home)) == 1

    run(body())


def test_history_deletes_a_test_after_asking(home: Path) -> None:
    first, second = two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "y", HistoryScreen)
            table = screen.query_one("#sessions", RowTable)
            await until(pilot, lambda: table.row_count == 2, "the tests")
            table.move_cursor(row=0)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            question = str(app.screen.query(Label).first().render())
            assert f"number {first}" in question and "cannot be undone" in question
            await pilot.press("n")
            await until(pilot, lambda: app.screen is screen, "History again")
            with open_store(home) as store:
                assert len(store.sessions()) == 2
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            await pilot.press("y")
            await until(pilot, lambda: table.row_count == 1, "the test gone from the table")
            assert [row[1] for row in cells(table)] == [str(second)]
        with open_store(home) as store:
            assert [s.id for s in store.sessions()] == [second]

    run(body())
