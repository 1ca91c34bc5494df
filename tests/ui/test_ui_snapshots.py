"""Snapshots (120×40) of Home, the weekly test's preview and Results, on deterministic data.

Photos are off (TONUS_IMAGES=off), the clock is fixed, the journal holds two tests with fixed
scores, and the fake camera is a folder given by a relative path (so no temp path is on screen).
Update with `pytest tests/ui/test_ui_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeLandmarkers, fixed_session, write_camera_folder
from textual.pilot import Pilot
from ui_helpers import NOW, SIZE, make_services, mark_first_run_done, new_app, open_store, screen_text, until

from journal.ui.screens.home import HomeScreen
from journal.ui.screens.results import ResultsScreen
from journal.ui.screens.weekly_test import WeeklyTestScreen

pytestmark = pytest.mark.usefixtures("images_off", "quick_test")

SnapCompare = Callable[..., bool]


@pytest.fixture
def prepared(home: Path) -> Path:
    """A journal with a profile, two tests a week apart and one entry today."""
    mark_first_run_done(home, side="right")
    with open_store(home) as store:
        store.add_session(fixed_session(datetime(2025, 5, 27, 8, 15), tonus=72.0, movement=45.0))
        store.add_session(fixed_session(datetime(2025, 6, 3, 8, 30), tonus=81.5, movement=52.0, shift=0.8))
        store.add_entry(NOW.replace(hour=7, minute=45), "vibration", 4, side="right", where="cheek")
    return home


async def home_ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
    await until(pilot, lambda: "Last test" in screen_text(app, "#due"), "Home's data")
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_home_snapshot(snap_compare: SnapCompare, prepared: Path) -> None:
    app = new_app(make_services(prepared))
    assert snap_compare(app, terminal_size=SIZE, run_before=home_ready)


def test_results_snapshot(snap_compare: SnapCompare, prepared: Path) -> None:
    async def open_results(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await home_ready(pilot)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await until(pilot, lambda: "Tonus:" in screen_text(app, "#summary"), "the scores")
        await app.workers.wait_for_complete()
        await pilot.pause()

    app = new_app(make_services(prepared))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_results)


def test_weekly_test_preview_snapshot(
    snap_compare: SnapCompare,
    prepared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_camera_folder(tmp_path / "cam", ["rest", "brow_raise", "smile"])
    monkeypatch.chdir(tmp_path)

    async def open_test(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await home_ready(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
        await until(pilot, lambda: "▶ rest" in screen_text(app, "#poses"), "the first pose")
        await until(pilot, lambda: screen_text(app, "#verdict") == "good: hold still", "a stable verdict")
        await pilot.pause(0.3)  # a few more identical verdicts from the worker
        assert screen_text(app, "#verdict") == "good: hold still"

    app = new_app(make_services(prepared, camera="cam", landmarkers=FakeLandmarkers()))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_test)
