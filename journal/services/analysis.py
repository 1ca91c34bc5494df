"""Turn photos, folders and videos into scored poses: sources → landmarker → gates → scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from journal.capture.landmarker import Landmarker
from journal.capture.sources import FrameSource, VideoSource, is_video_path, open_source
from journal.errors import UsageError
from journal.models import FaceObservation
from journal.protocol import POSE_NAMES, Side, is_pose_name
from journal.scoring import quality
from journal.scoring.expression import RestReference
from journal.scoring.headframe import anchors_for_pose, to_head_frame, to_head_frame_many
from journal.scoring.holds import FoundHold, StreamFrame, assign_holds
from journal.scoring.measures import measure
from journal.scoring.session import SessionScores, score_session

#: Builds a landmarker for stills (stream=False) or for one video stream (stream=True).
LandmarkerFactory = Callable[[bool], Landmarker]
Warn = Callable[[str], None]

_POSES = ", ".join(POSE_NAMES)
#: Videos are tracked at this many frames a second: 20 frames in a 4-second hold, holds found to
#: 0.2 s, and a one-minute 30 fps phone video costs 300 tracker runs (each one on the frame and on
#: its mirror image, ~33 ms of CPU here), not 1,800.
DEFAULT_SAMPLE_FPS = 5.0
#: Video frames are scaled down to this long side first: the tracker crops the face to 256 px
#: anyway, and a big frame costs more to copy, flip and convert than to track (measured here on the
#: frame and its mirror: 45–49 ms of CPU at 1280×720, 33–34 ms at 960×540).
VIDEO_MAX_SIDE = 960


@dataclass
class PoseCapture:
    """Every frame seen for one pose: measures of the usable ones, and rejection counts."""

    pose: str
    sources: list[str] = field(default_factory=list)
    frames: int = 0
    measures: list[np.ndarray] = field(default_factory=list)
    observations: list[FaceObservation] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)
    key_image: np.ndarray | None = None
    #: The rest pose's reference, so the expression check can use the stronger side's travel.
    rest: RestReference | None = None

    def units(self) -> np.ndarray:
        """Return the usable frames' measures as an N×2×features array (head-frame units)."""
        if not self.measures:
            return np.empty((0, 2, 0))
        return np.stack(self.measures)


@dataclass
class Analysis:
    """The captures, their scores, and inputs where no usable face was found."""

    captures: dict[str, PoseCapture]
    scores: SessionScores | None
    failures: list[str] = field(default_factory=list)
    #: Where each pose was found in a video ("smile 16.2–19.8 s").
    holds: list[FoundHold] = field(default_factory=list)


def add_frame(
    capture: PoseCapture, image: np.ndarray | None, obs: FaceObservation | None, canonical: np.ndarray
) -> str | None:
    """Gate one analysed frame and, when usable, add its measures; return the rejection reason.

    `image` (the frame's pixels) becomes the pose's key photo when it is the first usable frame.
    """
    capture.frames += 1
    reason, measures = frame_check(obs, capture.pose, canonical, capture.rest)
    if reason is not None or obs is None or measures is None:
        capture.rejected[reason or "no_face"] += 1
        return reason
    capture.measures.append(measures)
    capture.observations.append(obs)
    if capture.key_image is None and image is not None:
        capture.key_image = image
    return None


def frame_check(
    obs: FaceObservation | None, pose: str, canonical: np.ndarray, rest: RestReference | None = None
) -> tuple[str | None, np.ndarray | None]:
    """Gate one frame for `pose`: (the rejection reason or None, its measures when it has a face)."""
    if obs is None:
        return "no_face", None
    aligned = to_head_frame(obs.points_3d(), canonical, anchors_for_pose(pose))
    measures = measure(aligned)
    return quality.check(obs, pose, measures, rest), measures


def add_observations(
    capture: PoseCapture, observations: Sequence[FaceObservation], canonical: np.ndarray
) -> None:
    """`add_frame` for many stored frames of one pose (no pixels), fitted and measured as one array."""
    if not observations:
        return
    points = np.stack([obs.points_3d() for obs in observations])
    measures = measure(to_head_frame_many(points, canonical, anchors_for_pose(capture.pose)))
    for obs, frame_measures in zip(observations, measures, strict=True):
        capture.frames += 1
        reason = quality.check(obs, capture.pose, frame_measures, capture.rest)
        if reason is not None:
            capture.rejected[reason] += 1
            continue
        capture.measures.append(frame_measures)
        capture.observations.append(obs)


