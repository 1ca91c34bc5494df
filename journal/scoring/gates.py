"""The quality gates of many stored frames of one pose at once: `quality.check`'s verdict as arrays.

Re-scoring ten years of tests gates 52,000 stored frames; one `quality.check` call a frame cost about
0.25 ms of Python. Here every gate is an array operation over the frames, with the same thresholds
and the same comparisons (including how a missing blendshape counts and how NaN compares), so a frame
is usable here exactly when `quality.check` returns None for it. Stored frames keep no brightness,
so, as for `journal.services.importer.observation`, the darkness gate never fires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journal.scoring import expression, quality
from journal.scoring.expression import RestReference
from journal.scoring.measures import F


@dataclass(frozen=True, slots=True)
class Shapes:
    """Blendshape scores of N frames: an N×K array (NaN where a frame has no score) and the K names."""

    values: np.ndarray
    names: tuple[str | None, ...]

    def column(self, name: str) -> np.ndarray:
        """One blendshape's scores (NaN where missing, all NaN when no frame has it)."""
        if name in self.names:
            out: np.ndarray = self.values[:, self.names.index(name)]
            return out
        return np.full(len(self.values), np.nan)

    def get(self, name: str) -> np.ndarray:
        """`shapes.get(name, 0.0)` of every frame."""
        column = self.column(name)
        return np.where(np.isnan(column), 0.0, column)

    def strongest(self, name: str) -> np.ndarray:
        """`expression.strongest` of every frame: the stronger side's score, else the unsided one, else 0."""
        sided = np.fmax(self.column(name + "Left"), self.column(name + "Right"))  # NaN only when both miss
        return np.where(np.isnan(sided), self.get(name), sided)


