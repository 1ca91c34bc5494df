"""Opening a journal file safely: refuse foreign files, explain locks, keep new journals private."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from journal.errors import TonusError
from journal.paths import data_dir, ensure_private_dir
from journal.store import schema

JOURNAL_FILENAME = "journal.duckdb"
#: No extension is ever downloaded: parquet, json and icu are built into the wheel.
CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
#: Small row groups bound what a checkpoint rewrites (see schema.py); 2048 is DuckDB's minimum.
ROW_GROUP_SIZE = 2048
#: The Store checkpoints itself once the write-ahead log passes this; DuckDB's own automatic
#: checkpoint runs on the committing cursor, which does not merge row groups (see Store.checkpoint).
WAL_LIMIT = 16 * 1024 * 1024
#: The name the journal file is attached under; every cursor switches to it.
DATABASE = "journal"
_MAGIC = b"DUCK"
_PID = re.compile(r"\(PID (\d+)\)")
_HOLDER = re.compile(r"held in (.+?) \(PID")


class StoreError(TonusError):
    """The journal could not do what was asked; the message says why and what to do."""


class JournalLockedError(StoreError):
    """Another process holds the journal's write lock."""

    def __init__(self, message: str, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid


class ForeignFileError(StoreError):
    """The file at the journal path is not a Tonus journal; it was left untouched."""


def journal_path(home: str | os.PathLike[str] | None = None) -> Path:
    """Return the journal file in the data directory, creating that directory private (0700)."""
    return ensure_private_dir(data_dir(home)) / JOURNAL_FILENAME


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.rstrip(".")


def lock_holder(message: str) -> tuple[int | None, str | None]:
    """Return the PID and program named in DuckDB's lock error, when it names them."""
    pid = _PID.search(message)
    holder = _HOLDER.search(message)
    return (int(pid.group(1)) if pid else None, Path(holder.group(1)).name if holder else None)


def explain(exc: duckdb.Error, path: Path | None, action: str, read_only: bool = False) -> StoreError:
    """Turn a DuckDB error into a StoreError whose message is one sentence a person can act on."""
    text = str(exc)
    where = f"the journal {path}" if path is not None else "the journal"
    if "Could not set lock" in text or "Conflicting lock" in text:
        pid, program = lock_holder(text)
        who = f"another program (PID {pid}{', ' + program if program else ''})" if pid else "another program"
        if read_only:
            return JournalLockedError(
                f"Cannot read {where} because {who} has it open for writing: "
                "close that Tonus window or wait for it to finish, then try again.",
                pid,
            )
        return JournalLockedError(
            f"{where[0].upper()}{where[1:]} is open in {who}: "
            "close that Tonus window or wait for it to finish, then try again.",
            pid,
        )
    if "not a valid DuckDB database" in text:
        return ForeignFileError(
            f"{path} is not a Tonus journal (not a database file); it was left untouched: "
            "move it away or set TONUS_HOME to another folder."
        )
    if "already attached" in text or "different configuration" in text:
        return StoreError(
            f"{where[0].upper()}{where[1:]} is already open in this program: use that one or close it first."
        )
    if "No space left" in text or "disk is full" in text.lower():
        return StoreError(f"Could not {action}: the disk is full; free some space and try again.")
    if "read-only" in text.lower() or "read only" in text.lower():
        return StoreError(f"Could not {action}: the journal was opened read-only; open it for writing.")
    if "invalidated" in text:
        return StoreError(
            f"Could not {action}: the journal stopped after a serious error ({_first_line(exc)}); "
            "close Tonus and start it again, saved data is kept."
        )
    return StoreError(f"Could not {action} ({_first_line(exc)}); try again, and report it if it repeats.")


def connect(path: Path | None, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect to the journal at `path` (None: a new in-memory one), as the default database.

    A file is attached rather than opened directly because only ATTACH takes ROW_GROUP_SIZE.
    """
    conn = duckdb.connect(":memory:", config=CONFIG)
    if path is None:
        return conn
    options = f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}" + (", READ_ONLY" if read_only else "")
    try:
        conn.execute(f"ATTACH ? AS {DATABASE} ({options})", [str(path)])
        conn.execute(f"USE {DATABASE}")
    except duckdb.Error as exc:
        conn.close()
        raise explain(exc, path, "open the journal", read_only) from None
    return conn


def check_header(path: Path) -> None:
    """Refuse anything at `path` that is not a DuckDB database file, without changing it."""
    if not path.is_file():
        raise ForeignFileError(
            f"{path} is not a file, so it cannot be a Tonus journal; it was left untouched: "
            "move it away or set TONUS_HOME to another folder."
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"Cannot read the journal {path} ({exc.strerror}): check its permissions.") from None
    if head[8:12] != _MAGIC:
        raise ForeignFileError(
            f"{path} is not a Tonus journal (not a database file); it was left untouched: "
            "move it away or set TONUS_HOME to another folder."
        )


def journal_version(conn: duckdb.DuckDBPyConnection, path: Path | None) -> int | None:
    """Return the schema version of a Tonus journal, None for an empty database; refuse others."""
    tables = {
        name
        for (name,) in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    views = conn.execute(
        "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
    ).fetchone()
    if not tables and (views is None or views[0] == 0):
        return None
    meta: dict[str, str] = {}
    if "meta" in tables:
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.Error:
            meta = {}
    version = meta.get("schema_version", "")
    if meta.get("app") != schema.APP or not version.isdigit():
        raise ForeignFileError(
            f"{path} is a database but not a Tonus journal; it was left untouched: "
            "move it away or set TONUS_HOME to another folder."
        )
    return int(version)


def create_schema(conn: duckdb.DuckDBPyConnection, version: int = schema.CURRENT_VERSION) -> None:
    """Create every table of `version` and mark the database as a Tonus journal, in one transaction."""
    conn.execute("BEGIN TRANSACTION")
    try:
        for statement in schema.DDL[version]:
            conn.execute(statement)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", schema.meta_rows(version))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: duckdb.DuckDBPyConnection, version: int) -> None:
    """Bring a journal from `version` to the current one in a single transaction (all or nothing)."""
    conn.execute("BEGIN TRANSACTION")
    try:
        for target, statements in schema.migrations_from(version):
            for statement in statements:
                conn.execute(statement)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(target)])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def make_private(path: Path) -> None:
    """Make the journal and its write-ahead log readable by the owner only (0600)."""
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            if file.exists() and (file.stat().st_mode & 0o777) != 0o600:
                os.chmod(file, 0o600)
        except OSError:
            pass  # the folder is 0700 already; a failed chmod must not lose a saved entry


def open_journal(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open (creating or migrating as needed) the journal at `path` and return its connection."""
    if path.exists() or path.is_symlink():
        check_header(path)
        if not read_only:
            # A first look without write access, so a foreign database is never modified, even by
            # DuckDB replaying its leftover write-ahead log.
            probe = connect(path, read_only=True)
            try:
                journal_version(probe, path)
            finally:
                probe.close()
    elif read_only:
        raise StoreError(f"There is no journal at {path} yet: record a test or an entry first.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    conn = connect(path, read_only)
    try:
        version = journal_version(conn, path)
        if version is not None and version > schema.CURRENT_VERSION:
            raise StoreError(
                f"The journal {path} was written by a newer Tonus (schema {version}, this one knows "
                f"{schema.CURRENT_VERSION}); it was left untouched: update Tonus."
            )
        if read_only and version is None:
            raise StoreError(f"The journal {path} is empty: record a test or an entry first.")
        if read_only and version != schema.CURRENT_VERSION:
            raise StoreError(
                f"The journal {path} needs an upgrade before it can be read: "
                "open it once for writing (any command that records something)."
            )
        if version is None:
            create_schema(conn)
        elif version < schema.CURRENT_VERSION:
            migrate(conn, version)
        if not read_only:
            make_private(path)
            conn.execute("SET checkpoint_threshold = '1GB'")
    except duckdb.Error as exc:
        conn.close()
        raise explain(exc, path, "open the journal", read_only) from None
    except BaseException:
        conn.close()
        raise
    return conn
