"""The Store's foundation: the one DuckDB connection, a cursor per thread, errors in words, transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import duckdb

from journal.store import connect as c
from journal.store import probe
from journal.store import validate as v


class _Unset(Enum):
    UNSET = "unset"


UNSET: Literal[_Unset.UNSET] = _Unset.UNSET
Keep = Literal[_Unset.UNSET]
When = date | datetime | None
IN_RANGE = "(? IS NULL OR occurred_at >= ?) AND (? IS NULL OR occurred_at < ?)"
_ENTRY_COLUMNS = "id, occurred_at, sensation, intensity, side, region, note"


def bounds(since: date | datetime | None, until: date | datetime | None) -> list[datetime | None]:
    """Turn optional since/until into inclusive-start, exclusive-end datetimes (a date covers its day)."""
    start = since if isinstance(since, datetime) or since is None else datetime.combine(since, time())
    if until is None or isinstance(until, datetime):
        end = until + timedelta(microseconds=1) if isinstance(until, datetime) else None
    else:
        end = datetime.combine(until, time()) + timedelta(days=1)
    return [start, start, end, end]


class StoreBase:
    """Owns the connection: opening (create, migrate, refuse), cursors, checkpoints and transactions."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        path: Path | None,
        read_only: bool,
        clock: v.Clock | None = None,
    ) -> None:
        self._conn: duckdb.DuckDBPyConnection | None = conn
        self.path = path
        self.read_only = read_only
        self._now: v.Clock = clock or datetime.now
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        #: Sentences for the person from the opening (a leftover log kept, a folder others can read).
        self.notices: list[str] = []
        #: Called with the store when a writable journal closes, after its checkpoint (the status cache).
        #: Typed loosely: the hooks take the full `Store`, which this base class cannot name.
        self.on_close: list[Callable[[Any], None]] = []
        row = conn.execute("SELECT current_database()").fetchone()
        self._database = str(row[0]) if row else c.DATABASE

    @classmethod
    def open(
        cls,
        path: Path,
        read_only: bool = False,
        *,
        clock: v.Clock | None = None,
        action: str = "open the journal",
    ) -> Self:
        """Open the journal at `path`: create it (0600), migrate an old one, refuse anything else.

        `action` names what the opening is for in a lock message ("save the entry"); sentences the
        person should read about the opening are in `notices`.
        """
        path = Path(path)
        notices: list[str] = []
        try:
            conn = c.open_journal(path, read_only, notices, action)
        except c.StoreError as exc:
            if not notices or isinstance(exc, c.JournalLockedError):
                raise
            # What was kept before the failure (a copy of a leftover log) must not go unsaid.
            raise c.StoreError(" ".join([*notices, str(exc)])) from None
        store = cls(conn, path, read_only, clock)
        store.notices = notices
        return store

    @classmethod
    def in_memory(cls, *, clock: v.Clock | None = None) -> Self:
        """Return an empty journal that lives in memory only (for demos and tests)."""
        conn = c.connect(None, read_only=False)
        c.create_schema(conn)
        return cls(conn, None, False, clock)

    def close(self) -> None:
        """Fold the write-ahead log into the journal, then close every cursor and the connection.

        Nothing committed is left only in the log, which a damaged byte could cut short. Safe to call
        twice; a failed checkpoint loses nothing (the log stays and is kept in recovery/ next time).
        The `on_close` hooks run after the checkpoint, on the journal as it now is on disk.
        """
        hooks, self.on_close = self.on_close, []
        if not self.read_only and self.path is not None and self._conn is not None:
            with suppress(c.StoreError):  # a failed checkpoint: the log stays, the hooks do not run
                self.checkpoint()
                for hook in hooks:
                    hook(self)
        with self._lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the journal file now (e.g. when idle) instead of at close."""
        if self.read_only:
            return
        with self._lock, self._errors("tidy up the journal file"):
            # Through the connection that attached the file: from a cursor, DuckDB skips merging
            # small row groups, which left one per write and grew the file (134 MB for 500 entries
            # written one per run), and the next full checkpoint then paid for all of them at once.
            if self._conn is not None:
                self._conn.execute("CHECKPOINT")

    def verify(self) -> None:
        """Fold the log into the file, then read the journal back cheaply (see store.probe.check).

        A writing command calls this before it reports success: a damaged journal then fails with the
        "damaged, restore a backup" sentence now, not at the next read.
        """
        if self.read_only or self.path is None:
            return
        self.checkpoint()
        with self._errors("check the journal"):
            probe.check(self.cursor())

    def status_fingerprint(self) -> str:
        """A text that changes whenever the profile, a test or a score changes (see store.probe)."""
        with self._errors("read the journal"):
            return probe.fingerprint(self.cursor())

    def _checkpoint_if_due(self) -> None:
        wal = None if self.path is None else self.path.with_name(self.path.name + ".wal")
        try:
            due = wal is not None and wal.stat().st_size >= c.WAL_LIMIT
        except OSError:
            due = False
        if due:
            with suppress(c.StoreError):  # the data is committed; the next close checkpoints
                self.checkpoint()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return this thread's cursor (DuckDB connections are not shared between threads)."""
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            with self._lock:
                if self._conn is None:
                    raise c.StoreError("The journal is closed: open it again.")
                cur = self._conn.cursor()
                cur.execute(f"USE {self._database}")  # a new cursor starts in the empty in-memory database
                self._cursors.append(cur)
            self._local.cursor = cur
        return cur

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            raise c.explain(exc, self.path, action, self.read_only) from None

    def _read(self, sql: str, params: list[Any] | None = None, action: str = "read the journal") -> list[Any]:
        with self._errors(action):
            return self.cursor().execute(sql, params or []).fetchall()

    @contextmanager
    def _transaction(self, action: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run the body in one transaction: all of it is saved, or (on any error) none of it."""
        if self.read_only:
            raise c.StoreError(f"Cannot {action}: the journal was opened read-only; open it for writing.")
        cur = self.cursor()
        with self._errors(action):
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                # If the transaction is already gone, the original error says more than this one.
                with suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        if self.path is not None:
            c.make_private(self.path)
            self._checkpoint_if_due()
