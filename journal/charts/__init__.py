"""Charts as text: recovery, resting asymmetry and movement over the weeks, without Textual or DuckDB.

The data is plain (`ChartData`, read from the journal by `chart_data`, with the person's context by
`load_charts`). `series.recovery_view` decides what the recovery chart shows (shared with the
report's SVG); `render(kind, data, width, height)` returns any chart as text with its legend, and
`legend(kind, data, width)` its full key. Modules: `data` (reading), `series` (recovery numbers),
`axes`, `layout`, `canvas` (cells of a built figure), `recovery_chart`, `small` (regions, poses),
`render` (by kind).
"""

from __future__ import annotations

from journal.charts.axes import date_ticks, week_ticks
from journal.charts.canvas import clean
from journal.charts.data import (
    ChartContext,
    ChartData,
    EventMark,
    SensationPoint,
    SignalMark,
    StripNote,
    TestPoint,
    chart_context,
    chart_data,
    load_charts,
    read_history_and_rest,
    signal_marks,
    window_start,
    within,
)
from journal.charts.layout import Layout, recovery_layout
from journal.charts.recovery_chart import render_recovery
from journal.charts.render import draw, legend, render, render_poses, render_regions
from journal.charts.series import (
    PALSY_DIRECTION,
    RecoveryView,
    oriented_asymmetry,
    recovery_scale,
    recovery_view,
    tone_deficit,
)
from journal.charts.small import MOVEMENT_POSES, REGION_LABELS, draw_poses, draw_regions, rest_limit

__all__ = [
    "MOVEMENT_POSES",
    "PALSY_DIRECTION",
    "REGION_LABELS",
    "ChartContext",
    "ChartData",
    "EventMark",
    "Layout",
    "RecoveryView",
    "SensationPoint",
    "SignalMark",
    "StripNote",
    "TestPoint",
    "chart_context",
    "chart_data",
    "clean",
    "date_ticks",
    "draw",
    "draw_poses",
    "draw_regions",
    "legend",
    "load_charts",
    "read_history_and_rest",
    "oriented_asymmetry",
    "recovery_layout",
    "recovery_scale",
    "recovery_view",
    "render",
    "render_poses",
    "render_recovery",
    "render_regions",
    "rest_limit",
    "signal_marks",
    "tone_deficit",
    "week_ticks",
    "window_start",
    "within",
]
