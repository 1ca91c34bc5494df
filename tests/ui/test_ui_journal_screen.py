"""The Journal screen's forms: add, edit and delete a sensation, add an event, cancel, refuse bad values.

Every check reads the journal back (`open_store(home)`), so a form that shows the right thing but
writes the wrong row, or writes when it should not, fails.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_ui_sections import cells, section
from textual.pilot import Pilot
from textual.widgets import Input, Select
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

from journal.store import Entry, Event
from journal.ui.rowtable import RowTable
from journal.ui.screens.forms import EntryForm, EventForm
from journal.ui.screens.journal import JournalScreen
from journal.ui.screens.prompts import Confirm

pytestmark = pytest.mark.usefixtures("images_off")

ITCHING_AT = NOW - timedelta(days=2)
VIBRATION_AT = NOW - timedelta(hours=1)


def entry_values(entries: list[Entry]) -> list[tuple[Any, ...]]:
    """Each entry's fields without its id."""
    return [(e.at, e.sensation, e.intensity, e.side, e.where, e.note) for e in entries]


def event_values(events: list[Event]) -> list[tuple[Any, ...]]:
    return [(e.at, e.kind, e.label) for e in events]


def stored_entries(home: Path) -> list[Entry]:
    with open_store(home) as store:
        return store.entries()


def stored_events(home: Path) -> list[Event]:
    with open_store(home) as store:
        return store.events()


def two_entries(home: Path) -> tuple[int, int]:
    """An itching entry two days ago and a vibration entry an hour ago; return their ids."""
    mark_first_run_done(home)
    with open_store(home) as store:
        return (
            store.add_entry(ITCHING_AT, "itching", 3, side="right", where="cheek"),
            store.add_entry(VIBRATION_AT, "vibration", 6, note="after lunch"),
        )


def entries_table(app: Any) -> RowTable:
    return app.screen.query_one("#entries", RowTable)


