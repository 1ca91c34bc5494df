"""Many tests' scores in three queries instead of three per test (for status, Home and the report)."""

from __future__ import annotations

from collections.abc import Sequence

from journal.store.rows import PoseScores, Scores
from journal.store.sessions import _LATEST_FIRST, Cursor, _pose_order

_LATEST = f"""
WITH latest AS (
    SELECT session_id, scorer_version, tonus, movement, synkinesis, affected_side, affected_side_source,
           mm_per_unit, side_evidence, scored_at
    FROM session_scores WHERE list_contains(?, session_id)
    QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY {_LATEST_FIRST}) = 1
)
"""


def read_scores_of(cur: Cursor, session_ids: Sequence[int]) -> dict[int, Scores]:
    """Return the newest scores of each of these tests (tests never scored are left out)."""
    ids = [int(i) for i in session_ids]
    if not ids:
        return {}
    heads = cur.execute(_LATEST + "SELECT * FROM latest", [ids]).fetchall()
    regions: dict[tuple[int, str], dict[str, tuple[float, float]]] = {}
    for sid, pose, region, left, right in cur.execute(
        _LATEST + "SELECT r.session_id, r.pose, r.region, r.left_mm, r.right_mm FROM region_scores r "
        "JOIN latest l USING (session_id, scorer_version) ORDER BY r.session_id, r.pose, r.region",
        [ids],
    ).fetchall():
        regions.setdefault((sid, pose), {})[region] = (left, right)
    poses: dict[int, dict[str, PoseScores]] = {}
    for sid, pose, sym, low, high, move, left, right, note in cur.execute(
        _LATEST + "SELECT p.session_id, p.pose, p.symmetry, p.symmetry_low, p.symmetry_high, p.movement, "
        "p.movement_left, p.movement_right, p.note FROM pose_scores p "
        "JOIN latest l USING (session_id, scorer_version)",
        [ids],
    ).fetchall():
        interval = (low, high) if low is not None and high is not None else None
        poses.setdefault(sid, {})[pose] = PoseScores(
            sym, interval, move, left, right, regions.get((sid, pose), {}), note
        )
    out = {}
    for sid, version, tonus, movement, synk, side, source, mm, evidence, scored_at in heads:
        by_pose = poses.get(sid, {})
        out[sid] = Scores(
            scorer_version=version,
            tonus=tonus,
            movement=movement,
            synkinesis=synk,
            affected_side=side,
            affected_side_source=source,
            mm_per_unit=mm,
            side_evidence=evidence,
            poses={p: by_pose[p] for p in sorted(by_pose, key=_pose_order)},
            scored_at=scored_at,
        )
    return out
