"""Frame sources: one photo, a folder of pose photos, a video file or a webcam, as RGB frames."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from journal.capture.photos import limit_image
from journal.errors import UsageError
from journal.protocol import POSE_NAMES, is_pose_name

# Keep OpenCV's and FFmpeg's own logging off the terminal (it would also corrupt a full-screen
# UI); set before cv2 is first imported, which happens only inside functions. -8 is AV_LOG_QUIET.
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

if TYPE_CHECKING:
    from PIL import Image

PathArg = str | os.PathLike[str]
Warn = Callable[[str], None]

VIDEO_EXTENSIONS: frozenset[str] = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v"})
FOLDER_IMAGE_EXTENSIONS: frozenset[str] = frozenset({".jpg", ".jpeg", ".png"})
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


def _to_rgb_array(im: Image.Image) -> NDArray[np.uint8]:
    """Convert a loaded Pillow image of any mode to an H×W×3 uint8 C-contiguous RGB array."""
    mode = im.mode
    if mode.startswith("I"):  # 16- or 32-bit grayscale: scale down to 8 bits
        gray = np.asarray(im).astype(np.int64)
        if gray.size and int(gray.max()) > 255:
            gray = gray >> 8
        gray8 = np.clip(gray, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray8[:, :, None], 3, axis=2))
    if mode != "RGB":
        if "A" in mode or "transparency" in im.info:
            im = im.convert("RGBA")
        im = im.convert("RGB")
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))


def load_image(path: PathArg) -> NDArray[np.uint8]:
    """Read a photo (JPEG, PNG or anything Pillow reads) as upright H×W×3 uint8 RGB."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    p = Path(path)
    _check_file(p, "a photo (JPEG or PNG)")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {p} ({exc.strerror}): check its permissions") from exc
    if size == 0:
        raise UsageError(f"{p} is empty (0 bytes): copy it again from the camera")
    try:
        with Image.open(p) as im:
            limit_image(im, p)  # from the header, before any pixel is decoded
            try:
                im.load()
            except Image.DecompressionBombError as exc:
                raise UsageError(f"{p} is too large for Tonus: resize it to a few megapixels") from exc
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise UsageError(f"{p} is truncated or damaged: copy it again from the camera") from exc
            if im.width == 0 or im.height == 0:
                raise UsageError(f"{p} is an image with no pixels: take the photo again")
            try:
                upright = ImageOps.exif_transpose(im)
            except (OSError, SyntaxError, ValueError, KeyError, TypeError):
                upright = im  # unreadable EXIF: keep the pixels as stored
            return _to_rgb_array(upright)
    except UnidentifiedImageError as exc:
        raise UsageError(
            f"{p} is not an image Tonus can read (JPEG or PNG): export it again as JPEG or PNG"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise UsageError(f"{p} is too large for Tonus: resize it to a few megapixels") from exc
    except (SyntaxError, ValueError, EOFError) as exc:
        raise UsageError(f"{p} is truncated or damaged: copy it again from the camera") from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot read {p} ({reason}): check it is a readable file") from exc


class ImageSource(_SourceBase):
    """One photo as one frame; its pose is `pose`, else its file stem when that names a pose."""

    is_stream = False

    def __init__(self, path: PathArg, pose: str | None = None) -> None:
        self.path = Path(path)
        _check_file(self.path, "a photo (JPEG or PNG)")
        self.pose = _check_pose(pose) or _pose_from_stem(self.path)
        self.name = str(path)

    def frames(self) -> Iterator[Frame]:
        """Yield the photo as a single frame (index 0, timestamp 0)."""
        image = load_image(self.path)
        yield Frame(image=image, index=0, timestamp_ms=0, source=self.name, pose=self.pose)


class FolderSource(_SourceBase):
    """A folder of photos named after poses (rest.jpg, smile.png, …), read in protocol order."""

    is_stream = False

    def __init__(self, path: PathArg, warn: Warn = _warn_stderr) -> None:
        self.path = Path(path)
        self.name = str(path)
        if not self.path.exists():
            raise UsageError(f"cannot find the folder {self.path}: check its name")
        if not self.path.is_dir():
            raise UsageError(f"{self.path} is not a folder: pass a folder of photos named after poses")
        by_pose: dict[str, list[Path]] = {}
        try:
            entries = sorted(self.path.iterdir(), key=lambda e: e.name)
        except OSError as exc:
            raise UsageError(f"cannot list {self.path} ({exc.strerror}): check its permissions") from exc
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files (.DS_Store, ._rest.jpg) are never photos of the user
            pose = _pose_from_stem(entry)
            if entry.is_file() and pose is not None and entry.suffix.lower() in FOLDER_IMAGE_EXTENSIONS:
                by_pose.setdefault(pose, []).append(entry)
            else:
                warn(f"skipping {entry.name}: not a JPEG or PNG named after a pose ({_POSE_LIST})")
        for pose, paths in by_pose.items():
            if len(paths) > 1:
                names = " and ".join(p.name for p in paths)
                raise UsageError(
                    f"{self.path} has {len(paths)} photos for the pose {pose} ({names}): keep only one"
                )
        if not by_pose:
            raise UsageError(
                f"{self.path} has no photos named after a pose: name each one after its pose, "
                f"e.g. rest.jpg or smile.png ({_POSE_LIST})"
            )
        self.items: tuple[tuple[str, Path], ...] = tuple(
            (pose, by_pose[pose][0]) for pose in POSE_NAMES if pose in by_pose
        )

    @property
    def poses(self) -> tuple[str, ...]:
        """The poses found in the folder, in protocol order."""
        return tuple(pose for pose, _ in self.items)

    def frames(self) -> Iterator[Frame]:
        """Yield one frame per pose photo, in protocol order (timestamp_ms = index)."""
        for index, (pose, path) in enumerate(self.items):
            image = load_image(path)
            yield Frame(image=image, index=index, timestamp_ms=index, source=str(path), pose=pose)


def _bgr_to_rgb(frame: Any) -> NDArray[np.uint8]:
    """Convert an OpenCV frame (BGR, BGRA or gray) to a C-contiguous RGB uint8 array."""
    import cv2

    arr = np.asarray(frame)
    if arr.dtype != np.uint8:
        arr = cv2.convertScaleAbs(arr)
    if arr.ndim == 2:
        rgb = cv2.cvtColor(arr, cv2.COLOR_GRAY2RGB)
    elif arr.shape[2] == 4:
        rgb = cv2.cvtColor(arr, cv2.COLOR_BGRA2RGB)
    else:
        rgb = cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


class VideoSource(_SourceBase):
    """A video file read with OpenCV; timestamps come from the frame index and the file's fps."""

    is_stream = True

    def __init__(
        self,
        path: PathArg,
        max_frames: int | None = None,
        stride: int = 1,
        pose: str | None = None,
        sample_fps: float | None = None,
        max_side: int | None = None,
    ) -> None:
        import cv2

        self.path = Path(path)
        self.name = str(path)
        _check_file(self.path, "a video file")
        if stride < 1:
            raise UsageError(f"the frame stride must be 1 or more, not {stride}")
        if max_frames is not None and max_frames < 1:
            raise UsageError(f"the number of frames must be 1 or more, not {max_frames}")
        if sample_fps is not None and not (math.isfinite(sample_fps) and sample_fps > 0):
            raise UsageError(
                f"the sampling rate must be a positive number of frames a second, not {sample_fps}"
            )
        self.max_frames = max_frames
        self.stride = stride
        self.sample_fps = sample_fps
        self.max_side = max_side
        self.pose = _check_pose(pose)
        self._captures: list[Any] = []
        cap = cv2.VideoCapture(str(self.path))
        try:
            ok = bool(cap.isOpened())
            if ok:
                ok, first = cap.read()
                ok = bool(ok) and first is not None and np.asarray(first).size > 0
            if not ok:
                raise UsageError(
                    f"{self.path} is not a video Tonus can read (MP4, MOV, AVI, MKV or WebM) "
                    "or has no frames: record or export it again"
                )
            fps = float(cap.get(cv2.CAP_PROP_FPS))
            count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        finally:
            cap.release()
        self.fps = fps if math.isfinite(fps) and 0.0 < fps <= _MAX_FPS else DEFAULT_FPS
        self.frame_count: int | None = count if count > 0 else None

    @property
    def is_open(self) -> bool:
        """Whether a capture is currently held (only while frames are being read)."""
        return bool(self._captures)

    def timestamp_ms(self, index: int) -> int:
        """The timestamp of frame `index` in milliseconds, from the fps."""
        return round(index * 1000.0 / self.fps)

    def _wanted(self, index: int) -> bool:
        """Whether frame `index` is taken: every `stride`-th, and at most `sample_fps` a second."""
        if index % self.stride:
            return False
        if self.sample_fps is None or self.sample_fps >= self.fps:
            return True
        # Take the first frame at or after each tick k / sample_fps.
        step = self.fps / self.sample_fps
        return math.floor(index / step + 1e-9) != math.floor((index - 1) / step + 1e-9) or index == 0

    def _shrink(self, raw: Any) -> Any:
        """Scale a decoded frame down so its long side is at most `max_side` (never up)."""
        import cv2

        h, w = raw.shape[:2]
        if self.max_side is None or max(h, w) <= self.max_side:
            return raw
        f = self.max_side / max(h, w)
        return cv2.resize(raw, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)

    def frame_at(self, index: int) -> Frame | None:
        """Return frame `index` (seeking in the file), or None when the file has no such frame."""
        import cv2

        cap = cv2.VideoCapture(str(self.path))
        try:
            cap.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, raw = cap.read()
            if not ok or raw is None:
                return None
            return Frame(
                _bgr_to_rgb(self._shrink(raw)), index, self.timestamp_ms(index), self.name, self.pose
            )
        finally:
            cap.release()

    def frames(self) -> Iterator[Frame]:
        """Yield every `stride`-th frame, at most `sample_fps` a second (up to `max_frames`), as RGB.

        Skipped frames are only grabbed, not converted, so sampling a 30 fps file at 10 a second
        costs a third of the tracker time.
        """
        import cv2

        cap = cv2.VideoCapture(str(self.path))
        self._captures.append(cap)
        try:
            if not cap.isOpened():
                raise UsageError(f"could not open {self.path} again: check it was not moved")
            index = 0
            emitted = 0
            last_ts = -1
            while self.max_frames is None or emitted < self.max_frames:
                if not self._wanted(index):
                    if not cap.grab():
                        break
                    index += 1
                    continue
                ok, raw = cap.read()
                if not ok or raw is None:
                    break
                ts = max(self.timestamp_ms(index), last_ts + 1)
                last_ts = ts
                yield Frame(
                    image=_bgr_to_rgb(self._shrink(raw)),
                    index=index,
                    timestamp_ms=ts,
                    source=self.name,
                    pose=self.pose,
                )
                emitted += 1
                index += 1
        finally:
            cap.release()
            if cap in self._captures:
                self._captures.remove(cap)

    def close(self) -> None:
        """Release any capture still held by an unfinished iteration."""
        while self._captures:
            self._captures.pop().release()


class WebcamSource(_SourceBase):
    """A live camera (OpenCV index); timestamps come from a monotonic clock."""

    is_stream = True

    def __init__(
        self,
        index: int,
        width: int = 640,
        height: int = 480,
        max_frames: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        pose: str | None = None,
    ) -> None:
        self.index = index
        self.name = f"camera {index}"
        if max_frames is not None and max_frames < 1:
            raise UsageError(f"the number of frames must be 1 or more, not {max_frames}")
        self.width = width
        self.height = height
        self.max_frames = max_frames
        self.clock = clock
        self.pose = _check_pose(pose)
        self._cap: Any = None
        self._open()

    def _open(self) -> None:
        """Open the camera at the requested size, or raise UsageError."""
        os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
        import cv2

        cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            cap.release()
            raise UsageError(
                f"could not open camera {self.index}: check it is connected and not used by "
                "another program, or pass a video file or a folder of photos instead"
            )
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(self.width))
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self.height))
        self._cap = cap

    @property
    def is_open(self) -> bool:
        """Whether the camera is currently held."""
        return self._cap is not None

    def frames(self) -> Iterator[Frame]:
        """Yield live frames (up to `max_frames`) until the camera stops; release it at the end."""
        if self._cap is None:
            self._open()
        cap = self._cap
        try:
            start = self.clock()
            emitted = 0
            failures = 0
            last_ts = -1
            while self.max_frames is None or emitted < self.max_frames:
                ok, raw = cap.read()
                if not ok or raw is None:
                    failures += 1
                    if emitted == 0 and failures < _WEBCAM_START_TRIES:
                        time.sleep(0.05)  # some cameras give nothing for their first reads
                        continue
                    if emitted == 0:
                        raise UsageError(
                            f"camera {self.index} opened but gave no picture: check it is not "
                            "covered or used by another program, or pass a video file instead"
                        )
                    break
                failures = 0
                ts = max(round((self.clock() - start) * 1000.0), last_ts + 1)
                last_ts = ts
                yield Frame(
                    image=_bgr_to_rgb(raw),
                    index=emitted,
                    timestamp_ms=ts,
                    source=self.name,
                    pose=self.pose,
                )
                emitted += 1
        finally:
            self.close()

    def close(self) -> None:
        """Release the camera (safe to call twice)."""
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()


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
