"""Every table out of the journal: as Python rows, or as csv/parquet/json files written by DuckDB.

A file export is written into a private temporary folder beside the target (0700, files 0600 from
the start), then renamed into place, so nobody else can read it while it is written, a failure
leaves nothing behind, and no symbolic link in the target is ever followed. It streams: each key
photo becomes a JPEG file of its own (`photos/test-0007_2025-06-03_smile.jpg`), read test by test;
no large table is sorted as a whole; and DuckDB works under a memory limit, spilling to a private
temporary folder when it needs more.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Literal

import duckdb

from journal.errors import UsageError
from journal.store.schema import TABLES

ExportFormat = Literal["csv", "parquet", "json"]
FORMATS: Final[tuple[str, ...]] = ("csv", "parquet", "json")
#: What DuckDB may hold in memory while exporting; beyond it, it spills to a temporary folder.
MEMORY_LIMIT: Final = "256MB"
PHOTOS_DIR: Final = "photos"
#: The most a parquet row group holds before it is written (a small share of MEMORY_LIMIT).
PARQUET_ROW_GROUP: Final = "8MB"

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
#: Tables too large to sort as a whole in a file export: written in the order they were stored
#: (test by test, pose by pose, frame by frame), which is the order a test's rows were saved in.
_UNSORTED: Final[frozenset[str]] = frozenset({"frames"})
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

Readme = Callable[[Path, list[str]], Path]


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


def target_names(fmt: str, photos: bool) -> list[str]:
    """The names a file export puts in its folder (the README aside)."""
    return [f"{t}.{fmt}" for t in tables(photos)] + ([PHOTOS_DIR] if photos else [])


def check_target(dest: Path, names: list[str]) -> None:
    """Refuse an export target that is empty, a symbolic link, a file, or a folder holding anything."""
    if not str(dest).strip() or dest == Path():
        raise UsageError("--out is empty: give the folder to export into (a new or empty one).")
    if dest.is_symlink():
        raise UsageError(f"{dest} is a symbolic link: give a real folder (new or empty) to export into.")
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is a file, not a folder: give a new or empty folder to export into.")
    if dest.is_dir():
        present = sorted(p.name for p in dest.iterdir())
        if present:
            ours = [n for n in names if n in present]
            listed = ours or present
            shown = ", ".join(listed[:20]) + (", …" if len(listed) > 20 else "")
            raise UsageError(f"{dest} already holds {shown}: choose an empty folder for the export.")


@contextlib.contextmanager
def _private_files() -> Iterator[None]:
    """Files created meanwhile are 0600 and folders 0700 from their first instant (umask 077)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


@contextlib.contextmanager
def _limited(cur: duckdb.DuckDBPyConnection, spill: Path) -> Iterator[None]:
    """Run DuckDB under MEMORY_LIMIT, spilling into `spill`, on one thread; put the settings back afterwards.

    With two threads, writing ten years' frames as JSON ran out of memory: each thread's batches of
    rows wait in memory to be written in order.
    """
    cur.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    cur.execute("SET temp_directory = ?", [str(spill)])
    cur.execute("SET threads = 1")
    try:
        yield
    finally:
        for setting in ("memory_limit", "temp_directory", "threads"):
            with contextlib.suppress(duckdb.Error):
                cur.execute(f"RESET {setting}")


def _write_photos(cur: duckdb.DuckDBPyConnection, folder: Path) -> list[tuple[int, str, str]]:
    """Write each key photo as its own JPEG, test by test; return (test, pose, file) rows.

    The folder is made only when there is a photo to put in it.
    """
    index: list[tuple[int, str, str]] = []
    tests = cur.execute("SELECT id, taken_at FROM sessions ORDER BY id").fetchall()
    for session_id, taken_at in tests:
        parts = cur.execute(
            "SELECT pose, jpeg FROM key_photos WHERE session_id = ? ORDER BY pose, part", [session_id]
        ).fetchall()
        photos: dict[str, list[bytes]] = {}
        for pose, jpeg in parts:
            photos.setdefault(pose, []).append(bytes(jpeg))
        for pose, chunks in photos.items():
            folder.mkdir(mode=0o700, exist_ok=True)
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in pose)
            name = f"test-{session_id:04d}_{taken_at:%Y-%m-%d}_{safe}.jpg"
            fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            index.append((session_id, pose, f"{PHOTOS_DIR}/{name}"))
    return index


def _copy(cur: duckdb.DuckDBPyConnection, table: str, fmt: str, target: Path) -> None:
    # Parquet holds a row group in memory before writing it: 122,880 rows by default, all of ten
    # years' frames (~200 MB of landmarks), which failed under MEMORY_LIMIT. Row groups by size instead.
    parquet = f"FORMAT parquet, ROW_GROUP_SIZE_BYTES '{PARQUET_ROW_GROUP}'"
    options = {"csv": "FORMAT csv, HEADER true", "parquet": parquet, "json": "FORMAT json"}[fmt]
    if table == "key_photos":
        sql = "SELECT * FROM photo_index ORDER BY session_id, pose"
    else:
        sql = query(table, text=fmt != "parquet")
        if table in _UNSORTED:
            sql = sql.rsplit(" ORDER BY ", 1)[0]
    cur.execute(f"COPY ({sql}) TO ? ({options})", [str(target)])


def export_files(
    cur: duckdb.DuckDBPyConnection,
    dest: Path,
    fmt: ExportFormat,
    photos: bool,
    readme: Readme | None = None,
) -> list[Path]:
    """Write every table to `dest/<table>.<fmt>` (photos as JPEG files) and return the files.

    `dest` must be new or an empty folder. `readme(folder, files)` may add a README before the
    folder is renamed into place.
    """
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    check_target(dest, target_names(fmt, photos))
    parent = dest.parent
    if not parent.exists():
        from journal.paths import ensure_private_dir

        ensure_private_dir(parent)
    with _private_files():
        work = Path(tempfile.mkdtemp(prefix=".tonus-export-", dir=parent))
        spill = Path(tempfile.mkdtemp(prefix=".tonus-spill-", dir=parent))
    try:
        with _private_files(), _limited(cur, spill):
            written = []
            if photos:
                index = _write_photos(cur, work / PHOTOS_DIR)
                columns = "session_id INTEGER, pose VARCHAR, file VARCHAR"
                cur.execute(f"CREATE OR REPLACE TEMP TABLE photo_index ({columns})")
                if index:
                    cur.executemany("INSERT INTO photo_index VALUES (?, ?, ?)", index)
            for table in tables(photos):
                target = work / f"{table}.{fmt}"
                _copy(cur, table, fmt, target)
                os.chmod(target, 0o600)
                written.append(dest / target.name)
            if readme is not None:
                readme(work, [p.name for p in written])
        check_target(dest, target_names(fmt, photos))  # nothing appeared there meanwhile
        if dest.is_dir():
            dest.rmdir()  # empty (checked): the private folder takes its place
        os.rename(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(spill, ignore_errors=True)
        with contextlib.suppress(duckdb.Error):
            cur.execute("DROP TABLE IF EXISTS photo_index")
    return written
