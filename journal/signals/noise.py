"""A person's measurement noise: the SEM of one score, from repeat frames, early tests and a default.

**Noise.** The standard error of one test's score (SEM) comes from the person's own data where possible:

- *repeat frames*: each test's rest pose has a 95 % bootstrap interval over its frames, so
  SEM_frames ≈ (hi − lo)/(2·1.96) (the median over tests). Frames only see landmark jitter within one
  hold, so this is a lower bound on the week-to-week noise;
- *early tests*: the scatter (SD) of the first `SCATTER_TESTS` tests around their mean, before any trend,
  which sees everything (repeating the expression, light, pose). With 3–4 tests that SD is itself very
  uncertain, so it is pooled with the typical `DEFAULT_SEM` as if the default were `PRIOR_DF` further
  degrees of freedom (a three-test SD that happens to be tiny must not make noise look like recovery);
  the default is replaced by SEM_frames when that is larger, and the result is never below SEM_frames;
- with fewer than 3 early tests it is the default (or SEM_frames if larger).
`NoiseEstimate.sources` says what was used.

SDC95 = 1.96·√2·SEM (design note "Many frames, then weeks").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

#: Early tests whose scatter estimates the week-to-week noise.
SCATTER_TESTS: Final = 4
#: Weight of the typical SEM when pooled with the early tests' SD, in degrees of freedom.
PRIOR_DF: Final = 2.0
Z95: Final = 1.96

#: Typical SEM (points) when a person has no data of their own. From repeat photos here: tonus moved
#: ≤ 0.9 points on healthy faces and up to ~5 on palsy faces under small pose and light changes;
#: movement scores of one person on two days differed by ~5–8.
DEFAULT_SEM: Final[dict[str, float]] = {"tonus": 1.5, "movement": 4.0}

#: Typical between-test SEM (mm) of one region's oriented resting asymmetry, for a person without data
#: of their own: one healthy person's rest differences moved 0.02 (mouth), 0.08 (nose base), 0.24
#: (brow) and 0.33 mm (eye) between two days (protocol p1a/p1b), so SDC95 = 0.42–0.83 mm. A person's
#: own first tests replace these as soon as there are three (pooled, so a noisy person gets a larger SDC).
DEFAULT_REGION_SEM_MM: Final[dict[str, float]] = {"brow": 0.3, "eye": 0.25, "midface": 0.2, "mouth": 0.15}


def smallest_detectable_change(sem: float) -> float:
    """SDC95 = 1.96·√2·SEM: a change smaller than this may be measurement noise."""
    return Z95 * math.sqrt(2.0) * sem


@dataclass(frozen=True, slots=True)
class NoiseEstimate:
    """The SEM used for one score, its SDC95, and where it came from.

    `sources` names what contributed: "frames" (rest intervals over repeat frames), "early_tests" (the
    scatter of the first tests) and "default" (the typical SEM, as a fallback or as the prior the early
    scatter is pooled with).
    """

    sem: float
    sdc: float
    sources: tuple[str, ...]
    sem_frames: float | None = None
    sem_early: float | None = None
    early_tests: int = 0

    def describe(self, unit: str = " points") -> str:
        """Say the noise and its sources, e.g. "±4.2 points (your repeat frames and first 4 tests)"."""
        parts = []
        if "frames" in self.sources:
            parts.append("your repeat frames")
        if "early_tests" in self.sources:
            parts.append(f"your first {self.early_tests} tests")
        if "default" in self.sources:
            parts.append("the typical noise" if parts else "the typical noise; no data of your own yet")
        return f"±{self.sdc:.1f}{unit} ({' and '.join(parts)})"


def sem_from_interval(interval: tuple[float, float]) -> float:
    """SEM implied by a 95 % interval: (hi − lo)/(2·1.96)."""
    lo, hi = interval
    return abs(hi - lo) / (2.0 * Z95)


def estimate_noise(
    values: Sequence[float],
    intervals: Sequence[tuple[float, float]] = (),
    default_sem: float = DEFAULT_SEM["tonus"],
) -> NoiseEstimate:
    """Estimate a person's SEM of one score from repeat frames and early tests (see the module notes).

    `values` are the scored tests, oldest first; `intervals` the per-test 95 % intervals over frames.
    """
    sem_frames = float(np.median([sem_from_interval(iv) for iv in intervals])) if intervals else None
    early = np.asarray(values[:SCATTER_TESTS], dtype=float)
    sources: list[str] = []
    if sem_frames is not None:
        sources.append("frames")
    if len(early) >= 3:
        df = len(early) - 1
        sem_early = float(np.std(early, ddof=1))
        prior = max(default_sem, sem_frames or 0.0)
        pooled = math.sqrt((PRIOR_DF * prior**2 + df * sem_early**2) / (PRIOR_DF + df))
        sem = max(pooled, sem_frames or 0.0)
        sources += ["early_tests", "default"]
        return NoiseEstimate(
            sem, smallest_detectable_change(sem), tuple(sources), sem_frames, sem_early, len(early)
        )
    if sem_frames is not None and sem_frames >= default_sem:
        sem = sem_frames
    else:
        sem = default_sem
        sources.append("default")
    return NoiseEstimate(sem, smallest_detectable_change(sem), tuple(sources), sem_frames, None, 0)
