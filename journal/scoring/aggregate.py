"""Many frames to one value per pose: plateau selection, median and a bootstrap interval."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journal.scoring.scores import excursions, symmetry

PLATEAU_FRACTION = 0.8
BOOTSTRAP_RESAMPLES = 200


@dataclass(frozen=True, slots=True)
class PoseAggregate:
    """One pose over its usable frames: median measures (2×features, mm) and a symmetry interval."""

    measures_mm: np.ndarray
    frames_used: int
    symmetry: float
    symmetry_interval: tuple[float, float] | None


def plateau(pose: str, frames_mm: np.ndarray, rest_mm: np.ndarray | None) -> np.ndarray:
    """Keep the frames where the larger excursion is within 80 % of its peak (the hold)."""
    if pose == "rest" or rest_mm is None or len(frames_mm) < 3:
        return frames_mm
    top = np.array([max(excursions(pose, f, rest_mm).values()) for f in frames_mm])
    peak = float(np.percentile(top, 95))
    if peak <= 0:
        return frames_mm
    return frames_mm[top >= PLATEAU_FRACTION * peak]


def aggregate(pose: str, frames_mm: np.ndarray, rest_mm: np.ndarray | None, seed: int = 0) -> PoseAggregate:
    """Median over the hold of a pose's frames (N×2×features, mm), with a 95 % bootstrap interval."""
    if len(frames_mm) == 0:
        raise ValueError(f"no usable frames for {pose}")
    held = plateau(pose, frames_mm, rest_mm)
    median = np.median(held, axis=0)
    interval = None
    if len(held) >= 3:
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(held), size=(BOOTSTRAP_RESAMPLES, len(held)))
        scores = [symmetry(np.median(held[p], axis=0)) for p in picks]
        lo, hi = np.percentile(scores, [2.5, 97.5])
        interval = (float(lo), float(hi))
    return PoseAggregate(median, len(held), symmetry(median), interval)
