"""The guided weekly test, without any UI: a camera, the pose sequence, bursts, per-pose results."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from journal.capture.landmarker import Landmarker
from journal.capture.sources import FolderSource, Frame, open_source
from journal.errors import UsageError
from journal.models import FaceObservation
from journal.protocol import POSE_NAMES, POSES_BY_NAME, Side
from journal.scoring import quality
from journal.scoring.expression import RestReference
from journal.scoring.scores import Movement
from journal.services.analysis import (
    Analysis,
    LandmarkerFactory,
    PoseCapture,
    add_frame,
    frame_check,
    score_captures,
)
from journal.services.importer import new_session
from journal.store.rows import NewSession

#: Usable frames kept per pose, and frames tried before giving up on a pose.
BURST_FRAMES = 12
MAX_TRIES = 90


class Camera:
    """Frames on demand from a webcam, a video (looped, paced to its frame rate) or a photo folder.

    A folder is for people without a webcam: each pose's frame is the photo named after it.
    """

    def __init__(self, spec: str, *, paced: bool = True, sleep: Callable[[float], None] = time.sleep) -> None:
        self.spec = spec
        self._paced = paced
        self._sleep = sleep
        self._folder: dict[str, Frame] | None = None
        self._stream: Iterator[Frame] | None = None
        self._source = open_source(spec, warn=lambda _msg: None)
        self.is_stream = self._source.is_stream
        self._offset_ms = 0
        self._last_ts = -1
        self._started: float | None = None
        self._position_ms: int | None = None
        if isinstance(self._source, FolderSource):
            self._folder = {f.pose: f for f in self._source.frames() if f.pose}
            self._source.close()

    @property
    def name(self) -> str:
        """The source's name for messages ("camera 0", a file path)."""
        return self._source.name

    @property
    def kind(self) -> str:
        """What this camera is, as stored with a test: "camera" (a webcam), "video" or "photos"."""
        if self.spec.isascii() and self.spec.isdigit():
            return "camera"
        return "video" if self.is_stream and self._folder is None else "photos"

    @property
    def position_s(self) -> float | None:
        """Where the last frame sits in a video file (seconds from its start), None for a webcam or photos.

        Shown under the preview, so a person testing with a recording knows which pose it is showing.
        """
        return None if self._position_ms is None else self._position_ms / 1000.0

    def has_pose(self, pose: str) -> bool:
        """Whether this camera can show `pose` (a folder may lack some photos)."""
        return self._folder is None or pose in self._folder

    def read(self, pose: str) -> Frame | None:
        """Return the next frame for `pose`, or None when a folder has no photo for it."""
        if self._folder is not None:
            return self._folder.get(pose)
        if self._stream is None:
            self._stream = self._source.frames()
        frame = next(self._stream, None)
        if frame is None:  # a video ended: play it again with later timestamps
            self._offset_ms = self._last_ts + 1
            self._source.close()
            self._source = open_source(self.spec, warn=lambda _msg: None)
            self._stream = self._source.frames()
            frame = next(self._stream, None)
            if frame is None:
                raise UsageError(f"{self.spec} gave no frames: use another video or camera")
        ts = frame.timestamp_ms + self._offset_ms
        self._last_ts = ts
        self._position_ms = None if self.spec.isdigit() else frame.timestamp_ms
        if self._paced and not self.spec.isdigit():
            now = time.monotonic()
            if self._started is None:
                self._started = now - ts / 1000.0
            wait = self._started + ts / 1000.0 - now
            if wait > 0:
                self._sleep(wait)
        return Frame(frame.image, frame.index, ts, frame.source, pose)

    def close(self) -> None:
        """Release the camera or file."""
        self._source.close()


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one analysed frame means for the person in front of the camera."""

    observation: FaceObservation | None
    reason: str | None
    advice: str


@dataclass(frozen=True, slots=True)
class PoseResult:
    """The outcome of one pose's burst."""

    pose: str
    frames_seen: int
    frames_used: int
    rejected: dict[str, int]
    symmetry: float | None
    movement: Movement | None
    note: str | None

    @property
    def ok(self) -> bool:
        """Whether the burst gave usable frames."""
        return self.frames_used > 0