def _pose_for(path: Path, pose: str | None) -> str | None:
    """Return the pose for a single photo or video input, or raise a usage error."""
    if pose is not None or is_video_path(path):
        return pose  # a video without --pose is a whole protocol: its poses are found in it
    stem = path.stem.lower()
    if is_pose_name(stem):
        return stem
    raise UsageError(
        f"cannot tell which pose {path} shows: name the file after a pose (rest.jpg, smile.jpg, …) "
        "or pass --pose"
    )


def rest_photo(path: Path) -> Path:
    """Return the rest photo for `--rest`: the file itself, or the `rest.<ext>` inside a folder."""
    if not path.is_dir():
        return path
    found = sorted(p for p in path.iterdir() if p.stem.lower() == "rest" and p.is_file())
    if not found:
        raise UsageError(f"{path} holds no rest photo: give --rest a photo, or a folder with rest.jpg")
    return found[0]


def _no_face_message(name: str, rejected: Counter[str]) -> str:
    reason = rejected.most_common(1)[0][0] if rejected else "no_face"
    what, _, advice = quality.REASONS.get(reason, reason).partition(": ")
    return (
        f"no usable face in {name} ({what}); to try again: {advice or 'take the photo again'}"  # advice once
    )


class Analyzer:
    """Runs inputs through a landmarker and collects per-pose captures."""

    def __init__(
        self,
        make_landmarker: LandmarkerFactory,
        warn: Warn | None = None,
        rest: RestReference | None = None,
        sample_fps: float | None = DEFAULT_SAMPLE_FPS,
    ) -> None:
        self._make = make_landmarker
        self._still: Landmarker | None = None
        self._warn = warn
        self._rest = rest
        self.sample_fps = sample_fps
        self.captures: dict[str, PoseCapture] = {}
        self.failures: list[str] = []
        self.holds: list[FoundHold] = []

    def capture(self, pose: str) -> PoseCapture:
        """The capture for `pose`, created with the rest reference known so far."""
        if pose not in self.captures:
            rest = self._rest
            if pose != "rest" and "rest" in self.captures and self.captures["rest"].measures:
                rest = RestReference.from_units(self.captures["rest"].units())
            self.captures[pose] = PoseCapture(pose, rest=None if pose == "rest" else rest)
        return self.captures[pose]

    def _landmarker(self, stream: bool) -> Landmarker:
        if stream:
            return self._make(True)
        if self._still is None:
            self._still = self._make(False)
        return self._still

    def run_source(self, source: FrameSource, pose: str | None) -> None:
        """Analyse every frame of one source (a photo, a folder or a video)."""
        if source.is_stream:
            self._run_stream(source, pose)
            return
        landmarker = self._landmarker(source.is_stream)
        per_file: dict[str, tuple[str, int]] = {}
        try:
            for frame in source.frames():
                frame_pose = frame.pose or pose
                if frame_pose is None:  # pragma: no cover - _pose_for guarantees one
                    raise UsageError(f"no pose for {frame.source}: pass --pose")
                capture = self.capture(frame_pose)
                if frame.source not in capture.sources:
                    capture.sources.append(frame.source)
                    if len(capture.sources) == 2 and self._warn is not None:
                        self._warn(
                            f"{frame_pose}: pooling frames from {capture.sources[0]} and "
                            f"{frame.source}; give one person's photos per call"
                        )
                obs = landmarker.detect(frame.image, frame.timestamp_ms)
                reason = add_frame(capture, frame.image, obs, landmarker.canonical)
                seen, used = per_file.get(frame.source, (frame_pose, 0))
                per_file[frame.source] = (seen, used + (reason is None))
        finally:
            if source.is_stream:
                landmarker.close()
        for name, (frame_pose, used) in per_file.items():
            if used == 0:
                self.failures.append(_no_face_message(name, self.captures[frame_pose].rejected))

    def _run_stream(self, source: FrameSource, pose: str | None) -> None:
        """Track a video, find the hold of `pose` (or of every protocol pose) and gate its frames."""
        landmarker = self._landmarker(True)
        seen: list[StreamFrame] = []
        try:
            for frame in source.frames():
                seen.append(
                    StreamFrame(
                        frame.index, frame.timestamp_ms, landmarker.detect(frame.image, frame.timestamp_ms)
                    )
                )
        finally:
            landmarker.close()
        poses = (pose,) if pose is not None else POSE_NAMES
        found, inside = assign_holds(seen, poses, source.name)
        self.holds.extend(found)
        used_any = False
        for hold in found:
            capture = self.capture(hold.pose)
            capture.sources.append(source.name)
            for item in inside[hold.pose]:
                if add_frame(capture, None, item.observation, landmarker.canonical) is None:
                    used_any = True
                    if capture.key_image is None and isinstance(source, VideoSource):
                        key = source.frame_at(item.index)
                        capture.key_image = None if key is None else key.image
        if pose is not None:  # frames outside the hold show another expression, or no face
            capture = self.capture(pose)
            if source.name not in capture.sources:
                capture.sources.append(source.name)
            held = {id(item) for items in inside.values() for item in items}
            for item in seen:
                if id(item) not in held:
                    capture.frames += 1
                    capture.rejected["wrong_expression" if item.observation else "no_face"] += 1
        if not used_any:
            rejected = self.captures[pose].rejected if pose in self.captures else Counter({"no_face": 1})
            if pose is None and any(item.observation for item in seen):
                rejected = Counter({"wrong_expression": 1})
            self.failures.append(_no_face_message(source.name, rejected))

    def run_path(self, spec: str | Path, pose: str | None) -> None:
        """Open and analyse one PATH argument of `tonus analyze`."""
        path = Path(spec)
        if path.is_dir():
            if pose is not None:
                raise UsageError(
                    f"--pose cannot be used with the folder {path}: its file names name the poses"
                )
        elif path.exists():
            pose = _pose_for(path, pose)
        with open_source(
            spec,
            pose=pose if not path.is_dir() else None,
            sample_fps=self.sample_fps,
            max_side=VIDEO_MAX_SIDE,
            **self._warn_kw(),
        ) as source:
            self.run_source(source, pose)

    def _warn_kw(self) -> dict[str, Warn]:
        return {"warn": self._warn} if self._warn is not None else {}

    def close(self) -> None:
        """Release the stills landmarker."""
        if self._still is not None:
            self._still.close()
            self._still = None


