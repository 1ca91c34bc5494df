"""Cheap whole-table reads of a journal: a fingerprint of what the status shows, and a check after writes.

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


def _hashes(tables: tuple[str, ...]) -> str:
    return " UNION ALL ".join(
        f"SELECT '{name}', count(*), coalesce(sum(hash(row_)), 0) FROM {name} AS row_" for name in tables
    )


def fingerprint(cur: duckdb.DuckDBPyConnection) -> str:
    """A text that changes whenever any row of the status's tables changes (count and a sum of row hashes)."""
    rows = cur.execute(_hashes(STATUS_TABLES)).fetchall()
    return ";".join(f"{name}:{count}:{total}" for name, count, total in sorted(rows))
