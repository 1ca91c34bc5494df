"""The Store: the one owner of the journal's DuckDB connection, handing a cursor to each thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import duckdb

from journal.errors import UsageError
from journal.store import bulk, export, probe, sessions
from journal.store import connect as c
from journal.store import validate as v
from journal.store.rows import (
    Entry,
    Event,
    FrameRecord,
    HistoryRow,
    NewSession,
    PoseRecord,
    Profile,
    Scores,
    SensationDay,
    TestSession,
)


class _Unset(Enum):
    UNSET = "unset"


UNSET: Literal[_Unset.UNSET] = _Unset.UNSET
Keep = Literal[_Unset.UNSET]
When = date | datetime | None
_IN_RANGE = "(? IS NULL OR occurred_at >= ?) AND (? IS NULL OR occurred_at < ?)"
_ENTRY_COLUMNS = "id, occurred_at, sensation, intensity, side, region, note"


def _bounds(since: date | datetime | None, until: date | datetime | None) -> list[datetime | None]:
    """Turn optional since/until into inclusive-start, exclusive-end datetimes (a date covers its day)."""
    start = since if isinstance(since, datetime) or since is None else datetime.combine(since, time())
    if until is None or isinstance(until, datetime):
        end = until + timedelta(microseconds=1) if isinstance(until, datetime) else None
    else:
        end = datetime.combine(until, time()) + timedelta(days=1)
    return [start, start, end, end]


class Store:
    """The journal: profile, tests with frames, photos and scores, entries and events."""

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
        self.on_close: list[Callable[[Store], None]] = []
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
    ) -> Store:
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
    def in_memory(cls, *, clock: v.Clock | None = None) -> Store:
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
        if hooks and not self.read_only and self.path is not None and self._conn is not None:
            with suppress(c.StoreError):
                self.checkpoint()
                for hook in hooks:
                    hook(self)
        with self._lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
            if self._conn is not None:
                if not self.read_only and self.path is not None:
                    with suppress(duckdb.Error):
                        self._conn.execute("CHECKPOINT")
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

    # Profile

    def get_profile(self) -> Profile:
        """Return the profile (every field None until set)."""
        rows = self._read("SELECT affected_side, onset, camera, mm_per_unit, updated_at FROM profile")
        return Profile(*rows[0]) if rows else Profile()

    def set_profile(
        self,
        *,
        affected_side: str | None | Keep = UNSET,
        onset: date | None | Keep = UNSET,
        camera: str | None | Keep = UNSET,
        mm_per_unit: float | None | Keep = UNSET,
    ) -> Profile:
        """Change the given profile fields (None clears one, omitted ones are kept); return the result."""
        now = self._now()
        old = self.get_profile()
        side = old.affected_side if affected_side is UNSET else affected_side
        day = old.onset if onset is UNSET else onset
        cam = old.camera if camera is UNSET else camera
        scale = old.mm_per_unit if mm_per_unit is UNSET else mm_per_unit
        new = Profile(
            v.check_optional_choice(side, v.AFFECTED_SIDES, "affected side"),
            None if day is None else v.check_day(day, now, "onset date"),
            v.check_text(cam, "camera"),
            v.check_number(scale, "mm-per-unit scale", positive=True),
            now,
        )
        with self._transaction("save the profile") as cur:
            cur.execute("DELETE FROM profile")
            cur.execute(
                "INSERT INTO profile VALUES (1, ?, ?, ?, ?, ?)",
                [new.affected_side, new.onset, new.camera, new.mm_per_unit, new.updated_at],
            )
        return new

    # Entries

    def _checked_entry(
        self, at: object, sensation: object, intensity: object, side: object, where: object, note: object
    ) -> list[Any]:
        return [
            v.check_when(at, self._now(), "entry time"),
            v.check_choice(sensation, v.SENSATIONS, "sensation"),
            v.check_scale(intensity, "intensity"),
            v.check_optional_choice(side, v.ENTRY_SIDES, "side"),
            v.check_optional_choice(where, v.REGIONS_WHERE, "face region"),
            v.check_text(note, "note"),
        ]

    def add_entry(
        self,
        at: datetime,
        sensation: str,
        intensity: int,
        side: str | None = None,
        where: str | None = None,
        note: str | None = None,
    ) -> int:
        """Record a sensation; return the new entry's id. Invalid values raise UsageError, writing nothing."""
        values = self._checked_entry(at, sensation, intensity, side, where, note)
        with self._transaction("save the entry") as cur:
            row = cur.execute(
                "INSERT INTO entries (occurred_at, sensation, intensity, side, region, note) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                values,
            ).fetchone()
        assert row is not None
        return int(row[0])

    def entry(self, entry_id: int) -> Entry | None:
        """Return one entry, or None when there is no such id."""
        rows = self._read(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id = ?", [v.check_id(entry_id, "entry")]
        )
        return Entry(*rows[0]) if rows else None

    def update_entry(
        self,
        entry_id: int,
        *,
        at: datetime | Keep = UNSET,
        sensation: str | Keep = UNSET,
        intensity: int | Keep = UNSET,
        side: str | None | Keep = UNSET,
        where: str | None | Keep = UNSET,
        note: str | None | Keep = UNSET,
    ) -> Entry:
        """Change the given fields of an entry (omitted ones are kept) and return it."""
        old = self.entry(entry_id)
        if old is None:
            raise UsageError(
                f"There is no journal entry number {entry_id}: pick one from the list of entries."
            )
        values = self._checked_entry(
            old.at if at is UNSET else at,
            old.sensation if sensation is UNSET else sensation,
            old.intensity if intensity is UNSET else intensity,
            old.side if side is UNSET else side,
            old.where if where is UNSET else where,
            old.note if note is UNSET else note,
        )
        with self._transaction("change the entry") as cur:
            cur.execute(
                "UPDATE entries SET occurred_at = ?, sensation = ?, intensity = ?, side = ?, region = ?, "
                "note = ? WHERE id = ?",
                [*values, entry_id],
            )
        return Entry(entry_id, *values)

    def delete_entry(self, entry_id: int) -> None:
        """Delete an entry; an unknown id raises UsageError."""
        with self._transaction("delete the entry") as cur:
            gone = cur.execute(
                "DELETE FROM entries WHERE id = ? RETURNING id", [v.check_id(entry_id, "entry")]
            ).fetchall()
            if not gone:
                raise UsageError(
                    f"There is no journal entry number {entry_id}: pick one from the list of entries."
                )

    def entries(self, since: When = None, until: When = None) -> list[Entry]:
        """Return entries oldest first, from `since` through `until` (a date covers its whole day)."""
        rows = self._read(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE {_IN_RANGE} ORDER BY occurred_at, id",
            _bounds(since, until),
        )
        return [Entry(*r) for r in rows]

    def latest_entries(self, limit: int, before: tuple[datetime, int] | None = None) -> list[Entry]:
        """Return up to `limit` entries newest first, older than `before` (time, id) when given.

        The Journal screen shows the newest page at once and reads older ones as the person scrolls.
        """
        at, last_id = before if before is not None else (None, None)
        rows = self._read(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE ?::TIMESTAMP IS NULL OR occurred_at < ? "
            "OR (occurred_at = ? AND id < ?) ORDER BY occurred_at DESC, id DESC LIMIT ?",
            [at, at, at, last_id, max(0, int(limit))],
        )
        return [Entry(*r) for r in rows]

    def sensations_by_day(self, since: When = None) -> list[SensationDay]:
        """Return, per day and sensation, the strongest and mean intensity and the number of entries."""
        rows = self._read(
            "SELECT CAST(occurred_at AS DATE) AS day, sensation, max(intensity), avg(intensity), count(*) "
            f"FROM entries WHERE {_IN_RANGE} "
            "GROUP BY ALL ORDER BY day, sensation",
            _bounds(since, None),
        )
        return [SensationDay(r[0], r[1], int(r[2]), float(r[3]), int(r[4])) for r in rows]

    # Events

    def add_event(self, at: datetime, kind: str, label: str) -> int:
        """Record an event that marks the charts (medication, therapy, milestone, appointment)."""
        values = [
            v.check_when(at, self._now(), "event time"),
            v.check_choice(kind, v.EVENT_KINDS, "event kind"),
            v.check_text(label, "event label", required=True),
        ]
        with self._transaction("save the event") as cur:
            row = cur.execute(
                "INSERT INTO events (occurred_at, kind, label) VALUES (?, ?, ?) RETURNING id", values
            ).fetchone()
        assert row is not None
        return int(row[0])

    def events(self, since: When = None, until: When = None) -> list[Event]:
        """Return events oldest first, from `since` through `until`."""
        rows = self._read(
            f"SELECT id, occurred_at, kind, label FROM events WHERE {_IN_RANGE} ORDER BY occurred_at, id",
            _bounds(since, until),
        )
        return [Event(*r) for r in rows]

    def delete_event(self, event_id: int) -> None:
        """Delete an event; an unknown id raises UsageError."""
        with self._transaction("delete the event") as cur:
            gone = cur.execute(
                "DELETE FROM events WHERE id = ? RETURNING id", [v.check_id(event_id, "event")]
            ).fetchall()
            if not gone:
                raise UsageError(f"There is no event number {event_id}: pick one from the list of events.")

    def update_event(self, event_id: int, at: datetime, kind: str, label: str) -> None:
        """Change an event's time, kind and label; an unknown id raises UsageError."""
        values = [
            v.check_when(at, self._now(), "event time"),
            v.check_choice(kind, v.EVENT_KINDS, "event kind"),
            v.check_text(label, "event label", required=True),
            v.check_id(event_id, "event"),
        ]
        with self._transaction("change the event") as cur:
            sql = "UPDATE events SET occurred_at = ?, kind = ?, label = ? WHERE id = ? RETURNING id"
            if not cur.execute(sql, values).fetchall():
                raise UsageError(f"There is no event number {event_id}: pick one from the list of events.")

    # Tests (sessions)

    def add_session(self, session: NewSession, on_pose: Callable[[str], None] | None = None) -> int:
        """Save a whole test (poses, frames, photos, scores) in one transaction; return its id.

        `on_pose(name)` is called inside the transaction after each pose is written (progress).
        """
        taken_at = sessions.check_session(session, self._now())
        with self._transaction("save the test") as cur:
            return sessions.insert_session(cur, session, taken_at, self._now(), on_pose)

    def sessions(self) -> list[TestSession]:
        """Return every test, oldest first."""
        rows = self._read(f"SELECT {sessions.SESSION_COLUMNS} FROM sessions ORDER BY taken_at, id")
        return [sessions.session_from_row(r) for r in rows]

    def session(self, session_id: int) -> TestSession | None:
        """Return one test, or None when there is no such id."""
        rows = self._read(
            f"SELECT {sessions.SESSION_COLUMNS} FROM sessions WHERE id = ?", [v.check_id(session_id, "test")]
        )
        return sessions.session_from_row(rows[0]) if rows else None

    def _require_session(self, session_id: int) -> None:
        if self.session(session_id) is None:
            raise UsageError(f"There is no test number {session_id}: pick one from the history.")

    def delete_session(self, session_id: int) -> None:
        """Delete a test with its poses, frames, photos and scores, in one transaction."""
        self._require_session(session_id)
        with self._transaction("delete the test") as cur:
            for table in ("region_scores", "pose_scores", "session_scores", "frames", "key_photos", "poses"):
                cur.execute(f"DELETE FROM {table} WHERE session_id = ?", [session_id])
            cur.execute("DELETE FROM sessions WHERE id = ?", [session_id])

    def poses(self, session_id: int) -> list[PoseRecord]:
        """Return a test's poses in protocol order with frame counts and rejections."""
        with self._errors("read the test"):
            return sessions.read_poses(self.cursor(), v.check_id(session_id, "test"))

    def frames(self, session_id: int) -> dict[str, list[FrameRecord]]:
        """Return a test's stored frames by pose (for re-scoring with a later scorer)."""
        with self._errors("read the frames of the test"):
            return sessions.read_frames(self.cursor(), v.check_id(session_id, "test"))

    def key_photo(self, session_id: int, pose: str) -> bytes | None:
        """Return the JPEG key photo of one pose of a test, or None."""
        with self._errors("read the photo"):
            return sessions.read_photo(self.cursor(), v.check_id(session_id, "test"), pose)

    def session_scores(self, session_id: int, scorer_version: str | None = None) -> Scores | None:
        """Return a test's scores by `scorer_version` (the newest version when None), or None."""
        with self._errors("read the scores"):
            return sessions.read_scores(self.cursor(), v.check_id(session_id, "test"), scorer_version)

    def latest_scores(
        self, session_ids: Collection[int] | None = None, poses: Collection[str] | None = None
    ) -> dict[int, Scores]:
        """Return the newest scores of many tests at once (all when None), keyed by test id.

        Three queries whatever the number of tests; tests never scored are left out. With `poses`,
        each Scores holds only those poses (e.g. the rest pose, all that charts draw).
        """
        with self._errors("read the scores"):
            return bulk.read_latest_scores(self.cursor(), session_ids, poses)

    def replace_scores(self, session_id: int, scores: Scores) -> None:
        """Save (replacing that version's) scores of a test in one transaction; used by re-scoring."""
        sessions.check_scores(scores)
        self._require_session(session_id)
        with self._transaction("save the scores") as cur:
            sessions.insert_scores(cur, session_id, scores, self._now())

    def replace_scores_many(self, items: Sequence[tuple[int, Scores]]) -> None:
        """Save (replacing those versions') scores of many tests in one transaction: re-scoring's batches."""
        if not items:
            return
        for _, scores in items:
            sessions.check_scores(scores)
        ids = sorted({v.check_id(sid, "test") for sid, _ in items})
        known = {r[0] for r in self._read("SELECT id FROM sessions WHERE list_contains(?, id)", [ids])}
        if missing := [i for i in ids if i not in known]:
            raise UsageError(f"There is no test number {missing[0]}: pick one from the history.")
        with self._transaction("save the scores") as cur:
            bulk.write_scores(cur, items, self._now())

    def history(self) -> list[HistoryRow]:
        """Return every test, oldest first, with its newest scores flattened for the dashboard."""
        with self._errors("read the history"):
            return sessions.read_history(self.cursor())

    # Export

    def export_tables(self, photos: bool = False) -> dict[str, list[dict[str, Any]]]:
        """Return every table as rows of column → value (key photos only when `photos`)."""
        with self._errors("export the journal"):
            return export.export_rows(self.cursor(), photos)

    # Backups

    def backup(self, out: Path, passphrase: str | None = None) -> dict[str, Any]:
        """Back the journal up to the archive `out` (age-encrypted with a passphrase); return its manifest."""
        from journal.store.backup import write_backup

        rows = self._read("SELECT value FROM meta WHERE key = 'schema_version'")
        with self._errors(f"back up the journal to {out}"):
            return write_backup(self.cursor(), Path(out), int(rows[0][0]), passphrase)

    def auto_backup(self) -> Path | None:
        """After a weekly test: back up into the data directory's backups/, keeping the newest few.

        Returns the new file, or None when there is no file journal or the backup failed (a failed
        automatic backup never fails what called it; the next weekly test tries again).
        """
        from journal.store.backup import auto_backup

        return None if self.path is None else auto_backup(self.path.parent, self._now(), self.backup)

    def export(
        self,
        dest: Path,
        fmt: export.ExportFormat = "csv",
        photos: bool = False,
        readme: export.Readme | None = None,
    ) -> list[Path]:
        """Write every table to `dest` as csv, parquet or json (photos only when asked); return the files.

        `dest` is new or an empty folder; the export appears there whole, or not at all.
        """
        with self._errors(f"export the journal to {dest}"):
            return export.export_files(self.cursor(), Path(dest), fmt, photos, readme)
