"""What goes into and comes out of the journal: frozen dataclasses, never raw database rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from journal.scoring.version import LANDMARKS_METHOD
from journal.text import one_line

if TYPE_CHECKING:  # only for annotations: `tonus log` and `history` never load numpy
    import numpy as np


@dataclass(frozen=True, slots=True)
class Profile:
    """The person: affected side, palsy onset, chosen camera and the frozen mm-per-unit scale."""

    affected_side: str | None = None
    onset: date | None = None
    camera: str | None = None
    mm_per_unit: float | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TestSession:
    """One weekly test as stored: when, how, and the capture conditions."""

    __test__ = False  # not a pytest test class, despite the name

    id: int
    taken_at: datetime
    protocol: str
    scorer_version: str
    source: str
    tiredness: int | None
    note: str | None
    #: How its landmarks were measured (journal.scoring.version.LANDMARKS_*): 'model' before v5.
    landmarks: str = "model"

    @property
    def time_of_day(self) -> str:
        """Return night, morning, afternoon or evening from the hour the test was taken."""
        hour = self.taken_at.hour
        if hour < 5:
            return "night"
        if hour < 12:
            return "morning"
        if hour < 18:
            return "afternoon"
        return "evening" if hour < 23 else "night"


@dataclass(frozen=True, slots=True)
class PoseRecord:
    """One pose of a stored test: frame counts, why frames were rejected, whether a photo exists."""

    pose: str
    frames_seen: int
    frames_used: int
    rejected: dict[str, int]
    has_photo: bool
    #: An imported photo's EXIF conditions (journal v4): when it was taken, its orientation 1–8,
    #: the camera's make and model. None for camera and video tests, and photos without EXIF.
    photo_taken_at: datetime | None = None
    orientation: int | None = None
    camera: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class FrameRecord:
    """One stored frame: landmarks (478×3 float32), blendshapes by name, head angles, image size."""

    pose: str
    index: int
    landmarks: np.ndarray
    blendshapes: dict[str, float]
    yaw: float | None
    pitch: float | None
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Entry:
    """A journal entry: a sensation felt at a time, how strong, where."""

    id: int
    at: datetime
    sensation: str
    intensity: int
    side: str | None
    where: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Event:
    """Something that marks the charts: medication, therapy, a milestone or an appointment."""

    id: int
    at: datetime
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class SensationDay:
    """One sensation on one day: strongest and mean intensity, and how many entries."""

    day: date
    sensation: str
    max_intensity: int
    mean_intensity: float
    count: int


@dataclass(frozen=True, slots=True)
class PoseScores:
    """Scores of one pose: symmetry, movement (None when it could not be scored), region measures."""

    symmetry: float | None
    symmetry_interval: tuple[float, float] | None = None
    movement: float | None = None
    movement_left: float | None = None
    movement_right: float | None = None
    regions: dict[str, tuple[float, float]] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores of one test by one scorer version; `scored_at` is set by the journal when read back."""

    scorer_version: str
    tonus: float | None
    movement: float | None
    synkinesis: float | None
    affected_side: str | None
    affected_side_source: str
    mm_per_unit: float
    side_evidence: float | None = None
    poses: dict[str, PoseScores] = field(default_factory=dict)
    scored_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A test with its latest scores, flattened for charts (scores are None when never scored)."""

    session: TestSession
    scorer_version: str | None
    tonus: float | None
    movement: float | None
    synkinesis: float | None
    affected_side: str | None
    pose_movement: dict[str, float | None]
    pose_symmetry: dict[str, float | None]


@dataclass(frozen=True, slots=True, eq=False)
class NewFrame:
    """A frame to store: `landmarks` 478×3 (MediaPipe normalised x, y, z), blendshapes by name."""

    index: int
    landmarks: np.ndarray
    blendshapes: dict[str, float] = field(default_factory=dict)
    yaw: float | None = None
    pitch: float | None = None
    width: int = 0
    height: int = 0


@dataclass(frozen=True, slots=True, eq=False)
class NewPose:
    """A pose to store: counts, rejections by reason, the frames used and the key photo (JPEG)."""

    pose: str
    frames_seen: int
    frames_used: int
    rejected: dict[str, int] = field(default_factory=dict)
    key_photo_jpeg: bytes | None = None
    frames: list[NewFrame] = field(default_factory=list)
    #: The photo's EXIF conditions, when it is an imported photo that has them (see PoseRecord).
    photo_taken_at: datetime | None = None
    orientation: int | None = None
    camera: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class NewSession:
    """A whole test to store in one transaction: conditions, poses with frames, and its scores."""

    taken_at: datetime
    protocol: str
    scorer_version: str
    source: str
    poses: list[NewPose]
    scores: Scores | None = None
    tiredness: int | None = None
    note: str | None = None
    #: How the landmarks were measured: what the landmarker measures now, unless said otherwise.
    landmarks: str = LANDMARKS_METHOD


#: EXIF orientation in words: how the camera held the picture (Tonus reads every photo upright).
ORIENTATION_WORDS: dict[int, str] = {
    1: "upright",
    2: "mirrored",
    3: "upside down",
    4: "upside down, mirrored",
    5: "turned a quarter, mirrored",
    6: "turned a quarter clockwise",
    7: "turned a quarter, mirrored",
    8: "turned a quarter anticlockwise",
}


@dataclass(frozen=True, slots=True)
class CaptureConditions:
    """What an imported test's photos say of how they were taken (EXIF): when, which way up, which camera."""

    first_taken: datetime | None
    last_taken: datetime | None
    orientations: tuple[int, ...]
    cameras: tuple[str, ...]

    @classmethod
    def from_poses(cls, poses: Sequence[PoseRecord]) -> CaptureConditions | None:
        """The conditions of a test's stored poses, or None when no photo carried any."""
        times = sorted(p.photo_taken_at for p in poses if p.photo_taken_at is not None)
        turns = tuple(sorted({p.orientation for p in poses if p.orientation is not None}))
        cameras = tuple(sorted({p.camera for p in poses if p.camera}))
        if not (times or turns or cameras):
            return None
        return cls(times[0] if times else None, times[-1] if times else None, turns, cameras)

    def describe(self) -> str:
        """One line for a person.

        E.g. "Photos taken 30 Nov 2026 09:12–09:14, with Apple iPhone 13, orientation upright (EXIF 1)."
        """
        parts = []
        first, last = self.first_taken, self.last_taken
        if first is not None and last is not None:
            span = f"{first:%d %b %Y %H:%M}"
            if last.date() != first.date():
                span += f" to {last:%d %b %Y %H:%M}"
            elif f"{last:%H:%M}" != f"{first:%H:%M}":
                span += f"–{last:%H:%M}"
            parts.append(f"taken {span}")
        if self.cameras:
            parts.append("with " + " and ".join(one_line(c) for c in self.cameras))
        if self.orientations:
            turned = ", ".join(f"{ORIENTATION_WORDS.get(o, str(o))} (EXIF {o})" for o in self.orientations)
            parts.append(f"orientation {turned}")
        return "Photos " + ", ".join(parts) + "." if parts else ""

    def as_json(self) -> dict[str, object]:
        """The conditions as `history --json` gives them."""
        return {
            "photos_taken_from": self.first_taken.isoformat(timespec="seconds") if self.first_taken else None,
            "photos_taken_to": self.last_taken.isoformat(timespec="seconds") if self.last_taken else None,
            "orientations": list(self.orientations),
            "cameras": list(self.cameras),
        }
