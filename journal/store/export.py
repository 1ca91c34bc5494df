"""Every table out of the journal: as Python rows, or as csv/parquet/json files written by DuckDB."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final, Literal

import duckdb

from journal.errors import UsageError
from journal.store.schema import TABLES

ExportFormat = Literal["csv", "parquet", "json"]
FORMATS: Final[tuple[str, ...]] = ("csv", "parquet", "json")

_ORDER: Final[dict[str, str]] = {
    "meta": "key",
    "profile": "id",
    "sessions": "id",
    "poses": "session_id, pose",
    "key_photos": "session_id, pose",  # one row a photo, put back together from its parts
    "blendshape_names": "position",
    "frames": "session_id, pose, idx",
    "session_scores": "session_id, scorer_version",
    "pose_scores": "session_id, scorer_version, pose",
    "region_scores": "session_id, scorer_version, pose, region",
    "entries": "id",
    "events": "id",
}
#: Text formats cannot hold bytes, so landmarks (478×3, packed or older float32: see landmarks.py)
#: and photos go as base64.
_TEXT_COLUMNS: Final[dict[str, str]] = {
    "frames": "session_id, pose, idx, to_base64(landmarks) AS landmarks_base64, blendshapes, "
    "yaw, pitch, width, height",
    "key_photos": "session_id, pose, to_base64(jpeg) AS jpeg_base64",
}
_PHOTOS = (
    "(SELECT session_id, pose, list_reduce(list(jpeg ORDER BY part), lambda a, b: a || b) AS jpeg "
    "FROM key_photos GROUP BY session_id, pose)"
)


def tables(photos: bool) -> list[str]:
    """Return the tables to export, leaving the key photos out unless asked."""
    return [t for t in TABLES if photos or t != "key_photos"]


def query(table: str, text: bool = False) -> str:
    """Return the SELECT that exports `table` in a stable order (base64 for bytes in text formats)."""
    columns = _TEXT_COLUMNS.get(table, "*") if text else "*"
    source = _PHOTOS if table == "key_photos" else table
    return f"SELECT {columns} FROM {source} ORDER BY {_ORDER[table]}"


def export_rows(cur: duckdb.DuckDBPyConnection, photos: bool) -> dict[str, list[dict[str, Any]]]:
    """Return every table as a list of dicts (column → Python value), in a stable order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables(photos):
        result = cur.execute(query(table))
        names = [d[0] for d in result.description or []]
        out[table] = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    return out


def export_files(cur: duckdb.DuckDBPyConnection, dest: Path, fmt: ExportFormat, photos: bool) -> list[Path]:
    """Write every table to `dest/<table>.<fmt>` with COPY, refusing to overwrite any file."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    targets = [(t, dest / f"{t}.{fmt}") for t in tables(photos)]
    taken = [p.name for _, p in targets if p.exists()]
    if taken:
        raise UsageError(f"{dest} already holds {', '.join(taken)}: choose an empty folder for the export.")
    # Exports hold health data: a new folder is private, and so is each file.
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    options = {"csv": "FORMAT csv, HEADER true", "parquet": "FORMAT parquet", "json": "FORMAT json"}[fmt]
    written = []
    for table, target in targets:
        cur.execute(f"COPY ({query(table, text=fmt != 'parquet')}) TO ? ({options})", [str(target)])
        os.chmod(target, 0o600)
        written.append(target)
    return written
