"""Fixtures for the TUI tests: a temp journal home, the fake camera folder, quick countdowns and bursts."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes import FakeLandmarkers, write_camera_folder

import journal.services.weekly
from journal.protocol import POSE_NAMES
from journal.ui.screens import weekly_test

#: Frames per burst and tries per pose in these tests (the app's are 12 and 90).
TEST_BURST = 3
TEST_TRIES = 4


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """Where the temp journal lives."""
    return tmp_path / "home"


@pytest.fixture
def landmarkers() -> FakeLandmarkers:
    """The fake landmarker factory (it remembers each landmarker it made)."""
    return FakeLandmarkers()


@pytest.fixture
def camera_dir(tmp_path: Path) -> Path:
    """A fake camera: a folder with a synthetic photo for rest, brow_raise and smile only."""
    return write_camera_folder(tmp_path / "cam", ["rest", "brow_raise", "smile"])


@pytest.fixture
def full_camera_dir(tmp_path: Path) -> Path:
    """A fake camera with a synthetic photo for every pose."""
    return write_camera_folder(tmp_path / "cam-all", POSE_NAMES)


@pytest.fixture
def quick_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1-second countdown and 3-frame bursts (4 tries), so a pose takes about a second.

    `WeeklyTest.burst` defaults to `BURST_FRAMES` when the class is defined, so patching the constant
    alone would change nothing: the screen's worker imports `WeeklyTest` from `journal.services.weekly` when
    it starts, and gets this subclass.
    """

    @dataclass
    class QuickWeeklyTest(journal.services.weekly.WeeklyTest):
        burst: int = TEST_BURST
        max_tries: int = TEST_TRIES

    monkeypatch.setattr(weekly_test, "COUNTDOWN_S", 1)
    monkeypatch.setattr(journal.services.weekly, "BURST_FRAMES", TEST_BURST)
    monkeypatch.setattr(journal.services.weekly, "MAX_TRIES", TEST_TRIES)
    monkeypatch.setattr(journal.services.weekly, "WeeklyTest", QuickWeeklyTest)


@pytest.fixture
def images_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No photos on screen (TONUS_IMAGES=off)."""
    monkeypatch.setenv("TONUS_IMAGES", "off")


@pytest.fixture
def folder_as_video(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake camera folder behaves like a video: a countdown, then a burst of several frames."""
    real_init = journal.services.weekly.Camera.__init__

    def streaming_init(self: journal.services.weekly.Camera, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self.is_stream = True

    real_read = journal.services.weekly.Camera.read

    def paced_read(self: journal.services.weekly.Camera, pose: str) -> object:
        time.sleep(1 / 30)  # as a video is paced to its frame rate
        return real_read(self, pose)

    monkeypatch.setattr(journal.services.weekly.Camera, "__init__", streaming_init)
    monkeypatch.setattr(journal.services.weekly.Camera, "read", paced_read)
