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
from functools import lru_cache

import numpy as np

from journal.protocol import REGIONS
from journal.scoring.aggregate import BOOTSTRAP_RESAMPLES, PLATEAU_FRACTION, PoseAggregate
from journal.scoring.asymmetry import BOOTSTRAP_RESAMPLES as DIFFERENCE_RESAMPLES
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.resample import bootstrap_picks
from journal.scoring.scores import DEAD_BAND, FULL_SCALE, WEIGHTS, excursion_array, symmetry_many

_REGIONS = [F[r] for r in REGIONS]

#: Running counts handled at a time by `_medians` (rows × frames × resamples).
_CELLS = 1 << 23

#: One pose to summarise: its name, its frames (N×2×features, mm) and the rest pose's median (mm).
Item = tuple[str, np.ndarray, np.ndarray | None]


@lru_cache(maxsize=128)
def _counts(frames: int, seed: int, resamples: int) -> np.ndarray:
    """How often each frame is drawn in each bootstrap resample (frames×resamples, read-only; small
    integers, so the running counts of `_kth_of_resamples` move little memory)."""
    picks = bootstrap_picks(frames, seed, resamples)
    counts = np.zeros((resamples, frames), dtype=np.int16 if frames < 2**15 else np.int64)
    np.add.at(counts, (np.arange(resamples)[:, None], picks), 1)
    out = np.ascontiguousarray(counts.T)
    out.flags.writeable = False
    return out


def _kth_of_resamples(values: np.ndarray, counts: np.ndarray, ks: tuple[int, ...]) -> list[np.ndarray]:
    """For M rows of n values, the k-th smallest (0-based) of each resample, for each k in `ks`.

    A resample holds frame f `counts[f, r]` times. With a row's values sorted once, its k-th smallest
    is the sorted value at the first position whose running count passes k: no per-resample sort.
    """
    order = np.argsort(values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    running = np.cumsum(counts[order], axis=1, dtype=counts.dtype)  # M×n×resamples
    return [np.take_along_axis(ordered, (running <= k).sum(axis=1), axis=1) for k in ks]


def _medians(held: np.ndarray, seed: int, resamples: int) -> np.ndarray:
    """Bootstrap medians of G stacks of n frames: G×n×… in, G×resamples×… out.

    The values of `median_of_resamples(held[g][picks])` (the middle value of each resample, or the
    mean of the middle two), selected by rank rather than by sorting every resample.
    """
    g, n = held.shape[:2]
    if np.isnan(held).any():  # np.median's NaN, as median_of_resamples gives it
        with_nan: np.ndarray = np.median(held[:, bootstrap_picks(n, seed, resamples)], axis=2)
        return with_nan
    rows = np.moveaxis(held, 1, -1).reshape(-1, n)  # M×n, M = G × the other axes
    counts = _counts(n, seed, resamples)
    middle = np.empty((len(rows), resamples))
    step = max(1, _CELLS // (n * resamples))
    for start in range(0, len(rows), step):  # in slices: the running counts stay small
        part = rows[start : start + step]
        if n % 2:
            (middle[start : start + len(part)],) = _kth_of_resamples(part, counts, (n // 2,))
        else:
            low, high = _kth_of_resamples(part, counts, (n // 2 - 1, n // 2))
            middle[start : start + len(part)] = (low + high) / 2
    out: np.ndarray = np.moveaxis(middle.reshape(g, *held.shape[2:], resamples), -1, 1)
    return out


def _bootstraps(held: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """For G stacked holds of n ≥ 3 frames: the symmetry intervals (G×2) and the regions' left − right
    difference intervals (G×regions×2), as `aggregate` and `difference_intervals` compute them."""
    medians = np.zeros((held.shape[0], BOOTSTRAP_RESAMPLES, *held.shape[2:]))
    medians[..., _REGIONS] = _medians(held[..., _REGIONS], seed, BOOTSTRAP_RESAMPLES)
    symmetry_interval = np.percentile(symmetry_many(medians), [2.5, 97.5], axis=1).T
    diffs = held[:, :, SIDE_INDEX["left"], _REGIONS] - held[:, :, SIDE_INDEX["right"], _REGIONS]
    diff_medians = _medians(diffs, seed, DIFFERENCE_RESAMPLES)
    difference = np.moveaxis(np.percentile(diff_medians, [2.5, 97.5], axis=1), 0, -1)
    return symmetry_interval, difference


def _symmetries(medians: np.ndarray) -> np.ndarray:
    """`symmetry` of G medians (G×2×features) at once, operation by operation in the same order
    (its Python sum starts from 0 and adds the regions in turn), so each is the same float."""
    total = np.zeros(len(medians))
    for r in REGIONS:
        d = medians[:, SIDE_INDEX["left"], F[r]] - medians[:, SIDE_INDEX["right"], F[r]]
        excess = (np.abs(d) - DEAD_BAND[r]) / FULL_SCALE[r]
        total = total + WEIGHTS[r] * (100.0 * (1.0 - np.clip(excess, 0.0, 1.0)))
    return total


def _holds(items: Sequence[Item]) -> list[np.ndarray]:
    """`plateau` of every item: the poses with the same name and frame count found together."""
    holds = [frames_mm for _, frames_mm, _ in items]
    groups: dict[tuple[str, int], list[int]] = {}
    for i, (pose, frames_mm, rest_mm) in enumerate(items):
        if pose != "rest" and rest_mm is not None and len(frames_mm) >= 3:  # else plateau keeps all
            groups.setdefault((pose, len(frames_mm)), []).append(i)
    for (pose, _), members in groups.items():
        frames = np.stack([items[i][1] for i in members])
        rest = np.stack([np.asarray(items[i][2], dtype=np.float64) for i in members])[:, None]
        top = excursion_array(pose, frames, rest).max(axis=-1)  # G×n
        peaks = np.percentile(top, 95, axis=1)
        for k, i in enumerate(members):
            peak = float(peaks[k])
            if peak > 0:
                holds[i] = items[i][1][top[k] >= PLATEAU_FRACTION * peak]
    return holds


def aggregate_many(items: Sequence[Item], seed: int = 0) -> list[PoseAggregate]:
    """`[aggregate(pose, frames_mm, rest_mm, seed) for pose, frames_mm, rest_mm in items]`, at once."""
    for pose, frames_mm, _ in items:
        if len(frames_mm) == 0:
            raise ValueError(f"no usable frames for {pose}")
    holds = _holds(items)
    by_count: dict[int, list[int]] = {}
    for i, held in enumerate(holds):
        by_count.setdefault(len(held), []).append(i)
    medians: list[np.ndarray] = [np.empty(0)] * len(holds)
    intervals: list[tuple[float, float] | None] = [None] * len(holds)
    differences: list[dict[str, tuple[float, float]] | None] = [None] * len(holds)
    scores: list[float] = [0.0] * len(holds)
    for n, members in by_count.items():
        stack = np.stack([holds[i] for i in members])
        middle = np.median(stack, axis=1)
        for i, median, score in zip(members, middle, _symmetries(middle).tolist(), strict=True):
            medians[i], scores[i] = median, score
        if n < 3:
            continue
        sym, diff = _bootstraps(stack, seed)
        for k, i in enumerate(members):
            intervals[i] = (float(sym[k, 0]), float(sym[k, 1]))
            differences[i] = {r: (float(diff[k, j, 0]), float(diff[k, j, 1])) for j, r in enumerate(REGIONS)}
    return [
        PoseAggregate(medians[i], len(held), scores[i], intervals[i], differences[i])  # type: ignore[arg-type]
        for i, held in enumerate(holds)
    ]
