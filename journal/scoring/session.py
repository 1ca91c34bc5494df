"""Score a whole test: per-pose measures in head-frame units in, tonus, movement and the rest out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from journal.protocol import POSE_NAMES, Region, Side
from journal.scoring.aggregate import PoseAggregate, aggregate
from journal.scoring.asymmetry import Interval, orient_interval, oriented
from journal.scoring.measures import mm_per_unit
from journal.scoring.scores import (
    Movement,
    SideSource,
    closure_fractions,
    excursions,
    infer_affected_side,
    min_travel,
    movement_score,
    synkinesis_points,
)
from journal.scoring.version import SCORER_VERSION


@dataclass(frozen=True, slots=True)
class PoseScore:
    """One pose: aggregate measures and, for poses other than rest, its movement (or why not)."""

    pose: str
    aggregate: PoseAggregate
    movement: Movement | None
    excursions: dict[Side, float] | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SessionScores:
    """All scores of one test, with the conventions needed to read them."""

    scorer_version: str
    mm_per_unit: float
    affected_side: Side | None
    affected_side_source: SideSource
    side_evidence: float
    tonus: float | None
    movement: float | None
    synkinesis: float | None
    poses: dict[str, PoseScore] = field(default_factory=dict)

    def rest_asymmetry(self) -> dict[Region, tuple[float, Interval | None]] | None:
        """Oriented resting asymmetry per region: (mm, its 95 % frame interval or None).

        Affected minus healthy in the direction palsy moves it (corner, brow and nose base lower, eye
        wider); negative means the affected side is tighter. None without a rest pose or a side.
        """
        rest = self.poses.get("rest")
        if rest is None or self.affected_side is None:
            return None
        side = self.affected_side
        values = oriented(rest.aggregate.measures_mm, side)
        intervals = rest.aggregate.difference_intervals
        return {
            r: (v, orient_interval(r, intervals[r], side) if intervals is not None else None)
            for r, v in values.items()
        }


def _ordered(poses: dict[str, np.ndarray]) -> list[str]:
    return sorted(poses, key=lambda p: POSE_NAMES.index(p) if p in POSE_NAMES else len(POSE_NAMES))


def session_scale(
    frames_units: dict[str, np.ndarray], rest_units: np.ndarray | None = None, scale: float | None = None
) -> float:
    """The test's mm scale: `scale` (a person's frozen factor), else from the rest frames' iris (the
    `rest` pose, else `rest_units`), else from all frames."""
    if scale is not None:
        return scale
    frames_units = {p: f for p, f in frames_units.items() if len(f)}
    rest_ref = frames_units.get("rest", rest_units)
    basis = (
        rest_ref if rest_ref is not None and len(rest_ref) else np.concatenate(list(frames_units.values()))
    )
    return mm_per_unit(basis)


def score_session(
    frames_units: dict[str, np.ndarray],
    *,
    rest_units: np.ndarray | None = None,
    affected: Side | None = None,
    scale: float | None = None,
    summaries: Mapping[str, PoseAggregate] | None = None,
) -> SessionScores:
    """Score per-pose frame measures (pose → N×2×features, head-frame units).

    The rest reference is the `rest` pose, else `rest_units`. The mm scale is `session_scale`'s.
    `summaries` are poses' aggregates computed already (at this scale; re-scoring computes those of
    many tests at once with `aggregate_many`); the others are computed here.
    """
    frames_units = {p: f for p, f in frames_units.items() if len(f)}
    rest_ref = frames_units.get("rest", rest_units)
    scale = session_scale(frames_units, rest_units, scale)
    done = dict(summaries or {})
    rest_agg = done.get("rest") or (
        aggregate("rest", rest_ref * scale, None) if rest_ref is not None else None
    )
    rest_mm = rest_agg.measures_mm if rest_agg is not None else None

    aggregates: dict[str, PoseAggregate] = {}
    exc_by_pose: dict[str, dict[Side, float]] = {}
    for pose in _ordered(frames_units):
        if pose == "rest" and rest_agg is not None:  # the rest pose is the reference, summed up already
            aggregates[pose] = rest_agg
        else:
            aggregates[pose] = done.get(pose) or aggregate(pose, frames_units[pose] * scale, rest_mm)
        if pose != "rest" and rest_mm is not None:
            exc_by_pose[pose] = excursions(pose, aggregates[pose].measures_mm, rest_mm)

    source: SideSource = "given"
    evidence = 0.0
    side = affected
    if side is None:
        moving = {p: a.measures_mm for p, a in aggregates.items() if p != "rest"}
        side, evidence = infer_affected_side(rest_mm, exc_by_pose, moving)
        source = "inferred" if side is not None else "unknown"

    poses: dict[str, PoseScore] = {}
    for pose, agg in aggregates.items():
        exc = exc_by_pose.get(pose)
        move = None
        if exc is not None and rest_mm is not None:
            fractions = closure_fractions(exc, rest_mm) if pose in ("eyes_gentle", "eyes_tight") else None
            move = movement_score(exc, side, fractions, pose)
        note = None
        if pose != "rest" and rest_mm is None:
            note = "no rest photo to compare with: add a rest pose or --rest IMAGE"
        elif exc is not None and move is None:
            note = (
                f"the stronger side moved less than {min_travel(pose):.1f} mm, too little to score: "
                "retake it with more effort"
            )
        poses[pose] = PoseScore(pose, agg, move, exc, note)

    scored = [p.movement.score for p in poses.values() if p.movement is not None]
    synk = None
    if rest_mm is not None:
        synk = synkinesis_points(rest_mm, {p: a.measures_mm for p, a in aggregates.items()}, side)
    return SessionScores(
        scorer_version=SCORER_VERSION,
        mm_per_unit=scale,
        affected_side=side,
        affected_side_source=source,
        side_evidence=evidence,
        tonus=rest_agg.symmetry if rest_agg is not None else None,
        movement=float(np.mean(scored)) if scored else None,
        synkinesis=synk,
        poses=poses,
    )
