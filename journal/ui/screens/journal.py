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

from journal.text import printable
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
            yield Static("[b]Events [/b] n add", classes="title")
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
                         e.side or "", e.where or "", Text(printable(e.note or ""))))  # not markup
            for e in reversed(entries)
        ]  # fmt: skip
        refill_table(self.query_one("#entries", DataTable), rows)
        ev = self.query_one("#events", DataTable)
        ev.clear()
        for e in reversed(events):
            ev.add_row(f"{e.at:%Y-%m-%d}", e.kind, Text(printable(e.label)), key=str(e.id))

    def _selected_entry(self) -> Any | None:
        table = self.query_one("#entries", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return getattr(self, "entries", {}).get(int(key)) if key is not None else None

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

    def action_add_entry(self) -> None:
        """Add a sensation."""

        def saved(v: EntryValues | None) -> None:
            if v is not None:
                self.write(
                    lambda s: s.add_entry(v.at, v.sensation, v.intensity, v.side, v.where, v.note), "Saved."
                )

        self.app.push_screen(EntryForm(services_of(self).now()), saved)

    def action_edit_entry(self) -> None:
        """Edit the selected sensation."""
        entry = self._selected_entry()
        if entry is None:
            return

        def saved(v: EntryValues | None) -> None:
            if v is not None:
                self.write(
                    lambda s: s.update_entry(
                        entry.id, at=v.at, sensation=v.sensation, intensity=v.intensity,
                        side=v.side, where=v.where, note=v.note,
                    ),
                    "Changed.",
                )  # fmt: skip

        self.app.push_screen(EntryForm(services_of(self).now(), entry), saved)

    def action_delete_entry(self) -> None:
        """Delete the selected sensation after confirmation."""
        entry = self._selected_entry()
        if entry is None:
            return
        what = f"{entry.sensation.replace('_', ' ')} {entry.intensity}/10 of {entry.at:%Y-%m-%d %H:%M}"

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda s: s.delete_entry(entry.id), "Deleted.")

        self.app.push_screen(Confirm(f"Delete {what}?"), answered)

    def action_add_event(self) -> None:
        """Add an event."""

        def saved(v: EventValues | None) -> None:
            if v is not None:
                self.write(lambda s: s.add_event(v.at, v.kind, v.label), "Event added.")

        self.app.push_screen(EventForm(services_of(self).now()), saved)
