"""Frame sources: photos, pose folders, videos and the webcam (generated files in tmp_path)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from journal.capture.sources import (
    FolderSource,
    Frame,
    FrameSource,
    ImageSource,
    VideoSource,
    WebcamSource,
    is_video_path,
    load_image,
    open_source,
)
from journal.errors import UsageError
from journal.protocol import POSE_NAMES


def _gradient(h: int = 24, w: int = 32) -> np.ndarray:
    """An RGB image whose pixels differ along both axes (so transposes are visible)."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), np.full_like(x, 60)], -1)
    return img.astype(np.uint8)


def _write_jpeg(path: Path, h: int = 24, w: int = 32, **save: Any) -> Path:
    Image.fromarray(_gradient(h, w)).save(path, format="JPEG", quality=95, **save)
    return path


def _assert_rgb(image: np.ndarray, h: int, w: int) -> None:
    assert image.shape == (h, w, 3)
    assert image.dtype == np.uint8
    assert image.flags["C_CONTIGUOUS"]


# --- load_image ---------------------------------------------------------------------------------


def test_load_colour_jpeg(tmp_path: Path) -> None:
    image = load_image(_write_jpeg(tmp_path / "a.jpg"))
    _assert_rgb(image, 24, 32)
    assert np.abs(image.astype(int) - _gradient().astype(int)).max() < 20


