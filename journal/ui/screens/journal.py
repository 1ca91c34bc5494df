"""Journal: sensations and events, newest first; add, edit and delete from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Static

from journal.text import printable
from journal.ui.footer import TonusFooter
from journal.ui.rowtable import RowTable
from journal.ui.screens.base import JournalView, current_styles, error_text, services_of, with_store
from journal.ui.screens.forms import EntryForm, EntryValues, EventForm, EventValues
from journal.ui.screens.prompts import Confirm

if TYPE_CHECKING:
    from journal.store import Entry, Event, Store

#: Entries shown at once, newest first; older ones are read a page at a time as the person scrolls
#: (50,000 entries added to a DataTable at once froze the screen for 10 s).
PAGE = 100
#: How close to the last loaded row the cursor or the scroll gets before the next page is read.
NEAR_END = 20
#: Fixed widths, so pages added later change no column (and no cell has to be measured for it).
ENTRY_COLUMNS = (("when", 16), ("sensation", 17), ("intensity", 9), ("side", 5), ("where", 6), ("note", 48))
EVENT_COLUMNS = (("when", 10), ("kind", 11), ("label", 60))


def _entry_row(e: Entry) -> tuple[str, tuple[object, ...]]:
    when, what = f"{e.at:%Y-%m-%d %H:%M}", e.sensation.replace("_", " ")
    # Text: a note is shown as written, never read as markup.
    return str(e.id), (
        when,
        what,
        f"{e.intensity}/10",
        e.side or "",
        e.where or "",
        Text(printable(e.note or "")),
    )


class JournalScreen(JournalView):
    """Every entry and event."""

    BINDINGS = [
        Binding("a", "add_entry", "Add entry"),
        Binding("e", "edit_entry", "Edit"),
        Binding("d", "delete_entry", "Delete"),
        Binding("n", "add_event", "Add event"),
    ]

    def __init__(self) -> None:
        super().__init__()
        current_styles(self)

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Vertical(id="journal"):
            yield Static("[b]Sensations [/b] a add · e edit · d delete", classes="title")
            yield RowTable(ENTRY_COLUMNS, id="entries")
            yield Static(
                "[b]Events [/b] n add · e edit · d delete (Tab moves between the tables)", classes="title"
            )
            yield RowTable(EVENT_COLUMNS, id="events")
        yield TonusFooter()

    def on_mount(self) -> None:
        """Set up the tables, then read the journal."""
        self.shown: list[Entry] = []
        self.shown_events: list[Event] | None = None
        self.entries: dict[int, Entry] = {}
        self.events: dict[int, Event] = {}
        self.all_loaded = False
        self._reading_older = False
        table = self.query_one("#entries", RowTable)
        table.focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)

    def read(self, store: Store) -> tuple[list[Entry], list[Event], int]:
        """The newest entries (as many as are shown, at least a page) and every event."""
        wanted = max(PAGE, len(self.shown))
        return store.latest_entries(wanted), store.events(), wanted

    def show(self, data: tuple[list[Entry], list[Event], int]) -> None:
        """Fill the tables, newest first, unless they already show exactly this."""
        entries, events, wanted = data
        self.all_loaded = len(entries) < wanted
        if entries != self.shown:
            self.shown = entries
            self.entries = {e.id: e for e in entries}
            self.query_one("#entries", RowTable).replace_rows(map(_entry_row, entries))
        if events != self.shown_events:
            self.shown_events = events
            self.events = {e.id: e for e in events}
            rows = [
                (str(e.id), (f"{e.at:%Y-%m-%d}", e.kind, Text(printable(e.label)))) for e in reversed(events)
            ]
            self.query_one("#events", RowTable).replace_rows(rows)

    def _scrolled(self, _old: float, new: float) -> None:
        table = self.query_one("#entries", RowTable)
        if table.max_scroll_y - new < NEAR_END:
            self._more()

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        """Read the next page of older entries when the cursor nears the last one loaded."""
        if event.table.id == "entries" and event.cursor_row >= event.table.row_count - NEAR_END:
            self._more()

    def _more(self) -> None:
        if self.shown and not self.all_loaded and not self._reading_older:
            self._reading_older = True
            self.read_older(self.shown[-1])

    @work(thread=True, exclusive=True, group="journal-older")
    def read_older(self, last: Entry) -> None:
        """Read the page of entries before `last` in a thread and add it below the others."""
        try:
            older = with_store(services_of(self), lambda s: s.latest_entries(PAGE, (last.at, last.id)))
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            older = None
        self.app.call_from_thread(self._add_older, last, older)

    def _add_older(self, last: Entry, older: list[Entry] | None) -> None:
        self._reading_older = False
        if older is None or not self.shown or self.shown[-1] != last:
            return  # failed, or the table was refilled meanwhile: the next scroll asks again
        self.shown = [*self.shown, *older]
        self.entries.update((e.id, e) for e in older)
        self.all_loaded = len(older) < PAGE
        self.query_one("#entries", RowTable).add_rows(map(_entry_row, older))

    def _events_focused(self) -> bool:
        return self.query_one("#events", RowTable).has_focus

    def _selected(self, table_id: str, rows: dict[int, Any]) -> Any | None:
        key = self.query_one(table_id, RowTable).cursor_key
        return rows.get(int(key)) if key is not None else None

    def _selected_entry(self) -> Any | None:
        return self._selected("#entries", getattr(self, "entries", {}))

    def _selected_event(self) -> Any | None:
        return self._selected("#events", getattr(self, "events", {}))

    @work(thread=True, group="journal-write")
    def write(self, action: Callable[[Store], object], done: str) -> None:
        """Write to the journal in a thread, then refresh."""
        try:
            with_store(services_of(self), action)
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, done, timeout=2)
        self.app.call_from_thread(self.load)

    def _stored(self, done: str) -> Callable[[object], None]:
        """After a form stored its values: say so and show them."""

        def after(values: object) -> None:
            if values is not None:
                self.notify(done, timeout=2)
                self.load()

        return after

    def action_add_entry(self) -> None:
        """Add a sensation (the form keeps its input when the journal refuses it)."""

        def writer(v: EntryValues) -> Callable[[Store], object]:
            return lambda s: s.add_entry(v.at, v.sensation, v.intensity, v.side, v.where, v.note)

        self.app.push_screen(EntryForm(services_of(self).now(), writer=writer), self._stored("Saved."))

    def action_edit_entry(self) -> None:
        """Edit the selected sensation, or the selected event when the Events table has the focus."""
        if self._events_focused():
            self.edit_event()
            return
        entry = self._selected_entry()
        if entry is None:
            return

        def writer(v: EntryValues) -> Callable[[Store], object]:
            return lambda s: s.update_entry(
                entry.id, at=v.at, sensation=v.sensation, intensity=v.intensity,
                side=v.side, where=v.where, note=v.note,
            )  # fmt: skip

        form = EntryForm(services_of(self).now(), entry, writer=writer)
        self.app.push_screen(form, self._stored("Changed."))

    def action_delete_entry(self) -> None:
        """Delete the selected sensation (or event, when its table has the focus) after confirmation."""
        if self._events_focused():
            event = self._selected_event()
            if event is not None:
                what = f"the event {event.label!r} of {event.at:%Y-%m-%d}"
                self._confirm_delete(what, lambda s: s.delete_event(event.id))
            return
        entry = self._selected_entry()
        if entry is None:
            return
        what = f"{entry.sensation.replace('_', ' ')} {entry.intensity}/10 of {entry.at:%Y-%m-%d %H:%M}"
        self._confirm_delete(what, lambda s: s.delete_entry(entry.id))

    def _confirm_delete(self, what: str, action: Callable[[Store], object]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.write(action, "Deleted.")

        self.app.push_screen(Confirm(f"Delete {what}?"), answered)

    def edit_event(self) -> None:
        """Edit the selected event."""
        event = self._selected_event()
        if event is None:
            return

        def writer(v: EventValues) -> Callable[[Store], object]:
            return lambda s: s.update_event(event.id, v.at, v.kind, v.label)

        form = EventForm(services_of(self).now(), event, writer=writer)
        self.app.push_screen(form, self._stored("Event changed."))

    def action_add_event(self) -> None:
        """Add an event."""

        def writer(v: EventValues) -> Callable[[Store], object]:
            return lambda s: s.add_event(v.at, v.kind, v.label)

        self.app.push_screen(EventForm(services_of(self).now(), writer=writer), self._stored("Event added."))
