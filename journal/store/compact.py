"""`tonus compact`: old frames packed, photos brought to the size the screens show, free space given back.

DuckDB never shrinks its file: blocks freed when checkpoints rewrite row groups stay inside it as
free blocks (10-43 % of a ten-year journal). The only way to give them back is to write the
journal again into a new file, so compaction (1) rewrites the float32 frames of journals from before
schema version 3 in the packed form (landmarks.py), (2) re-encodes key photos larger than the
screens and the report need (the caller says how, so this module stays free of image code), then
(3) copies the whole database into a fresh file next to it and puts that in its place. The old file
stays attached read-only until the new one has replaced it, so no other Tonus can write to the old
one in between; an interruption before the replacement leaves the journal as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from journal.store import connect as c
from journal.store.sessions import split_photo
from journal.store.store import Store

#: Frames converted per transaction (about 0.6 MB of old landmarks a session).
_SESSIONS_PER_BATCH = 20
_UPDATE_FRAMES = (
    "UPDATE frames SET landmarks = n.blob FROM (SELECT unnest(?::INTEGER[]) AS sid, "
    "unnest(?::VARCHAR[]) AS pose, unnest(?::INTEGER[]) AS idx, unnest(?::BLOB[]) AS blob) n "
    "WHERE frames.session_id = n.sid AND frames.pose = n.pose AND frames.idx = n.idx"
)


@dataclass(frozen=True, slots=True)
class Compacted:
    """What compaction did: frames packed, photos made smaller, file size before and after (bytes)."""

    frames_packed: int
    photos_resized: int
    bytes_before: int
    bytes_after: int


def _size(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _in_batches(cur: duckdb.DuckDBPyConnection, work: Callable[[], int]) -> int:
    cur.execute("BEGIN TRANSACTION")
    try:
        done = work()
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    cur.execute("COMMIT")
    return done


def pack_old_frames(store: Store) -> int:
    """Rewrite every float32 frame in the packed form, a few tests per transaction; return how many."""
    from journal.store import landmarks as lm

    cur = store.cursor()
    ids = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT session_id FROM frames WHERE octet_length(landmarks) = ? ORDER BY 1",
            [lm.FLOAT32_BYTES],
        ).fetchall()
    ]
    total = 0
    for start in range(0, len(ids), _SESSIONS_PER_BATCH):
        chunk = ids[start : start + _SESSIONS_PER_BATCH]

        def one_batch(chunk: list[int] = chunk) -> int:
            rows = cur.execute(
                "SELECT session_id, pose, idx, landmarks FROM frames "
                "WHERE list_contains(?, session_id) AND octet_length(landmarks) = ?",
                [chunk, lm.FLOAT32_BYTES],
            ).fetchall()
            packed = [(r[0], r[1], r[2], lm.compacted(bytes(r[3]))) for r in rows]
            packed = [p for p in packed if p[3] is not None]
            if packed:
                cur.execute(_UPDATE_FRAMES, [list(col) for col in zip(*packed, strict=True)])
            return len(packed)

        total += _in_batches(cur, one_batch)
    return total


def shrink_photos(store: Store, shrink: Callable[[bytes], bytes | None]) -> int:
    """Replace each key photo by `shrink(photo)` when that returns smaller bytes; return how many."""
    cur = store.cursor()
    keys = cur.execute("SELECT DISTINCT session_id, pose FROM key_photos ORDER BY ALL").fetchall()
    changed = 0
    for sid, pose in keys:
        parts = cur.execute(
            "SELECT jpeg FROM key_photos WHERE session_id = ? AND pose = ? ORDER BY part", [sid, pose]
        ).fetchall()
        photo = b"".join(bytes(p[0]) for p in parts)
        smaller = shrink(photo)
        if smaller is None or len(smaller) >= len(photo):
            continue

        def replace(sid: int = sid, pose: str = pose, smaller: bytes = smaller) -> int:
            cur.execute("DELETE FROM key_photos WHERE session_id = ? AND pose = ?", [sid, pose])
            new = split_photo(smaller)
            cur.execute(
                "INSERT INTO key_photos SELECT ?, ?, unnest(?::SMALLINT[]), unnest(?::BLOB[])",
                [sid, pose, list(range(len(new))), new],
            )
            return 1

        changed += _in_batches(cur, replace)
    return changed


def rewrite_file(path: Path) -> None:
    """Copy the (closed) journal into a fresh file without free blocks and put it in place of the old."""
    fresh = path.with_name(path.name + ".compacting")
    fresh.unlink(missing_ok=True)
    conn = duckdb.connect(":memory:", config=c.CONFIG)
    try:
        conn.execute("ATTACH ? AS old (READ_ONLY)", [str(path)])
        conn.execute(f"ATTACH ? AS new (ROW_GROUP_SIZE {c.ROW_GROUP_SIZE})", [str(fresh)])
        conn.execute("COPY FROM DATABASE old TO new")
        conn.execute("DETACH new")  # checkpoints the copy into its file
        os.chmod(fresh, 0o600)
        with fresh.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(fresh, path)  # the old file is still attached: no other Tonus wrote to it meanwhile
        conn.execute("DETACH old")
    except duckdb.Error as exc:
        fresh.unlink(missing_ok=True)
        raise c.explain(exc, path, "compact the journal") from None
    finally:
        conn.close()
        fresh.with_name(fresh.name + ".wal").unlink(missing_ok=True)


def compact_journal(path: Path, shrink: Callable[[bytes], bytes | None] | None = None) -> Compacted:
    """Pack old frames, shrink photos with `shrink` (when given) and give free blocks back to the disk."""
    before = _size(path)
    with Store.open(path) as store:
        with store._errors("compact the journal"):
            frames = pack_old_frames(store)
            photos = shrink_photos(store, shrink) if shrink is not None else 0
        store.checkpoint()
    rewrite_file(path)
    return Compacted(frames, photos, before, _size(path))