def test_load_colour_png_exact(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.fromarray(_gradient()).save(path)
    image = load_image(str(path))
    _assert_rgb(image, 24, 32)
    assert np.array_equal(image, _gradient())


def test_load_grayscale_gives_equal_channels(tmp_path: Path) -> None:
    path = tmp_path / "g.png"
    gray = np.arange(20 * 10, dtype=np.uint8).reshape(20, 10)
    Image.fromarray(gray, mode="L").save(path)
    image = load_image(path)
    _assert_rgb(image, 20, 10)
    for c in range(3):
        assert np.array_equal(image[:, :, c], gray)


def test_load_16_bit_grayscale_is_scaled_to_8_bits(tmp_path: Path) -> None:
    path = tmp_path / "g16.png"
    gray = np.full((8, 6), 40000, dtype=np.uint16)
    Image.fromarray(gray).save(path)
    image = load_image(path)
    _assert_rgb(image, 8, 6)
    assert int(image[0, 0, 0]) == 40000 >> 8


def test_load_rgba_drops_alpha(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    rgba = np.zeros((10, 12, 4), dtype=np.uint8)
    rgba[..., 0] = 200
    rgba[..., 1] = 100
    rgba[..., 2] = 50
    rgba[..., 3] = 255
    Image.fromarray(rgba, mode="RGBA").save(path)
    image = load_image(path)
    _assert_rgb(image, 10, 12)
    assert tuple(image[5, 5]) == (200, 100, 50)


def test_load_palette_png_with_transparency(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    Image.fromarray(_gradient()).convert("P").save(path, transparency=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow warns when such images go straight to RGB
        image = load_image(path)
    _assert_rgb(image, 24, 32)


def test_exif_orientation_6_is_applied(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = _write_jpeg(tmp_path / "rot.jpg", h=24, w=32, exif=exif)
    with Image.open(path) as raw:
        assert raw.size == (32, 24)  # stored landscape
    image = load_image(path)
    _assert_rgb(image, 32, 24)  # shown portrait
    # The stored top-left corner (dark red, bright x=0) ends up top-right after a 90° CW turn.
    stored = _gradient()
    assert np.abs(image[0, -1].astype(int) - stored[0, 0].astype(int)).max() < 25


def test_text_file_named_jpg_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("this is not a photo\n")
    with pytest.raises(UsageError) as info:
        load_image(path)
    message = str(info.value)
    assert "notes.jpg" in message
    assert "is not an image Tonus can read (JPEG, PNG, HEIC or WebP)" in message
    assert info.value.exit_code == 2


def test_truncated_jpeg_is_rejected(tmp_path: Path) -> None:
    full = _write_jpeg(tmp_path / "full.jpg", h=200, w=300)
    data = full.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UsageError, match=r"cut\.jpg is truncated or damaged: copy it again"):
        load_image(cut)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.touch()
    with pytest.raises(UsageError, match=r"empty\.png is empty"):
        load_image(path)


def test_missing_file_and_directory_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot find .*nope\.jpg"):
        load_image(tmp_path / "nope.jpg")
    with pytest.raises(UsageError, match="is a folder"):
        load_image(tmp_path)


def test_error_messages_are_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_text("x")
    for target in (bad, tmp_path / "missing.png", tmp_path):
        with pytest.raises(UsageError) as info:
            load_image(target)
        message = str(info.value)
        assert "\n" not in message
        assert message.count(". ") == 0


# --- ImageSource and Frame ----------------------------------------------------------------------


def test_image_source_yields_one_frame_with_pose_from_stem(tmp_path: Path) -> None:
    path = _write_jpeg(tmp_path / "smile.jpg")
    with ImageSource(path) as src:
        assert isinstance(src, FrameSource)
        assert src.is_stream is False
        frames = list(src.frames())
    assert len(frames) == 1
    frame = frames[0]
    assert (frame.index, frame.timestamp_ms, frame.pose) == (0, 0, "smile")
    assert frame.source == str(path)
    _assert_rgb(frame.image, 24, 32)


def test_image_source_pose_argument_and_unnamed_file(tmp_path: Path) -> None:
    path = _write_jpeg(tmp_path / "IMG_0001.jpg")
    assert next(ImageSource(path).frames()).pose is None
    assert next(ImageSource(path, pose="rest").frames()).pose == "rest"
    with pytest.raises(UsageError, match="unknown pose 'grin'"):
        ImageSource(path, pose="grin")


def test_frame_is_frozen(tmp_path: Path) -> None:
    frame = next(ImageSource(_write_jpeg(tmp_path / "rest.jpg")).frames())
    with pytest.raises(dataclasses.FrozenInstanceError):
        frame.index = 3  # type: ignore[misc]
    assert isinstance(frame, Frame)


# --- FolderSource -------------------------------------------------------------------------------


def test_folder_source_protocol_order_and_stray_file_warning(tmp_path: Path) -> None:
    folder = tmp_path / "week1"
    folder.mkdir()
    # Written in an order that is neither alphabetical nor protocol order, mixed extensions.
    for name in ("smile.PNG", "rest.jpeg", "pucker.jpg", "brow_raise.JPG"):
        Image.fromarray(_gradient()).save(folder / name, format="PNG" if "PNG" in name else "JPEG")
    (folder / "notes.txt").write_text("felt tired")
    (folder / "holiday.jpg").write_bytes((folder / "pucker.jpg").read_bytes())
    (folder / ".DS_Store").write_bytes(b"\0")
    warnings: list[str] = []
    src = FolderSource(folder, warn=warnings.append)
    frames = list(src.frames())
    assert [f.pose for f in frames] == ["rest", "brow_raise", "smile", "pucker"]
    assert src.poses == ("rest", "brow_raise", "smile", "pucker")
    assert [f.index for f in frames] == [0, 1, 2, 3]
    assert [f.timestamp_ms for f in frames] == sorted({f.timestamp_ms for f in frames})
    assert frames[0].source == str(folder / "rest.jpeg")
    for f in frames:
        _assert_rgb(f.image, 24, 32)
    assert len(warnings) == 2
    assert warnings[0].startswith("skipping holiday.jpg: not a JPEG, PNG, HEIC or WebP named after a pose (")
    assert warnings[1].startswith("skipping notes.txt: ")
    assert "rest, brow_raise" in warnings[1]


def test_folder_source_default_warning_goes_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_jpeg(tmp_path / "rest.jpg")
    (tmp_path / "notes.txt").write_text("x")
    FolderSource(tmp_path)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "skipping notes.txt" in captured.err


def test_folder_source_duplicate_pose_names_both_files(tmp_path: Path) -> None:
    _write_jpeg(tmp_path / "rest.jpg")
    Image.fromarray(_gradient()).save(tmp_path / "rest.png")
    with pytest.raises(UsageError) as info:
        FolderSource(tmp_path, warn=lambda _m: None)
    message = str(info.value)
    assert "rest.jpg" in message and "rest.png" in message
    assert "keep only one" in message


@pytest.mark.parametrize("stray", [False, True])
def test_folder_source_without_pose_photos_is_rejected(tmp_path: Path, stray: bool) -> None:
    folder = tmp_path / "empty_week"
    folder.mkdir()
    if stray:
        (folder / "notes.txt").write_text("x")
    with pytest.raises(UsageError, match=r"empty_week has no photos named after a pose"):
        FolderSource(folder, warn=lambda _m: None)


def test_folder_source_bad_photo_raises_when_read(tmp_path: Path) -> None:
    (tmp_path / "rest.jpg").write_text("not a photo")
    src = FolderSource(tmp_path)
    with pytest.raises(UsageError, match=r"rest\.jpg is not an image Tonus can read"):
        list(src.frames())


def test_folder_source_missing_or_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot find the folder"):
        FolderSource(tmp_path / "nope")
    with pytest.raises(UsageError, match="is not a folder"):
        FolderSource(_write_jpeg(tmp_path / "rest.jpg"))


# --- VideoSource --------------------------------------------------------------------------------


def _write_video(path: Path, n: int = 12, fps: float = 10.0, w: int = 64, h: int = 48) -> Path:
    """Write an mp4v video whose left half is pure red and right half pure blue (in RGB)."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    assert writer.isOpened()
    bgr = np.zeros((h, w, 3), dtype=np.uint8)
    bgr[:, : w // 2] = (0, 0, 255)  # red in BGR
    bgr[:, w // 2 :] = (255, 0, 0)  # blue in BGR
    for _ in range(n):
        writer.write(bgr)
    writer.release()
    return path


def test_video_source_frames_timestamps_rgb_and_release(tmp_path: Path) -> None:
    path = _write_video(tmp_path / "clip.mp4", n=12, fps=10.0)
    src = VideoSource(path)
    assert isinstance(src, FrameSource)
    assert src.is_stream is True
    assert src.fps == pytest.approx(10.0)
    frames = list(src.frames())
    assert len(frames) == 12
    assert [f.index for f in frames] == list(range(12))
    assert [f.timestamp_ms for f in frames] == [i * 100 for i in range(12)]
    assert all(f.source == str(path) and f.pose is None for f in frames)
    image = frames[0].image
    _assert_rgb(image, 48, 64)
    left = image[:, :24].reshape(-1, 3).mean(axis=0)
    right = image[:, 40:].reshape(-1, 3).mean(axis=0)
    assert left[0] > 200 and left[2] < 60  # red is channel 0
    assert right[2] > 200 and right[0] < 60
    assert src.is_open is False  # released at the end of iteration


def test_video_source_max_frames_and_stride(tmp_path: Path) -> None:
    path = _write_video(tmp_path / "clip.mp4", n=12, fps=10.0)
    frames = list(VideoSource(path, max_frames=4, stride=3).frames())
    assert [f.index for f in frames] == [0, 3, 6, 9]
    assert [f.timestamp_ms for f in frames] == [0, 300, 600, 900]
    assert len(list(VideoSource(path, max_frames=5).frames())) == 5
    with pytest.raises(UsageError, match="stride"):
        VideoSource(path, stride=0)


@pytest.mark.parametrize(
    ("fps", "rate", "indices"), [(30.0, 10.0, list(range(0, 60, 3))), (15.0, 10.0, None)]
)
def test_video_source_samples_at_a_steady_rate(
    tmp_path: Path, fps: float, rate: float, indices: list[int] | None
) -> None:
    path = _write_video(tmp_path / "clip.mp4", n=60, fps=fps)
    frames = list(VideoSource(path, sample_fps=rate).frames())
    assert len(frames) == round(60 / fps * rate)
    if indices is not None:
        assert [f.index for f in frames] == indices
    gaps = np.diff([f.timestamp_ms for f in frames])
    assert gaps.max() - gaps.min() <= 1000 / fps + 1  # steady: never more than one frame off
    assert len(list(VideoSource(path, sample_fps=fps * 2).frames())) == 60  # never more than the file has
    with pytest.raises(UsageError, match="sampling rate"):
        VideoSource(path, sample_fps=0.0)


def test_video_source_scales_big_frames_down_and_seeks(tmp_path: Path) -> None:
    path = _write_video(tmp_path / "clip.mp4", n=6, fps=10.0, w=128, h=96)
    src = VideoSource(path, max_side=64)
    frames = list(src.frames())
    _assert_rgb(frames[0].image, 48, 64)
    _assert_rgb(next(VideoSource(path, max_side=500).frames()).image, 96, 128)  # never scaled up
    again = src.frame_at(4)
    assert again is not None and again.index == 4 and again.timestamp_ms == 400
    np.testing.assert_array_equal(again.image, frames[4].image)
    assert src.frame_at(99) is None


def test_video_source_close_releases_an_unfinished_iteration(tmp_path: Path) -> None:
    path = _write_video(tmp_path / "clip.mp4")
    with VideoSource(path) as src:
        it = src.frames()
        next(it)
        assert src.is_open is True
    assert src.is_open is False
    assert list(it) == []  # the released capture yields nothing more


def test_video_source_generator_close_releases(tmp_path: Path) -> None:
    src = VideoSource(_write_video(tmp_path / "clip.mp4"))
    it = src.frames()
    assert isinstance(it, types.GeneratorType)
    next(it)
    assert src.is_open
    it.close()  # e.g. a `for` loop left with break, then the generator collected
    assert not src.is_open


def test_text_file_named_mp4_is_rejected(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fake.mp4"
    path.write_text("not a video\n")
    with pytest.raises(UsageError) as info:
        VideoSource(path)
    message = str(info.value)
    assert "fake.mp4" in message and "not a video Tonus can read" in message
    assert "\n" not in message
    assert capfd.readouterr().err == ""  # OpenCV and FFmpeg stay quiet


def test_missing_video_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot find .*gone\.mp4"):
        VideoSource(tmp_path / "gone.mp4")


# --- WebcamSource -------------------------------------------------------------------------------


def test_webcam_that_cannot_open_is_rejected(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError) as info:
        WebcamSource(99)
    assert str(info.value) == (
        "could not open camera 99: check it is connected and not used by another program, "
        "or pass a video file or a folder of photos instead"
    )
    assert capfd.readouterr().err == ""


class _FakeCapture:
    """A stand-in for cv2.VideoCapture that yields `n` BGR frames then stops."""

    instances: list[_FakeCapture] = []

    def __init__(self, index: int, n: int = 3) -> None:
        self.index = index
        self.left = n
        self.released = False
        self.props: dict[int, float] = {}
        _FakeCapture.instances.append(self)

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return not self.released

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.released or self.left == 0:
            return False, None
        self.left -= 1
        bgr = np.zeros((4, 6, 3), dtype=np.uint8)
        bgr[..., 2] = 255  # red in BGR
        return True, bgr

    def release(self) -> None:
        self.released = True


def test_webcam_source_with_fake_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    _FakeCapture.instances.clear()
    monkeypatch.setattr(cv2, "VideoCapture", _FakeCapture)
    ticks = iter([100.0, 100.0, 100.0004, 100.25])  # start, then one per frame (two in 1 ms)
    src = WebcamSource(0, width=320, height=240, clock=lambda: next(ticks))
    assert src.name == "camera 0" and src.is_stream is True and src.is_open
    cap = _FakeCapture.instances[0]
    assert cap.props[cv2.CAP_PROP_FRAME_WIDTH] == 320.0
    frames = list(src.frames())
    assert [f.index for f in frames] == [0, 1, 2]
    assert [f.timestamp_ms for f in frames] == [0, 1, 250]  # strictly increasing
    assert all(f.source == "camera 0" for f in frames)
    assert tuple(frames[0].image[0, 0]) == (255, 0, 0)
    assert cap.released and not src.is_open


def test_webcam_source_max_frames_and_close(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    _FakeCapture.instances.clear()
    monkeypatch.setattr(cv2, "VideoCapture", lambda i: _FakeCapture(i, n=100))
    with WebcamSource(1, max_frames=2) as src:
        assert len(list(src.frames())) == 2
    assert _FakeCapture.instances[0].released
    src = WebcamSource(2)
    next(src.frames())
    src.close()
    assert _FakeCapture.instances[1].released


# --- open_source and is_video_path --------------------------------------------------------------


def test_is_video_path() -> None:
    assert is_video_path("a.mp4") and is_video_path(Path("b.MOV")) and is_video_path("c.webm")
    assert is_video_path("x.m4v") and is_video_path("y.mkv") and is_video_path("z.avi")
    assert not is_video_path("a.jpg") and not is_video_path("mp4")


def test_open_source_dispatch(tmp_path: Path) -> None:
    photo = _write_jpeg(tmp_path / "rest.jpg")
    video = _write_video(tmp_path / "clip.mp4", n=3)
    assert isinstance(open_source(photo), ImageSource)
    assert isinstance(open_source(str(video)), VideoSource)
    assert isinstance(open_source(tmp_path, warn=lambda _m: None), FolderSource)
    src = open_source(photo, pose="smile")
    assert next(src.frames()).pose == "smile"
    with pytest.raises(UsageError, match="could not open camera 99"):
        open_source("99")


def test_open_source_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot find .*missing\.jpg"):
        open_source(tmp_path / "missing.jpg")
    _write_jpeg(tmp_path / "rest.jpg")
    with pytest.raises(UsageError, match="a pose cannot be given for the folder"):
        open_source(tmp_path, pose="smile")
    with pytest.raises(UsageError, match="unknown pose"):
        open_source(tmp_path / "rest.jpg", pose="wink")


def test_importing_sources_is_light_and_quiets_opencv() -> None:
    code = (
        "import os, sys, journal.capture.sources\n"
        "assert 'cv2' not in sys.modules, 'cv2 imported'\n"
        "assert 'PIL' not in sys.modules, 'PIL imported'\n"
        "assert os.environ['OPENCV_LOG_LEVEL'] == 'OFF'\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --- real files from ../shared/faces ------------------------------------------------------------


@pytest.mark.shared
def test_shared_protocol_folder_p1a(faces_dir: Path) -> None:
    src = FolderSource(faces_dir / "protocol" / "p1a")
    frames = list(src.frames())
    assert len(frames) == 9
    expected = [p for p in POSE_NAMES if p != "cheek_puff"]
    assert [f.pose for f in frames] == expected
    for f in frames:
        assert f.image.ndim == 3 and f.image.shape[2] == 3 and f.image.dtype == np.uint8
        assert f.image.flags["C_CONTIGUOUS"]


@pytest.mark.shared
def test_shared_protocol_video(faces_dir: Path) -> None:
    path = faces_dir / "videos" / "p1a_protocol.mp4"
    with VideoSource(path, max_frames=10) as src:
        frames = list(src.frames())
    assert len(frames) == 10
    assert src.fps == pytest.approx(15.0)
    stamps = [f.timestamp_ms for f in frames]
    assert stamps == sorted(set(stamps))
    for f in frames:
        _assert_rgb(f.image, 480, 640)
    assert not src.is_open


def test_weekly_camera_says_where_a_looping_video_is(tmp_path: Path) -> None:
    """The weekly test's Camera gives the position inside the video file (shown under the preview),
    which starts again at 0 when the video loops, while the timestamps given to MediaPipe keep rising."""
    from journal.services.weekly import Camera

    path = _write_video(tmp_path / "clip.mp4", n=5, fps=10.0)
    camera = Camera(str(path), paced=False)
    assert camera.position_s is None  # nothing read yet
    frames = [camera.read("rest") for _ in range(7)]
    stamps = [f.timestamp_ms for f in frames if f is not None]
    assert stamps == sorted(stamps) and len(set(stamps)) == 7
    assert camera.position_s == pytest.approx(0.1)  # frame 7 is the second frame of the second loop
    camera.close()

    folder = tmp_path / "week"
    folder.mkdir()
    _write_jpeg(folder / "rest.jpg")
    photos = Camera(str(folder), paced=False)
    assert photos.read("rest") is not None
    assert photos.position_s is None  # photos have no position
    photos.close()
