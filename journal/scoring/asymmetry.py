"""Resting asymmetry in millimetres, oriented by the affected side, with a frame interval.

The oriented asymmetry of a region is (affected − healthy) in the direction palsy moves it: a lower
mouth corner, a lower brow, a lower nose base (ala) and a wider eye count positive. Negative values mean
the affected side is *tighter* than the healthy one (a corner pulled up, a narrower eye), which is what
shows later in recovery and in synkinesis. Pure numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from journal.protocol import REGIONS, Region, Side, other_side
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.resample import bootstrap_picks, median_of_resamples

#: +1 where palsy increases the affected side's value (the eye opens wider), −1 where it lowers it.
ORIENTATION: Final[dict[Region, float]] = {"brow": -1.0, "eye": 1.0, "midface": -1.0, "mouth": -1.0}
BOOTSTRAP_RESAMPLES: Final = 200

Interval = tuple[float, float]


def oriented(measures_mm: np.ndarray, affected: Side) -> dict[Region, float]:
    """Oriented asymmetry per region (mm) of a 2×features array in mm (see the module notes)."""
    a, h = SIDE_INDEX[affected], SIDE_INDEX[other_side(affected)]
    return {r: ORIENTATION[r] * float(measures_mm[a, F[r]] - measures_mm[h, F[r]]) for r in REGIONS}


def oriented_from_regions(regions: Mapping[str, tuple[float, float]], affected: Side) -> dict[str, float]:
    """Oriented asymmetry from stored (left mm, right mm) per region, as the journal keeps them."""
    out: dict[str, float] = {}
    for r, (left, right) in regions.items():
        if r in ORIENTATION:
            aff, heal = (left, right) if affected == "left" else (right, left)
            out[r] = ORIENTATION[r] * (aff - heal)
    return out


def _frame_differences(frames_mm: np.ndarray) -> np.ndarray:
    """Left − right per region for N×2×features frames: an N×regions array."""
    idx = [F[r] for r in REGIONS]
    diff: np.ndarray = frames_mm[:, SIDE_INDEX["left"], idx] - frames_mm[:, SIDE_INDEX["right"], idx]
    return diff


def difference_intervals(frames_mm: np.ndarray, seed: int = 0) -> dict[Region, Interval] | None:
    """95 % bootstrap intervals over frames of each region's median left − right difference (mm).

    None with fewer than 3 frames (a single photo has no repeat frames).
    """
    if len(frames_mm) < 3:
        return None
    diffs = _frame_differences(frames_mm)
    picks = bootstrap_picks(len(diffs), seed, BOOTSTRAP_RESAMPLES)
    medians = median_of_resamples(diffs[picks])  # resamples × regions, in one array operation
    lo, hi = np.percentile(medians, [2.5, 97.5], axis=0)
    return {r: (float(lo[i]), float(hi[i])) for i, r in enumerate(REGIONS)}


def orient_interval(region: Region, interval: Interval, affected: Side) -> Interval:
    """Turn an interval of left − right into one of the oriented asymmetry (sorted low, high)."""
    sign = ORIENTATION[region] * (1.0 if affected == "left" else -1.0)
    a, b = sign * interval[0], sign * interval[1]
    return (min(a, b), max(a, b))
