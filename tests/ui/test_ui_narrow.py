"""The screens at 80×24 (and the weekly test's form at 120×40): nothing cut, nothing below the fold.

Each test checks the regions Textual laid out: a widget that is cut or below the fold has a region that
reaches past its container or the screen.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeLandmarkers, FakeModel, fixed_session, write_camera_folder
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Label, Static
from textual.widgets._footer import FooterKey
from ui_helpers import (
    NOW,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    settle,
    text,
    until,
)

from journal.protocol import POSE_NAMES
from journal.ui.app import TonusApp
from journal.ui.screens.first_run import FirstRunScreen
from journal.ui.screens.home import HomeScreen
from journal.ui.screens.weekly_test import WeeklyTestScreen

pytestmark = pytest.mark.usefixtures("images_off")

NARROW = (80, 24)
URL = "https://storage.googleapis.com/mediapipe-models/face_landmarker/face_landmarker/float16/1/face_landmarker.task"


def inside(inner: Region, outer: Region) -> bool:
    """True when `inner` lies wholly within `outer`."""
    return outer.contains_region(inner)


def screen_region(app: TonusApp) -> Region:
    return Region(0, 0, app.size.width, app.size.height)


def footer_keys_fit(app: TonusApp) -> list[str]:
    """The footer's keys that are cut (past the screen's edge, or under the palette key): none wanted."""
    keys = list(app.screen.query(FooterKey))
    assert keys, "the footer shows no key"
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else app.size.width
    return [
        f"{k.key_display} {k.description} at {k.region}"
        for k in keys
        if k not in palette and (k.region.right > right or not inside(k.region, screen_region(app)))
    ]


def add_tests(home: Path, count: int = 4) -> None:
    """`count` weekly tests a week apart, movement rising, so the cards have every line."""
    with open_store(home) as store:
        for week in range(count):
            when = NOW - timedelta(days=7 * (count - week) - 1)
            store.add_session(fixed_session(when, tonus=70.0 + 5 * week, movement=40.0 + 19.9 * week))


def test_the_footer_is_never_cut_at_80_columns_on_any_section(home: Path) -> None:
    mark_first_run_done(home)
    add_tests(home, 2)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: "Last test" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            assert footer_keys_fit(app) == []
            home_keys = {k.key for k in app.screen.query(FooterKey)}
            assert {"h", "t", "j", "c", "y", "question_mark", "q"} <= home_keys  # Home has room for all
            for key in ("j", "c", "y"):
                await pilot.press(key)
                await pilot.pause(0.3)
                await settle(pilot)
                assert footer_keys_fit(app) == [], key
                shown = {k.key for k in app.screen.query(FooterKey)}
                assert {"question_mark", "q"} <= shown, key  # Help lists the keys that had to go

    run(body())


def test_the_footer_chooses_again_when_the_terminal_widens(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home")
            await pilot.press("j")
            await pilot.pause(0.3)
            await settle(pilot)
            assert "c" not in {k.key for k in app.screen.query(FooterKey)}
            await pilot.resize_terminal(160, 40)
            await until(pilot, lambda: "c" in {k.key for k in app.screen.query(FooterKey)}, "every key")
            assert footer_keys_fit(app) == []

    run(body())


def lines_fit(widget: Widget) -> bool:
    """True when no line of a Static wraps: its height is its number of lines."""
    return widget.content_region.height == len(text(widget).splitlines())


def test_home_cards_do_not_wrap_and_the_quick_log_line_stays_in_sight(home: Path) -> None:
    mark_first_run_done(home)
    add_tests(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: "since" in screen_text(app, "#movement"), "the scores")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            for card in ("#tonus", "#movement"):
                widget = screen.query_one(card, Static)
                assert "beyond noise" in text(widget) or "within noise" in text(widget)
                assert lines_fit(widget), f"{card} wraps: {text(widget)!r} in {widget.content_region}"
            quick = screen.query_one("#quick", Static)
            assert "Quick log" in text(quick)
            footer_top = app.size.height - 1
            assert inside(quick.region, Region(0, 0, app.size.width, footer_top)), quick.region
            assert quick.region.height == 1  # one line, all of it shown

    run(body())


def test_the_tiredness_question_is_shown_whole_at_120_columns(home: Path, tmp_path: Path) -> None:
    """The conditions form sits in the right half: its question wraps there instead of being cut."""
    mark_first_run_done(home)
    folder = write_camera_folder(tmp_path / "one", ["rest"])

    async def body() -> None:
        landmarkers = FakeLandmarkers()
        app = new_app(make_services(home, camera=str(folder), landmarkers=landmarkers))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            await until(pilot, lambda: "good: hold still" in screen_text(app, "#verdict"), "the preview")
            await pilot.press("space")
            for pose in POSE_NAMES[1:]:
                await until(pilot, lambda p=pose: f"no photo for {p}" in screen_text(app, "#verdict"), pose)
                await pilot.press("s")
            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "the form")
            await pilot.pause(0.2)
            form = app.screen.query_one("#conditions")
            question = form.query(Label).first()
            assert "How tired are you today" in text(question)
            assert inside(question.region, form.content_region), (question.region, form.content_region)

    run(body())


@pytest.mark.usefixtures("quick_test")
def test_skipping_every_pose_says_so_in_sight_at_80_columns(home: Path, camera_dir: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=FakeLandmarkers()))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            for pose in POSE_NAMES:
                await until(pilot, lambda p=pose: f"▶ {p}" in screen_text(app, "#poses"), pose)
                await pilot.press("s")
            await until(pilot, lambda: "No pose was taken" in screen_text(app, "#instruction"), "the end")
            await pilot.pause(0.2)
            instruction = app.screen.query_one("#instruction")
            assert "All poses done" not in text(instruction)
            footer_top = app.size.height - 1
            assert inside(instruction.region, Region(0, 1, app.size.width, footer_top - 1)), (
                instruction.region
            )

    run(body())


def test_a_failed_download_breaks_no_word_in_the_first_run_dialog(home: Path) -> None:
    mark_first_run_done(home, side=None)
    failure = f"Could not download the face model from {URL} (HTTP 404 Not Found): check the connection."
    model = FakeModel(home / "face_landmarker.task", ok=False, fail=failure)

    async def body() -> None:
        app = new_app(make_services(home, model=model))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            app.push_screen(FirstRunScreen())
            await until(pilot, lambda: "not installed" in screen_text(app, "#model"), "the model line")
            app.screen.query_one("#download", Button).press()
            await until(pilot, lambda: "Could not" in screen_text(app, "#model"), "the failure")
            await pilot.pause(0.1)
            line: Any = app.screen.query_one("#model", Static)
            words = text(line).split()
            width = line.content_region.width
            assert all(len(word) <= width for word in words), (width, max(words, key=len))
            assert "storage.googleapis.com" in text(line)  # still says where from
            assert not app.screen.query_one("#progress").display  # no "0%" bar left behind
            # The dialog is taller than 24 rows: it scrolls, so its last button can be reached.
            save = app.screen.query_one("#save", Button)
            save.focus()
            await pilot.pause(0.3)
            assert inside(save.region, screen_region(app)), save.region

    run(body())


def test_the_conditions_form_can_be_reached_at_80_columns(home: Path, tmp_path: Path) -> None:
    """Below the ten poses at 80×24: the pane scrolls, so the tiredness field and Save are in sight."""
    mark_first_run_done(home)
    folder = write_camera_folder(tmp_path / "one", ["rest"])

    async def body() -> None:
        app = new_app(make_services(home, camera=str(folder), landmarkers=FakeLandmarkers()))
        async with app.run_test(size=NARROW) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            await until(pilot, lambda: "good: hold still" in screen_text(app, "#verdict"), "the preview")
            await pilot.press("space")
            for pose in POSE_NAMES[1:]:
                await until(pilot, lambda p=pose: f"no photo for {p}" in screen_text(app, "#verdict"), pose)
                await pilot.press("s")
            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "the form")
            await pilot.pause(0.3)
            sight = Region(0, 1, app.size.width, app.size.height - 2)  # between header and footer
            tiredness = app.screen.query_one("#tiredness")
            assert tiredness.has_focus and inside(tiredness.region, sight), tiredness.region
            save = app.screen.query_one("#save", Button)
            save.focus()
            await pilot.pause(0.3)
            assert inside(save.region, sight), save.region

    run(body())
