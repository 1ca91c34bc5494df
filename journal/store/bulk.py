"""Reading many tests at once: a fixed number of queries whatever the number of tests.

Reading: charts, the Charts screen, Home's recovery line and the report draw every test of a journal
that may hold ten years of them. Reading each test's scores one by one cost three queries a test
(3.8 of 3.9 s for 522 tests); here the newest scorer version's scores of all wanted tests come back
in three queries (the newest version's head rows, then its poses and regions, optionally of some
poses only: charts draw the rest pose). Writing: re-scoring saves a batch of tests' scores with one
keyed delete and one insert per table.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import duckdb

from journal.store.rows import PoseScores, Scores
from journal.store.sessions import _LATEST_FIRST, scores_from_head

Cursor = duckdb.DuckDBPyConnection

#: The newest scorer version of each test; the wanted tests are picked in Python (a list parameter
#: tested on every row, or a join to parallel lists, cost more than reading every test's rows).
_LATEST = f"""
WITH latest AS (
    SELECT * FROM session_scores
    QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY {_LATEST_FIRST}) = 1
)"""
_HEADS = f"""{_LATEST}
SELECT session_id, scorer_version, tonus, movement, synkinesis, affected_side, affected_side_source,
       mm_per_unit, side_evidence, scored_at
FROM latest"""
_POSE_FILTER = "(?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], pose))"
_POSES = f"""{_LATEST}
SELECT p.session_id, p.pose, p.symmetry, p.symmetry_low, p.symmetry_high, p.movement, p.movement_left,
       p.movement_right, p.note
FROM pose_scores p JOIN latest l USING (session_id, scorer_version) WHERE {_POSE_FILTER}"""
_REGIONS = f"""{_LATEST}
SELECT r.session_id, r.pose, r.region, r.left_mm, r.right_mm
FROM region_scores r JOIN latest l USING (session_id, scorer_version) WHERE {_POSE_FILTER}
ORDER BY r.session_id, r.pose, r.region"""


def read_latest_scores(
    cur: Cursor, session_ids: Collection[int] | None = None, poses: Collection[str] | None = None
) -> dict[int, Scores]:
    """Return the newest scorer version's scores of each test (of `session_ids`, or all), in 3 queries.

    Tests never scored are left out. Each value equals what `read_scores(cur, id, None)` returns,
    except that with `poses` only those poses' scores are read (charts need the rest pose only).
    """
    wanted = None if session_ids is None else {int(i) for i in session_ids}
    heads = [r for r in cur.execute(_HEADS).fetchall() if wanted is None or r[0] in wanted]
    only = None if poses is None else sorted(poses)
    params: list[Any] = [only, only]
    regions: dict[tuple[int, str], dict[str, tuple[float, float]]] = {}
    for sid, pose, region, left, right in cur.execute(_REGIONS, params).fetchall():
        if wanted is None or sid in wanted:
            regions.setdefault((sid, pose), {})[region] = (left, right)
    by_test: dict[int, dict[str, PoseScores]] = {}
    for sid, pose, sym, low, high, move, left, right, note in cur.execute(_POSES, params).fetchall():
        if wanted is not None and sid not in wanted:
            continue
        interval = (low, high) if low is not None and high is not None else None
        by_test.setdefault(sid, {})[pose] = PoseScores(
            sym, interval, move, left, right, regions.get((sid, pose), {}), note
        )
    out: dict[int, Scores] = {}
    for row in heads:
        out[row[0]] = scores_from_head(row[1:], by_test.get(row[0], {}))
    return out


_DELETE = (
    "DELETE FROM {table} USING (SELECT unnest(?::INTEGER[]) AS sid, unnest(?::VARCHAR[]) AS ver) k "
    "WHERE {table}.session_id = k.sid AND {table}.scorer_version = k.ver"
)
_SESSION_KINDS = ("INTEGER", "VARCHAR", "TIMESTAMP", "DOUBLE", "DOUBLE", "DOUBLE", "VARCHAR", "VARCHAR",
                  "DOUBLE", "DOUBLE")  # fmt: skip
_POSE_KINDS = ("INTEGER", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE",
               "VARCHAR")  # fmt: skip
_REGION_KINDS = ("INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE")


def _insert(cur: Cursor, table: str, kinds: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Insert rows as one statement of parallel lists (far faster than executemany)."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    values = ", ".join(f"unnest(?::{kind}[])" for kind in kinds)
    cur.execute(f"INSERT INTO {table} SELECT {values}", columns)


def write_scores(cur: Cursor, items: Sequence[tuple[int, Scores]], scored_at: datetime) -> None:
    """Write (replacing those versions') scores of many tests in the caller's transaction.

    Six statements whatever the number of tests: a keyed delete and one insert per score table.
    """
    keys = [[sid, s.scorer_version] for sid, s in items]
    if not keys:
        return
    ids, versions = [k[0] for k in keys], [k[1] for k in keys]
    for table in ("session_scores", "pose_scores", "region_scores"):
        cur.execute(_DELETE.format(table=table), [ids, versions])
    heads, poses, regions = [], [], []
    for sid, s in items:
        key = [sid, s.scorer_version]
        heads.append([*key, scored_at, s.tonus, s.movement, s.synkinesis, s.affected_side,
                      s.affected_side_source, s.mm_per_unit, s.side_evidence])  # fmt: skip
        for pose, ps in s.poses.items():
            low, high = ps.symmetry_interval if ps.symmetry_interval is not None else (None, None)
            poses.append([*key, pose, ps.symmetry, low, high, ps.movement, ps.movement_left,
                          ps.movement_right, ps.note])  # fmt: skip
            regions += [[*key, pose, region, lr[0], lr[1]] for region, lr in ps.regions.items()]
    _insert(cur, "session_scores", _SESSION_KINDS, heads)
    _insert(cur, "pose_scores", _POSE_KINDS, poses)
    _insert(cur, "region_scores", _REGION_KINDS, regions)
