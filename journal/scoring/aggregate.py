"""Many frames to one value per pose: the peak hold, its median and bootstrap intervals (array-based)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from journal.protocol import REGIONS, Region
from journal.scoring.asymmetry import Interval, difference_intervals
from journal.scoring.measures import F
from journal.scoring.resample import bootstrap_picks, median_of_resamples
from journal.scoring.scores import excursion_array, symmetry, symmetry_many

#: Frames whose stronger-side travel is within this fraction of the peak form the hold.
PLATEAU_FRACTION: Final = 0.85
BOOTSTRAP_RESAMPLES: Final = 200
_REGION_FEATURES: Final = [F[r] for r in REGIONS]


@dataclass(frozen=True, slots=True)
class PoseAggregate:
    """One pose over its usable frames: median measures (2×features, mm) and intervals.

    `symmetry_interval` is the 95 % bootstrap interval of the symmetry score; `difference_intervals`
    those of each region's left − right difference (mm). Both are None with fewer than 3 frames.
    """

    measures_mm: np.ndarray
    frames_used: int
    symmetry: float
    symmetry_interval: tuple[float, float] | None
    difference_intervals: dict[Region, Interval] | None = None


def plateau(pose: str, frames_mm: np.ndarray, rest_mm: np.ndarray | None) -> np.ndarray:
    """Keep the peak hold: frames whose stronger side travelled within 85 % of its peak."""
    if pose == "rest" or rest_mm is None or len(frames_mm) < 3:
        return frames_mm
    top = excursion_array(pose, frames_mm, rest_mm).max(axis=-1)
    peak = float(np.percentile(top, 95))
    if peak <= 0:
        return frames_mm
    held: np.ndarray = frames_mm[top >= PLATEAU_FRACTION * peak]
    return held


def aggregate(pose: str, frames_mm: np.ndarray, rest_mm: np.ndarray | None, seed: int = 0) -> PoseAggregate:
    """Median over the hold of a pose's frames (N×2×features, mm), with 95 % bootstrap intervals."""
    if len(frames_mm) == 0:
        raise ValueError(f"no usable frames for {pose}")
    held = plateau(pose, frames_mm, rest_mm)
    median = np.median(held, axis=0)
    interval = None
    if len(held) >= 3:
        picks = bootstrap_picks(len(held), seed, BOOTSTRAP_RESAMPLES)
        # The symmetry score reads the regions' features only: resample those (a third of them).
        medians = np.zeros((BOOTSTRAP_RESAMPLES, *held.shape[1:]))
        medians[..., _REGION_FEATURES] = median_of_resamples(held[:, :, _REGION_FEATURES][picks])
        scores = symmetry_many(medians)
        lo, hi = np.percentile(scores, [2.5, 97.5])
        interval = (float(lo), float(hi))
    return PoseAggregate(median, len(held), symmetry(median), interval, difference_intervals(held, seed))
