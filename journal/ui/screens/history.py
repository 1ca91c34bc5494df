"""History: every test in a table; Enter opens its results."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from journal.ui.screens.base import error_text, services_of, with_store


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class HistoryScreen(Screen[None]):
    """All stored tests, oldest first."""

    BINDINGS = [Binding("enter", "open", "Open test")]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("[b]Tests[/b]  (Enter opens one)", classes="title")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up the table and read the journal."""
        self.query_one(DataTable).add_columns(
            "test", "date", "tonus", "movement", "synkinesis", "source", "scorer"
        )
        self.load()

    def on_screen_resume(self) -> None:
        """Refresh when shown again."""
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read the history in a thread."""
        try:
            rows = with_store(services_of(self), lambda s: s.history())
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error")
            return
        self.app.call_from_thread(self.show, rows)

    def show(self, rows: list[Any]) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                str(r.session.id),
                f"{r.session.taken_at:%Y-%m-%d %H:%M}",
                _num(r.tonus),
                _num(r.movement),
                _num(r.synkinesis),
                r.session.source,
                r.scorer_version or "–",
                key=str(r.session.id),
            )

    def action_open(self) -> None:
        """Open the selected test's results."""
        from journal.ui.screens.results import ResultsScreen

        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.app.push_screen(ResultsScreen(int(key)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens it."""
        if event.row_key.value is not None:
            from journal.ui.screens.results import ResultsScreen

            self.app.push_screen(ResultsScreen(int(event.row_key.value)))
