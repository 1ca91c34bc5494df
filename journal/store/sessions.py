"""Tests in the journal: checking, writing and reading sessions, their frames, photos and scores."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from journal.errors import UsageError
from journal.protocol import POSE_NAMES, is_pose_name
from journal.scoring.version import LANDMARKS_MODEL, LANDMARKS_REFINED
from journal.store import validate as v
from journal.store.rows import (
    FrameRecord,
    HistoryRow,
    NewFrame,
    NewPose,
    NewSession,
    PoseRecord,
    PoseScores,
    Scores,
    TestSession,
)

if TYPE_CHECKING:  # annotations only: `tonus log` and `history` never load numpy
    import numpy as np

Cursor = duckdb.DuckDBPyConnection
#: MediaPipe's face mesh (journal.models.N_LANDMARKS, not imported: it loads numpy).
N_LANDMARKS = 478
_JPEG_MAGIC = b"\xff\xd8\xff"
SESSION_COLUMNS = "id, taken_at, protocol, scorer_version, source, tiredness, note, landmarks"
#: The newest scorer version wins: "tonus-scorer/10" is newer than "tonus-scorer/9", then latest scored.
_LATEST_FIRST = (
    "TRY_CAST(regexp_extract(scorer_version, '(\\d+)$', 1) AS INTEGER) DESC NULLS LAST, scored_at DESC"
)


def check_pose_name(pose: object) -> str:
    """Return a protocol pose name, else raise a UsageError listing them."""
    if not isinstance(pose, str) or not is_pose_name(pose):
        raise UsageError(f"Unknown pose {pose!r}: use one of {', '.join(POSE_NAMES)}.")
    return pose


@functools.lru_cache(maxsize=256)
def _check_blendshape_name(name: str) -> None:
    """Check a blendshape name once: the same 52 names come with every frame (the demo's 700 frames
    spent about a second of CPU checking them again and again)."""
    v.check_text(name, "blendshape name", required=True)


@functools.lru_cache(maxsize=1024)
def _check_label(value: str, what: str, required: bool) -> None:
    """Check a short text that repeats (a region name, a scorer's note) once per wording: re-scoring
    ten years checked the same 40 region names and a dozen notes 25,000 times, a character at a time."""
    v.check_text(value, what, required=required)


def _check_text(value: object, what: str, required: bool = False) -> None:
    if isinstance(value, str) and len(value) <= 200:
        _check_label(value, what, required)
    else:
        v.check_text(value, what, required=required)


def _check_frame(pose: str, frame: NewFrame) -> None:
    from journal.store import landmarks as lm  # numpy only for commands that store frames

    v.check_count(frame.index, f"frame index of {pose}")
    shape = lm.shape_of(frame.landmarks)
    if shape != (N_LANDMARKS, 3):
        raise UsageError(
            f"Frame {frame.index} of {pose} has landmarks of shape {shape}, not ({N_LANDMARKS}, 3): "
            "store the landmarker's full face mesh."
        )
    if not lm.all_finite(frame.landmarks):
        raise UsageError(
            f"Frame {frame.index} of {pose} has landmarks that are not numbers: drop that frame."
        )
    for name, value in frame.blendshapes.items():
        if isinstance(name, str):
            _check_blendshape_name(name)
        else:
            v.check_text(name, "blendshape name", required=True)  # refused: not text
        v.check_number(value, f"blendshape {name} of {pose} frame {frame.index}", optional=False)
    v.check_number(frame.yaw, f"yaw of {pose} frame {frame.index}")
    v.check_number(frame.pitch, f"pitch of {pose} frame {frame.index}")
    v.check_count(frame.width, f"image width of {pose} frame {frame.index}")
    v.check_count(frame.height, f"image height of {pose} frame {frame.index}")


def _check_pose(pose: NewPose) -> None:
    name = check_pose_name(pose.pose)
    v.check_count(pose.frames_seen, f"number of frames seen for {name}")
    v.check_count(pose.frames_used, f"number of frames used for {name}")
    for reason, count in pose.rejected.items():
        v.check_text(reason, f"rejection reason for {name}", required=True)
        v.check_count(count, f"count of frames rejected for {reason} in {name}")
    v.check_text(pose.camera, f"camera of {name}")
    if pose.orientation is not None and pose.orientation not in range(1, 9):
        raise UsageError(
            f"The photo orientation {pose.orientation!r} of {name} is not an EXIF orientation 1–8."
        )
    photo = pose.key_photo_jpeg
    if photo is not None and (not isinstance(photo, bytes) or not photo.startswith(_JPEG_MAGIC)):
        raise UsageError(f"The key photo of {name} is not a JPEG image: encode it as JPEG before saving.")
    indices = [f.index for f in pose.frames]
    if len(set(indices)) != len(indices):
        raise UsageError(f"The frames of {name} repeat an index: number each frame once.")
    for frame in pose.frames:
        _check_frame(name, frame)


def check_scores(scores: Scores) -> None:
    """Raise a UsageError when scores hold an unknown side, pose or a non-finite number."""
    v.check_text(scores.scorer_version, "scorer version", required=True)
    v.check_optional_choice(scores.affected_side, v.AFFECTED_SIDES, "affected side")
    v.check_choice(scores.affected_side_source, v.SIDE_SOURCES, "affected-side source")
    v.check_number(scores.mm_per_unit, "mm-per-unit scale", optional=False, positive=True)
    for what in ("tonus", "movement", "synkinesis", "side_evidence"):
        v.check_number(getattr(scores, what), f"{what} score")
    for pose, ps in scores.poses.items():
        check_pose_name(pose)
        for what in ("symmetry", "movement", "movement_left", "movement_right"):
            v.check_number(getattr(ps, what), f"{what} of {pose}")
        for bound in ps.symmetry_interval or ():
            v.check_number(bound, f"symmetry interval of {pose}", optional=False)
        for region, (left, right) in ps.regions.items():
            _check_text(region, f"region name of {pose}", required=True)
            v.check_number(left, f"left {region} of {pose}")
            v.check_number(right, f"right {region} of {pose}")
        _check_text(ps.note, f"note of {pose}")


def check_session(session: NewSession, now: datetime) -> datetime:
    """Check a whole test before anything is written; return its time as naive local time."""
    taken_at = v.check_when(session.taken_at, now, "test time")
    v.check_text(session.protocol, "protocol", required=True)
    v.check_text(session.scorer_version, "scorer version", required=True)
    v.check_choice(session.source, v.SESSION_SOURCES, "test source")
    v.check_choice(session.landmarks, (LANDMARKS_MODEL, LANDMARKS_REFINED), "landmark method")
    if session.tiredness is not None:
        v.check_scale(session.tiredness, "tiredness")
    v.check_text(session.note, "note")
    if not session.poses:
        raise UsageError("The test has no poses: capture at least one pose before saving.")
    names = [p.pose for p in session.poses]
    if len(set(names)) != len(names):
        raise UsageError("The test holds the same pose twice: keep one capture per pose.")
    for pose in session.poses:
        _check_pose(pose)
    if session.scores is not None:
        check_scores(session.scores)
    return taken_at


def _blendshape_positions(cur: Cursor, sessions: NewSession) -> dict[str, int]:
    known: dict[str, int] = dict(cur.execute("SELECT name, position FROM blendshape_names").fetchall())
    wanted = sorted({n for p in sessions.poses for f in p.frames for n in f.blendshapes} - known.keys())
    start = max(known.values(), default=-1) + 1
    added = [(start + i, name) for i, name in enumerate(wanted)]
    if added:
        cur.executemany("INSERT INTO blendshape_names VALUES (?, ?)", added)
    known.update({name: pos for pos, name in added})
    return known


#: All frames of a pose in one statement: parallel lists unnested into rows (5× faster than executemany).
_INSERT_FRAMES = (
    "INSERT INTO frames SELECT ?, ?, unnest(?::INTEGER[]), unnest(?::BLOB[]), unnest(?::FLOAT[][]), "
    "unnest(?::DOUBLE[]), unnest(?::DOUBLE[]), unnest(?::INTEGER[]), unnest(?::INTEGER[])"
)


#: Photos go in as 6 KiB parts: small rows keep DuckDB's checkpoints cheap (see schema.py).
PHOTO_PART = 6 * 1024
_INSERT_PHOTO = "INSERT INTO key_photos SELECT ?, ?, unnest(?::SMALLINT[]), unnest(?::BLOB[])"


def split_photo(jpeg: bytes) -> list[bytes]:
    """Cut a photo into the parts stored as rows of `key_photos`."""
    return [jpeg[i : i + PHOTO_PART] for i in range(0, len(jpeg), PHOTO_PART)] or [b""]


def read_photo(cur: Cursor, session_id: int, pose: str) -> bytes | None:
    """Return a stored key photo put back together, or None."""
    rows = cur.execute(
        "SELECT jpeg FROM key_photos WHERE session_id = ? AND pose = ? ORDER BY part", [session_id, pose]
    ).fetchall()
    return b"".join(bytes(r[0]) for r in rows) if rows else None


def _blend_list(frame: NewFrame, positions: dict[str, int]) -> list[float | None]:
    if not frame.blendshapes:
        return []
    blend: list[float | None] = [None] * (max(positions[n] for n in frame.blendshapes) + 1)
    for name, value in frame.blendshapes.items():
        blend[positions[name]] = float(value)
    return blend


def _frame_columns(frames: list[NewFrame], positions: dict[str, int]) -> list[list[Any]]:
    from journal.store import landmarks as lm

    return [
        [f.index for f in frames],
        [lm.encode(f.landmarks) for f in frames],
        [_blend_list(f, positions) for f in frames],
        [None if f.yaw is None else float(f.yaw) for f in frames],
        [None if f.pitch is None else float(f.pitch) for f in frames],
        [f.width for f in frames],
        [f.height for f in frames],
    ]


def insert_session(
    cur: Cursor,
    session: NewSession,
    taken_at: datetime,
    scored_at: datetime,
    on_pose: Callable[[str], None] | None = None,
) -> int:
    """Write a checked test inside the caller's transaction and return its id."""
    row = cur.execute(
        "INSERT INTO sessions (taken_at, protocol, scorer_version, tiredness, note, source, landmarks) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            taken_at,
            session.protocol,
            session.scorer_version,
            session.tiredness,
            session.note,
            session.source,
            session.landmarks,
        ],  # fmt: skip
    ).fetchone()
    assert row is not None
    session_id = int(row[0])
    positions = _blendshape_positions(cur, session)
    for pose in session.poses:
        reasons = sorted(pose.rejected)
        cur.execute(
            "INSERT INTO poses VALUES (?, ?, ?, ?, MAP(?::VARCHAR[], ?::INTEGER[]), ?, ?, ?)",
            [
                session_id,
                pose.pose,
                pose.frames_seen,
                pose.frames_used,
                reasons,
                [pose.rejected[r] for r in reasons],
                pose.photo_taken_at,
                pose.orientation,
                pose.camera,
            ],
        )
        if pose.key_photo_jpeg is not None:
            parts = split_photo(pose.key_photo_jpeg)
            cur.execute(_INSERT_PHOTO, [session_id, pose.pose, list(range(len(parts))), parts])
        if pose.frames:
            cur.execute(_INSERT_FRAMES, [session_id, pose.pose, *_frame_columns(pose.frames, positions)])
        if on_pose is not None:
            on_pose(pose.pose)
    if session.scores is not None:
        insert_scores(cur, session_id, session.scores, scored_at)
    return session_id


