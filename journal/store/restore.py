"""`tonus restore`: check a backup from end to end, then rebuild the journal from it, never over data.

Nothing in the backup is run: its SQL files are ignored. The tables are created from this Tonus's
own DDL of the backup's schema version, filled from the Parquet files whose SHA-256 the manifest
gives, counted against the manifest, migrated to the current version, and only then renamed into
place, so a restore ends with the whole journal or leaves everything as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tarfile
from pathlib import Path
from typing import Any, Final

import duckdb

from journal.errors import UsageError
from journal.store import connect as c
from journal.store import schema
from journal.store.backup import AGE_MAGIC, FORMAT, ROOT, private_tempdir, sha256_file
from journal.store.walcopy import wal_of
from journal.text import decode_utf8

#: The tables that hold what a person recorded: a journal with rows in any of them is not empty.
PERSONAL: Final = ("profile", "sessions", "entries", "events")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_SEQUENCE = re.compile(r"CREATE SEQUENCE (\w+) START 1")
_USES = re.compile(r"CREATE TABLE (\w+) \(\s*id INTEGER PRIMARY KEY DEFAULT nextval\('(\w+)'\)")


class BackupError(UsageError):
    """The backup file cannot be restored; the message says why and what to do."""


def is_encrypted(path: Path) -> bool:
    """True when `path` is an age-encrypted file (a backup made with --passphrase)."""
    with path.open("rb") as fh:
        return fh.read(len(AGE_MAGIC)) == AGE_MAGIC


def _open_archive(path: Path, passphrase: str | None, work: Path) -> Path:
    """Return a plain tar file for `path`, decrypting it into `work` when it is encrypted."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file: give the backup file written by `tonus backup`.")
    if not is_encrypted(path):
        return path
    if passphrase is None:
        raise BackupError(
            f"{path} is encrypted: run `tonus restore --passphrase {path}` and type its passphrase."
        )
    from pyrage import DecryptError
    from pyrage import passphrase as age

    try:
        plain = age.decrypt(path.read_bytes(), passphrase)
    except DecryptError:
        raise BackupError(
            f"{path} could not be decrypted: the passphrase is wrong, or the file is damaged."
        ) from None
    archive = work / "backup.tar"
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(plain)
    return archive


