"""Scores from millimetre measures: symmetry (tonus), movement, synkinesis and the affected side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from journal.protocol import REGIONS, Region, Side, other_side
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.side import Cue, decide, movement_cue, pose_cues, rest_cues

# Dead band (normal asymmetry) and full scale, mm, and region weights (design note).
DEAD_BAND: Final[dict[Region, float]] = {"brow": 1.0, "eye": 0.5, "midface": 1.0, "mouth": 1.0}
FULL_SCALE: Final[dict[Region, float]] = {"brow": 10.0, "eye": 5.0, "midface": 6.0, "mouth": 8.0}
WEIGHTS: Final[dict[Region, float]] = {"brow": 0.20, "eye": 0.25, "midface": 0.25, "mouth": 0.30}

#: The healthy side must move at least this much (mm) for a movement to be scored.
ACTIVATION_MM: Final = 1.5
#: Per pose, the stronger side must travel at least this much (mm): less is noise, not weakness. Set
#: below every healthy hold measured on the shared protocol photos (pucker 3.6–5.8 mm, snarl 4.3–6.1,
#: smile 4.3–11, brow 5–11, eye closure 3.9–8.5; lower lip 6.4–19) and above the half-hearted ones
#: (a 2.1 mm pucker, a 1.0 mm snarl).
MIN_TRAVEL_MM: Final[dict[str, float]] = {
    "brow_raise": 2.5,
    "eyes_gentle": 2.0,
    "eyes_tight": 2.0,
    "smile": 2.5,
    "smile_teeth": 3.0,
    "snarl": 2.0,
    "pucker": 3.0,
    "lower_teeth": 2.5,
    "cheek_puff": ACTIVATION_MM,
}
#: Healthy people move one side up to ~20 % less than the other (shared healthy photos: ρ 0.67–1.0
#: with a median of 0.93), so ρ ≥ 0.8 scores 100 and lower ratios scale linearly to 0. Eye closure is
#: more symmetric (closure-fraction ratios 0.86–0.99), so its normal ratio is 0.9.
NORMAL_RATIO: Final = 0.8
POSE_NORMAL_RATIO: Final[dict[str, float]] = {"eyes_gentle": 0.9, "eyes_tight": 0.9}
#: Between-session SEM of one pose's movement score (points): from the ratio noise of ±0.3 mm per side
#: at the pose's typical healthy travel, 100/0.8 · √2·0.3/travel, never below 4 points.
POSE_SEM: Final[dict[str, float]] = {
    "brow_raise": 6.0,
    "eyes_gentle": 8.0,
    "eyes_tight": 8.0,
    "smile": 10.0,
    "smile_teeth": 4.0,
    "snarl": 11.0,
    "pucker": 13.0,
    "lower_teeth": 5.0,
    "cheek_puff": 13.0,
}
RHO_MAX: Final = 1.2
#: mm of extra affected-eye narrowing per Sunnybrook synkinesis point (Pavia 2013).
SYNKINESIS_MM_PER_POINT: Final[dict[str, float]] = {"smile": 0.77, "pucker": 1.0, "eyes": 1.0}
#: Extra co-movement below this (mm) is within repeat-photo noise and scores no synkinesis.
SYNKINESIS_NOISE_MM: Final = 0.5

SideSource = Literal["given", "inferred", "unknown"]


def side_value(measures: np.ndarray, side: Side, feature: str) -> float:
    """Return one feature of one side from a 2×features array."""
    return float(measures[SIDE_INDEX[side], F[feature]])


def signed_differences(measures_mm: np.ndarray) -> dict[Region, float]:
    """Return d = left − right (mm) per region for a 2×features array in mm."""
    return {r: side_value(measures_mm, "left", r) - side_value(measures_mm, "right", r) for r in REGIONS}


def region_symmetry(region: Region, d: float) -> float:
    """Score one region's signed difference on 0–100 (100 = within normal asymmetry)."""
    excess = (abs(d) - DEAD_BAND[region]) / FULL_SCALE[region]
    return 100.0 * (1.0 - float(np.clip(excess, 0.0, 1.0)))


