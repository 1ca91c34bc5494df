"""What goes into and comes out of the journal: frozen dataclasses, never raw database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

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