async def open_form(pilot: Pilot[Any], key: str, kind: type) -> Any:
    """Press `key` on the Journal and wait for the form (or dialog) it opens."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await pilot.pause()
    return pilot.app.screen


async def choose(pilot: Pilot[Any], typed: str) -> None:
    """Open the focused Select, type the start of an option to find it, and pick it."""
    await pilot.press("enter", *typed, "enter")


async def retype(pilot: Pilot[Any], value: str) -> None:
    """Replace the whole text of the focused Input."""
    await pilot.press("end", "ctrl+u", *value)


async def back_to_journal(pilot: Pilot[Any]) -> None:
    """Wait for the Journal, then for every worker: a write starts its reload before it ends."""
    await until(pilot, lambda: isinstance(pilot.app.screen, JournalScreen), "the Journal again")
    await pilot.pause()
    await until(pilot, lambda: all(w.is_finished for w in pilot.app.workers), "the journal written and read")
    await pilot.pause()


def test_adding_an_entry_by_keys_stores_exactly_that_row(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "a", EntryForm)
            assert isinstance(app.focused, Select) and app.focused.id == "sensation"
            assert form.query_one("#at", Input).value == "2025-06-10 09:00"  # the app's clock
            await choose(pilot, "vib")  # sensation
            await pilot.press("tab", "6", "tab")  # intensity
            await choose(pilot, "ri")  # side
            await pilot.press("tab")
            await choose(pilot, "ch")  # where
            await pilot.press("tab")
            await retype(pilot, "2025-06-09 21:30")
            await pilot.press("tab", *"after lunch", "enter")  # Enter in a field saves
            await back_to_journal(pilot)

            (entry,) = stored_entries(home)
            assert entry_values([entry]) == [
                (datetime(2025, 6, 9, 21, 30), "vibration", 6, "right", "cheek", "after lunch")
            ]
            assert cells(entries_table(app)) == [
                ["2025-06-09 21:30", "vibration", "6/10", "right", "cheek", "after lunch"]
            ]

    run(body())


def test_an_entry_with_only_an_intensity_keeps_the_defaults(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            await open_form(pilot, "a", EntryForm)
            await pilot.press("tab", "0", "ctrl+s")  # 0 is a valid intensity
            await back_to_journal(pilot)
            assert entry_values(stored_entries(home)) == [(NOW, "twitching", 0, None, None, None)]

    run(body())


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("12", "Intensity 12 is not a whole number from 0 to 10."),
        ("-1", "Intensity -1 is not a whole number from 0 to 10."),
        ("", "Intensity (empty) is not a whole number from 0 to 10."),
        # A digit to str.isdigit() that int() refuses: it once crashed the app.
        ("²", "Intensity ² is not a whole number from 0 to 10."),
    ],
)
def test_an_invalid_intensity_is_refused_with_a_sentence_and_nothing_is_written(
    home: Path, typed: str, sentence: str
) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "a", EntryForm)
            await pilot.press("tab", *typed, "ctrl+s")
            await until(pilot, lambda: screen_text(app, "#problem") == sentence, "the problem sentence")
            assert app.screen is form  # the form stays open
            await pilot.press("enter")  # Enter in the field tries again: still refused
            await pilot.pause()
            assert app.screen is form and screen_text(app, "#problem") == sentence
            assert stored_entries(home) == []

            await retype(pilot, "4")  # the form is not stuck: a valid value saves
            await pilot.press("ctrl+s")
            await back_to_journal(pilot)
            assert entry_values(stored_entries(home)) == [(NOW, "twitching", 4, None, None, None)]

    run(body())


def test_a_time_that_does_not_parse_is_refused(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "a", EntryForm)
            await pilot.press("tab", "5", "tab", "tab", "tab")  # intensity, side, where, time
            await retype(pilot, "yesterday")
            await pilot.press("ctrl+s")
            sentence = "The time does not parse: write it as YYYY-MM-DD HH:MM."
            await until(pilot, lambda: screen_text(app, "#problem") == sentence, "the problem sentence")
            assert app.screen is form
            assert stored_entries(home) == []

    run(body())


def test_editing_an_entry_changes_the_stored_row(home: Path) -> None:
    itching, vibration = two_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            await pilot.press("down")  # newest first: the itching entry is the second row
            form = await open_form(pilot, "e", EntryForm)
            # The form starts from the entry.
            assert form.query_one("#sensation", Select).value == "itching"
            assert form.query_one("#intensity", Input).value == "3"
            assert form.query_one("#side", Select).value == "right"
            assert form.query_one("#where", Select).value == "cheek"
            assert form.query_one("#at", Input).value == f"{ITCHING_AT:%Y-%m-%d %H:%M}"
            assert form.query_one("#note", Input).value == ""

            await choose(pilot, "ting")  # itching → tingling
            await pilot.press("tab")
            await retype(pilot, "7")
            await pilot.press("tab")
            await choose(pilot, "le")  # right → left
            await pilot.press("tab")
            await choose(pilot, "mo")  # cheek → mouth
            await pilot.press("tab", "tab", *"worse in the evening", "ctrl+s")
            await back_to_journal(pilot)

            entries = stored_entries(home)
            assert [e.id for e in entries] == [itching, vibration]  # changed in place, not added
            assert entry_values(entries) == [
                (ITCHING_AT, "tingling", 7, "left", "mouth", "worse in the evening"),
                (VIBRATION_AT, "vibration", 6, None, None, "after lunch"),
            ]
            assert cells(entries_table(app))[1] == [
                f"{ITCHING_AT:%Y-%m-%d %H:%M}",
                "tingling",
                "7/10",
                "left",
                "mouth",
                "worse in the evening",
            ]

    run(body())


def test_delete_asks_first_and_only_yes_deletes(home: Path) -> None:
    itching, vibration = two_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            journal = await section(pilot, app, "j", JournalScreen)
            await pilot.press("down")  # the itching entry
            question = f"Delete itching 3/10 of {ITCHING_AT:%Y-%m-%d %H:%M}?"

            for decline in ("n", "escape"):
                dialog = await open_form(pilot, "d", Confirm)
                assert question in [str(label.render()) for label in dialog.query("Label")]
                await pilot.press(decline)
                await back_to_journal(pilot)
                assert [e.id for e in stored_entries(home)] == [itching, vibration], decline
                assert entries_table(app).row_count == 2
                # The cursor stays on the entry chosen, so the next key acts on it again.
                assert entries_table(app).cursor_row == 1, f"cursor moved after {decline}"

            await open_form(pilot, "d", Confirm)
            await pilot.press("y")
            await back_to_journal(pilot)
            assert app.screen is journal
            assert [e.id for e in stored_entries(home)] == [vibration]
            assert cells(entries_table(app)) == [
                [f"{VIBRATION_AT:%Y-%m-%d %H:%M}", "vibration", "6/10", "", "", "after lunch"]
            ]

    run(body())


def test_edit_and_delete_on_an_empty_journal_do_nothing(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            journal = await section(pilot, app, "j", JournalScreen)
            await pilot.press("e", "d")
            await pilot.pause()
            assert app.screen is journal
            assert stored_entries(home) == []

    run(body())


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("me", "medication"), ("th", "therapy"), ("mi", "milestone"), ("ap", "appointment")],
)
def test_adding_an_event_stores_it(home: Path, typed: str, kind: str) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "n", EventForm)
            assert form.query_one("#kind", Select).value == "milestone"
            assert form.query_one("#at", Input).value == "2025-06-10"  # the app's clock
            await choose(pilot, typed)
            await pilot.press("tab", *"physiotherapy starts", "tab")
            await retype(pilot, "2025-06-02")
            await pilot.press("enter")
            await back_to_journal(pilot)

            assert event_values(stored_events(home)) == [(datetime(2025, 6, 2), kind, "physiotherapy starts")]
            assert cells(app.screen.query_one("#events", RowTable)) == [
                ["2025-06-02", kind, "physiotherapy starts"]
            ]
            assert stored_entries(home) == []

    run(body())


def test_an_event_without_a_label_is_refused(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, "n", EventForm)
            await pilot.press("tab", "space", "space", "ctrl+s")
            sentence = "Give the event a label, e.g. physiotherapy starts."
            await until(pilot, lambda: screen_text(app, "#problem") == sentence, "the problem sentence")
            assert app.screen is form
            assert stored_events(home) == []

    run(body())


@pytest.mark.parametrize(("key", "kind"), [("a", EntryForm), ("e", EntryForm), ("n", EventForm)])
def test_escape_cancels_a_form_without_writing(home: Path, key: str, kind: type) -> None:
    two_entries(home)
    before = stored_entries(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            journal = await section(pilot, app, "j", JournalScreen)
            form = await open_form(pilot, key, kind)
            await pilot.press("enter", "escape")  # Escape in the first field's menu closes the menu …
            await pilot.pause()
            assert app.screen is form
            await pilot.press("tab")  # the second field: intensity or label
            await retype(pilot, "9")
            await pilot.press("escape")  # … and Escape in the form closes the form
            await back_to_journal(pilot)
            assert app.screen is journal
            assert stored_entries(home) == before
            assert stored_events(home) == []

    run(body())
