"""What every frame source shares: the Frame, the FrameSource protocol, and the file and pose checks."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from journal.errors import UsageError
from journal.protocol import POSE_NAMES, is_pose_name

# Keep OpenCV's and FFmpeg's own logging off the terminal (it would also corrupt a full-screen
# UI); set before cv2 is first imported, which happens only inside functions. -8 is AV_LOG_QUIET.
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

if TYPE_CHECKING:
    pass

PathArg = str | os.PathLike[str]
Warn = Callable[[str], None]

VIDEO_EXTENSIONS: frozenset[str] = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v"})
FOLDER_IMAGE_EXTENSIONS: frozenset[str] = frozenset({".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp"})
DEFAULT_FPS = 30.0
_MAX_FPS = 1000.0  # above this a container's fps is nonsense; 1000 also keeps ms timestamps distinct
_WEBCAM_START_TRIES = 30  # failed reads tolerated while a camera warms up
_POSE_LIST = ", ".join(POSE_NAMES)


def _warn_stderr(message: str) -> None:
    """Print a warning to stderr (the default `warn` callback)."""
    print(f"warning: {message}", file=sys.stderr)


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One RGB picture (H×W×3 uint8, C-contiguous, never mirrored) and where it came from."""

    image: NDArray[np.uint8]
    index: int
    timestamp_ms: int
    source: str
    pose: str | None = None


@runtime_checkable
class FrameSource(Protocol):
    """Anything that yields frames: stills (MediaPipe IMAGE mode) or streams (VIDEO mode)."""

    name: str
    is_stream: bool

    def frames(self) -> Iterator[Frame]:
        """Yield the source's frames in order."""
        ...

    def close(self) -> None:
        """Release what the source holds (a capture device or file); safe to call twice."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _SourceBase:
    """Context-manager support shared by the concrete sources."""

    name: str = ""
    is_stream: bool = False

    def close(self) -> None:
        """Release what the source holds (nothing by default)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def is_video_path(path: PathArg) -> bool:
    """Tell whether `path` has a video file extension (.mp4 .mov .avi .mkv .webm .m4v)."""
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def _check_pose(pose: str | None) -> str | None:
    """Return `pose` if it is None or a protocol pose name; otherwise raise UsageError."""
    if pose is not None and not is_pose_name(pose):
        raise UsageError(f"unknown pose {pose!r}: use one of {_POSE_LIST}")
    return pose


def _pose_from_stem(path: Path) -> str | None:
    """Return the pose named by the file's stem (case-insensitive), else None."""
    stem = path.stem.lower()
    return stem if is_pose_name(stem) else None


def _check_file(path: Path, what: str) -> None:
    """Raise UsageError unless `path` is an existing regular file."""
    if not path.exists():
        raise UsageError(f"cannot find {path}: check the file name and folder")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not {what}: pass a single file")
    if not path.is_file():
        raise UsageError(f"{path} is not a regular file: pass {what}")
