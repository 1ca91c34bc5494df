"""The Store: the one owner of the journal's DuckDB connection, handing a cursor to each thread.

Its parts: `base` (connection, cursors, transactions), `diary` (profile, entries, events) and here the
tests with their frames, photos and scores, and the journal's exports and backups.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.errors import UsageError
from journal.store import bulk, conditions, export, sessions
from journal.store import validate as v
from journal.store.base import UNSET
from journal.store.diary import DiaryStore
from journal.store.rows import (
    CaptureConditions,
    FrameRecord,
    HistoryRow,
    NewSession,
    PoseRecord,
    Scores,
    TestSession,
)

if TYPE_CHECKING:  # annotations only: `tonus log` and `history` never load numpy
    import numpy as np

    from journal.scoring.batch import FrameArrays

__all__ = ["UNSET", "Store"]


class Store(DiaryStore):
    """The journal: profile, tests with frames, photos and scores, entries and events."""

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

    def capture_conditions(self, session_id: int | None = None) -> dict[int, CaptureConditions]:
        """Imported tests' EXIF capture conditions (photo times, orientation, camera) by test id."""
        with self._errors("read the capture conditions"):
            one = None if session_id is None else v.check_id(session_id, "test")
            return conditions.read_capture_conditions(self.cursor(), one)

    def frames(self, session_id: int) -> dict[str, list[FrameRecord]]:
        """Return a test's stored frames by pose (for re-scoring with a later scorer)."""
        with self._errors("read the frames of the test"):
            return sessions.read_frames(self.cursor(), v.check_id(session_id, "test"))

    def frame_arrays(
        self, session_ids: Sequence[int], landmark_ids: Sequence[int] | None = None
    ) -> FrameArrays:
        """Return the stored frames of many tests as arrays, in one query (re-scoring reads batches);
        all 478 landmarks of each frame, or only `landmark_ids`."""
        from journal.store.frame_arrays import read_frame_arrays

        with self._errors("read the frames of the tests"):
            return read_frame_arrays(
                self.cursor(), [v.check_id(i, "test") for i in session_ids], landmark_ids
            )

    def first_landmarks(self, pose: str) -> list[tuple[int, np.ndarray]]:
        """Return (test id, landmarks) of the first stored frame of `pose` in every test."""
        with self._errors("read the stored landmarks"):
            return sessions.read_first_landmarks(self.cursor(), sessions.check_pose_name(pose))

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
