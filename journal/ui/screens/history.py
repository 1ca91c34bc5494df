"""History: every test in a table; Enter opens its results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from journal.ui.footer import TonusFooter
from journal.ui.rowtable import RowTable
from journal.ui.screens.base import JournalView, current_styles, error_text, services_of, with_store

if TYPE_CHECKING:
    from journal.store import Store


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


#: Columns and their widths, fixed: what is shown never waits for the table to measure its cells
#: (a table filled with nothing else happening drew its dates cut to "2026"), and ten years of tests
#: are not measured cell by cell. The widths hold the widest value of each column.
COLUMNS: Final = (
    ("", 1),  # ★ marks a test to compare
    ("test", 4),  # up to 9999 tests
    ("date", 16),  # 2026-12-01 20:10
    ("tonus", 5),
    ("movement", 8),
    ("synkinesis", 10),
    ("source", 8),  # imported
    ("scorer", 14),  # tonus-scorer/4
)


class HistoryScreen(JournalView):
    """All stored tests, oldest first."""

    BINDINGS = [
        Binding("enter", "open", "Open test"),
        Binding("m", "mark", "Mark to compare"),
        Binding("v", "compare", "Compare marked"),
        Binding("d", "delete", "Delete test", show=False),  # named in the title line
        Binding("f", "first_and_latest", "Compare first and latest", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        current_styles(self)
        self.marked: list[int] = []

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static(
            "[b]Tests [/b] Enter opens · m marks two, v compares them · f first vs latest · d deletes",
            classes="title",
        )
        yield RowTable(COLUMNS, id="sessions")
        yield TonusFooter()

    def read(self, store: Store) -> list[Any]:
        """Every test with its scores."""
        return store.history()

    def show(self, rows: list[Any]) -> None:
        """Fill the table, unless it already shows exactly these tests."""
        if rows == getattr(self, "shown", None):
            return
        self.shown = rows
        from journal.store.validate import SOURCE_WORDS  # the store is loaded by now: it read `rows`

        cells = [
            (
                str(r.session.id),
                (
                    "★" if r.session.id in self.marked else "",
                    str(r.session.id),
                    f"{r.session.taken_at:%Y-%m-%d %H:%M}",
                    _num(r.tonus),
                    _num(r.movement),
                    _num(r.synkinesis),
                    SOURCE_WORDS.get(r.session.source, r.session.source),
                    r.scorer_version or "–",
                ),
            )
            for r in rows
        ]
        self.query_one(RowTable).replace_rows(cells)

    def _selected(self) -> int | None:
        key = self.query_one(RowTable).cursor_key
        return int(key) if key is not None else None

    def action_mark(self) -> None:
        """Mark (or unmark) the selected test; the two latest marks are compared."""
        chosen = self._selected()
        if chosen is None:
            return
        before = set(self.marked)
        if chosen in self.marked:
            self.marked.remove(chosen)
        else:
            self.marked = [*self.marked, chosen][-2:]
        table = self.query_one(RowTable)
        # Only the rows whose mark changed (at most three), and only their lines are drawn again:
        # updating every row re-measured the whole column for each, quadratic in the number of tests.
        for test in sorted(before.symmetric_difference(self.marked)):
            if table.has_row(str(test)):
                table.update_cell(str(test), 0, "★" if test in self.marked else "")

    def action_compare(self) -> None:
        """Open the two marked tests side by side."""
        from journal.ui.screens.compare import CompareScreen

        if len(self.marked) != 2:
            self.notify("Mark two tests with m first.", timeout=3)
            return
        self.app.push_screen(CompareScreen((self.marked[0], self.marked[1])))

    def action_delete(self) -> None:
        """Delete the selected test, photos and scores with it, after asking."""
        from journal.ui.screens.prompts import Confirm

        chosen = self._selected()
        if chosen is None:
            return
        table = self.query_one(RowTable)
        when = table.get_row_at(table.cursor_row)[2]
        question = (
            f"Delete the test of {when} (number {chosen}), with its photos and scores? This cannot be undone."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(chosen)

        self.app.push_screen(Confirm(question), answered)

    @work(thread=True, group="journal-write")
    def delete(self, session_id: int) -> None:
        """Delete a test in a thread, then read the list again."""
        try:
            with_store(services_of(self), lambda s: s.delete_session(session_id))
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            return
        self.marked = [m for m in self.marked if m != session_id]
        self.app.call_from_thread(self.notify, f"Test {session_id} deleted.", timeout=3)
        self.app.call_from_thread(self.load)

    def action_first_and_latest(self) -> None:
        """Compare the first test with the latest, pose by pose."""
        from journal.ui.screens.compare import CompareScreen

        keys = self.query_one(RowTable).keys
        if len(keys) < 2:
            self.notify("Compare needs two tests: take another weekly test first.", timeout=3)
            return
        self.app.push_screen(CompareScreen((int(keys[0]), int(keys[-1]))))  # the rows are oldest first

    def action_open(self) -> None:
        """Open the selected test's results."""
        from journal.ui.screens.results import ResultsScreen

        key = self.query_one(RowTable).cursor_key
        if key is not None:
            self.app.push_screen(ResultsScreen(int(key)))

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        """Enter on a row opens it."""
        from journal.ui.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen(int(event.key)))
