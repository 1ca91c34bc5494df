"""Score many stored tests at once: fit, measure and gate all their frames as arrays, then each test.

This is `journal.services.importer.rescore_session` for a batch of tests (re-scoring ten years is
522 tests of 100 frames): the head-frame fit, the measures and the quality gates run as array
operations over every frame of the batch, and each test is then scored by `score_session`, so the
scores are the same. Pure numpy: it runs in worker processes that never load DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

from journal.models import N_LANDMARKS
from journal.protocol import POSE_NAMES, Side
from journal.scoring import gates
from journal.scoring import landmarks as lm
from journal.scoring.aggregate import PoseAggregate
from journal.scoring.aggregate_many import aggregate_many
from journal.scoring.expression import RestReference
from journal.scoring.headframe import anchors_for_pose, to_head_frame_many
from journal.scoring.measures import FEATURES, measure
from journal.scoring.session import SessionScores, score_session, session_scale


@dataclass(frozen=True, slots=True)
class FrameArrays:
    """Stored frames of many tests, ordered by test, pose and frame index; row i is one frame.

    `landmarks` N×L×3 (float32 as stored) of the landmarks `landmark_ids` (all 478, or those the
    scorer reads: `LANDMARKS`), `blendshapes` N×K scores named by `names` (NaN where a frame has
    none), `yaw`/`pitch` degrees (NaN where unset), `width`/`height` pixels.
    """

    session_ids: np.ndarray
    poses: np.ndarray
    landmarks: np.ndarray
    blendshapes: np.ndarray
    names: tuple[str | None, ...]
    yaw: np.ndarray
    pitch: np.ndarray
    width: np.ndarray
    height: np.ndarray
    landmark_ids: tuple[int, ...]

    def stored(self, rows: np.ndarray | slice) -> gates.StoredFrames:
        """The frames at `rows` as `gates` reads them (landmarks in float64, as `observation` has them)."""
        return gates.StoredFrames(
            self.landmarks[rows].astype(np.float64),
            self.width[rows],
            self.height[rows],
            self.yaw[rows],
            self.pitch[rows],
            gates.Shapes(self.blendshapes[rows], self.names),
            self.landmark_ids,
        )


def _measured_landmarks() -> tuple[int, ...]:
    """Every landmark `measure` reads (checked by `measure_many`: the others are NaN there)."""
    groups: list[int] = []
    tables = (lm.BROW, lm.UPPER_LID, lm.LOWER_LID, lm.UPPER_LIP, lm.LOWER_LIP, lm.CHEEK, lm.IRIS_HORIZONTAL)
    for table in tables:
        for points in table.values():
            groups.extend(points)
    for single in (lm.CANTHUS, lm.ALA, lm.COMMISSURE):
        groups.extend(single.values())
    return tuple(sorted(set(groups)))


MEASURED = _measured_landmarks()


#: Every landmark re-scoring reads: the head-frame anchors, the measured ones and the gates' ones.
LANDMARKS = tuple(sorted({*lm.ALL_ANCHORS, *lm.UPPER_FACE_MOVING_ANCHORS, *MEASURED, *gates.GATE_LANDMARKS}))


#: Frames measured at a time by `measure_many`.
_SLICE = 256


@cache
def _fit_inputs(ids: tuple[int, ...], anchors: tuple[int, ...]) -> tuple[tuple[int, ...], np.ndarray]:
    """The anchors' places among `ids` (in the anchors' order) and a mask of those places."""
    return tuple(ids.index(a) for a in anchors), np.asarray(anchors)


def measure_many(
    points: np.ndarray, canonical: np.ndarray, pose: str, ids: tuple[int, ...] = LANDMARKS
) -> np.ndarray:
    """`measure(to_head_frame(p, canonical, anchors_for_pose(pose)))` of N frames: N×2×features.

    `points` are N×L×3 points of the landmarks `ids` (which hold the anchors and `MEASURED`). Only
    those are moved into the head frame: the fit reads the anchors alone, in the same order, so it is
    the same fit; `measure` reads only `MEASURED` (checked when this module loads).
    """
    places, anchors = _fit_inputs(ids, anchors_for_pose(pose))
    target = np.zeros((len(ids), 3))
    target[list(places)] = canonical[anchors]
    moved = to_head_frame_many(points, target, places)
    out = np.empty((len(points), 2, len(FEATURES)))
    # `measure` takes all 478 landmarks: filled in slices into one small buffer, reused (a whole
    # batch's worth, 55 MB of fresh memory, cost more than the measures).
    full = np.empty((min(len(points), _SLICE), N_LANDMARKS, 3))
    for start in range(0, len(points), _SLICE):
        part = moved[start : start + _SLICE]
        full[: len(part), ids] = part
        out[start : start + len(part)] = measure(full[: len(part)])
    return out


def _check_measured() -> None:
    """Fail loudly if `measure` reads a landmark outside `MEASURED` (it would read garbage here)."""
    probe = np.full((1, N_LANDMARKS, 3), np.nan)
    probe[:, MEASURED] = np.arange(len(MEASURED) * 3, dtype=np.float64).reshape(-1, 3) / 100
    if not np.isfinite(measure(probe)).all():  # pragma: no cover - a change to measure() without MEASURED
        raise RuntimeError("measure() reads landmarks that batch.MEASURED does not list")


_check_measured()


def _pose_key(pose: str) -> tuple[bool, int]:
    return pose != "rest", POSE_NAMES.index(pose) if pose in POSE_NAMES else len(POSE_NAMES)


#: One test of a batch: its id and its rows.
Test = tuple[int, slice]


def _tests(session_ids: np.ndarray) -> Iterator[Test]:
    """Each test's id and its rows (rows are grouped by test)."""
    if not len(session_ids):
        return
    starts = np.flatnonzero(np.r_[True, session_ids[1:] != session_ids[:-1]])
    ends = np.r_[starts[1:], len(session_ids)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        yield int(session_ids[start]), slice(start, end)


def _measures(frames: FrameArrays, points: np.ndarray, canonical: np.ndarray) -> np.ndarray:
    """Every frame's measures (N×2×features), the poses that share anchors fitted together."""
    measures = np.empty((len(points), 2, len(FEATURES)))
    by_anchors: dict[tuple[int, ...], list[str]] = {}
    for pose in dict.fromkeys(frames.poses.tolist()):
        by_anchors.setdefault(anchors_for_pose(pose), []).append(pose)
    for group in by_anchors.values():
        rows = np.flatnonzero(np.isin(frames.poses, group))
        measures[rows] = measure_many(points[rows], canonical, group[0], frames.landmark_ids)
    return measures


def _gates(frames: FrameArrays, points: np.ndarray, measures: np.ndarray, tests: list[Test]) -> np.ndarray:
    """Where each frame passes the gates of its pose: the rest poses first, since the expression
    check of the others measures travel from their own test's rest reference."""
    everything = frames.stored(slice(None))
    ok = np.zeros(len(points), dtype=bool)
    at = np.flatnonzero(frames.poses == "rest")
    ok[at] = gates.usable("rest", everything.rows(at), measures[at], None, points[at])
    rest_measures = np.full(measures.shape, np.nan)  # NaN: no rest reference
    rest_scale = np.full(len(points), np.nan)
    for _sid, rows in tests:
        kept = np.flatnonzero(ok[rows] & (frames.poses[rows] == "rest")) + rows.start
        reference = RestReference.from_units(measures[kept]) if len(kept) else None
        if reference is not None:
            rest_measures[rows] = reference.measures
            rest_scale[rows] = reference.mm_per_unit
    for pose in dict.fromkeys(frames.poses.tolist()):
        if pose != "rest":
            at = np.flatnonzero(frames.poses == pose)
            ok[at] = gates.usable(
                pose, everything.rows(at), measures[at], None, points[at],
                rest_arrays=(rest_measures[at], rest_scale[at]),
            )  # fmt: skip
    return ok


def usable_units(frames: FrameArrays, canonical: np.ndarray) -> dict[int, dict[str, np.ndarray]]:
    """Each test's usable frames' measures by pose (rest first, then protocol order), as re-scoring
    one test at a time keeps them; a test with no usable frame has an empty dict."""
    points = frames.stored(slice(None)).points_3d()
    measures = _measures(frames, points, canonical)
    tests = list(_tests(frames.session_ids))
    ok = _gates(frames, points, measures, tests)
    out: dict[int, dict[str, np.ndarray]] = {}
    for sid, rows in tests:
        poses = frames.poses[rows]
        units: dict[str, np.ndarray] = {}
        for pose in sorted(dict.fromkeys(poses.tolist()), key=_pose_key):  # stable: unknown poses by name
            kept = np.flatnonzero(ok[rows] & (poses == pose)) + rows.start
            if len(kept):
                units[pose] = measures[kept]
        out[sid] = units
    return out


def score_tests(
    frames: FrameArrays, canonical: np.ndarray, affected: Side | None, scale: float | None
) -> list[tuple[int, SessionScores | None]]:
    """Score each test of `frames` as `rescore_session` would (None when no frame is usable now).

    The poses of every test are summarised together (`aggregate_many`): first the rest poses (the
    others' holds are found against them), then all the others.
    """
    units = usable_units(frames, canonical)
    scales = {sid: session_scale(u, None, scale) for sid, u in units.items() if u}
    rest = aggregate_many(
        [("rest", u["rest"] * scales[sid], None) for sid, u in units.items() if "rest" in u]
    )
    rest_by_test = dict(zip([sid for sid, u in units.items() if "rest" in u], rest, strict=True))
    others = [
        (sid, pose, (pose, f * scales[sid], r.measures_mm if (r := rest_by_test.get(sid)) else None))
        for sid, u in units.items()
        for pose, f in u.items()
        if pose != "rest"
    ]
    summaries: dict[int, dict[str, PoseAggregate]] = {sid: {} for sid in units}
    for sid, agg in rest_by_test.items():
        summaries[sid]["rest"] = agg
    for (sid, pose, _), agg in zip(others, aggregate_many([item for *_, item in others]), strict=True):
        summaries[sid][pose] = agg
    return [
        (sid, score_session(u, affected=affected, scale=scales[sid], summaries=summaries[sid]) if u else None)
        for sid, u in units.items()
    ]
