"""Cheap whole-table reads of a journal: a fingerprint of what the status shows, and a check after writes.

`check` runs after every write, once the log is folded into the file: it reads every small table whole
and the large ones (frames, key photos) by their key columns, so a damaged block met on the way makes
the writing command fail with the "damaged, restore a backup" sentence instead of reporting success and
leaving the next read to find it. DuckDB verifies a block's checksum when it loads it; it has no cheaper
integrity check. The landmark and photo bytes themselves are not read (hundreds of MB on a ten-year
journal): damage there is found by the export or the backup that reads them.

`fingerprint` hashes every row of the tables the status's scores, recovery state and safety prompts are
computed from (the profile, the tests and their scores), so a cached status can be carried over a write
that did not touch them (a sensation logged) and refreshed when it did. It reads a few thousand small rows
on a ten-year journal (milliseconds) and no photos or frames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import duckdb

#: The tables the status's content is computed from.
STATUS_TABLES: Final = ("profile", "sessions", "session_scores", "pose_scores", "region_scores")
#: Tables read whole after a write: small (a few thousand rows on a ten-year journal).
WHOLE_TABLES: Final = (*STATUS_TABLES, "meta", "entries", "events", "poses", "blendshape_names")
#: Large tables, read after a write by these columns only (not the landmark or photo bytes).
KEY_COLUMNS: Final = {
    "frames": "session_id, pose, idx, yaw, pitch, width, height",
    "key_photos": "session_id, pose, part",
}


def _hashes(tables: tuple[str, ...]) -> str:
    return " UNION ALL ".join(
        f"SELECT '{name}', count(*), coalesce(sum(hash(row_)), 0) FROM {name} AS row_" for name in tables
    )


def fingerprint(cur: duckdb.DuckDBPyConnection) -> str:
    """A text that changes whenever any row of the status's tables changes (count and a sum of row hashes)."""
    rows = cur.execute(_hashes(STATUS_TABLES)).fetchall()
    return ";".join(f"{name}:{count}:{total}" for name, count, total in sorted(rows))


def check(cur: duckdb.DuckDBPyConnection) -> None:
    """Read every small table whole and the large ones by their key columns; DuckDB raises on a bad block."""
    cur.execute(_hashes(WHOLE_TABLES)).fetchall()
    for table, columns in KEY_COLUMNS.items():
        cur.execute(f"SELECT count(*), sum(hash({columns})) FROM {table}").fetchall()