def _unpack(archive: Path, source: Path, work: Path) -> dict[str, Any]:
    """Extract the backup's regular files (names checked, no links, no paths) and return its manifest."""
    db = work / "db"
    db.mkdir(mode=0o700)
    raw: bytes | None = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                parts = member.name.split("/")
                if not member.isfile() or parts[0] != ROOT or not _NAME.match(parts[-1]):
                    raise BackupError(
                        f"{source} holds {member.name!r}, which no Tonus backup has: it was not restored."
                    )
                handle = tar.extractfile(member)
                assert handle is not None
                if parts[1:] == ["manifest.json"]:
                    raw = handle.read(1 << 20)
                elif len(parts) == 3 and parts[1] == "db":
                    fd = os.open(db / parts[2], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as out:
                        while block := handle.read(1 << 20):
                            out.write(block)
                else:
                    raise BackupError(
                        f"{source} holds {member.name!r}, which no Tonus backup has: it was not restored."
                    )
    except (tarfile.TarError, EOFError):
        raise BackupError(
            f"{source} is not a Tonus backup (not a whole tar archive): check the file."
        ) from None
    if raw is None:
        raise BackupError(f"{source} has no manifest, so it is not a Tonus backup: check the file.")
    try:
        info = json.loads(decode_utf8(raw, f"manifest of {source}"))
    except json.JSONDecodeError:
        raise BackupError(f"The manifest of {source} is not valid JSON: the backup is damaged.") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT or info.get("app") != schema.APP:
        raise BackupError(f"{source} is not a Tonus backup of a known format: check the file.")
    return info


def _verify(info: dict[str, Any], db: Path, source: Path) -> int:
    """Check the schema version and every file's size and sha256 against the manifest."""
    version = info.get("schema_version")
    if not isinstance(version, int) or version not in schema.DDL:
        raise BackupError(
            f"{source} was written by a Tonus with journal schema {version!r}, which this one does not know: "
            "update Tonus, then restore it."
        )
    files = info.get("files")
    present = {p.name for p in db.iterdir()}
    if not isinstance(files, dict) or set(files) != present:
        raise BackupError(f"{source} does not hold the files its manifest lists: the backup is damaged.")
    for name, expected in files.items():
        if not isinstance(expected, dict) or sha256_file(db / name) != expected.get("sha256"):
            raise BackupError(f"{name} in {source} does not match its checksum: the backup is damaged.")
    return version


def journal_is_empty(path: Path) -> bool:
    """True when there is no journal at `path`, or one with nothing a person recorded in it."""
    if not path.exists() and not path.is_symlink():
        return True
    conn = c.open_journal(path, read_only=True)
    try:
        for table in PERSONAL:
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            if row and row[0]:
                return False
        return True
    finally:
        conn.close()


def _ddl(conn: duckdb.DuckDBPyConnection, version: int, db: Path, used: dict[str, Any]) -> list[str]:
    """This Tonus's DDL of `version`, each id sequence going on where the backed-up one stood."""
    statements = list(schema.DDL[version])
    table_of = {seq: table for s in statements for table, seq in _USES.findall(s)}
    out = []
    for statement in statements:
        match = _SEQUENCE.fullmatch(statement.strip())
        if match and match.group(1) in table_of:
            file = db / f"{table_of[match.group(1)]}.parquet"
            top = conn.execute("SELECT max(id) FROM read_parquet(?)", [str(file)]).fetchone()
            start = int(top[0]) + 1 if top and top[0] is not None else 1
            last = used.get(match.group(1))
            if isinstance(last, int) and not isinstance(last, bool):
                start = max(start, last + 1)
            statement = f"CREATE SEQUENCE {match.group(1)} START {start}"
        out.append(statement)
    return out


def _build(target: Path, version: int, db: Path, info: dict[str, Any], source: Path) -> None:
    """Create the journal file `target` from the checked backup files, then migrate it."""
    conn = c.connect(target, read_only=False)
    try:
        conn.execute("BEGIN TRANSACTION")
        for statement in _ddl(conn, version, db, info.get("sequences") or {}):
            conn.execute(statement)
        tables = [t for t in info.get("tables", {}) if t in schema.TABLES]
        for table in tables:
            conn.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)", [str(db / f"{table}.parquet")])
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            if not row or row[0] != info["tables"][table]:
                raise BackupError(
                    f"{source} holds a different number of rows in {table} than its manifest says."
                )
        conn.execute("COMMIT")
        if version < schema.CURRENT_VERSION:
            c.migrate(conn, version)
        conn.execute("CHECKPOINT")
    finally:
        conn.close()


def restore(source: Path, journal: Path, passphrase: str | None = None) -> dict[str, Any]:
    """Restore the backup `source` into the journal at `journal`, which must be empty; return the manifest."""
    if not journal_is_empty(journal):
        raise BackupError(
            f"The journal {journal} already holds entries or tests, and a restore never writes over them: "
            "restore into a new folder with `tonus --home NEW_FOLDER restore FILE`."
        )
    from journal.paths import ensure_private_dir

    ensure_private_dir(journal.parent)
    with private_tempdir(journal.parent) as work:
        archive = _open_archive(source, passphrase, work)
        info = _unpack(archive, source, work)
        version = _verify(info, work / "db", source)
        built = work / "journal.duckdb"
        try:
            _build(built, version, work / "db", info, source)
        except duckdb.Error as exc:
            raise BackupError(
                f"{source} could not be loaded ({str(exc).splitlines()[0]}): the backup is damaged."
            ) from None
        os.chmod(built, 0o600)
        if not journal_is_empty(journal):  # someone wrote meanwhile: leave their journal alone
            raise BackupError(
                f"The journal {journal} was written to during the restore: nothing was restored."
            )
        for leftover in (journal, wal_of(journal)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        os.rename(built, journal)
    return info
