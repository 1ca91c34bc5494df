"""Charts: tonus and movement test by test (the full charts with sensations come next)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from journal.ui.screens.base import JournalView

if TYPE_CHECKING:
    from journal.store import Store


class ChartsScreen(JournalView):
    """Scores over the weeks."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        from textual_plotext import PlotextPlot

        yield Header()
        yield Static("[b]Tonus and movement by test[/b]", classes="title")
        yield PlotextPlot(id="scores-plot")
        yield Footer()

    def read(self, store: Store) -> list[Any]:
        """Every test with its scores."""
        return store.history()

    def show(self, rows: list[Any]) -> None:
        """Draw the two lines on one date axis."""
        from textual_plotext import PlotextPlot

        widget = self.query_one("#scores-plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.date_form("Y-m-d")
        dates = [r.session.taken_at.strftime("%Y-%m-%d") for r in rows]
        for key, label in (("tonus", "tonus"), ("movement", "movement")):
            pts = [
                (d, getattr(r, key)) for d, r in zip(dates, rows, strict=True) if getattr(r, key) is not None
            ]
            if pts:
                plt.plot([d for d, _ in pts], [v for _, v in pts], label=label, marker="braille")
        plt.ylim(0, 100)
        plt.title("" if rows else "No tests yet: press t for your first weekly test")
        widget.refresh()
