"""Scores from millimetre measures: symmetry (tonus), movement, synkinesis and the affected side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from journal.protocol import REGIONS, Region, Side, other_side
from journal.scoring.measures import SIDE_INDEX, F

# Dead band (normal asymmetry) and full scale, mm, and region weights (design note).
DEAD_BAND: Final[dict[Region, float]] = {"brow": 1.0, "eye": 0.5, "midface": 1.0, "mouth": 1.0}
FULL_SCALE: Final[dict[Region, float]] = {"brow": 10.0, "eye": 5.0, "midface": 6.0, "mouth": 8.0}
WEIGHTS: Final[dict[Region, float]] = {"brow": 0.20, "eye": 0.25, "midface": 0.25, "mouth": 0.30}

#: The healthy side must move at least this much (mm) for a movement to be scored.
ACTIVATION_MM: Final = 1.5
RHO_MAX: Final = 1.2
#: mm of extra affected-eye narrowing per Sunnybrook synkinesis point (Pavia 2013).
SYNKINESIS_MM_PER_POINT: Final[dict[str, float]] = {"smile": 0.77, "pucker": 1.0, "eyes": 1.0}
#: Extra co-movement below this (mm) is within repeat-photo noise and scores no synkinesis.
SYNKINESIS_NOISE_MM: Final = 0.5
#: |evidence| needed before an affected side is inferred.
INFERENCE_THRESHOLD: Final = 0.25

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


def excursions(pose: str, pose_mm: np.ndarray, rest_mm: np.ndarray) -> dict[Side, float]:
    """Return how far each side moved (mm) in `pose` from rest, positive in the pose's direction."""
    out: dict[Side, float] = {}
    for side in ("left", "right"):
        s = SIDE_INDEX[side]
        p, r = pose_mm[s], rest_mm[s]
        if pose == "brow_raise":
            e = p[F["brow"]] - r[F["brow"]]
        elif pose in ("eyes_gentle", "eyes_tight"):
            e = r[F["eye"]] - p[F["eye"]]
        elif pose in ("smile", "smile_teeth"):
            # Only outward and upward travel counts: a corner dragged medially is not smiling.
            e = np.hypot(max(p[F["mouth_x"]] - r[F["mouth_x"]], 0.0), max(p[F["mouth"]] - r[F["mouth"]], 0.0))
        elif pose == "snarl":
            e = ((p[F["midface"]] - r[F["midface"]]) + (p[F["upper_lip"]] - r[F["upper_lip"]])) / 2
        elif pose == "pucker":
            e = r[F["mouth_x"]] - p[F["mouth_x"]]
        elif pose == "lower_teeth":
            e = r[F["lower_lip"]] - p[F["lower_lip"]]
        elif pose == "cheek_puff":
            e = np.hypot(
                max(p[F["cheek_x"]] - r[F["cheek_x"]], 0.0), max(p[F["cheek_z"]] - r[F["cheek_z"]], 0.0)
            )
        else:
            raise ValueError(f"{pose!r} has no movement to measure")
        out[side] = float(e)
    return out


@dataclass(frozen=True, slots=True)
class Movement:
    """Movement of one pose: the score (0–100) and each side's excursion in mm."""

    score: float
    left: float
    right: float


def movement_score(
    exc: dict[Side, float], affected: Side | None, basis: dict[Side, float] | None = None
) -> Movement | None:
    """Score ρ = affected / healthy, or None when the healthy side moved less than 1.5 mm.

    ρ compares `basis` when given (eye closure as a fraction of each eye's own rest opening, so a
    wider affected eye is not rewarded), else the excursions in mm. Without a known affected side,
    the side that moved less is taken as the affected one.
    """
    ratio_of = basis if basis is not None else exc
    if affected is None:
        affected = "left" if ratio_of["left"] <= ratio_of["right"] else "right"
    healthy = other_side(affected)
    if exc[healthy] < ACTIVATION_MM or ratio_of[healthy] <= 0:
        return None
    rho = float(np.clip(max(ratio_of[affected], 0.0) / ratio_of[healthy], 0.0, RHO_MAX))
    return Movement(100.0 * min(rho, 1.0), exc["left"], exc["right"])


def closure_fractions(exc: dict[Side, float], rest_mm: np.ndarray) -> dict[Side, float]:
    """Eye closure as a fraction of each eye's rest opening (1 = fully closed)."""
    return {s: exc[s] / max(side_value(rest_mm, s, "eye"), 1e-6) for s in exc}


def _cue(d: float, region: Region) -> float:
    """Map a signed difference to [−1, 1], zero inside the dead band."""
    return float(np.sign(d) * np.clip((abs(d) - DEAD_BAND[region]) / FULL_SCALE[region], 0, 1))


def infer_affected_side(
    rest_mm: np.ndarray | None, excursions_by_pose: dict[str, dict[Side, float]]
) -> tuple[Side | None, float]:
    """Infer the affected side from weak cues; return (side or None, evidence in [−1, 1]).

    Positive evidence means the left side looks affected: at rest a lower mouth corner and a wider
    eye; in movements the side that travels less.
    """
    cues: list[float] = []
    if rest_mm is not None:
        d = signed_differences(rest_mm)
        # Each rest cue is zero inside its dead band, so they add rather than dilute each other.
        cues.append(float(np.clip(_cue(-d["mouth"], "mouth") + _cue(d["eye"], "eye"), -1, 1)))
    moves = []
    for exc in excursions_by_pose.values():
        top = max(exc["left"], exc["right"])
        if top >= ACTIVATION_MM:
            moves.append((exc["right"] - exc["left"]) / top)
    if moves:
        cues.append(float(np.clip(np.mean(moves), -1, 1)))
    if not cues:
        return None, 0.0
    evidence = float(np.mean(cues))
    if abs(evidence) < INFERENCE_THRESHOLD:
        return None, evidence
    return ("left" if evidence > 0 else "right"), evidence


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
