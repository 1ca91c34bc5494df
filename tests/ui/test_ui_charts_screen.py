"""Charts: 1/2/3 change the chart, w cycles the range (and reads the journal again), the recovery signal.

The journal holds tests 20, 8 and 1 week before the app's fixed clock (NOW, 10 Jun 2025), so each
range (RANGES: 4 weeks, 12 weeks, all) holds a different number of them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from test_ui_sections import section
from textual.pilot import Pilot
from textual_plotext import PlotextPlot
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    until,
)

from journal.chart_kinds import RANGES
from journal.charts import window_start
from journal.recovery import MIN_TESTS
from journal.ui.screens.charts import KIND_TITLES, ChartsScreen

pytestmark = pytest.mark.usefixtures("images_off")

OLD = datetime(2025, 1, 21, 8, 0)
MIDDLE = datetime(2025, 4, 15, 8, 0)
RECENT = datetime(2025, 6, 3, 8, 30)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
KEYS_HINT = "1 timeline · 2 regions · 3 poses · w range"


def spread_journal(home: Path) -> None:
    """Three tests over 20 weeks, a sensation last week and an event in March."""
    mark_first_run_done(home, side="right")
    with open_store(home) as store:
        store.add_session(fixed_session(OLD, tonus=60.0, movement=30.0))
        store.add_session(fixed_session(MIDDLE, tonus=70.0, movement=40.0, shift=0.4))
        store.add_session(fixed_session(RECENT, tonus=81.5, movement=52.0, shift=0.8))
        store.add_entry(datetime(2025, 6, 5, 8, 0), "vibration", 4)
        store.add_event(datetime(2025, 3, 1), "therapy", "physiotherapy starts")


def drawn(app: Any) -> str:
    """The plot as text, colours removed."""
    plot = app.screen.query_one("#scores-plot", PlotextPlot)
    return re.sub(r"\x1b\[[0-9;]*m", "", plot.plt.build())


def date_ticks(plot_text: str) -> list[date]:
    """The dates under the x axis ("27 Jan", "3 Jun"), all in 2025."""
    found = re.findall(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b", plot_text)
    return [date(2025, MONTHS.index(month) + 1, int(day)) for day, month in found]


def shown_tests(app: Any) -> list[datetime]:
    screen = app.screen
    assert isinstance(screen, ChartsScreen) and screen.loaded is not None
    return [t.at for t in screen.loaded.data.tests]


async def press_and_redraw(pilot: Pilot[Any], key: str, title: str) -> None:
    """Press `key` and wait until the title says `title` and the plot is laid out again."""
    await pilot.press(key)
    await until(pilot, lambda: screen_text(pilot.app, "#chart-title").startswith(title), title)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_keys_1_2_3_change_the_chart_title_legend_and_plot(home: Path) -> None:
    spread_journal(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "c", ChartsScreen)
            await until(pilot, lambda: screen_text(app, "#chart-title") != "", "the first chart")
            await pilot.pause()
            timeline_title = f"{KIND_TITLES['timeline']} — all   {KEYS_HINT}"
            assert screen_text(app, "#chart-title") == timeline_title
            legend = screen_text(app, "#chart-legend")
            assert legend.startswith("T tonus  M movement (0–100, left) · v vibration")
            assert "| events: 1 1 Mar therapy: physiotherapy starts" in legend
            assert "Tonus, movement and sensations, all weeks" in drawn(app)

            await press_and_redraw(pilot, "2", KIND_TITLES["regions"])
            assert screen_text(app, "#chart-title") == f"{KIND_TITLES['regions']} — all   {KEYS_HINT}"
            legend = screen_text(app, "#chart-legend")
            assert legend.startswith("Rest asymmetry, all weeks: left − right in mm;")
            assert "| events: 1 Mar therapy: physiotherapy starts" in legend  # not numbered here
            plot = drawn(app)
            assert all(name in plot for name in ("brow", "eye", "midface", "mouth corner"))
            assert "+3" in plot and "-3" in plot  # the shared scale: the largest difference, 2.5 mm
            assert "Tonus, movement" not in plot

            await press_and_redraw(pilot, "3", KIND_TITLES["poses"])
            assert screen_text(app, "#chart-title") == f"{KIND_TITLES['poses']} — all   {KEYS_HINT}"
            assert screen_text(app, "#chart-legend").startswith("Movement per pose, all weeks: 0–100,")
            plot = drawn(app)
            assert "brow raise" in plot and "smile" in plot
            assert "eyes gentle (not scored)" in plot  # the fixed tests have three poses only
            assert "midface" not in plot

            await press_and_redraw(pilot, "1", KIND_TITLES["timeline"])
            assert screen_text(app, "#chart-title") == timeline_title
            assert "Tonus, movement and sensations, all weeks" in drawn(app)

    run(body())


def test_w_cycles_the_range_and_reads_the_journal_again(home: Path) -> None:
    spread_journal(home)
    assert [label for label, _weeks in RANGES] == ["4 weeks", "12 weeks", "all"]
    today = NOW.date()

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "c", ChartsScreen)
            await until(pilot, lambda: "— all" in screen_text(app, "#chart-title"), "the first chart")
            await pilot.pause()
            assert shown_tests(app) == [OLD, MIDDLE, RECENT]
            ticks = date_ticks(drawn(app))
            assert ticks and min(ticks) < date(2025, 2, 1)  # the axis starts at the oldest test
            signal = screen_text(app, "#chart-signal")
            assert signal == f"Too few tests to tell yet: 3 of the {MIN_TESTS} needed."

            expected = {"4 weeks": [RECENT], "12 weeks": [MIDDLE, RECENT]}
            for label, weeks in RANGES[:2]:
                assert weeks is not None
                await press_and_redraw(pilot, "w", f"{KIND_TITLES['timeline']} — {label}")
                assert shown_tests(app) == expected[label], label
                plot = drawn(app)
                assert f"Tonus, movement and sensations, last {weeks} weeks" in plot
                ticks = date_ticks(plot)
                assert ticks, label
                assert min(ticks) >= window_start(weeks, today), (label, ticks)  # the app's clock
                assert max(ticks) <= today
                assert "| events" not in screen_text(app, "#chart-legend")  # the March event is older
                assert screen_text(app, "#chart-signal") == signal  # the signal covers every test

            # A test stored meanwhile shows up when w reads the journal again (back to all).
            with open_store(home) as store:
                store.add_session(fixed_session(datetime(2025, 6, 9, 8, 0), tonus=88.0, movement=61.0))
            await press_and_redraw(pilot, "w", f"{KIND_TITLES['timeline']} — all")
            assert shown_tests(app) == [OLD, MIDDLE, RECENT, datetime(2025, 6, 9, 8, 0)]
            assert "Tonus, movement and sensations, all weeks" in drawn(app)
            assert min(date_ticks(drawn(app))) < date(2025, 2, 1)
            new_signal = screen_text(app, "#chart-signal")
            assert new_signal and "Too few tests" not in new_signal  # four tests: a signal now

    run(body())


def test_the_recovery_signal_line_is_shown_on_every_chart(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "c", ChartsScreen)
            sentence = f"Too few tests to tell yet: 0 of the {MIN_TESTS} needed."
            await until(pilot, lambda: screen_text(app, "#chart-signal") == sentence, "the signal")
            for key, kind in (("2", "regions"), ("3", "poses"), ("1", "timeline")):
                await press_and_redraw(pilot, key, KIND_TITLES[kind])
                assert screen.query_one("#chart-signal").display
                assert screen_text(app, "#chart-signal") == sentence, kind
                assert "No tests yet: take a weekly test to start the charts" in drawn(app), kind

    run(body())
