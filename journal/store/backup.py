"""`tonus backup`: the whole journal in one consistent archive, encrypted with a passphrase when asked.

The archive is a tar file holding `tonus-backup/db/` (the database exported by DuckDB's
`EXPORT DATABASE` as Parquet files with `schema.sql` and `load.sql`, in one transaction, so it is
consistent) and `tonus-backup/manifest.json` (the journal's schema version, the number of rows of
every table, and the size and SHA-256 of every file). With a passphrase, the tar file is encrypted
in the age format (https://age-encryption.org, through `pyrage`) and named `.tar.age`. A backup is
written to a private temporary file and renamed into place, so a backup file is always whole.

Plain DuckDB can read a backup without Tonus: untar it and `IMPORT DATABASE 'tonus-backup/db'`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import duckdb

from journal import __version__
from journal.errors import TonusError, UsageError
from journal.store.schema import APP, TABLES

FORMAT: Final = "tonus-backup/1"
ROOT: Final = "tonus-backup"
AGE_MAGIC: Final = b"age-encryption.org/v1"
BACKUPS_DIR: Final = "backups"
AUTO_PREFIX: Final = "auto-"
#: How many automatic backups (one after each weekly test) are kept in the data directory.
AUTO_KEEP: Final = 5


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_name(encrypted: bool, now: datetime | None = None, prefix: str = "tonus-backup-") -> str:
    """The file name of a backup made now: tonus-backup-2025-06-03-0815.tar(.age)."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return f"{prefix}{stamp}.tar" + (".age" if encrypted else "")


@contextlib.contextmanager
def private_tempdir(parent: Path | None = None) -> Iterator[Path]:
    """A temporary folder only the user can enter (0700), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=".tonus-backup-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _export(cur: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, Any]:
    """Export the database into `folder` and count every table's rows, in one transaction."""
    database = cur.execute("SELECT current_database()").fetchone()
    name = str(database[0]) if database else "journal"
    cur.execute("BEGIN TRANSACTION")
    try:
        quoted = str(folder).replace("'", "''")  # EXPORT takes no parameter; the folder is ours
        cur.execute(f"EXPORT DATABASE \"{name}\" TO '{quoted}' (FORMAT parquet)")
        present = {r[0] for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()}  # fmt: skip
        counts: dict[str, Any] = {}
        sequences = cur.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() "
            "WHERE database_name = current_database()"
        ).fetchall()
        counts["__sequences__"] = {name: last for name, last in sequences if last is not None}
        for table in TABLES:
            if table in present:
                row = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
                counts[table] = int(row[0]) if row else 0
    finally:
        cur.execute("COMMIT")
    return counts


def manifest(folder: Path, counts: dict[str, Any], schema_version: int) -> dict[str, Any]:
    """Describe an exported database folder: schema version, row counts, every file's size and sha256."""
    files = {p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)} for p in sorted(folder.iterdir())}
    counts = dict(counts)
    sequences = counts.pop("__sequences__", {})
    return {
        "format": FORMAT,
        "app": APP,
        "tonus_version": __version__,
        "schema_version": schema_version,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "tables": counts,
        "sequences": sequences,
        "files": files,
    }


def _tar(folder: Path, info: dict[str, Any], target: Path) -> None:
    """Write the archive: the manifest first, then the exported files."""
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        data = json.dumps(info, indent=2).encode("utf-8")
        member = tarfile.TarInfo(f"{ROOT}/manifest.json")
        member.size, member.mode, member.mtime = len(data), 0o600, int(datetime.now().timestamp())
        tar.addfile(member, io.BytesIO(data))
        for path in sorted(folder.iterdir()):
            member = tar.gettarinfo(str(path), arcname=f"{ROOT}/db/{path.name}")
            member.mode, member.uid, member.gid, member.uname, member.gname = 0o600, 0, 0, "", ""
            with path.open("rb") as fh:
                tar.addfile(member, fh)


def _place(source: Path, out: Path, passphrase: str | None) -> None:
    """Encrypt when asked, write `out` privately (0600, never over a file), fsync, rename into place."""
    partial = out.with_name(f".{out.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            if passphrase is None:
                with source.open("rb") as src:
                    shutil.copyfileobj(src, fh, 1 << 20)
            else:
                from pyrage import passphrase as age

                fh.write(age.encrypt(source.read_bytes(), passphrase))
            fh.flush()
            os.fsync(fh.fileno())
        if out.exists() or out.is_symlink():
            raise UsageError(f"{out} already exists: choose another file name for the backup.")
        os.rename(partial, out)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def write_backup(
    cur: duckdb.DuckDBPyConnection, out: Path, schema_version: int, passphrase: str | None = None
) -> dict[str, Any]:
    """Write a backup of the journal behind `cur` to `out`; return its manifest."""
    if not str(out).strip() or out == Path():
        raise UsageError("--out is empty: give the file to write the backup to.")
    if out.exists() or out.is_symlink():
        raise UsageError(f"{out} already exists: choose another file name for the backup.")
    if passphrase is not None and not passphrase:
        raise UsageError("The passphrase is empty: type one, or leave out --passphrase.")
    parent = out.parent
    if not parent.exists():
        from journal.paths import ensure_private_dir

        ensure_private_dir(parent)
    with private_tempdir(parent) as work:
        db = work / "db"
        counts = _export(cur, db)
        info = manifest(db, counts, schema_version)
        archive = work / "backup.tar"
        _tar(db, info, archive)
        _place(archive, out, passphrase)
    return info


def auto_backup(data_dir: Path, now: datetime, backup: Callable[[Path], object]) -> Path | None:
    """Call `backup(file)` for a new automatic backup in `data_dir/backups/`, then keep the newest few.

    Returns the new file, or None when it failed: an automatic backup never fails what called it.
    """
    from journal.paths import ensure_private_dir

    try:
        folder = ensure_private_dir(data_dir / BACKUPS_DIR)
        out = folder / default_name(False, now, prefix=AUTO_PREFIX)
        backup(out)
        prune_auto(folder)
    except (OSError, duckdb.Error, TonusError):  # the journal's own errors (StoreError) included
        return None
    return out


def prune_auto(folder: Path, keep: int = AUTO_KEEP) -> list[Path]:
    """Remove all but the newest `keep` automatic backups in `folder`; return the removed ones."""
    autos = sorted(p for p in folder.glob(f"{AUTO_PREFIX}*.tar") if p.is_file() and not p.is_symlink())
    gone = autos[: max(len(autos) - keep, 0)]
    for path in gone:
        with contextlib.suppress(OSError):
            path.unlink()
    return gone