def _most(best: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Python's `max(best, other)` elementwise: `other` only where it compares greater."""
    out: np.ndarray = np.where(other > best, other, best)
    return out


def _norm(vectors: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.sqrt((vectors * vectors).sum(axis=-1))
    return out


#: The landmarks the gates read: the cheeks (face width), the inner lips and the irises (lip gap).
GATE_LANDMARKS = (234, 454, 13, 14, 469, 471, 474, 476)


def _at(ids: tuple[int, ...] | None, landmark: int) -> int:
    """Where `landmark` is along the landmark axis (`ids`: the landmarks kept, None for all 478)."""
    return landmark if ids is None else ids.index(landmark)


def lip_gaps_mm(points: np.ndarray, ids: tuple[int, ...] | None = None) -> np.ndarray:
    """`expression.lip_gap_mm` of N×478×3 points (or of the landmarks `ids` only): the inner-lip gap
    in mm by the iris, 0 without one."""
    p = {i: points[:, _at(ids, i)] for i in (13, 14, 469, 471, 474, 476)}
    iris = (_norm(p[469] - p[471]) + _norm(p[474] - p[476])) / 2
    ok = np.isfinite(iris) & (iris > 0)
    gap = _norm(p[13] - p[14]) * expression._IRIS_MM / np.where(ok, iris, 1.0)
    out: np.ndarray = np.where(ok, gap, 0.0)
    return out


def presence_many(
    pose: str,
    shapes: Shapes,
    gaps_mm: np.ndarray,
    measures: np.ndarray,
    rest_measures: np.ndarray | None = None,
    rest_scale: np.ndarray | float | None = None,
) -> np.ndarray:
    """`expression.presence` of every frame (measures: N×2×features, head-frame units).

    `rest_measures` (2×features, or N×2×features: each frame's own test's) and `rest_scale` (its mm
    factor, or N of them) are the rest reference's; NaN where a frame's test has none, which counts
    as no reference (a NaN travel never wins `max`, as in `presence`).
    """
    best = np.zeros(len(gaps_mm))
    for i, (name, threshold) in enumerate(expression.PRESENT.get(pose, {}).items()):
        ratio = shapes.strongest(name) / threshold
        best = ratio if i == 0 else _most(best, ratio)
    if pose == "lower_teeth":
        best = _most(best, gaps_mm / expression.LOWER_TEETH_GAP_MM)
    if rest_measures is not None and rest_scale is not None:
        per_side = np.asarray(rest_scale, dtype=np.float64)[..., None]
        for feature, direction, mm in expression.TRAVEL_MM.get(pose, ()):
            f = F[feature]
            travel = (measures[:, :, f] - rest_measures[..., f]) * direction * per_side
            best = _most(best, travel.max(axis=1) / mm)
    return best


def expression_ok(
    pose: str,
    shapes: Shapes,
    gaps_mm: np.ndarray,
    measures: np.ndarray,
    rest_measures: np.ndarray | None = None,
    rest_scale: np.ndarray | float | None = None,
) -> np.ndarray:
    """Where `expression.check` passes: a neutral face at rest, the pose shown otherwise."""
    if pose == "rest":
        worst = np.zeros(len(gaps_mm), dtype=bool)
        for name, limit in expression.REST_LIMITS.items():
            worst |= shapes.strongest(name) / limit >= 1.0
        out: np.ndarray = ~worst & ~(gaps_mm >= expression.REST_LIP_GAP_MM)
        return out
    if pose not in expression.PRESENT:
        return np.ones(len(gaps_mm), dtype=bool)
    present: np.ndarray = presence_many(pose, shapes, gaps_mm, measures, rest_measures, rest_scale) >= 1.0
    return present


@dataclass(frozen=True, slots=True)
class StoredFrames:
    """N stored frames of one pose as arrays, as `importer.observation` rebuilds each of them.

    `landmarks` are normalised (N×478×3, float64; or N×L×3 of the landmarks `ids` only),
    `yaw`/`pitch` degrees (NaN where unset, read as 0 as `observation` does), `width`/`height` pixels.
    """

    landmarks: np.ndarray
    width: np.ndarray
    height: np.ndarray
    yaw: np.ndarray
    pitch: np.ndarray
    shapes: Shapes
    ids: tuple[int, ...] | None = None

    def rows(self, at: np.ndarray) -> StoredFrames:
        """The frames at rows `at`."""
        return StoredFrames(
            self.landmarks[at], self.width[at], self.height[at], self.yaw[at], self.pitch[at],
            Shapes(self.shapes.values[at], self.shapes.names), self.ids,
        )  # fmt: skip

    def points_3d(self) -> np.ndarray:
        """`FaceObservation.points_3d` of every frame: pixels, y up (N×478×3, or N×L×3)."""
        w, h = self.width.astype(np.float64), self.height.astype(np.float64)
        scale = np.stack([w, -h, -w], axis=-1)
        out: np.ndarray = self.landmarks * scale[:, None, :]
        return out

    def face_widths_px(self) -> np.ndarray:
        """`FaceObservation.face_width_px` of every frame."""
        size = np.stack([self.width, self.height], axis=-1)[:, None, :]
        pts = self.landmarks[:, [_at(self.ids, 234), _at(self.ids, 454)], :2] * size
        out: np.ndarray = np.hypot(*(pts[:, 0] - pts[:, 1]).T)
        return out


def usable(
    pose: str,
    frames: StoredFrames,
    measures: np.ndarray,
    rest: RestReference | None = None,
    points: np.ndarray | None = None,
    *,
    rest_arrays: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Where `quality.check` lets each frame of `pose` through (measures: N×2×features).

    The rest reference is `rest`, or per frame `rest_arrays` (N×2×features measures and N mm
    factors, NaN where a frame's test has none). `points` are `frames.points_3d()` if computed.
    """
    yaw = np.where(np.isnan(frames.yaw), 0.0, frames.yaw)
    pitch = np.where(np.isnan(frames.pitch), 0.0, frames.pitch)
    ok = ~(frames.face_widths_px() < quality.MIN_FACE_PX)
    ok &= ~(np.abs(yaw) > quality.MAX_TURN_DEG) & ~(np.abs(pitch) > quality.MAX_PITCH_DEG)
    if pose in quality.EYES_OPEN_POSES:
        left, right = frames.shapes.get("eyeBlinkLeft"), frames.shapes.get("eyeBlinkRight")
        closed = (np.minimum(left, right) > quality.BLINK_THRESHOLD) | (
            np.maximum(left, right) > quality.ONE_EYE_BLINK_THRESHOLD
        )
        ok &= ~closed
    gaps = lip_gaps_mm(frames.points_3d() if points is None else points, frames.ids)
    if rest is not None:
        rest_arrays = (rest.measures, np.asarray(rest.mm_per_unit))
    reference = rest_arrays if rest_arrays is not None else (None, None)
    out: np.ndarray = ok & expression_ok(pose, frames.shapes, gaps, measures, *reference)
    return out
