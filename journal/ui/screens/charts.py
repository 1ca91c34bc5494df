"""Charts: scores, sensations and events on one date axis; rest asymmetry by region; movement by pose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from journal.ui.screens.base import JournalView, services_of

if TYPE_CHECKING:
    from journal.chart_kinds import ChartKind
    from journal.charts import ChartData
    from journal.store import Store

KIND_TITLES = {
    "timeline": "Tonus, movement, sensations and events",
    "regions": "Resting asymmetry by region (left − right, mm)",
    "poses": "Movement by pose",
}


@dataclass(frozen=True)
class ChartsLoaded:
    """Everything the charts need, read in one go."""

    data: ChartData
    signal: str


class ChartsScreen(JournalView):
    """Three charts over a chosen range; the recovery signal above them."""

    BINDINGS = [
        # Named in the title line instead of the footer, which then has room for every section.
        Binding("1", "kind('timeline')", "Timeline", show=False),
        Binding("2", "kind('regions')", "Regions", show=False),
        Binding("3", "kind('poses')", "Poses", show=False),
        Binding("w", "next_range", "Range", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: ChartKind = "timeline"
        self.range_index = 2  # all
        self.loaded: ChartsLoaded | None = None

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        from textual_plotext import PlotextPlot

        yield Header()
        yield Static("", id="chart-title", classes="title")
        yield Static("", id="chart-signal", classes="hint")
        yield PlotextPlot(id="scores-plot")
        yield Static("", id="chart-legend", classes="hint")
        yield Footer()

    def read(self, store: Store) -> ChartsLoaded:
        """Read the chart data for the chosen range, and the recovery signal."""
        from journal.chart_kinds import RANGES
        from journal.charts import chart_data
        from journal.dashboard import recovery_from_store
        from journal.leadlag import leadlag_from_store, one_line

        weeks = RANGES[self.range_index][1]
        today = services_of(self).now().date()  # the app's clock, as on Home
        lines = (recovery_from_store(store).message(), one_line(leadlag_from_store(store)))
        signal = "\n".join(line for line in lines if line)
        return ChartsLoaded(chart_data(store, weeks, today), signal)

    def show(self, data: Any) -> None:
        """Draw the chosen chart."""
        self.loaded = data
        self.redraw()

    def redraw(self) -> None:
        """Draw the current kind into the plot, with its legend."""
        from textual_plotext import PlotextPlot

        from journal.chart_kinds import RANGES
        from journal.charts import draw, legend

        if self.loaded is None:
            return
        widget = self.query_one("#scores-plot", PlotextPlot)
        width = max(widget.size.width, 40)
        draw(self.kind, widget.plt, self.loaded.data, width=width)
        widget.refresh()
        label = RANGES[self.range_index][0]
        self.query_one("#chart-title", Static).update(
            f"[b]{KIND_TITLES[self.kind]} [/b]— {label}   "
            "[dim]1 timeline · 2 regions · 3 poses · w range[/dim]"
        )
        self.query_one("#chart-signal", Static).update(self.loaded.signal)
        legend_widget = self.query_one("#chart-legend", Static)
        # Wrapped to the legend's own width (inside its padding), so Static does not wrap it again;
        # Text, not markup: event labels are the person's own words.
        text_width = legend_widget.content_size.width or width - 2
        legend_widget.update(Text("\n".join(legend(self.kind, self.loaded.data, text_width))))

    def on_resize(self) -> None:
        """Date ticks and grid columns depend on the width."""
        self.redraw()

    def action_kind(self, kind: str) -> None:
        """Show another chart."""
        from journal.chart_kinds import KINDS

        self.kind = next(k for k in KINDS if k == kind)
        self.redraw()

    def action_next_range(self) -> None:
        """Cycle 4 weeks → 12 weeks → all."""
        from journal.chart_kinds import RANGES

        self.range_index = (self.range_index + 1) % len(RANGES)
        self.load()