def symmetry(measures_mm: np.ndarray) -> float:
    """Return the weighted symmetry score (0–100) of one pose."""
    diffs = signed_differences(measures_mm)
    return sum(WEIGHTS[r] * region_symmetry(r, diffs[r]) for r in REGIONS)


def symmetry_many(measures_mm: np.ndarray) -> np.ndarray:
    """`symmetry` of many poses at once: …×2×features in mm → … scores (one array operation)."""
    left, right = measures_mm[..., SIDE_INDEX["left"], :], measures_mm[..., SIDE_INDEX["right"], :]
    total = np.zeros(measures_mm.shape[:-2])
    for r in REGIONS:
        excess = (np.abs(left[..., F[r]] - right[..., F[r]]) - DEAD_BAND[r]) / FULL_SCALE[r]
        total = total + WEIGHTS[r] * 100.0 * (1.0 - np.clip(excess, 0.0, 1.0))
    return total


def excursion_array(pose: str, pose_mm: np.ndarray, rest_mm: np.ndarray) -> np.ndarray:
    """How far each side moved (mm) from rest in `pose`: …×2×features → …×2 (sides as in SIDES).

    Positive in the pose's direction; works on one frame or on many frames at once.
    """
    p, r = np.asarray(pose_mm, dtype=np.float64), np.asarray(rest_mm, dtype=np.float64)

    def delta(feature: str) -> np.ndarray:
        out: np.ndarray = p[..., F[feature]] - r[..., F[feature]]
        return out

    if pose == "brow_raise":
        e = delta("brow")
    elif pose in ("eyes_gentle", "eyes_tight"):
        e = -delta("eye")
    elif pose in ("smile", "smile_teeth"):
        # Only outward and upward travel counts: a corner dragged medially is not smiling.
        e = np.hypot(np.maximum(delta("mouth_x"), 0.0), np.maximum(delta("mouth"), 0.0))
    elif pose == "snarl":
        e = (delta("midface") + delta("upper_lip")) / 2
    elif pose == "pucker":
        e = -delta("mouth_x")
    elif pose == "lower_teeth":
        e = -delta("lower_lip")
    elif pose == "cheek_puff":
        e = np.hypot(np.maximum(delta("cheek_x"), 0.0), np.maximum(delta("cheek_z"), 0.0))
    else:
        raise ValueError(f"{pose!r} has no movement to measure")
    return e


def excursions(pose: str, pose_mm: np.ndarray, rest_mm: np.ndarray) -> dict[Side, float]:
    """Return how far each side moved (mm) in `pose` from rest, positive in the pose's direction."""
    e = excursion_array(pose, pose_mm, rest_mm)
    return {side: float(e[SIDE_INDEX[side]]) for side in ("left", "right")}


@dataclass(frozen=True, slots=True)
class Movement:
    """Movement of one pose: the score (0–100) and each side's excursion in mm."""

    score: float
    left: float
    right: float


def min_travel(pose: str | None) -> float:
    """The travel (mm) the stronger side needs in `pose` before its movement is scored."""
    return MIN_TRAVEL_MM.get(pose, ACTIVATION_MM) if pose is not None else ACTIVATION_MM


def movement_from_ratio(rho: float, pose: str | None = None) -> float:
    """Map ρ = affected / healthy to 0–100: ρ at or above the pose's normal ratio (normal side-to-side
    variation, `NORMAL_RATIO` unless `POSE_NORMAL_RATIO` says otherwise) scores 100."""
    normal = POSE_NORMAL_RATIO.get(pose, NORMAL_RATIO) if pose is not None else NORMAL_RATIO
    return 100.0 * float(np.clip(rho / normal, 0.0, 1.0))


