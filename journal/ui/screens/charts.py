"""Charts: recovery (tone, movement, sensations, events over weeks); resting asymmetry; movement by pose.

The chart is the same text `tonus chart` prints (`journal.charts.render`), sized to the space under
the title, with its full key (scale in words, noise bands, every event, the recovery signal) below
the fold: scroll down to read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from journal.ui.footer import TonusFooter
from journal.ui.screens.base import JournalView, services_of

if TYPE_CHECKING:
    from journal.chart_kinds import ChartKind
    from journal.charts import ChartData
    from journal.signals.recovery import RecoverySignal
    from journal.store import Store

KIND_TITLES = {
    "recovery": "Recovery",
    "regions": "Resting asymmetry by region",
    "poses": "Movement by pose",
}
KEYS_HINT = "1 recovery · 2 regions · 3 poses · w range"


@dataclass(frozen=True)
class ChartsLoaded:
    """Everything the charts need, read in one go."""

    data: ChartData
    signal: str
    short_signal: str


def short_signal(signal: RecoverySignal) -> str:
    """Say the recovery signal in one short line (the full sentence is in the key below the chart)."""
    tone, move = signal.tone_onset, signal.movement_since  # tone: tonus, else the first region in mm
    if tone is None and move is None:
        return signal.message()
    parts = []
    if tone is not None:
        parts.append(f"tone returning since week {tone.week}")
    if move is not None:
        parts.append(f"movement since week {move.week}")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + " · details below the chart"


class ChartsScreen(JournalView):
    """Three charts over a chosen range; the recovery signal above them, their key below the fold."""

    DEFAULT_CSS = """
    ChartsScreen #chart-title, ChartsScreen #chart-signal {
        height: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ChartsScreen #chart-body { height: 1fr; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    ChartsScreen #chart { width: 100%; height: auto; }
    ChartsScreen #chart-legend { width: 100%; height: auto; padding: 1 0 0 0; }
    """

    BINDINGS = [
        # Named in the title line instead of the footer, which then has room for every section.
        Binding("1", "kind('recovery')", "Recovery", show=False),
        Binding("2", "kind('regions')", "Regions", show=False),
        Binding("3", "kind('poses')", "Poses", show=False),
        Binding("w", "next_range", "Range", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: ChartKind = "recovery"
        self.range_index = 2  # all
        self.loaded: ChartsLoaded | None = None
        self.chart_text = ""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("", id="chart-title", classes="title")
        yield Static("", id="chart-signal", classes="hint")
        with VerticalScroll(id="chart-body"):
            yield Static("", id="chart")
            yield Static("", id="chart-legend", classes="hint")
        yield TonusFooter()

    def read(self, store: Store) -> ChartsLoaded:
        """Read the chart data for the chosen range with the person's context, and the recovery signal."""
        from journal.chart_kinds import RANGES
        from journal.charts import StripNote, load_charts, read_history_and_rest
        from journal.services.dashboard import recovery_from_store
        from journal.signals.leadlag import leadlag_from_store, one_line

        weeks = RANGES[self.range_index][1]
        today = services_of(self).now().date()  # the app's clock, as on Home
        read = read_history_and_rest(store)  # once for the signal, the lead-lag and the charts
        signal = recovery_from_store(store, *read)
        found = [r for r in leadlag_from_store(store, *read) if r.beyond_chance]
        notes = tuple(StripNote(r.sensation, r.sentence()) for r in found)
        data = load_charts(store, weeks, today, signal, notes, read)
        message = "\n".join(line for line in (signal.message(), one_line(found)) if line)
        return ChartsLoaded(data, message, short_signal(signal))

    def show(self, data: Any) -> None:
        """Draw the chosen chart."""
        self.loaded = data
        self.redraw()

    def redraw(self) -> None:
        """Draw the current kind to fit the space under the title, with its key below the fold."""
        from journal.chart_kinds import RANGES
        from journal.charts import legend, render

        if self.loaded is None:
            return
        body = self.query_one("#chart-body", VerticalScroll)
        width = max(40, body.size.width - 1)  # the scroll bar's column
        height = max(12, body.size.height)
        self.chart_text = render(self.kind, self.loaded.data, width, height, colors=True, key=False)
        self.query_one("#chart", Static).update(Text.from_ansi(self.chart_text, no_wrap=True))
        label = RANGES[self.range_index][0]
        self.query_one("#chart-title", Static).update(
            Text.assemble((f"{KIND_TITLES[self.kind]} ", "bold"), f"— {label}   ", (KEYS_HINT, "dim"))
        )
        # Text, not markup: event labels and sensations are the person's own words.
        signal = self.loaded.signal
        if len(signal) > max(40, self.size.width):
            signal = self.loaded.short_signal
        self.query_one("#chart-signal", Static).update(Text(signal))
        # Wrapped to the key's own width (inside its padding), so Static does not wrap it again.
        key_widget = self.query_one("#chart-legend", Static)
        key = legend(self.kind, self.loaded.data, key_widget.content_size.width or width - 2)
        if self.kind == "recovery":
            key = [*key, "", self.loaded.signal]
        key_widget.update(Text("\n".join(key)))

    def on_resize(self) -> None:
        """The chart is drawn for the space it has."""
        self.call_after_refresh(self.redraw)

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
