"""Fakes for the TUI tests: a landmarker on the synthetic face, a photo-folder camera, the model.

Nothing here touches MediaPipe, a webcam or a real photo. The fake camera is a folder of small
PNGs, each filled with one grey level that names its pose (`pose_value`); the fake landmarker
reads that level back and returns the synthetic face (tests/synthetic.py) in that pose. An all-black
picture has no face.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import synthetic as syn
from PIL import Image

from journal.capture.model_file import ModelStatus
from journal.models import FaceObservation
from journal.protocol import POSE_NAMES
from journal.store import NewFrame, NewPose, NewSession, PoseScores, Scores

#: The healthy side moves this far in every expression, the weak side less (mm).
HEALTHY_MM = 8.0
WEAK_MM = 4.0


def pose_value(pose: str) -> int:
    """The grey level (16…160) of the fake camera's photo for `pose`."""
    return 16 + 16 * POSE_NAMES.index(pose)


def pose_of_value(value: int) -> str | None:
    """The pose a grey level stands for, or None for any other level."""
    index, rest = divmod(value - 16, 16)
    if rest or not 0 <= index < len(POSE_NAMES):
        return None
    return POSE_NAMES[index]


def write_camera_folder(folder: Path, poses: Iterable[str], black: Iterable[str] = ()) -> Path:
    """Write one small PNG per pose (`black` poses get an all-black picture, i.e. no face)."""
    folder.mkdir(parents=True, exist_ok=True)
    dark = set(black)
    for pose in poses:
        level = 0 if pose in dark else pose_value(pose)
        Image.fromarray(np.full((48, 64, 3), level, np.uint8)).save(folder / f"{pose}.png")
    return folder


def synthetic_observation(pose: str, weak: str = "right") -> FaceObservation:
    """The synthetic face in `pose`: a slight droop on the `weak` side at rest, weaker movements."""
    points = syn.close_lips(syn.face())
    if pose == "rest":
        edits = [syn.Edit(weak, "commissure", up=-1.5), syn.Edit(weak, "brow", up=-1.0)]  # type: ignore[arg-type]
    else:
        left, right = (HEALTHY_MM, WEAK_MM) if weak == "right" else (WEAK_MM, HEALTHY_MM)
        edits = syn.movement(pose, left, right)
    return syn.observe(syn.apply_edits(points, edits), blendshapes=syn.EXPRESSION_SHAPES.get(pose, {}))


class FakeLandmarker:
    """The `journal.capture.landmarker.Landmarker` protocol on the synthetic face."""

    def __init__(self, factory: FakeLandmarkers, stream: bool) -> None:
        self.factory = factory
        self.stream = stream
        # The synthetic canonical mesh is 468×3 cm, like `load_canonical_mesh`'s: `to_head_frame`
        # indexes it with anchor landmarks only (all below 468), so it needs no iris padding.
        self.canonical = syn.canonical_mesh()
        self.closed = False
        self.calls = 0

    def detect(self, image: np.ndarray, timestamp_ms: int = 0) -> FaceObservation | None:
        """Return the synthetic face in the pose the picture's grey level names; None when black."""
        self.calls += 1
        if self.closed:
            raise RuntimeError("detect() on a closed landmarker")
        if self.factory.blind or not image.any():
            return None
        pose = pose_of_value(int(image[0, 0, 0])) or "rest"
        return synthetic_observation(pose, self.factory.weak)

    def close(self) -> None:
        """Record the release."""
        self.closed = True


@dataclass
class FakeLandmarkers:
    """A `make_landmarker(stream)` factory that remembers every landmarker it made."""

    weak: str = "right"
    blind: bool = False  # when True every landmarker finds no face
    made: list[FakeLandmarker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, stream: bool) -> FakeLandmarker:
        landmarker = FakeLandmarker(self, stream)
        with self._lock:
            self.made.append(landmarker)
        return landmarker

    @property
    def all_closed(self) -> bool:
        """Whether every landmarker made so far was closed."""
        return all(m.closed for m in self.made)


@dataclass
class FakeModel:
    """The face model's status and installer: `install` reports progress, then 'installs'."""

    path: Path
    ok: bool = False
    fail: str | None = None
    steps: tuple[tuple[int, int | None], ...] = ((0, 100), (40, 100), (100, 100))
    installs: int = 0
    progress_seen: list[tuple[int, int | None]] = field(default_factory=list)
    release: threading.Event | None = None  # when set, install waits for it before finishing

    def status(self) -> ModelStatus:
        """The model's status now (nothing is read from disk)."""
        return ModelStatus(self.path, exists=self.ok, size=None, sha256=None, ok=self.ok, source="data dir")

    def install(self, progress: object) -> Path:
        """Report progress, wait for `release` when given, then mark the model installed."""
        assert callable(progress)
        self.installs += 1
        for done, total in self.steps:
            progress(done, total)
            self.progress_seen.append((done, total))
        if self.release is not None:
            self.release.wait(5)
        if self.fail:
            from journal.errors import UsageError

            raise UsageError(self.fail)
        self.ok = True
        return self.path


# ---------------------------------------------------------------------------------------------
# Sessions with fixed numbers (for the screens that only read the journal, and the snapshots)


def fixed_scores(tonus: float, movement: float, shift: float = 0.0) -> Scores:
    """Scores with round numbers for three poses, the right side weaker."""
    poses = {
        "rest": PoseScores(
            symmetry=tonus,
            regions={
                "brow": (21.0, 19.5 + shift),
                "eye": (10.0, 9.0 + shift),
                "midface": (30.0, 28.5 + shift),
                "mouth": (40.0, 37.5 + shift),
            },
        ),
        "brow_raise": PoseScores(
            symmetry=88.0, movement=movement, movement_left=8.0, movement_right=8.0 * movement / 100
        ),
        "smile": PoseScores(
            symmetry=80.0, movement=movement - 10, movement_left=9.0, movement_right=4.5 + shift
        ),
    }
    return Scores(
        scorer_version="tonus-scorer/3",
        tonus=tonus,
        movement=movement,
        synkinesis=1.5,
        affected_side="right",
        affected_side_source="given",
        mm_per_unit=10.0,
        side_evidence=0.8,
        poses=poses,
    )


def fixed_session(taken_at: datetime, tonus: float, movement: float, shift: float = 0.0) -> NewSession:
    """A stored test with two frames per pose, no photos, and fixed scores."""
    obs = {p: synthetic_observation(p) for p in ("rest", "brow_raise", "smile")}
    poses = [
        NewPose(
            pose=p,
            frames_seen=3,
            frames_used=2,
            rejected={"head_turned": 1},
            frames=[
                NewFrame(i, np.asarray(o.landmarks, np.float32), {}, 0.0, 0.0, o.width, o.height)
                for i in range(2)
            ],
        )
        for p, o in obs.items()
    ]
    return NewSession(
        taken_at=taken_at,
        protocol="weekly-v1",
        scorer_version="tonus-scorer/3",
        source="import",
        poses=poses,
        scores=fixed_scores(tonus, movement, shift),
        tiredness=2,
        note="fixed test data",
    )
