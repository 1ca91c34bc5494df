"""Charts: 1/2/3 change the chart, w cycles the range (and reads the journal again), the recovery signal,
and the recovery chart fits the screen at 80×24, 120×40 and 160×50 with its key below the fold.

The journal holds tests 20, 8 and 1 week before the app's fixed clock (NOW, 10 Jun 2025), so each
range (RANGES: 4 weeks, 12 weeks, all) holds a different number of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from test_ui_sections import section
from textual.pilot import Pilot
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
from journal.signals.onset import MIN_TESTS
from journal.ui.screens.charts import KEYS_HINT, KIND_TITLES, ChartsScreen

pytestmark = pytest.mark.usefixtures("images_off")

OLD = datetime(2025, 1, 21, 8, 0)
MIDDLE = datetime(2025, 4, 15, 8, 0)
RECENT = datetime(2025, 6, 3, 8, 30)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    """The chart as text, colours removed."""
    screen = app.screen
    assert isinstance(screen, ChartsScreen)
    return re.sub(r"\x1b\[[0-9;]*m", "", screen.chart_text)


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
            recovery_title = f"{KIND_TITLES['recovery']} — all   {KEYS_HINT}"
            assert screen_text(app, "#chart-title") == recovery_title
            legend = screen_text(app, "#chart-legend")
            assert legend.startswith("Recovery, all weeks: tone (T) from your resting asymmetry")
            assert "1 1 Mar therapy: physiotherapy starts" in legend
            assert "Recovery, all weeks" in drawn(app)
            assert re.search(r"^ *vibration [ ▁▂▃▄▅▆▇█]+$", drawn(app), re.M)

            await press_and_redraw(pilot, "2", KIND_TITLES["regions"])
            assert screen_text(app, "#chart-title") == f"{KIND_TITLES['regions']} — all   {KEYS_HINT}"
            legend = screen_text(app, "#chart-legend")
            assert legend.startswith("Resting asymmetry, all weeks: affected (right) side minus the other")
            assert "events: 1 1 Mar therapy: physiotherapy starts" in legend  # numbered on the axis too
            plot = drawn(app)
            assert all(name in plot for name in ("brow", "eye", "midface", "mouth corner"))
            assert "+3" in plot and "-3" in plot  # the shared scale: the largest difference, 2.5 mm
            assert "Recovery" not in plot

            await press_and_redraw(pilot, "3", KIND_TITLES["poses"])
            assert screen_text(app, "#chart-title") == f"{KIND_TITLES['poses']} — all   {KEYS_HINT}"
            assert screen_text(app, "#chart-legend").startswith("Movement per pose, all weeks: 0–100,")
            plot = drawn(app)
            assert "brow raise" in plot and "smile" in plot
            assert "eyes gentle (not scored)" in plot  # the fixed tests have three poses only
            assert "midface" not in plot

            await press_and_redraw(pilot, "1", KIND_TITLES["recovery"])
            assert screen_text(app, "#chart-title") == recovery_title
            assert "Recovery, all weeks" in drawn(app)

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
                await press_and_redraw(pilot, "w", f"{KIND_TITLES['recovery']} — {label}")
                assert shown_tests(app) == expected[label], label
                plot = drawn(app)
                assert f"Recovery, last {weeks} weeks" in plot
                ticks = date_ticks(plot)
                assert ticks, label
                assert min(ticks) >= window_start(weeks, today), (label, ticks)  # the app's clock
                assert max(ticks) <= today
                assert "Events" not in screen_text(app, "#chart-legend")  # the March event is older
                assert screen_text(app, "#chart-signal") == signal  # the signal covers every test

            # A test stored meanwhile shows up when w reads the journal again (back to all).
            with open_store(home) as store:
                store.add_session(fixed_session(datetime(2025, 6, 9, 8, 0), tonus=88.0, movement=61.0))
            await press_and_redraw(pilot, "w", f"{KIND_TITLES['recovery']} — all")
            assert shown_tests(app) == [OLD, MIDDLE, RECENT, datetime(2025, 6, 9, 8, 0)]
            assert "Recovery, all weeks" in drawn(app)
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
            for key, kind in (("2", "regions"), ("3", "poses"), ("1", "recovery")):
                await press_and_redraw(pilot, key, KIND_TITLES[kind])
                assert screen.query_one("#chart-signal").display
                assert screen_text(app, "#chart-signal") == sentence, kind
                assert "No tests yet: take a weekly test to start the charts" in drawn(app), kind

    run(body())


# --- the recovery chart on the demo journal, at three sizes ------------------------------------------------

SIZES = ((80, 24), (120, 40), (160, 50))
SnapCompare = Callable[..., bool]


def demo_journal(home: Path) -> None:
    """The sample journal of `tonus demo` (a simulated left palsy, onset and 14 weekly tests), dated so
    its last test falls in the week before the app's clock."""
    from journal.services.demo import find_samples, load_samples

    samples = find_samples()
    assert samples is not None, "sample_sessions/ is part of the checkout"
    with open_store(home) as store:
        load_samples(store, samples, None, today=NOW.date(), photos=False)


