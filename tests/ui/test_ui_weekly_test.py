"""The guided weekly test on the fake camera folder and the fake landmarker.

A pose takes about a second here (`quick_test`: 1-second countdown, 3-frame bursts). The camera
worker runs until it is cancelled, so these tests poll the screen (`until`) instead of waiting for
all workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes import FakeLandmarkers, write_camera_folder
from textual.pilot import Pilot
from textual.widgets import Input, Label
from textual.worker import Worker, WorkerState
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    row_counts,
    run,
    screen_text,
    settle,
    text,
    until,
)

import journal.services.weekly
from journal.protocol import POSE_NAMES
from journal.ui.app import TonusApp
from journal.ui.screens.home import HomeScreen
from journal.ui.screens.prompts import Confirm
from journal.ui.screens.results import ResultsScreen
from journal.ui.screens.weekly_test import WeeklyTestScreen

pytestmark = pytest.mark.usefixtures("quick_test")


def state(worker: Worker[Any]) -> WorkerState:
    return worker.state


def poses(app: TonusApp) -> str:
    return screen_text(app, "#poses")


def line(app: TonusApp, pose: str) -> str:
    return next(ln for ln in poses(app).splitlines() if ln[2:].split()[0] == pose)


async def open_test(pilot: Pilot[Any], app: TonusApp) -> WeeklyTestScreen:
    """From Home, press t and wait for the preview of the first pose."""
    await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
    await settle(pilot)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
    await until(pilot, lambda: "▶ rest" in poses(app), "the first pose")
    await until(pilot, lambda: "good: hold still" in screen_text(app, "#verdict"), "a good verdict")
    screen = app.screen
    assert isinstance(screen, WeeklyTestScreen)
    return screen


async def capture(pilot: Pilot[Any], app: TonusApp, pose: str) -> None:
    """Press space on `pose` and wait for its ✓."""
    assert line(app, pose).startswith("▶")
    await pilot.press("space")
    await until(pilot, lambda: "✓" in line(app, pose), f"{pose} to be captured", timeout=6)


async def skip_missing(pilot: Pilot[Any], app: TonusApp, pose: str, folder: Path) -> None:
    """Wait for the 'no photo' sentence for `pose`, then press s."""
    await until(pilot, lambda: line(app, pose).startswith("▶"), f"{pose} to be current")
    expected = f"{folder} has no photo for {pose}: press s to skip it."
    await until(pilot, lambda: expected in screen_text(app, "#verdict"), f"'no photo for {pose}'")
    await pilot.press("s")
    await until(pilot, lambda: "skipped" in line(app, pose), f"{pose} to be skipped")


def count_camera_closes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wrap `journal.services.weekly.Camera.close`; return the list of specs closed so far."""
    closes: list[str] = []
    real_close = journal.services.weekly.Camera.close

    def counting_close(self: journal.services.weekly.Camera) -> None:
        closes.append(self.spec)
        real_close(self)

    monkeypatch.setattr(journal.services.weekly.Camera, "close", counting_close)
    return closes


