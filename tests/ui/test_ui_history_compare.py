"""History's compare: m marks two tests, v shows them side by side (photos, scores, regions, poses)."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fakes import fixed_session
from PIL import Image
from test_ui_sections import cells, section, two_sessions
from textual.pilot import Pilot
from ui_helpers import (
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    settle,
    until,
)

from journal.protocol import REGIONS
from journal.ui.rowtable import RowTable
from journal.ui.screens.compare import CompareScreen
from journal.ui.screens.history import HistoryScreen

pytestmark = pytest.mark.usefixtures("images_off")

THIRD = datetime(2025, 6, 10, 8, 0)


def marks(app: Any) -> list[str]:
    """The marks the History table draws, oldest test first (line 0 is the header)."""
    table = app.screen.query_one("#sessions", RowTable)
    lines = [table.render_line(1 + i).text for i in range(table.row_count)]
    return ["★" if line.lstrip().startswith("★") else "" for line in lines]


async def shows_marks(pilot: Pilot[Any], expected: list[str]) -> None:
    """Wait until the table draws `expected`; its mark cells must say the same."""
    await until(pilot, lambda: marks(pilot.app) == expected, f"the marks {expected} drawn", timeout=2)
    assert [row[0] for row in cells(pilot.app.screen.query_one("#sessions", RowTable))] == expected


def toasts(app: Any) -> list[str]:
    """The notifications on screen now."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def open_compare(pilot: Pilot[Any]) -> CompareScreen:
    app = pilot.app
    await pilot.press("v")
    await until(pilot, lambda: isinstance(app.screen, CompareScreen), "the compare screen")
    await until(pilot, lambda: "Loading" not in screen_text(app, "#text-b"), "both tests read")
    assert isinstance(app.screen, CompareScreen)
    return app.screen


def region_lines(home: Path, session_id: int) -> dict[str, float]:
    """Each region's stored resting difference, left − right (mm)."""
    with open_store(home) as store:
        scores = store.session_scores(session_id)
    assert scores is not None
    return {r: left - right for r, (left, right) in scores.poses["rest"].regions.items()}


@pytest.mark.parametrize("order", [("m", "down", "m"), ("down", "m", "up", "m")], ids=["oldest", "newest"])
def test_two_marked_tests_compare_side_by_side_earlier_on_the_left(home: Path, order: tuple[str]) -> None:
    first, second = two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            history = await section(pilot, app, "y", HistoryScreen)
            await pilot.press(*order)
            await shows_marks(pilot, ["★", "★"])
            compare = await open_compare(pilot)
            assert compare.ids in {(first, second), (second, first)}

            left, right = screen_text(app, "#text-a"), screen_text(app, "#text-b")
            assert left.startswith("Test of 27 May 2025 08:15")
            assert right.startswith("Test of 03 Jun 2025 08:30")
            assert "tonus 72.0\nmovement 45.0\n" in left  # the first has nothing to change from
            assert "tonus 81.5  (+9.5)\nmovement 52.0  (+7.0)\n" in right
            # Rest: fixed_session's left − right per region, and the change in asymmetry.
            assert "  brow       +1.5\n" in left and "  mouth      +2.5\n" in left
            assert "  brow       +0.7  (-0.8 mm asym.)\n" in right
            assert "  mouth      +1.7  (-0.8 mm asym.)\n" in right
            for text, session_id in ((left, first), (right, second)):
                stored = region_lines(home, session_id)
                assert set(stored) == set(REGIONS)
                for region, difference in stored.items():
                    assert f"  {region:<9}{difference:>+6.1f}" in text, (session_id, region)
            # Movement per pose (fixed_scores: brow raise = movement, smile = movement − 10).
            assert "  brow_raise     45" in left and "  smile          35" in left
            assert "  brow_raise     52  (+7.0)" in right and "  smile          42  (+7.0)" in right
            assert screen_text(app, "#photo-a") == screen_text(app, "#photo-b") == "(photos hidden)"

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")
            assert app.screen is history and [type(s) for s in app.screen_stack] == [HistoryScreen]
            await shows_marks(pilot, ["★", "★"])  # the marks stay for another look

    run(body())


def test_v_with_fewer_than_two_marks_says_so_and_opens_nothing(home: Path) -> None:
    two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            history = await section(pilot, app, "y", HistoryScreen)
            for keys, marked in (((), ["", ""]), (("m",), ["★", ""]), (("m",), ["", ""])):
                await pilot.press(*keys)  # none marked, one marked, the one unmarked again
                await shows_marks(pilot, marked)
                app.clear_notifications()
                await until(pilot, lambda: toasts(app) == [], "no notification")
                await pilot.press("v")
                await until(pilot, lambda: "Mark two tests with m first." in toasts(app), "the notification")
                assert app.screen is history
                assert [type(s) for s in app.screen_stack] == [HistoryScreen], keys

    run(body())


