"""Expression check: does a frame show the pose it claims? Pure numpy, from blendshapes and geometry.

Rest must be neutral: lips closed and relaxed, no smile, brows relaxed (eyes open is the quality
gate's job). Any other pose is present when the STRONGER side does it (in palsy one side may not
move at all), read from MediaPipe's blendshapes, or from the stronger side's travel against a rest
reference when there is one. Thresholds were set on the shared healthy photos and the protocol
video (see `tonus` issue 8 and the method document) and checked on the shared palsy photos.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from journal.scoring.measures import F, mm_per_unit

REASON: Final = "wrong_expression"

#: At rest every one of these (stronger side) must stay below its limit. Healthy rest photos and
#: the rest hold of the protocol video read at most: smile 0.24, jawOpen 0.02, pucker 0.33 (a patient),
#: stretch 0.09, browInnerUp 0.34, browOuterUp 0.47, browDown 0.39; the poses read far above. The
#: same rest face tracked in a 1280×720 video read smile 0.28–0.32 and stretch 0.35–0.45, so those
#: limits sit at 0.4 and 0.5 (lower teeth still fail: their lips part by 6–23 mm). Low-set
#: brows read as browDown (0.74 on a palsy rest photo), and naturally high outer brows as browOuterUp
#: (a healthy rest photo: 0.47, 0.66 rotated 15°), so those limits sit above that; a snarl, which
#: reads browDown 0.5–0.76, is told from rest by the hold finder and by its travel from rest.
REST_LIMITS: Final[dict[str, float]] = {
    "mouthSmile": 0.4,
    "jawOpen": 0.15,
    "mouthPucker": 0.5,
    "mouthFunnel": 0.3,
    "mouthStretch": 0.5,
    "mouthLowerDown": 0.2,
    "mouthUpperUp": 0.2,
    "browInnerUp": 0.6,
    "browOuterUp": 0.75,
    "browDown": 0.8,
}
#: Inner-lip gap (landmarks 13–14) at rest: healthy rest ≤ 0.3 mm, closed-lip poses ≤ 1.7 mm.
REST_LIP_GAP_MM: Final = 2.5

#: What shows each pose: any blendshape (stronger side) at or above its threshold. The weakest
#: healthy protocol photo of each pose read: brow raise 0.69, eye closure (blink) 0.52 and a wink
#: 0.55, smile 0.51, pucker 0.28, lower teeth 0.29 (frown) and snarl (brow down) 0.62. A one-sided
#: palsy smile can read mouthSmile 0.00 but mouthStretch 0.75–0.89 on the healthy side.
PRESENT: Final[dict[str, dict[str, float]]] = {
    "brow_raise": {"browInnerUp": 0.5, "browOuterUp": 0.5},
    "eyes_gentle": {"eyeBlink": 0.45},
    "eyes_tight": {"eyeBlink": 0.45},
    "smile": {"mouthSmile": 0.3, "mouthStretch": 0.45},
    "smile_teeth": {"mouthSmile": 0.3, "mouthStretch": 0.45},
    "snarl": {"browDown": 0.45, "mouthUpperUp": 0.2, "noseSneer": 0.2, "mouthSmile": 0.3},
    "pucker": {"mouthPucker": 0.25, "mouthFunnel": 0.3},
    "lower_teeth": {"mouthStretch": 0.2, "mouthLowerDown": 0.2, "jawOpen": 0.2, "mouthFrown": 0.2},
    "cheek_puff": {"cheekPuff": 0.2, "mouthPucker": 0.25},
}

#: Or the stronger side's travel from rest, in mm, along (feature, direction); healthy poses travel
#: 3–16 mm along these, and other poses stay under the thresholds.
TRAVEL_MM: Final[dict[str, tuple[tuple[str, float, float], ...]]] = {
    "brow_raise": (("brow", 1.0, 3.0),),
    "eyes_gentle": (("eye", -1.0, 3.0),),
    "eyes_tight": (("eye", -1.0, 3.0),),
    "smile": (("mouth_x", 1.0, 3.0),),
    "smile_teeth": (("mouth_x", 1.0, 3.0),),
    "snarl": (("upper_lip", 1.0, 4.0),),
    "pucker": (("mouth_x", -1.0, 2.5),),
    "cheek_puff": (("cheek_x", 1.0, 2.0),),
}
#: Lower teeth: the lips part (healthy 6–20 mm).
LOWER_TEETH_GAP_MM: Final = 4.0

ADVICE: Final[dict[str, str]] = {
    "rest": "relax your face",
    "brow_raise": "raise your eyebrows higher",
    "eyes_gentle": "close your eyes",
    "eyes_tight": "squeeze your eyes shut",
    "smile": "smile wider",
    "smile_teeth": "smile wider and show your teeth",
    "snarl": "wrinkle your nose and lift your upper lip",
    "pucker": "pucker your lips more, as if to whistle",
    "lower_teeth": 'show your lower teeth more ("eee")',
    "cheek_puff": "puff your cheeks out more",
}
_REST_ADVICE: Final[dict[str, str]] = {
    "mouthSmile": "relax your face: let the smile go",
    "jawOpen": "relax your face and close your lips gently",
    "lip_gap": "relax your face and close your lips gently",
    "mouthPucker": "relax your lips",
    "mouthFunnel": "relax your lips",
    "mouthStretch": "relax your mouth",
    "mouthLowerDown": "relax your face and close your lips gently",
    "mouthUpperUp": "relax your face and close your lips gently",
    "browInnerUp": "relax your eyebrows",
    "browOuterUp": "relax your eyebrows",
    "browDown": "relax your forehead and eyebrows",
}
_IRIS_MM: Final = 11.77


@dataclass(frozen=True, slots=True)
class RestReference:
    """The rest pose's median measures (2×features, head-frame units) and its mm factor."""

    measures: np.ndarray
    mm_per_unit: float

    @classmethod
    def from_units(cls, units: np.ndarray) -> RestReference | None:
        """Build one from rest frames' measures (N×2×features); None when there are none."""
        if units.ndim != 3 or not len(units):
            return None
        try:
            scale = mm_per_unit(units)
        except ValueError:
            return None
        return cls(np.median(units, axis=0), scale)