@pytest.mark.usefixtures("folder_as_video")
def test_weekly_test_from_countdown_to_results_stores_one_camera_session(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark_first_run_done(home, side="right")
    closes = count_camera_closes(monkeypatch)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            assert screen.query_one("#camera-spec", Input).value == str(camera_dir)
            assert all(line(app, p).endswith("…") for p in POSE_NAMES)

            await pilot.press("space")  # the countdown, then the burst
            assert "1…" in screen_text(app, "#instruction"), poses(app)
            await until(pilot, lambda: "Hold it" in screen_text(app, "#instruction"), "the burst to begin")
            await until(pilot, lambda: "✓" in line(app, "rest"), "rest to be captured", timeout=6)
            assert "symmetry 98" in line(app, "rest")
            await capture(pilot, app, "brow_raise")
            assert "movement 78" in line(app, "brow_raise")  # ρ ≈ 0.63 scores 100·ρ/0.8 since tonus-scorer/4

            await skip_missing(pilot, app, "eyes_gentle", camera_dir)
            # r goes back to the last pose taken; it is captured again.
            await pilot.press("r")
            await until(pilot, lambda: line(app, "brow_raise").startswith("▶"), "brow_raise again")
            assert line(app, "brow_raise").endswith("…")
            assert "✓" in line(app, "rest")
            await capture(pilot, app, "brow_raise")

            await skip_missing(pilot, app, "eyes_tight", camera_dir)
            await capture(pilot, app, "smile")
            for pose in ("smile_teeth", "snarl", "pucker", "lower_teeth", "cheek_puff"):
                await skip_missing(pilot, app, pose, camera_dir)

            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "conditions")
            tiredness = screen.query_one("#tiredness", Input)
            assert tiredness.has_focus
            await pilot.press("1", "1", "enter")
            await until(pilot, lambda: "not 0–10" in screen_text(app, "#problem"), "the refusal")
            assert screen_text(app, "#problem") == "Tiredness '11' is not 0–10."
            assert isinstance(app.screen, WeeklyTestScreen)
            assert row_counts(home)["sessions"] == 0

            tiredness.value = ""
            await pilot.press("3")
            await pilot.click("#note")
            await pilot.press(*"slept well", "enter")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results", timeout=5)
            await until(pilot, lambda: "Tonus:" in screen_text(app, "#summary"), "the scores")
            summary = screen_text(app, "#summary")
            assert "Test of Tue 10 Jun 2025 09:00" in summary
            assert "Tonus: 98 of 100 (how even your face is at rest)." in summary
            assert "Movement:" in summary
            assert "Affected side: your right (as you told Tonus)." in summary
            assert "You noted: tiredness 3 of 10, “slept well”." in summary
            moves = screen_text(app, "#poses-table")
            assert "Closing your eyes gently: not taken this week (skipped)." in moves
            assert "Raising your eyebrows: your right side moved" in moves
            assert "This is your first test" in screen_text(app, "#notes")
            await until(pilot, lambda: landmarkers.all_closed, "the landmarker to be closed")
            await until(pilot, lambda: closes == [str(camera_dir)], "the camera to be closed")

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await until(pilot, lambda: "Last test today" in screen_text(app, "#due"), "the new due text")
            assert "98.1 / 100" in screen_text(app, "#tonus")

        with open_store(home) as store:
            sessions = store.sessions()
            assert len(sessions) == 1
            session = sessions[0]
            # The fake video is a photo folder underneath: stored as where the photos really came from.
            assert (session.source, session.tiredness, session.note) == ("photos", 3, "slept well")
            assert session.taken_at == NOW
            stored = store.poses(session.id)
            assert [p.pose for p in stored] == ["rest", "brow_raise", "smile"]
            assert all(p.frames_used == 3 and p.has_photo for p in stored)
            frames = store.frames(session.id)
            assert {p: len(f) for p, f in frames.items()} == {"rest": 3, "brow_raise": 3, "smile": 3}
            assert all(f.landmarks.shape == (478, 3) for fs in frames.values() for f in fs)
            scores = store.session_scores(session.id)
            assert scores is not None
            assert scores.affected_side == "right"
            assert set(scores.poses) == {"rest", "brow_raise", "smile"}

    run(body())