async def open_charts(pilot: Pilot[Any]) -> None:
    """From Home, open Charts and wait until the recovery chart is drawn for the screen's size."""
    app = pilot.app
    await section(pilot, app, "c", ChartsScreen)
    await until(pilot, lambda: "Recovery, all weeks" in drawn(app), "the recovery chart")
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_recovery_chart_fits_the_screen_with_its_key_below(home: Path, size: tuple[int, int]) -> None:
    demo_journal(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=size) as pilot:
            await open_charts(pilot)
            screen = app.screen
            chart = drawn(app)
            lines = chart.split("\n")
            area = screen.query_one("#chart-body").size
            assert len(lines) <= area.height, "the chart is seen whole, without scrolling"
            assert max(len(line) for line in lines) < area.width
            top = next(i for i, line in enumerate(lines) if "┌" in line)
            bottom = next(i for i, line in enumerate(lines) if "└" in line)
            assert bottom - top - 1 >= 12, "at least 12 plot rows"
            assert "tone wk 6" in chart and "movement wk 8" in chart
            assert lines[-1].startswith("T tone  M movement")  # the one-line legend, in view
            assert re.search(r"^ *tingling [ ▁▂▃▄▅▆▇█]+$", chart, re.M)  # the most logged sensation
            signal = screen_text(app, "#chart-signal")
            assert signal.startswith("Tone returning since week 6") and "week 8" in signal
            key = screen_text(app, "#chart-legend")  # below the fold
            assert "Events (numbered on the axis):" in key and "GP: Bell's palsy diagnosed" in key
            assert "Movement returned 2 weeks after tone" in key  # the signal's full sentence

    run(body())


def test_control_characters_in_an_event_never_reach_the_screen(home: Path) -> None:
    demo_journal(home)
    with open_store(home) as store:
        event_id = store.add_event(datetime(2025, 6, 2, 9), "therapy", "physio")
        # Refused at input now; a journal written before that may hold it.
        label = "physio\x1b[31m red\x07 [b]bold[/b]\u202e"
        store.cursor().execute("UPDATE events SET label = ? WHERE id = ?", [label, event_id])

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=(120, 40)) as pilot:
            await open_charts(pilot)
            screen = app.screen
            assert isinstance(screen, ChartsScreen)
            key = screen_text(app, "#chart-legend")
            assert "physio [31m red [b]bold[/b]" in key  # shown as written, minus the controls
            for text in (key, screen.chart_text):
                assert "\x07" not in text and "\u202e" not in text
            assert "\x1b[31m red" not in screen.chart_text

    run(body())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_charts_snapshot_at_each_size(snap_compare: SnapCompare, home: Path, size: tuple[int, int]) -> None:
    demo_journal(home)
    app = new_app(make_services(home))
    assert snap_compare(app, terminal_size=size, run_before=open_charts)
