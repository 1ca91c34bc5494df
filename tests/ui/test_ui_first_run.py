"""First run: side and onset saved (or refused with a sentence), the model download, the camera check.

Home opens these questions by itself on a new journal (test_ui_home.py); here the screen is opened
directly on a journal whose profile is empty but marked as seen, so Home does not open it as well.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fakes import FakeModel
from textual.widgets import Button, Input, ProgressBar
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

from journal.ui.screens.first_run import FirstRunScreen
from journal.ui.screens.home import HomeScreen

pytestmark = pytest.mark.usefixtures("images_off")


@pytest.fixture(autouse=True)
def empty_profile(home: Path) -> None:
    """A journal whose profile is empty (no side, no onset) but was seen."""
    mark_first_run_done(home, side=None)


async def _first_run(pilot, app) -> FirstRunScreen:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
    await settle(pilot)
    app.push_screen(FirstRunScreen())
    await until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run questions")
    await until(pilot, lambda: "checking" not in screen_text(app, "#model"), "the model line")
    screen = app.screen
    assert isinstance(screen, FirstRunScreen)
    return screen


def test_right_side_and_onset_date_are_saved(home: Path) -> None:
    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await _first_run(pilot, app)
            await pilot.click("#side-right")
            await pilot.click("#onset")
            await pilot.press(*"2025-03-14")
            await pilot.click("#save")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after saving")
            await until(
                pilot, lambda: "Affected side: right." in screen_text(app, "#due"), "the side on Home"
            )
            await settle(pilot)

        with open_store(home) as store:
            profile = store.get_profile()
        assert profile.affected_side == "right"
        assert profile.onset == date(2025, 3, 14)
        assert profile.updated_at is not None

    run(body())


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("14/03/2025", "'14/03/2025' is not a date: write it as YYYY-MM-DD."),
        ("2025-02-30", "'2025-02-30' is not a date: write it as YYYY-MM-DD."),
        ("2999-01-01", "The onset date 2999-01-01 is more than a day in the future: check the date."),
    ],
)
def test_a_bad_onset_date_is_refused_with_a_sentence_and_nothing_is_saved(
    home: Path, typed: str, sentence: str
) -> None:
    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _first_run(pilot, app)
            await pilot.click("#side-left")
            screen.query_one("#onset", Input).value = typed
            await pilot.click("#save")
            await until(pilot, lambda: screen_text(app, "#problem") != "", "the problem")
            await settle(pilot)
            assert screen_text(app, "#problem") == sentence
            assert app.screen is screen  # the questions stay open to correct the date
            assert "Traceback" not in screen_text(app, "#problem")

        with open_store(home) as store:
            assert store.get_profile() == before  # nothing saved

    with open_store(home) as store:
        before = store.get_profile()

    run(body())


def test_model_not_installed_then_downloaded_with_a_progress_bar(home: Path) -> None:
    release = threading.Event()
    model = FakeModel(home / "face_landmarker.task", ok=False, release=release)

    async def body() -> None:
        app = new_app(make_services(home, model=model))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _first_run(pilot, app)
            assert screen_text(app, "#model").startswith("Face model: not installed.")
            download = screen.query_one("#download", Button)
            bar = screen.query_one("#progress", ProgressBar)
            assert not download.disabled
            assert not bar.display

            await pilot.click("#download")
            await until(pilot, lambda: bar.progress == 100, "the progress bar to fill")
            assert bar.display and bar.total == 100
            assert download.disabled  # no second download while one runs
            assert model.progress_seen == [(0, 100), (40, 100), (100, 100)]

            release.set()
            await until(pilot, lambda: "installed (" in screen_text(app, "#model"), "the installed line")
            assert screen_text(app, "#model") == f"Face model: installed ({model.path})."
            assert download.disabled
            assert model.installs == 1

    run(body())


def test_a_failed_download_says_why_and_can_be_tried_again(home: Path) -> None:
    model = FakeModel(home / "face_landmarker.task", ok=False, fail="the download stopped: check the network")

    async def body() -> None:
        app = new_app(make_services(home, model=model))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _first_run(pilot, app)
            await pilot.click("#download")
            await until(pilot, lambda: "stopped" in screen_text(app, "#model"), "the failure")
            assert screen_text(app, "#model") == "Face model: the download stopped: check the network"
            assert not screen.query_one("#download", Button).disabled
            assert not screen.query_one("#progress", ProgressBar).display  # no "0%" bar left behind

    run(body())


def test_model_ready_disables_the_download(home: Path) -> None:
    model = FakeModel(home / "face_landmarker.task", ok=True)

    async def body() -> None:
        app = new_app(make_services(home, model=model))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _first_run(pilot, app)
            assert screen_text(app, "#model") == f"Face model: ready ({model.path})."
            assert screen.query_one("#download", Button).disabled
            assert not screen.query_one("#download", Button).display  # not shown greyed out

    run(body())


@pytest.mark.parametrize(
    ("camera", "expected"),
    [
        (
            "/nonexistent/video.mp4",
            "Camera (video video.mp4): cannot find /nonexistent/video.mp4: check the path, "
            "or give a camera number such as 0",
        ),
        (
            "99",
            "Camera (webcam 99): could not open camera 99: check it is connected and not used by another "
            "program, or pass a video file or a folder of photos instead",
        ),
    ],
)
def test_camera_check_with_a_missing_camera_says_why(home: Path, camera: str, expected: str) -> None:
    async def body() -> None:
        app = new_app(make_services(home, camera=camera))
        async with app.run_test(size=SIZE) as pilot:
            await _first_run(pilot, app)
            await pilot.click("#camera")
            await until(pilot, lambda: "checking" not in screen_text(app, "#camera-status"), "the check")
            status = screen_text(app, "#camera-status")
            assert status.splitlines()[0] == expected
            assert "`tonus --camera PATH`" in status
            assert "Traceback" not in status

    run(body())


def test_camera_check_with_the_fake_camera_folder_works(home: Path, camera_dir: Path) -> None:
    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir)))
        async with app.run_test(size=SIZE) as pilot:
            await _first_run(pilot, app)
            await pilot.click("#camera")
            await until(pilot, lambda: "works" in screen_text(app, "#camera-status"), "the check")
            assert screen_text(app, "#camera-status") == "Camera (photos in cam/): works."

    run(body())


def test_a_refusal_is_cleared_when_the_date_is_fixed(home: Path) -> None:
    """The "in the future" sentence went stale: it stayed after the date was corrected."""
    later = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d")

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _first_run(pilot, app)
            screen.query_one("#onset", Input).value = later
            screen.action_save()
            await until(pilot, lambda: "future" in screen_text(app, "#problem"), "the refusal")
            problem = screen.query_one("#problem")
            screen.query_one("#onset", Input).value = "2025-05-01"
            screen.action_save()
            await until(pilot, lambda: app.screen is not screen, "the questions closed")
            assert str(problem.render()).strip() == ""

    run(body())