def test_a_third_mark_replaces_the_oldest_mark(home: Path) -> None:
    _first, second = two_sessions(home)
    with open_store(home) as store:
        third = store.add_session(fixed_session(THIRD, tonus=85.0, movement=60.0, shift=1.0))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "y", HistoryScreen)
            await pilot.press("m", "down", "m", "down", "m")
            await shows_marks(pilot, ["", "★", "★"])
            compare = await open_compare(pilot)
            assert sorted(compare.ids) == [second, third]
            assert screen_text(app, "#text-a").startswith("Test of 03 Jun 2025")
            right = screen_text(app, "#text-b")
            assert right.startswith("Test of 10 Jun 2025")
            assert "tonus 85.0  (+3.5)" in right  # compared with the second test, not the first
            assert "  brow       +0.5  (-0.2 mm asym.)" in right

    run(body())


def jpeg(width: int, height: int, level: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), level, np.uint8)).save(out, "JPEG")
    return out.getvalue()


def test_compare_shows_each_tests_rest_photo_and_hides_a_missing_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TONUS_IMAGES", "halfcell")
    two_sessions(home)  # no photos
    with open_store(home) as store:
        with_photo = fixed_session(THIRD, tonus=85.0, movement=60.0)
        poses = [
            dataclasses.replace(p, key_photo_jpeg=jpeg(64, 48, 90)) if p.pose == "rest" else p
            for p in with_photo.poses
        ]
        store.add_session(dataclasses.replace(with_photo, poses=poses))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "y", HistoryScreen)
            await pilot.press("down", "m", "down", "m")
            await open_compare(pilot)
            photo_a, photo_b = (app.screen.query_one(f"#photo-{n}") for n in "ab")
            await until(pilot, lambda: getattr(photo_b, "image", None) is not None, "the photo")
            assert photo_b.display and photo_b.image.size == (64, 48)  # type: ignore[attr-defined]
            assert not photo_a.display  # the second test has no photo: its place is hidden
            assert screen_text(app, "#text-a").startswith("Test of 03 Jun 2025")

    run(body())


def test_history_keeps_the_chosen_test_after_its_results_close(home: Path) -> None:
    """Coming back from Results reloads the table; the cursor stays on the test that was opened."""
    _first, second = two_sessions(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await section(pilot, app, "y", HistoryScreen)
            table = screen.query_one("#sessions", RowTable)
            await pilot.press("down", "enter")
            await until(pilot, lambda: not isinstance(app.screen, HistoryScreen), "the results")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")
            await settle(pilot)
            assert table.cursor_row == 1
            assert table.cursor_key == str(second)

    run(body())


def test_f_compares_first_and_latest_and_arrows_page_through_every_pose(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compare is not only rest: ← → show each pose's photos side by side, or say one is missing."""
    monkeypatch.setenv("TONUS_IMAGES", "halfcell")
    mark_first_run_done(home, side="right")
    ids = []
    with open_store(home) as store:
        for when, level, photo_poses in (
            (datetime(2025, 5, 20, 9), 60, ("rest", "smile")),
            (datetime(2025, 5, 27, 9), 90, ("rest",)),
            (datetime(2025, 6, 3, 9), 120, ("rest", "brow_raise")),
        ):
            session = fixed_session(when, tonus=80.0, movement=50.0)
            poses = [
                dataclasses.replace(p, key_photo_jpeg=jpeg(64, 48, level)) if p.pose in photo_poses else p
                for p in session.poses
            ]
            ids.append(store.add_session(dataclasses.replace(session, poses=poses)))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await section(pilot, app, "y", HistoryScreen)
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen), "the compare screen")
            compare = app.screen
            assert isinstance(compare, CompareScreen) and sorted(compare.ids) == [ids[0], ids[2]]
            await until(pilot, lambda: "pose 1 of 10" in screen_text(app, "#pose-title"), "the first pose")
            assert screen_text(app, "#pose-title").startswith("Face at rest")
            photo_a, photo_b = (app.screen.query_one(f"#photo-{n}") for n in "ab")
            await until(pilot, lambda: getattr(photo_b, "image", None) is not None, "the photos")
            assert photo_a.display and photo_b.display

            await pilot.press("right")  # brow_raise: only the latest test has its photo
            assert screen_text(app, "#pose-title").startswith("Raising your eyebrows  pose 2 of 10")
            assert not photo_a.display and photo_b.display
            assert "no photo of this pose in that test" in screen_text(app, "#caption-a")
            await pilot.press("right", "right", "right")  # smile: only the first
            assert "pose 5 of 10" in screen_text(app, "#pose-title")
            assert photo_a.display and not photo_b.display
            await pilot.press("left", "left", "left", "left", "left")  # wraps round to cheek_puff
            assert "pose 10 of 10" in screen_text(app, "#pose-title")
            assert not photo_a.display and not photo_b.display

    run(body())
