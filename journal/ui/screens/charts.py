"""Charts: tonus and movement test by test (the full charts with sensations come next)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from journal.ui.screens.base import error_text, services_of, with_store


class ChartsScreen(Screen[None]):
    """Scores over the weeks."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        from textual_plotext import PlotextPlot

        yield Header()
        yield Static("[b]Tonus and movement by test[/b]", classes="title")
        yield PlotextPlot(id="scores-plot")
        yield Footer()

    def on_mount(self) -> None:
        """Read the history."""
        self.load()

    def on_screen_resume(self) -> None:
        """Refresh when shown again."""
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read scores in a thread."""
        try:
            rows = with_store(services_of(self), lambda s: s.history())
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error")
            return
        self.app.call_from_thread(self.show, rows)

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