def movement_sdc(pose: str) -> float:
    """Smallest detectable change (SDC95, points) of one pose's movement score between two tests."""
    return 1.96 * float(np.sqrt(2.0)) * POSE_SEM.get(pose, 4.0)


def movement_score(
    exc: dict[Side, float],
    affected: Side | None,
    basis: dict[Side, float] | None = None,
    pose: str | None = None,
) -> Movement | None:
    """Score ρ = affected / healthy, or None when the healthy side travelled too little to score.

    ρ compares `basis` when given (eye closure as a fraction of each eye's own rest opening, so a
    wider affected eye is not rewarded), else the excursions in mm. Without a known affected side,
    the side that moved less is taken as the affected one. The healthy side must travel
    `min_travel(pose)` mm; the score is `movement_from_ratio(ρ)`.
    """
    ratio_of = basis if basis is not None else exc
    if affected is None:
        affected = "left" if ratio_of["left"] <= ratio_of["right"] else "right"
    healthy = other_side(affected)
    if exc[healthy] < min_travel(pose) or ratio_of[healthy] <= 0:
        return None
    rho = float(np.clip(max(ratio_of[affected], 0.0) / ratio_of[healthy], 0.0, RHO_MAX))
    return Movement(movement_from_ratio(rho, pose), exc["left"], exc["right"])


def closure_fractions(exc: dict[Side, float], rest_mm: np.ndarray) -> dict[Side, float]:
    """Eye closure as a fraction of each eye's rest opening (1 = fully closed)."""
    return {s: exc[s] / max(side_value(rest_mm, s, "eye"), 1e-6) for s in exc}


def infer_affected_side(
    rest_mm: np.ndarray | None,
    excursions_by_pose: dict[str, dict[Side, float]],
    poses_mm: dict[str, np.ndarray] | None = None,
) -> tuple[Side | None, float]:
    """Infer the affected side; return (side or None, evidence in [−1, 1], positive = left).

    Movement cues (each pose's travel against rest, and within-photo cues of each expression in
    `poses_mm`) rank above rest cues; cues that disagree name no side (see `journal.scoring.side`).
    """
    movement: list[Cue] = []
    for pose, exc in excursions_by_pose.items():
        cue = movement_cue(pose, exc, min_travel(pose))
        if cue is not None:
            movement.append(cue)
    for pose, mm in (poses_mm or {}).items():
        movement.extend(pose_cues(pose, mm))
    rest = rest_cues(rest_mm) if rest_mm is not None else []
    return decide([movement, rest])


def synkinesis_points(
    rest_mm: np.ndarray, poses_mm: dict[str, np.ndarray], affected: Side | None
) -> float | None:
    """Sunnybrook-like synkinesis points (0 = none, up to 3 per item) from eye and mouth co-movement.

    Items: extra narrowing of the affected eye during smile or pucker, relative to the healthy eye,
    and extra affected mouth-corner travel during eye closure. Unknown side: the worse direction.
    """
    sides: list[Side] = [affected] if affected else ["left", "right"]
    best: float | None = None
    for aff in sides:
        heal = other_side(aff)
        items: dict[str, float] = {}
        for pose, mm in poses_mm.items():
            if pose in ("smile", "smile_teeth", "pucker"):
                narrow = {s: side_value(rest_mm, s, "eye") - side_value(mm, s, "eye") for s in SIDE_INDEX}
                extra = narrow[aff] - narrow[heal]
                key = "pucker" if pose == "pucker" else "smile"
            elif pose == "eyes_gentle":  # squeezing (eyes_tight) recruits the cheeks in everyone
                exc = excursions("smile", mm, rest_mm)
                extra = exc[aff] - exc[heal]
                key = "eyes"
            else:
                continue
            excess = extra - SYNKINESIS_NOISE_MM
            pts = float(np.clip(excess / SYNKINESIS_MM_PER_POINT[key], 0.0, 3.0))
            items[key] = max(items.get(key, 0.0), pts)
        if items:
            total = sum(items.values())
            best = total if best is None else max(best, total)
    return best
