"""Reading imported photos' EXIF capture conditions (journal v4) back, summed up per test."""

from __future__ import annotations

import duckdb

from journal.store.rows import CaptureConditions

Cursor = duckdb.DuckDBPyConnection


def read_capture_conditions(cur: Cursor, session_id: int | None = None) -> dict[int, CaptureConditions]:
    """Imported tests' EXIF capture conditions (all, or one) by test id; tests without any are left out."""
    where = "" if session_id is None else "AND session_id = ?"
    rows = cur.execute(
        "SELECT session_id, min(photo_taken_at), max(photo_taken_at), "
        "list(DISTINCT orientation ORDER BY orientation) FILTER (WHERE orientation IS NOT NULL), "
        "list(DISTINCT camera ORDER BY camera) FILTER (WHERE camera IS NOT NULL) FROM poses "
        "WHERE (photo_taken_at IS NOT NULL OR orientation IS NOT NULL OR camera IS NOT NULL) "
        f"{where} GROUP BY session_id",
        [] if session_id is None else [session_id],
    ).fetchall()
    return {
        int(sid): CaptureConditions(first, last, tuple(turns or ()), tuple(cameras or ()))
        for sid, first, last, turns, cameras in rows
    }
