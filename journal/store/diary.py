"""The journal's own words: the profile, sensation entries and events (no tests)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from journal.errors import UsageError
from journal.store import validate as v
from journal.store.base import IN_RANGE, UNSET, Keep, StoreBase, When, bounds
from journal.store.rows import Entry, Event, Profile, SensationDay

_ENTRY_COLUMNS = "id, occurred_at, sensation, intensity, side, region, note"


class DiaryStore(StoreBase):
    """Profile, entries and events: small rows a person writes by hand, each saved in one transaction."""

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
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE {IN_RANGE} ORDER BY occurred_at, id",
            bounds(since, until),
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
            f"FROM entries WHERE {IN_RANGE} "
            "GROUP BY ALL ORDER BY day, sensation",
            bounds(since, None),
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
            f"SELECT id, occurred_at, kind, label FROM events WHERE {IN_RANGE} ORDER BY occurred_at, id",
            bounds(since, until),
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
