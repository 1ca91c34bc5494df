"""Opening a journal file safely: refuse foreign files, explain locks, keep new journals private."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from journal.errors import TonusError
from journal.paths import JOURNAL_FILENAME, data_dir, ensure_private_dir, loose_dir_warning
from journal.store import schema, walcopy

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
#: DuckDB's words for a damaged file or log (checksums, short reads, impossible pointers).
_DAMAGED = re.compile(
    r"checksum|corrupt|Could not read enough bytes|INTERNAL Error|Serialization Error|"
    r"Failed to deserialize|magic bytes",
    re.IGNORECASE,
)


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
    """Return the journal file in the data directory, creating that directory private (0700) if missing.

    A directory that exists already is left as it is (see `paths.ensure_private_dir`).
    """
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
        who = holder_words(pid, program)
        if read_only:
            return JournalLockedError(
                f"Cannot read {where} because {who} has it open for writing: "
                "close that Tonus window or wait for it to finish, then try again.",
                pid,
            )
        return JournalLockedError(
            f"Cannot {action}: {where} is open in {who}: "
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
    if _DAMAGED.search(text):  # also a checkpoint that invalidated the database on a damaged block
        return damaged(path, _first_line(exc))
    if "invalidated" in text:
        return StoreError(
            f"Could not {action}: the journal stopped after a serious error ({_first_line(exc)}); "
            "close Tonus and start it again, saved data is kept."
        )
    return StoreError(f"Could not {action} ({_first_line(exc)}): report this message if it happens again.")


def damaged(path: Path | None, detail: str) -> StoreError:
    """The sentence for a journal whose file or write-ahead log is damaged: what is wrong, what to do."""
    where = f"The journal {path}" if path is not None else "The journal"
    return StoreError(
        f"{where} is damaged and cannot be read ({detail}): keep the file as it is, and restore your "
        "latest backup into a new folder with `tonus --home NEW_FOLDER restore BACKUP_FILE`."
    )


def holder_words(pid: int | None, program: str | None) -> str:
    """Name the process holding the journal: another tonus (PID n), or the program DuckDB names."""
    if pid is None:
        return "another program"
    if program is None or program.startswith(("python", "tonus")):
        return f"another tonus (PID {pid})"
    return f"another program ({program}, PID {pid})"


def connect(
    path: Path | None, read_only: bool, action: str = "open the journal", as_reader: bool | None = None
) -> duckdb.DuckDBPyConnection:
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
        raise explain(exc, path, action, read_only if as_reader is None else as_reader) from None
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
        except duckdb.Error as exc:
            if _DAMAGED.search(str(exc)):
                raise damaged(path, _first_line(exc)) from None
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


def open_journal(
    path: Path, read_only: bool, notices: list[str] | None = None, action: str = "open the journal"
) -> duckdb.DuckDBPyConnection:
    """Open (creating or migrating as needed) the journal at `path` and return its connection.

    Sentences the person should read (a leftover log kept, a folder others can read) are appended
    to `notices`. A journal whose creation fails is removed, never left as a stub.
    """
    said = notices if notices is not None else []
    if not str(path).strip() or path == Path():
        raise StoreError("The journal path is empty: give a folder with --home or TONUS_HOME.")
    created = False
    if path.exists() or path.is_symlink():
        check_header(path)
        _keep_leftover_log(path, read_only, said)
        if not read_only:
            # A first look without write access, so a foreign database is never modified, even by
            # DuckDB replaying its leftover write-ahead log.
            probe = connect(path, read_only=True, action=action, as_reader=False)
            try:
                journal_version(probe, path)
            finally:
                probe.close()
    elif read_only:
        raise StoreError(f"There is no journal at {path} yet: record a test or an entry first.")
    else:
        ensure_private_dir(path.parent)
        created = True
    warning = loose_dir_warning(path.parent)
    if warning:
        said.append(warning[0].upper() + warning[1:])
    try:
        conn = connect(path, read_only, action)
    except BaseException:
        if created:
            _remove_stub(path)
        raise
    try:
        _prepare(conn, path, read_only)
    except duckdb.Error as exc:
        conn.close()
        if created:
            _remove_stub(path)
        raise explain(exc, path, action, read_only) from None
    except BaseException:
        conn.close()
        if created:
            _remove_stub(path)
        raise
    return conn


def _prepare(conn: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    """Check the schema version; create, migrate or make private as the opening mode allows."""
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
        conn.execute("CHECKPOINT")  # a new journal is whole on disk before anything else happens
    elif version < schema.CURRENT_VERSION:
        migrate(conn, version)
    if not read_only:
        make_private(path)
        conn.execute("SET checkpoint_threshold = '1GB'")


def _keep_leftover_log(path: Path, read_only: bool, notices: list[str]) -> None:
    """Copy a leftover write-ahead log (and the journal) into recovery/ before DuckDB replays it."""
    try:
        kept = walcopy.keep_leftover_log(path)
    except OSError as exc:
        if read_only:  # e.g. a read-only disk: reading replays the log in memory and changes nothing
            notices.append(
                f"The journal {path} has a write-ahead log left by a Tonus that did not close it, and "
                f"no copy of it could be kept ({exc.strerror}); it is read as it is."
            )
            return
        raise StoreError(
            f"The journal {path} has a write-ahead log left by a Tonus that did not close it, and a copy "
            f"could not be kept in {path.parent / walcopy.RECOVERY_DIR} ({exc.strerror}): free some space "
            "or fix the folder's permissions, then open it again."
        ) from None
    if kept is not None:
        notices.append(walcopy.leftover_message(kept))


def _remove_stub(path: Path) -> None:
    """Remove a journal file (and its log) whose creation failed, so later commands can start afresh."""
    for file in (path, walcopy.wal_of(path)):
        try:
            file.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # the sentence about the first failure says more than this one
