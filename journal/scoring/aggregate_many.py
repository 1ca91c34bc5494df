"""`aggregate` of many poses at once (of many tests): the bootstraps as a few array operations.

Re-scoring ten years summarises 5,000 poses; one `aggregate` call each spent most of its time in
numpy's per-call overhead (two bootstraps of 200 resamples of a few frames, three percentiles).
Here the poses whose holds have the same number of frames are stacked, resampled with the same
picks (`bootstrap_picks`: one seed, so one set of picks per frame count) and summarised together,
along the stacked axis. Each value is computed by the same operations as in `aggregate` (the same
sort-based medians, numpy's own median and percentiles along an axis), so it is the same value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from journal.protocol import REGIONS
from journal.scoring.aggregate import BOOTSTRAP_RESAMPLES, PoseAggregate, plateau
from journal.scoring.asymmetry import BOOTSTRAP_RESAMPLES as DIFFERENCE_RESAMPLES
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.resample import bootstrap_picks, median_of_resamples
from journal.scoring.scores import symmetry, symmetry_many

_REGIONS = [F[r] for r in REGIONS]

#: One pose to summarise: its name, its frames (N×2×features, mm) and the rest pose's median (mm).
Item = tuple[str, np.ndarray, np.ndarray | None]


def _medians(held: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """Bootstrap medians of G stacks of n frames: G×n×… in, G×resamples×… out (`median_of_resamples`)."""
    g, r = held.shape[0], picks.shape[0]
    samples = held[:, picks]  # G×resamples×n×…
    flat = median_of_resamples(samples.reshape(g * r, *samples.shape[2:]))
    out: np.ndarray = flat.reshape(g, r, *flat.shape[1:])
    return out


def _bootstraps(held: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """For G stacked holds of n ≥ 3 frames: the symmetry intervals (G×2) and the regions' left − right
    difference intervals (G×regions×2), as `aggregate` and `difference_intervals` compute them."""
    n = held.shape[1]
    picks = bootstrap_picks(n, seed, BOOTSTRAP_RESAMPLES)
    medians = np.zeros((held.shape[0], BOOTSTRAP_RESAMPLES, *held.shape[2:]))
    medians[..., _REGIONS] = _medians(held[..., _REGIONS], picks)
    symmetry_interval = np.percentile(symmetry_many(medians), [2.5, 97.5], axis=1).T
    diffs = held[:, :, SIDE_INDEX["left"], _REGIONS] - held[:, :, SIDE_INDEX["right"], _REGIONS]
    diff_medians = _medians(diffs, bootstrap_picks(n, seed, DIFFERENCE_RESAMPLES))
    difference = np.moveaxis(np.percentile(diff_medians, [2.5, 97.5], axis=1), 0, -1)
    return symmetry_interval, difference


def aggregate_many(items: Sequence[Item], seed: int = 0) -> list[PoseAggregate]:
    """`[aggregate(pose, frames_mm, rest_mm, seed) for pose, frames_mm, rest_mm in items]`, at once."""
    holds = []
    for pose, frames_mm, rest_mm in items:
        if len(frames_mm) == 0:
            raise ValueError(f"no usable frames for {pose}")
        holds.append(plateau(pose, frames_mm, rest_mm))
    by_count: dict[int, list[int]] = {}
    for i, held in enumerate(holds):
        by_count.setdefault(len(held), []).append(i)
    medians: list[np.ndarray] = [np.empty(0)] * len(holds)
    intervals: list[tuple[float, float] | None] = [None] * len(holds)
    differences: list[dict[str, tuple[float, float]] | None] = [None] * len(holds)
    for n, members in by_count.items():
        stack = np.stack([holds[i] for i in members])
        for i, median in zip(members, np.median(stack, axis=1), strict=True):
            medians[i] = median
        if n < 3:
            continue
        sym, diff = _bootstraps(stack, seed)
        for k, i in enumerate(members):
            intervals[i] = (float(sym[k, 0]), float(sym[k, 1]))
            differences[i] = {r: (float(diff[k, j, 0]), float(diff[k, j, 1])) for j, r in enumerate(REGIONS)}
    return [
        PoseAggregate(medians[i], len(held), symmetry(medians[i]), intervals[i], differences[i])  # type: ignore[arg-type]
        for i, held in enumerate(holds)
    ]