@dataclass
class WeeklyTest:
    """The protocol run pose by pose: previews, bursts, retakes, then one session to save."""

    make_landmarker: LandmarkerFactory
    stream: bool = True
    poses: tuple[str, ...] = POSE_NAMES
    affected: Side | None = None
    burst: int = BURST_FRAMES
    max_tries: int = MAX_TRIES
    captures: dict[str, PoseCapture] = field(default_factory=dict)
    results: dict[str, PoseResult] = field(default_factory=dict)
    source: str = "camera"  # where the poses came from, stored with the test (`Camera.kind`)
    _landmarker: Landmarker | None = None

    @property
    def landmarker(self) -> Landmarker:
        """The landmarker, created on first use (this is where MediaPipe loads)."""
        if self._landmarker is None:
            self._landmarker = self.make_landmarker(self.stream)
        return self._landmarker

    def instruction(self, pose: str) -> str:
        """The instruction shown for `pose`."""
        return POSES_BY_NAME[pose].instruction

    def next_pose(self) -> str | None:
        """The first pose without a usable result, or None when all are done."""
        return next((p for p in self.poses if not (p in self.results and self.results[p].ok)), None)

    def look(self, frame: Frame, pose: str) -> Verdict:
        """Analyse a preview frame: is the face measurable for this pose, and what should change?"""
        obs = self.landmarker.detect(frame.image, frame.timestamp_ms)
        capture = self.captures.get(pose)
        reason, _ = frame_check(obs, pose, self.landmarker.canonical, capture.rest if capture else None)
        return Verdict(obs, reason, quality.advice(obs, reason, pose))

    def start(self, pose: str) -> None:
        """Begin (or restart) the burst for `pose`, forgetting an earlier take."""
        rest = self.captures.get("rest")
        reference = (
            RestReference.from_units(rest.units()) if pose != "rest" and rest and rest.measures else None
        )
        self.captures[pose] = PoseCapture(pose, rest=reference)
        self.results.pop(pose, None)

    def feed(self, frame: Frame, pose: str, verdict: Verdict) -> PoseResult | None:
        """Add one analysed frame to the running burst; return the result when the burst ends.

        A photo is taken as it is: one frame, used or not (the same still again would add nothing).
        """
        capture = self.captures[pose]
        add_frame(capture, frame.image, verdict.observation, self.landmarker.canonical)
        burst, tries = (self.burst, self.max_tries) if self.stream else (1, 1)
        if len(capture.measures) >= burst or capture.frames >= tries:
            return self.finish(pose)
        return None

    def forget(self, pose: str) -> None:
        """Leave `pose` out of this test (it was skipped): drop its take and its result."""
        self.results.pop(pose, None)
        self.captures.pop(pose, None)

    def finish(self, pose: str) -> PoseResult:
        """Close the burst for `pose` and score it (movement against rest when rest is taken)."""
        capture = self.captures[pose]
        pair = [capture]
        if pose != "rest" and "rest" in self.captures and self.captures["rest"].measures:
            pair.insert(0, self.captures["rest"])
        scores = score_captures(pair, None, self.affected) if capture.measures else None
        ps = scores.poses.get(pose) if scores else None
        result = PoseResult(
            pose=pose,
            frames_seen=capture.frames,
            frames_used=len(capture.measures),
            rejected=dict(capture.rejected),
            symmetry=ps.aggregate.symmetry if ps else None,
            movement=ps.movement if ps else None,
            note=ps.note if ps else self._failure(capture.rejected, self.stream),
        )
        self.results[pose] = result
        return result

    @staticmethod
    def _failure(rejected: Counter[str], stream: bool) -> str:
        reason = rejected.most_common(1)[0][0] if rejected else "no_face"
        what = "No usable frame" if stream else "The photo cannot be used"
        again = "Press r to retake." if stream else "Press r to try again or s to skip it."
        return f"{what}: {quality.REASONS.get(reason, reason)}. {again}"

    def has_rest(self) -> bool:
        """Whether the rest pose was taken (without it, tonus and movement cannot be scored)."""
        return "rest" in self.results and self.results["rest"].ok

    def analysis(self) -> Analysis:
        """Score every pose whose take finished well together, as `tonus analyze` would."""
        done = {p for p, r in self.results.items() if r.ok}
        captures = {p: c for p, c in self.captures.items() if c.measures and p in done}
        return Analysis(captures, score_captures(captures.values(), None, self.affected))

    def session(
        self, taken_at: datetime, tiredness: int | None, note: str | None, source: str | None = None
    ) -> NewSession:
        """The whole test as one session to store in one transaction.

        `source` is camera, video or photos; by default the kind of camera the test ran on (`self.source`).
        """
        return new_session(self.analysis(), taken_at, source or self.source, tiredness, note)

    def close(self) -> None:
        """Release the landmarker."""
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None


def camera_problem(spec: str) -> str | None:
    """Return a sentence saying why `spec` cannot be used as a camera, or None when it can."""
    try:
        cam = Camera(spec, paced=False)
    except UsageError as exc:
        return str(exc)
    cam.close()
    return None


def describe_source(spec: str | None) -> str:
    """Name a camera setting for people: "webcam 0", "video clip.mp4", "photos in week3/"."""
    if spec is None or spec.isdigit():
        return f"webcam {spec or 0}"
    path = Path(spec)
    return f"photos in {path.name}/" if path.is_dir() else f"video {path.name}"


def preview_image(image: np.ndarray, width: int = 320) -> np.ndarray:
    """Downscale a frame for the preview (nearest neighbour: cheap, and only for display)."""
    h, w = image.shape[:2]
    if w <= width:
        return image
    step = w / width
    rows = (np.arange(int(h / step)) * step).astype(int)
    cols = (np.arange(width) * step).astype(int)
    return np.ascontiguousarray(image[rows][:, cols])
