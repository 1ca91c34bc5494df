"""Moving pictures as frame sources: a video file (sampled at a steady rate) or a webcam."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from journal.capture.frames import (
    _MAX_FPS,
    _WEBCAM_START_TRIES,
    DEFAULT_FPS,
    Frame,
    PathArg,
    _check_file,
    _check_pose,
    _SourceBase,
)
from journal.errors import UsageError


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