def analyze_paths(
    paths: Sequence[str | Path],
    make_landmarker: LandmarkerFactory,
    *,
    pose: str | None = None,
    rest: str | Path | None = None,
    affected: Side | None = None,
    warn: Warn | None = None,
    scale: float | None = None,
    sample_fps: float | None = DEFAULT_SAMPLE_FPS,
) -> Analysis:
    """Analyse `tonus analyze` inputs and score them; inputs without a usable face are listed.

    Videos are read at most `sample_fps` frames a second; a video without `pose` is a whole
    protocol, whose poses are found in it (`Analysis.holds`).
    """
    if pose is not None and not is_pose_name(pose):
        raise UsageError(f"unknown pose {pose!r}: use one of {_POSES}")
    rest_units = None
    failures: list[str] = []
    if rest is not None:  # first, so the expression check can measure travel from it
        rest_analyzer = Analyzer(make_landmarker, warn, sample_fps=sample_fps)
        try:
            rest_analyzer.run_path(rest_photo(Path(rest)), "rest")
        finally:
            rest_analyzer.close()
        failures.extend(rest_analyzer.failures)
        rest_units = rest_analyzer.captures["rest"].units() if rest_analyzer.captures else None
        if rest_units is not None and not len(rest_units):
            rest_units = None
    reference = RestReference.from_units(rest_units) if rest_units is not None else None
    analyzer = Analyzer(make_landmarker, warn, rest=reference, sample_fps=sample_fps)
    try:
        for spec in paths:
            analyzer.run_path(spec, pose)
    finally:
        analyzer.close()
    scores = score_captures(analyzer.captures.values(), rest_units, affected, scale)
    return Analysis(analyzer.captures, scores, analyzer.failures + failures, analyzer.holds)


def score_captures(
    captures: Iterable[PoseCapture],
    rest_units: np.ndarray | None,
    affected: Side | None,
    scale: float | None = None,
) -> SessionScores | None:
    """Score the captures that have usable frames (None when none has); `scale` is a frozen mm factor."""
    usable = {c.pose: c.units() for c in captures if c.measures}
    if not usable:
        return None
    return score_session(usable, rest_units=rest_units, affected=affected, scale=scale)