def strongest(shapes: Mapping[str, float], name: str) -> float:
    """Return a blendshape's score on its stronger side (or the unsided score), 0 when absent."""
    sided = [shapes[name + s] for s in ("Left", "Right") if name + s in shapes]
    return max(sided) if sided else float(shapes.get(name, 0.0))


def lip_gap_mm(points: np.ndarray) -> float:
    """Inner-lip gap (landmarks 13–14) in mm, scaled by the iris (points: 478×3, any one unit)."""
    iris = (np.linalg.norm(points[469] - points[471]) + np.linalg.norm(points[474] - points[476])) / 2
    if not np.isfinite(iris) or iris <= 0:
        return 0.0
    return float(np.linalg.norm(points[13] - points[14]) * _IRIS_MM / iris)


def rest_problem(shapes: Mapping[str, float], gap_mm: float) -> str | None:
    """Return what keeps a frame from being neutral (a blendshape name or "lip_gap"), or None."""
    worst, ratio = None, 1.0
    for name, limit in REST_LIMITS.items():
        r = strongest(shapes, name) / limit
        if r >= ratio:
            worst, ratio = name, r
    if worst is None and gap_mm >= REST_LIP_GAP_MM:
        return "lip_gap"
    return worst


def presence(
    pose: str,
    shapes: Mapping[str, float],
    gap_mm: float,
    measures: np.ndarray | None = None,
    rest: RestReference | None = None,
) -> float:
    """How strongly a frame shows `pose`, ≥ 1 when present (the stronger side's best evidence)."""
    best = max((strongest(shapes, n) / t for n, t in PRESENT.get(pose, {}).items()), default=0.0)
    if pose == "lower_teeth":
        best = max(best, gap_mm / LOWER_TEETH_GAP_MM)
    if measures is not None and rest is not None:
        for feature, direction, mm in TRAVEL_MM.get(pose, ()):
            travel = (measures[:, F[feature]] - rest.measures[:, F[feature]]) * direction * rest.mm_per_unit
            best = max(best, float(travel.max()) / mm)
    return best


def check(
    pose: str,
    shapes: Mapping[str, float],
    gap_mm: float,
    measures: np.ndarray | None = None,
    rest: RestReference | None = None,
) -> str | None:
    """Return `REASON` when the frame does not show `pose`, else None.

    `measures` are the frame's (2×features, head-frame units) and `rest` the rest reference, used
    when both are given; blendshapes alone decide otherwise.
    """
    if pose == "rest":
        return REASON if rest_problem(shapes, gap_mm) is not None else None
    if pose not in PRESENT:
        return None
    return None if presence(pose, shapes, gap_mm, measures, rest) >= 1.0 else REASON


def advice(pose: str, shapes: Mapping[str, float], gap_mm: float) -> str:
    """Words a person can act on when the frame does not show `pose` ("relax your face", …)."""
    if pose == "rest":
        problem = rest_problem(shapes, gap_mm)
        return _REST_ADVICE.get(problem or "", ADVICE["rest"])
    return ADVICE.get(pose, "follow the instruction on screen")
