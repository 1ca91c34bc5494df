"""The weekly test's camera says what it is, as stored with the test: camera (webcam), video or photos."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from fakes import write_camera_folder

from journal.services.weekly import Camera


def _video(path: Path, frames: int = 5) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 10.0, (64, 48))
    for i in range(frames):
        writer.write(np.full((48, 64, 3), 40 * i, np.uint8))
    writer.release()
    return path


def test_a_folder_and_a_single_photo_are_photos(tmp_path: Path) -> None:
    folder = write_camera_folder(tmp_path / "week", ["rest", "smile"])
    for spec in (folder, folder / "rest.png"):
        camera = Camera(str(spec), paced=False)
        try:
            assert camera.kind == "photos", spec
        finally:
            camera.close()


def test_a_video_file_is_a_video(tmp_path: Path) -> None:
    camera = Camera(str(_video(tmp_path / "clip.mp4")), paced=False)
    try:
        assert camera.kind == "video"
    finally:
        camera.close()