def insert_scores(cur: Cursor, session_id: int, scores: Scores, scored_at: datetime) -> None:
    """Write (replacing) one scorer version's scores of a test, inside the caller's transaction."""
    key = [session_id, scores.scorer_version]
    for table in ("session_scores", "pose_scores", "region_scores"):
        cur.execute(f"DELETE FROM {table} WHERE session_id = ? AND scorer_version = ?", key)
    cur.execute(
        "INSERT INTO session_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*key, scored_at, scores.tonus, scores.movement, scores.synkinesis, scores.affected_side,
         scores.affected_side_source, scores.mm_per_unit, scores.side_evidence],
    )  # fmt: skip
    pose_rows = []
    region_rows = []
    for pose, ps in scores.poses.items():
        low, high = ps.symmetry_interval if ps.symmetry_interval is not None else (None, None)
        pose_rows.append(
            [*key, pose, ps.symmetry, low, high, ps.movement, ps.movement_left, ps.movement_right, ps.note]
        )
        region_rows += [[*key, pose, region, lr[0], lr[1]] for region, lr in ps.regions.items()]
    if pose_rows:
        cur.executemany("INSERT INTO pose_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pose_rows)
    if region_rows:
        cur.executemany("INSERT INTO region_scores VALUES (?, ?, ?, ?, ?, ?)", region_rows)


def session_from_row(row: tuple[Any, ...]) -> TestSession:
    """Build a TestSession from a row selected with SESSION_COLUMNS."""
    return TestSession(row[0], row[1], row[2], row[3], row[4] or "import", row[5], row[6], row[7] or "model")


def read_scores(cur: Cursor, session_id: int, scorer_version: str | None) -> Scores | None:
    """Return one version's scores of a test (the newest version when None), or None."""
    head = cur.execute(
        "SELECT scorer_version, tonus, movement, synkinesis, affected_side, affected_side_source, "
        "mm_per_unit, side_evidence, scored_at FROM session_scores WHERE session_id = ? "
        "AND (? IS NULL OR scorer_version = ?) ORDER BY " + _LATEST_FIRST + " LIMIT 1",
        [session_id, scorer_version, scorer_version],
    ).fetchone()
    if head is None:
        return None
    key = [session_id, head[0]]
    regions: dict[str, dict[str, tuple[float, float]]] = {}
    for pose, region, left, right in cur.execute(
        "SELECT pose, region, left_mm, right_mm FROM region_scores "
        "WHERE session_id = ? AND scorer_version = ? ORDER BY pose, region",
        key,
    ).fetchall():
        regions.setdefault(pose, {})[region] = (left, right)
    poses = {}
    for pose, sym, low, high, move, left, right, note in cur.execute(
        "SELECT pose, symmetry, symmetry_low, symmetry_high, movement, movement_left, movement_right, note "
        "FROM pose_scores WHERE session_id = ? AND scorer_version = ?",
        key,
    ).fetchall():
        interval = (low, high) if low is not None and high is not None else None
        poses[pose] = PoseScores(sym, interval, move, left, right, regions.get(pose, {}), note)
    return scores_from_head(head, poses)


def scores_from_head(head: Sequence[Any], poses: dict[str, PoseScores]) -> Scores:
    """Build a test's Scores from its session_scores row (scorer_version … scored_at) and its poses."""
    return Scores(
        scorer_version=head[0],
        tonus=head[1],
        movement=head[2],
        synkinesis=head[3],
        affected_side=head[4],
        affected_side_source=head[5],
        mm_per_unit=head[6],
        side_evidence=head[7],
        poses={p: poses[p] for p in sorted(poses, key=_pose_order)},
        scored_at=head[8],
    )


def _pose_order(pose: str) -> int:
    return POSE_NAMES.index(pose) if pose in POSE_NAMES else len(POSE_NAMES)


def read_poses(cur: Cursor, session_id: int) -> list[PoseRecord]:
    """Return the poses of a test in protocol order, with counts and whether a photo is kept."""
    rows = cur.execute(
        "SELECT p.pose, p.frames_seen, p.frames_used, p.rejected, k.pose IS NOT NULL, "
        "p.photo_taken_at, p.orientation, p.camera FROM poses p "
        "LEFT JOIN key_photos k ON k.session_id = p.session_id AND k.pose = p.pose AND k.part = 0 "
        "WHERE p.session_id = ?",
        [session_id],
    ).fetchall()
    records = [PoseRecord(r[0], r[1], r[2], dict(r[3] or {}), bool(r[4]), r[5], r[6], r[7]) for r in rows]
    return sorted(records, key=lambda r: _pose_order(r.pose))


def read_frames(cur: Cursor, session_id: int) -> dict[str, list[FrameRecord]]:
    """Return a test's stored frames by pose (protocol order), each with its landmarks and blendshapes."""
    from journal.store import landmarks as lm

    names = dict(cur.execute("SELECT position, name FROM blendshape_names").fetchall())
    out: dict[str, list[FrameRecord]] = {}
    for pose, idx, blob, blend, yaw, pitch, width, height in cur.execute(
        "SELECT pose, idx, landmarks, blendshapes, yaw, pitch, width, height FROM frames "
        "WHERE session_id = ? ORDER BY pose, idx",
        [session_id],
    ).fetchall():
        landmarks = lm.decode(blob)
        shapes = {names[i]: float(x) for i, x in enumerate(blend or []) if x is not None}
        out.setdefault(pose, []).append(FrameRecord(pose, idx, landmarks, shapes, yaw, pitch, width, height))
    return {p: out[p] for p in sorted(out, key=_pose_order)}


def read_first_landmarks(cur: Cursor, pose: str) -> list[tuple[int, np.ndarray]]:
    """Return (test id, landmarks) of the first stored frame of `pose` in every test, in one query."""
    from journal.store import landmarks as lm

    rows = cur.execute(
        "SELECT session_id, landmarks FROM frames WHERE pose = ? "
        "QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY idx) = 1 ORDER BY session_id",
        [pose],
    ).fetchall()
    return [(int(sid), lm.decode(blob)) for sid, blob in rows]


_HISTORY = f"""
WITH latest AS (
    SELECT session_id, scorer_version, tonus, movement, synkinesis, affected_side FROM session_scores
    QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY {_LATEST_FIRST}) = 1
), per_pose AS (
    SELECT p.session_id, list((p.pose, p.movement, p.symmetry)) AS poses
    FROM pose_scores p JOIN latest l USING (session_id, scorer_version)
    GROUP BY p.session_id
)
SELECT s.id, s.taken_at, s.protocol, s.scorer_version, s.source, s.tiredness, s.note, s.landmarks,
       l.scorer_version, l.tonus, l.movement, l.synkinesis, l.affected_side, pp.poses
FROM sessions s
LEFT JOIN latest l ON l.session_id = s.id
LEFT JOIN per_pose pp ON pp.session_id = s.id
ORDER BY s.taken_at, s.id
"""


def read_history(cur: Cursor) -> list[HistoryRow]:
    """Return every test, oldest first, with its newest scorer version's scores (one query)."""
    out = []
    for row in cur.execute(_HISTORY).fetchall():
        items = sorted(row[13] or [], key=lambda t: _pose_order(t[0]))
        out.append(
            HistoryRow(
                session=session_from_row(row[:8]),
                scorer_version=row[8],
                tonus=row[9],
                movement=row[10],
                synkinesis=row[11],
                affected_side=row[12],
                pose_movement={t[0]: t[1] for t in items},
                pose_symmetry={t[0]: t[2] for t in items},
            )
        )
    return out
