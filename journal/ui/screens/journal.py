"""Journal: the sensations and events logged so far, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from journal.ui.screens.base import JournalView

if TYPE_CHECKING:
    from journal.store import Store


class JournalScreen(JournalView):
    """Every entry and event (adding and editing here comes with the journal screen's next version)."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Vertical(id="journal"):
            yield Static("[b]Sensations  [/b](log from Home with v / i / w, or `tonus log`)", classes="title")
            yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
            yield Static("[b]Events  [/b](`tonus event KIND LABEL`)", classes="title")
            yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up the tables and read the journal."""
        self.query_one("#entries", DataTable).add_columns(
            "when", "sensation", "intensity", "side", "where", "note"
        )
        self.query_one("#events", DataTable).add_columns("when", "kind", "label")
        super().on_mount()

    def read(self, store: Store) -> tuple[list[Any], list[Any]]:
        """Entries and events."""
        return store.entries(), store.events()

    def show(self, data: tuple[list[Any], list[Any]]) -> None:
        """Fill the tables, newest first."""
        entries, events = data
        table = self.query_one("#entries", DataTable)
        table.clear()
        for e in reversed(entries):
            table.add_row(
                f"{e.at:%Y-%m-%d %H:%M}",
                e.sensation.replace("_", " "),
                f"{e.intensity}/10",
                e.side or "",
                e.where or "",
                e.note or "",
            )
        ev = self.query_one("#events", DataTable)
        ev.clear()
        for e in reversed(events):
            ev.add_row(f"{e.at:%Y-%m-%d}", e.kind, e.label)
