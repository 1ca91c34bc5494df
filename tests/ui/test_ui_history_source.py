"""History says where each test came from in words: webcam, video, photos, imported, demo."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fakes import FakeLandmarkers, fixed_session, write_camera_folder
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

from journal.protocol import POSE_NAMES
from journal.ui.rowtable import RowTable
from journal.ui.screens.history import HistoryScreen
from journal.ui.screens.results import ResultsScreen
from journal.ui.screens.weekly_test import WeeklyTestScreen

pytestmark = pytest.mark.usefixtures("images_off")


def sources(app: object) -> list[str]:
    """History's source column, oldest test first."""
    table = app.screen.query_one("#sessions", RowTable)  # type: ignore[attr-defined]
    column = [label for label, _width in table.columns].index("source")
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def test_a_test_from_a_photo_folder_is_stored_as_photos_and_history_says_so(
    home: Path, tmp_path: Path
) -> None:
    mark_first_run_done(home)
    with open_store(home) as store:
        store.add_session(fixed_session(NOW - timedelta(days=7), tonus=80.0, movement=50.0))  # an import
    folder = write_camera_folder(tmp_path / "week2", ["rest"])

    async def body() -> None:
        app = new_app(make_services(home, camera=str(folder), landmarkers=FakeLandmarkers()))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            await until(pilot, lambda: "good: hold still" in screen_text(app, "#verdict"), "the preview")
            await pilot.press("space")
            for pose in POSE_NAMES[1:]:
                await until(pilot, lambda p=pose: f"no photo for {p}" in screen_text(app, "#verdict"), pose)
                await pilot.press("s")
            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "the form")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results", timeout=10)
            await pilot.press("escape")
            await pilot.pause(0.2)
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
            await until(pilot, lambda: sources(app) == ["imported", "photos"], "the source words", timeout=5)

    run(body())
    with open_store(home) as store:
        assert [s.source for s in store.sessions()] == ["import", "photos"]