def test_cancelling_after_two_poses_stores_nothing_and_releases_the_camera(
    home: Path, full_camera_dir: Path, landmarkers: FakeLandmarkers, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark_first_run_done(home)
    closes = count_camera_closes(monkeypatch)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(full_camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            worker = next(w for w in app.workers if w.group == "camera" and w.node is screen)
            await capture(pilot, app, "rest")
            await capture(pilot, app, "brow_raise")

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
            assert "Discard this test?" in text(app.screen.query(Label).first())
            await pilot.press("n")  # n keeps the test
            await until(pilot, lambda: app.screen is screen, "the test again")
            assert "✓" in line(app, "brow_raise")
            assert state(worker) == WorkerState.RUNNING

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await until(pilot, lambda: worker.is_finished, "the camera worker to finish")
            await until(pilot, lambda: bool(closes), "Camera.close")
            await until(pilot, lambda: landmarkers.all_closed, "the landmarker to be closed")
            assert state(worker) == WorkerState.CANCELLED
            assert closes == [str(full_camera_dir)]
            assert len(landmarkers.made) == 1
            await settle(pilot)
            assert "No test yet" in screen_text(app, "#due")

        assert row_counts(home) == dict.fromkeys(row_counts(home), 0)

    run(body())


def test_escape_before_any_pose_leaves_at_once(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            await open_test(pilot, app)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home without a question")
            await until(pilot, lambda: landmarkers.all_closed, "the landmarker to be closed")

    run(body())


@pytest.mark.usefixtures("folder_as_video")
def test_a_black_picture_has_no_face_and_the_failed_pose_can_be_retaken(
    home: Path, tmp_path: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)
    folder = write_camera_folder(tmp_path / "dark", ["rest", "brow_raise"], black=["brow_raise"])

    async def body() -> None:
        app = new_app(make_services(home, camera=str(folder), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            await open_test(pilot, app)
            landmarkers.blind = True  # the person stepped away
            await until(pilot, lambda: "no face found" in screen_text(app, "#verdict"), "'no face' advice")
            await pilot.press("space")
            await until(pilot, lambda: "✗" in line(app, "rest"), "the failed burst", timeout=6)
            assert "No usable frame: no face found" in line(app, "rest")
            assert "Press r to retake." in screen_text(app, "#instruction")
            assert line(app, "rest").startswith("▶")  # the test stays on the pose

            landmarkers.blind = False
            await pilot.press("r")
            await until(pilot, lambda: line(app, "rest").endswith("…"), "the failed result cleared")
            await capture(pilot, app, "rest")

            # brow_raise's photo is all black: the fake landmarker finds no face in it.
            await until(pilot, lambda: line(app, "brow_raise").startswith("▶"), "brow_raise")
            await until(pilot, lambda: "no face found" in screen_text(app, "#verdict"), "'no face' advice")

    run(body())


@pytest.mark.parametrize(
    ("spec", "sentence"),
    [
        (
            "/nonexistent/video.mp4",
            "cannot find /nonexistent/video.mp4: check the path, or give a camera number such as 0",
        ),
        (
            "99",
            "could not open camera 99: check it is connected and not used by another program, "
            "or pass a video file or a folder of photos instead",
        ),
    ],
)
def test_a_camera_that_cannot_be_opened_is_explained_and_another_can_be_chosen(
    home: Path,
    camera_dir: Path,
    landmarkers: FakeLandmarkers,
    monkeypatch: pytest.MonkeyPatch,
    spec: str,
    sentence: str,
) -> None:
    mark_first_run_done(home)
    monkeypatch.chdir(camera_dir.parent)

    async def body() -> None:
        app = new_app(make_services(home, camera=spec, landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            await until(pilot, lambda: sentence in screen_text(app, "#verdict"), "the camera problem")
            verdict = screen_text(app, "#verdict")
            assert "Change the camera above and press Enter, or Esc to go back." in verdict
            assert "Traceback" not in verdict and "Error" not in verdict
            assert not landmarkers.made  # no model loaded for a camera that does not open

            field = app.screen.query_one("#camera-spec", Input)
            assert not field.has_focus
            await pilot.press("k")
            await until(pilot, lambda: field.has_focus, "the camera field to be focused")
            field.value = ""
            await pilot.press(*camera_dir.name, "enter")  # relative to the working folder
            await until(pilot, lambda: "▶ rest" in poses(app), "the first pose")
            await until(pilot, lambda: "good: hold still" in screen_text(app, "#verdict"), "a good verdict")
            assert not field.has_focus
            await capture(pilot, app, "rest")

    run(body())


def test_r_on_the_conditions_form_goes_back_to_the_last_pose(
    home: Path, tmp_path: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)
    folder = write_camera_folder(tmp_path / "one", ["rest"])

    async def body() -> None:
        app = new_app(make_services(home, camera=str(folder), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            await capture(pilot, app, "rest")
            for pose in POSE_NAMES[1:]:
                await skip_missing(pilot, app, pose, folder)
            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "conditions")
            await pilot.press("r")
            await until(pilot, lambda: line(app, "rest").startswith("▶"), "rest to be current again", 1.0)
            assert line(app, "rest").endswith("…")
            assert not screen.query_one("#conditions").display

    run(body())


def test_sections_stay_closed_while_the_test_owns_the_camera(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    """j, c, y, h and t do nothing during a test (it would run on, unseen, with the camera open)."""
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await open_test(pilot, app)
            stack = list(app.screen_stack)
            footer = app.screen.query_one("Footer")
            await pilot.pause()
            shown = " ".join(str(k.render()) for k in footer.query("FooterKey"))
            assert "Journal" not in shown and "Charts" not in shown and "Cancel test" in shown
            for key in ("j", "c", "y", "h", "t"):
                await pilot.press(key)
                await pilot.pause()
                assert app.screen is screen and list(app.screen_stack) == stack, key
            assert app.current_mode == "home"
            app.go_to_section("journal")  # as the command palette does
            await pilot.pause()
            assert app.screen is screen
            assert any("Finish the weekly test" in n.message for n in app._notifications)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await until(pilot, lambda: landmarkers.all_closed, "the landmarker to be closed")
            await pilot.press("j")
            await until(pilot, lambda: app.current_mode == "journal", "the Journal after the test")

    run(body())


def test_q_during_a_test_asks_before_discarding_the_poses_taken(
    home: Path, full_camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(full_camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            await capture(pilot, app, "rest")
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
            assert "Discard this test?" in text(app.screen.query(Label).first())
            await pilot.press("n")  # n keeps the test and the app
            await until(pilot, lambda: app.screen is screen, "the test again")
            assert app.is_running and "✓" in line(app, "rest")
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: not app.is_running, "the app to quit")
        assert landmarkers.all_closed
        assert row_counts(home) == dict.fromkeys(row_counts(home), 0)

    run(body())


def test_a_photo_folder_takes_each_pose_at_once_and_says_one_photo_was_used(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    """A folder is photos, not a webcam: no countdown, no "Hold it…", and "1 photo used"."""
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_test(pilot, app)
            assert "Press space to take the photo." in screen_text(app, "#instruction")
            await pilot.press("space")
            assert "1…" not in screen_text(app, "#instruction")
            await until(pilot, lambda: "✓" in line(app, "rest"), "rest to be taken", timeout=2)
            assert any(n.message == "rest: 1 photo used." for n in app._notifications)
            assert "Hold it" not in screen_text(app, "#instruction")
            screen = app.screen
            assert isinstance(screen, WeeklyTestScreen) and screen.test is not None
            assert screen.test.results["rest"].frames_used == 1
            assert screen.test.results["rest"].frames_seen == 1

    run(body())


def test_a_pose_missing_from_the_folder_cannot_lock_the_test_and_s_skips_it(
    home: Path, tmp_path: Path, landmarkers: FakeLandmarkers
) -> None:
    """At a pose the folder lacks, space does nothing (it used to count down to "Hold it…" for ever)."""
    mark_first_run_done(home)
    folder = write_camera_folder(tmp_path / "p1b", ["rest", "brow_raise", "smile"])

    async def body() -> None:
        app = new_app(make_services(home, camera=str(folder), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            await open_test(pilot, app)
            await capture(pilot, app, "rest")
            await capture(pilot, app, "brow_raise")
            await until(pilot, lambda: line(app, "eyes_gentle").startswith("▶"), "eyes_gentle")
            instruction = screen_text(app, "#instruction")
            assert "no photo of this pose in the folder: press s to skip it" in instruction
            assert "Press space" not in instruction
            await pilot.press("space")
            await pilot.pause(0.3)
            assert "Hold it" not in screen_text(app, "#instruction")
            assert "…" not in screen_text(app, "#instruction").split(".\n", 1)[1]
            await pilot.press("s")
            await until(pilot, lambda: "skipped" in line(app, "eyes_gentle"), "eyes_gentle skipped")
            await until(pilot, lambda: line(app, "eyes_tight").startswith("▶"), "eyes_tight")
            await pilot.press("s")
            await capture(pilot, app, "smile")
            assert "✓" in line(app, "rest") and "✓" in line(app, "brow_raise")

    run(body())


@pytest.mark.usefixtures("folder_as_video")
def test_s_skips_a_pose_during_its_countdown_and_the_skipped_take_is_not_saved(
    home: Path, full_camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(full_camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            await capture(pilot, app, "rest")
            await until(pilot, lambda: line(app, "brow_raise").startswith("▶"), "brow_raise")
            await pilot.press("space")
            assert "1…" in screen_text(app, "#instruction"), poses(app)
            await pilot.press("s")
            await until(pilot, lambda: line(app, "eyes_gentle").startswith("▶"), "eyes_gentle")
            assert "skipped" in line(app, "brow_raise")
            assert "3-second countdown" in screen_text(app, "#instruction")
            await pilot.pause(1.5)  # the old countdown must not start a burst on the next pose
            assert line(app, "eyes_gentle").endswith("…")
            assert screen.phase == "preview"
            assert screen.test is not None and "brow_raise" not in screen.test.analysis().captures
            await capture(pilot, app, "eyes_gentle")

    run(body())


def test_without_a_face_model_space_does_nothing_and_s_still_skips(home: Path, camera_dir: Path) -> None:
    """No model: the camera pane says why, and the test neither counts down nor locks up."""
    mark_first_run_done(home)

    def no_model(stream: bool) -> Any:
        from journal.errors import UsageError

        raise UsageError("the face model is not installed: run tonus model install")

    async def body() -> None:
        services = make_services(home, camera=str(camera_dir))
        services.make_landmarker = no_model
        app = new_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "Affected side" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, WeeklyTestScreen), "the test screen")
            await until(pilot, lambda: "model is not installed" in screen_text(app, "#verdict"), "why")
            await until(
                pilot, lambda: "No photo can be taken now" in screen_text(app, "#instruction"), "hint"
            )
            await pilot.press("space")
            await pilot.pause(0.3)
            assert "1…" not in screen_text(app, "#instruction")
            for pose in POSE_NAMES:
                await until(pilot, lambda p=pose: line(app, p).startswith("▶"), pose)  # type: ignore[misc]
                await pilot.press("s")
            # Everything skipped: said at once, in the instruction (not below the fold), no form.
            await until(pilot, lambda: "No pose was taken" in screen_text(app, "#instruction"), "the end")
            assert "All poses done" not in screen_text(app, "#instruction")
            screen = app.screen
            assert isinstance(screen, WeeklyTestScreen) and not screen.query_one("#conditions").display
            await pilot.press("r")  # back to the last pose skipped; the camera still does not work
            await until(pilot, lambda: line(app, "cheek_puff").startswith("▶"), "cheek_puff again")
            assert screen.phase == "failed"
            await pilot.press("space")
            await pilot.pause(0.3)
            assert "Reading the photo" not in screen_text(app, "#instruction")

    run(body())


def test_saving_a_test_without_rest_asks_first(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            await pilot.press("s")  # no rest
            await capture(pilot, app, "brow_raise")
            for pose in POSE_NAMES[2:]:
                await until(pilot, lambda p=pose: line(app, p).startswith("▶"), pose)  # type: ignore[misc]
                await pilot.press("s")
            await until(pilot, lambda: "All poses done" in screen_text(app, "#instruction"), "conditions")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            assert "no rest photo" in text(app.screen.query(Label).first())
            await pilot.press("n")
            await until(pilot, lambda: app.screen is screen, "the test again")
            await pilot.pause(0.3)  # (the camera worker runs on: no settle)
            assert row_counts(home)["sessions"] == 0
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question again")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results", timeout=5)
        assert row_counts(home)["sessions"] == 1

    run(body())


def test_the_live_preview_keeps_the_photos_aspect_ratio(
    home: Path, camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    """A 4:3 frame is drawn 4:3 (a cell is about twice as tall as wide), not stretched to the pane."""
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_test(pilot, app)
            preview = screen.query_one("#preview")
            await until(pilot, lambda: getattr(preview, "image", None) is not None, "a preview frame")
            await pilot.pause(0.3)
            width, height = preview.size.width, preview.size.height * 2  # in half-cells: square pixels
            assert height > 0 and 0.75 * 4 / 3 < width / height < 1.25 * 4 / 3, (width, height)
            verdict = screen.query_one("#verdict").region
            assert verdict.height and verdict.bottom <= SIZE[1] - 1  # the advice stays on screen

    run(body())


def test_a_long_question_wraps_inside_its_dialog(home: Path) -> None:
    """The no-rest question is three lines long: every word of it is on screen (it was cut at 56)."""
    mark_first_run_done(home)

    async def body() -> None:
        from journal.ui.screens.weekly_parts import NO_REST_QUESTION

        app = new_app(make_services(home))
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await app.push_screen(Confirm(NO_REST_QUESTION))
            await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
            await pilot.pause()
            label = app.screen.query(Label).first()
            assert label.region.height >= 3
            drawn = " ".join(label.render_line(y).text.strip() for y in range(label.region.height))
            assert "Save it anyway?" in drawn, drawn

    run(body())


def test_the_camera_chosen_and_the_theme_are_kept_for_next_time(
    home: Path, camera_dir: Path, full_camera_dir: Path, landmarkers: FakeLandmarkers
) -> None:
    from journal.config import load_config

    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home, camera=str(camera_dir), landmarkers=landmarkers))
        async with app.run_test(size=SIZE) as pilot:
            await open_test(pilot, app)
            field = app.screen.query_one("#camera-spec", Input)
            await pilot.press("k")
            field.value = str(full_camera_dir)
            await pilot.press("enter")
            await until(
                pilot, lambda: load_config(home / "config.toml").camera == str(full_camera_dir), "kept"
            )
            app.theme = "textual-light"
            await until(pilot, lambda: load_config(home / "config.toml").theme == "textual-light", "theme")

        services = make_services(home, landmarkers=landmarkers)
        services.theme = "textual-light"
        again = new_app(services)
        assert again.theme == "textual-light"

    run(body())
