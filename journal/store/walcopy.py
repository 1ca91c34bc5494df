"""Before a leftover write-ahead log is replayed, keep a copy of the journal and its log.

A Tonus that stopped without closing the journal (killed, power cut) leaves `journal.duckdb.wal`
beside the journal. DuckDB replays that log when the journal is next opened and, once the journal
is written, folds it in and deletes it. A damaged log is replayed only up to the damage, silently:
what followed would be lost with the deleted file. So the first opening that finds a log nobody is
using copies both files into the journal's `recovery/` folder first, and the person is told.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
from datetime import datetime
from pathlib import Path

RECOVERY_DIR = "recovery"


def wal_of(path: Path) -> Path:
    """Return the write-ahead log that DuckDB keeps beside the journal at `path`."""
    return path.with_name(path.name + ".wal")


def in_use(path: Path) -> bool:
    """True when another process holds a lock on the journal file (it is open there right now)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
        kind = struct.unpack("hhqqi", answer)[0]
        return bool(kind != fcntl.F_UNLCK)
    except OSError:
        return False
    finally:
        os.close(fd)


def keep_leftover_log(path: Path) -> Path | None:
    """Copy the journal and its leftover log into `recovery/<time>/`; return that folder, else None.

    Nothing is copied when there is no log, when it is empty, when another process is using the
    journal (its log is live, not left over), or when this log was copied already. The copy is
    private (0700/0600). An OSError (e.g. a read-only disk) is raised for the caller to report.
    """
    wal = wal_of(path)
    try:
        info = wal.stat()
    except OSError:
        return None
    if info.st_size == 0 or not path.is_file() or in_use(path):
        return None
    stamp = datetime.fromtimestamp(info.st_mtime).strftime("%Y%m%d-%H%M%S")
    target = path.parent / RECOVERY_DIR / f"{stamp}-{info.st_size}"
    if target.exists():
        return None
    target.parent.mkdir(mode=0o700, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    for source in (path, wal):
        copy = partial / source.name
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
    partial.rename(target)
    return target


def leftover_message(folder: Path) -> str:
    """The sentence a person reads when a leftover log was kept."""
    return (
        "Tonus was stopped last time without closing the journal; before reading what it left, a copy "
        f"of the journal and its write-ahead log was kept in {folder}. If entries or tests are missing, "
        "keep that folder and restore from a backup."
    )
