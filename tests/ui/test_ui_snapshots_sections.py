"""Snapshots (120×40) of Charts and History, on deterministic data.

Photos are off (TONUS_IMAGES=off), the clock is fixed (NOW), and the journal holds two tests a week
apart with fixed scores, one sensation and one event; neither screen shows a path. Update with
`pytest tests/ui/test_ui_snapshots_sections.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from textual.pilot import Pilot
from ui_helpers import SIZE, make_services, mark_first_run_done, new_app, open_store, screen_text, until

from journal.ui.rowtable import RowTable
from journal.ui.screens.home import HomeScreen

pytestmark = pytest.mark.usefixtures("images_off")

SnapCompare = Callable[..., bool]


@pytest.fixture
def prepared(home: Path) -> Path:
    """A journal with a profile, two tests a week apart, one entry and one event."""
    mark_first_run_done(home, side="right")
    with open_store(home) as store:
        store.add_session(fixed_session(datetime(2025, 5, 27, 8, 15), tonus=72.0, movement=45.0))
        store.add_session(fixed_session(datetime(2025, 6, 3, 8, 30), tonus=81.5, movement=52.0, shift=0.8))
        store.add_entry(datetime(2025, 6, 1, 19, 30), "vibration", 4, side="right", where="cheek")
        store.add_event(datetime(2025, 5, 30), "therapy", "physiotherapy starts")
    return home


async def open_section(pilot: Pilot[Any], key: str, ready: Callable[[], bool]) -> None:
    """From Home, open the section of `key` and wait until `ready()` and every worker is done."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
    await until(pilot, lambda: "Last test" in screen_text(app, "#due"), "Home's data")
    await app.workers.wait_for_complete()
    await pilot.press(key)
    await until(pilot, ready, f"the section of {key!r}")
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_charts_snapshot(snap_compare: SnapCompare, prepared: Path) -> None:
    async def open_charts(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await open_section(pilot, "c", lambda: "— all" in screen_text(app, "#chart-title"))
        assert screen_text(app, "#chart-signal").startswith("Too few tests to tell yet: 2 of the")

    app = new_app(make_services(prepared))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_charts)


def test_history_snapshot(snap_compare: SnapCompare, prepared: Path) -> None:
    async def open_history(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await open_section(pilot, "y", lambda: app.screen.query_one("#sessions", RowTable).row_count == 2)
        await pilot.press("down", "m")  # the latest test, marked to compare
        assert app.screen.query_one("#sessions", RowTable).get_cell_at(1, 0) == "★"

    app = new_app(make_services(prepared))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_history)
