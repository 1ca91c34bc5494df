"""Journal: sensations and events, newest first; add, edit and delete from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from journal.ui.screens.base import JournalView, error_text, refill_table, services_of, with_store
from journal.ui.screens.forms import EntryForm, EntryValues, EventForm, EventValues
from journal.ui.screens.prompts import Confirm

if TYPE_CHECKING:
    from journal.store import Store


class JournalScreen(JournalView):
    """Every entry and event."""

    BINDINGS = [
        Binding("a", "add_entry", "Add entry"),
        Binding("e", "edit_entry", "Edit"),
        Binding("d", "delete_entry", "Delete"),
        Binding("n", "add_event", "Add event"),
    ]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Vertical(id="journal"):
            yield Static("[b]Sensations [/b] a add · e edit · d delete", classes="title")
            yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
            yield Static(
                "[b]Events [/b] n add · e edit · d delete (Tab moves between the tables)", classes="title"
            )
            yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up the tables, then read the journal."""
        self.query_one("#entries", DataTable).add_columns(
            "when", "sensation", "intensity", "side", "where", "note"
        )
        self.query_one("#events", DataTable).add_columns("when", "kind", "label")
        self.query_one("#entries", DataTable).focus()

    def read(self, store: Store) -> tuple[list[Any], list[Any]]:
        """Entries and events."""
        return store.entries(), store.events()

    def show(self, data: tuple[list[Any], list[Any]]) -> None:
        """Fill the tables, newest first."""
        entries, events = data
        self.entries = {e.id: e for e in entries}
        rows = [
            (str(e.id), (f"{e.at:%Y-%m-%d %H:%M}", e.sensation.replace("_", " "), f"{e.intensity}/10",
                         e.side or "", e.where or "", Text(e.note or "")))  # Text: a note is not markup
            for e in reversed(entries)
        ]  # fmt: skip
        refill_table(self.query_one("#entries", DataTable), rows)
        self.events = {e.id: e for e in events}
        event_rows = [(str(e.id), (f"{e.at:%Y-%m-%d}", e.kind, Text(e.label))) for e in reversed(events)]
        refill_table(self.query_one("#events", DataTable), event_rows)

    def _events_focused(self) -> bool:
        return self.query_one("#events", DataTable).has_focus

    def _selected(self, table_id: str, rows: dict[int, Any]) -> Any | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
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
