"""Which side is affected, from cues in single photos, in movement against rest, and at rest.

A *cue* is a signed number in units of its own threshold: +1 means "the left side looks affected" at
exactly the threshold, and a cue *fires* only at |cue| ≥ 1. Thresholds sit above everything measured on
the shared healthy photos, so a healthy face names no side. Cues come in two ranks:

- **movement** (ranked first): in each pose, the side that travels less against rest; and, within one
  photo of an expression (no rest needed), the corner that sits lower in smile, smile_teeth and pucker,
  the corner left further out in pucker, the lower lip left higher in lower_teeth, the eye that stays
  more open in eye closure, and the lower brow in brow_raise;
- **rest**: a lower mouth corner, a lower half of the lower lip next to it, a lower brow. A wider eye at
  rest is never a cue (a brow droop narrows the eye, and so does synkinesis).

At rest the face's own tilt limits what one photo can tell. Healthy rest photos (protocol, Yale, the
stills that pass the rest check, the protocol video's rest hold) read corner differences up to 2.04 mm
and lower-lip differences up to 0.67 mm (0.74 rotated ±15° or rescaled), both Yale s03/s10, whose left
corners sit lower. A smooth 3 mm corner droop moves the lower lip's lateral half 0.8 mm (median) and
the corner 1.9–2.5 mm on a level mouth (the model follows 0.60–0.85 of the shift), more when it adds to
the face's tilt, as little as 0.2 mm against it: such a droop names no side, whatever the cue (a droop
reads in the model as a tilt of the whole mouth, the shape a healthy tilted mouth has; see
bench/measurement_side.py). The lower lip fires on some droops the corner misses (12 of 20 warps named
with both, 10 with the corner alone) and agreed with the corner on all 14 shared palsy photos.

The side is named when the fired cues of the first rank that has any all agree; cues that disagree give
no side (never a guess). Pure numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from journal.protocol import Side
from journal.scoring.measures import SIDE_INDEX, F

#: Rest cues: feature → threshold (mm) of (right − left), positive when the LEFT side sits lower. Each
#: sits ≥ 8 % above the largest value on the shared healthy rest photos (see the module docstring).
REST_CUES: Final[dict[str, float]] = {"mouth": 2.2, "lower_lip": 0.8, "brow": 3.0}

#: Within-pose cues: pose → [(feature, sign, threshold mm)]. sign · (left − right) ≥ threshold means
#: the left side looks affected.
POSE_CUES: Final[dict[str, tuple[tuple[str, float, float], ...]]] = {
    "smile": (("mouth", -1.0, 2.0),),
    "smile_teeth": (("mouth", -1.0, 2.0),),
    "pucker": (("mouth", -1.0, 2.0), ("mouth_x", 1.0, 3.0)),
    "lower_teeth": (("lower_lip", 1.0, 2.0),),
    "eyes_gentle": (("eye", 1.0, 1.5),),
    "eyes_tight": (("eye", 1.0, 1.5),),
    # Brows refined from the image (tonus-scorer/5): healthy brow raises differ by up to 3.80 mm (Yale
    # s03 surprised; next 1.59 mm), so 5.0 mm. The rest brow cue (3.0) stays: healthy rests ≤ 1.81 mm.
    "brow_raise": (("brow", -1.0, 5.0),),
}

#: A movement cue fires when the weaker side moved less than this fraction of the stronger side.
MOVEMENT_RATIO: Final = 0.5


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence: where it came from and its value in threshold units (+ = left affected)."""

    source: str
    value: float

    @property
    def fires(self) -> bool:
        """Whether the cue is strong enough to name a side on its own rank."""
        return abs(self.value) >= 1.0


def _diff(mm: np.ndarray, feature: str) -> float:
    return float(mm[SIDE_INDEX["left"], F[feature]] - mm[SIDE_INDEX["right"], F[feature]])


def rest_cues(rest_mm: np.ndarray) -> list[Cue]:
    """Cues at rest: a lower mouth corner, a lower brow (never the eye alone)."""
    return [Cue(f"rest:{f}", -_diff(rest_mm, f) / t) for f, t in REST_CUES.items()]


def pose_cues(pose: str, pose_mm: np.ndarray) -> list[Cue]:
    """Within-photo cues of one expression (no rest photo needed)."""
    return [Cue(f"{pose}:{f}", sign * _diff(pose_mm, f) / t) for f, sign, t in POSE_CUES.get(pose, ())]


def movement_cue(pose: str, exc: Mapping[Side, float], travel_mm: float) -> Cue | None:
    """The side that travelled less against rest, once the stronger side moved at least `travel_mm`."""
    top = max(exc["left"], exc["right"])
    if top < travel_mm or top <= 0:
        return None
    # 0 when both moved alike, 1 at MOVEMENT_RATIO, larger when one side barely moved.
    weak = (exc["right"] - exc["left"]) / top
    return Cue(f"{pose}:movement", weak / (1.0 - MOVEMENT_RATIO))


def decide(ranks: list[list[Cue]]) -> tuple[Side | None, float]:
    """Name a side from cue ranks (first rank first); return (side or None, evidence in [−1, 1]).

    The first rank with a fired cue decides: agreement names that side, disagreement names none.
    Evidence is the mean of tanh(cue/2) over that rank's fired cues, so it grows with the asymmetry;
    with no fired cue it is the mean over the first non-empty rank (below the thresholds).
    """
    for cues in ranks:
        fired = [c for c in cues if c.fires]
        if not fired:
            continue
        evidence = _evidence(fired)
        if len({c.value > 0 for c in fired}) > 1:
            return None, evidence
        return ("left" if evidence > 0 else "right"), evidence
    for cues in ranks:
        if cues:
            return None, _evidence(cues)
    return None, 0.0


def _evidence(cues: list[Cue]) -> float:
    # Rounded so that a perfectly symmetric face gives exactly 0, not floating-point dust.
    return round(float(np.mean([np.tanh(c.value / 2) for c in cues])), 9)
