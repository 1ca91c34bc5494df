"""Frame sources: one photo, a folder of pose photos, a video file or a webcam, as RGB frames.

The kinds live in `frames` (what they share), `stills` (photos) and `streams` (video, webcam);
`open_source` picks one from what the person gave, and this module re-exports them all.
"""

from __future__ import annotations

from pathlib import Path

from journal.capture.frames import (
    DEFAULT_FPS,
    FOLDER_IMAGE_EXTENSIONS,
    VIDEO_EXTENSIONS,
    Frame,
    FrameSource,
    PathArg,
    Warn,
    _check_pose,
    _warn_stderr,
    is_video_path,
)
from journal.capture.stills import FolderSource, ImageSource, load_image
from journal.capture.streams import VideoSource, WebcamSource
from journal.errors import UsageError

__all__ = [
    "DEFAULT_FPS",
    "FOLDER_IMAGE_EXTENSIONS",
    "VIDEO_EXTENSIONS",
    "FolderSource",
    "Frame",
    "FrameSource",
    "ImageSource",
    "PathArg",
    "VideoSource",
    "Warn",
    "WebcamSource",
    "is_video_path",
    "load_image",
    "open_source",
]


def open_source(
    spec: PathArg,
    pose: str | None = None,
    warn: Warn = _warn_stderr,
    sample_fps: float | None = None,
    max_side: int | None = None,
) -> FrameSource:
    """Open a camera number ("0"), a folder of pose photos, a video file or a photo.

    `sample_fps` caps how many frames a second a video file yields (None: every frame), and
    `max_side` the size of its frames (None: as recorded).
    """
    _check_pose(pose)
    if isinstance(spec, str) and spec.isascii() and spec.isdigit():
        return WebcamSource(int(spec), pose=pose)
    path = Path(spec).expanduser()
    if not path.exists():
        raise UsageError(f"cannot find {spec}: check the path, or give a camera number such as 0")
    if path.is_dir():
        if pose is not None:
            raise UsageError(f"a pose cannot be given for the folder {spec}: its file names name the poses")
        return FolderSource(path, warn=warn)
    if is_video_path(path):
        return VideoSource(path, pose=pose, sample_fps=sample_fps, max_side=max_side)
    return ImageSource(path, pose=pose)
