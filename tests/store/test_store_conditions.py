"""Journal v4: each imported photo keeps its EXIF capture conditions (time, orientation, camera)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import store_factory as f

from journal.errors import UsageError
from journal.store import CURRENT_VERSION, CaptureConditions, NewSession, Store, schema


def _with_conditions(session_seed: int = 0) -> NewSession:
    """A test whose rest and smile photos carry EXIF conditions, the other poses none."""
    base = f.session(poses=("rest", "smile", "pucker"), frames=1, seed=session_seed, source="import")
    poses = [
        replace(
            base.poses[0],
            photo_taken_at=datetime(2025, 4, 30, 8, 1, 5),
            orientation=1,
            camera="Apple iPhone 13",
        ),
        replace(
            base.poses[1],
            photo_taken_at=datetime(2025, 4, 30, 8, 3, 9),
            orientation=6,
            camera="Apple iPhone 13",
        ),
        base.poses[2],
    ]
    return replace(base, poses=poses)


def test_conditions_are_stored_per_pose_and_summed_up_per_test(store: Store) -> None:
    plain = store.add_session(f.session(frames=1))
    sid = store.add_session(_with_conditions())
    rest, smile, pucker = store.poses(sid)
    assert (rest.photo_taken_at, rest.orientation, rest.camera) == (
        datetime(2025, 4, 30, 8, 1, 5),
        1,
        "Apple iPhone 13",
    )
    assert (smile.orientation, pucker.photo_taken_at, pucker.orientation, pucker.camera) == (
        6,
        None,
        None,
        None,
    )
    found = store.capture_conditions()
    assert set(found) == {sid}  # a camera test has none
    assert store.capture_conditions(plain) == {}
    got = found[sid]
    assert got == CaptureConditions(
        datetime(2025, 4, 30, 8, 1, 5), datetime(2025, 4, 30, 8, 3, 9), (1, 6), ("Apple iPhone 13",)
    )
    assert got == CaptureConditions.from_poses(store.poses(sid))
    assert got.describe() == (
        "Photos taken 30 Apr 2025 08:01–08:03, with Apple iPhone 13, "
        "orientation upright (EXIF 1), turned a quarter clockwise (EXIF 6)."
    )
    assert got.as_json() == {
        "photos_taken_from": "2025-04-30T08:01:05",
        "photos_taken_to": "2025-04-30T08:03:09",
        "orientations": [1, 6],
        "cameras": ["Apple iPhone 13"],
    }


@pytest.mark.parametrize(("field", "value"), [("orientation", 9), ("camera", "bad\x1b[31m")])
def test_impossible_conditions_are_refused_and_nothing_is_written(
    store: Store, field: str, value: object
) -> None:
    session = _with_conditions()
    session = replace(session, poses=[replace(session.poses[0], **{field: value}), *session.poses[1:]])
    with pytest.raises(UsageError):
        store.add_session(session)
    assert store.sessions() == []


def make_v3_journal(path: Path) -> None:
    """A journal as version 3 wrote it: one imported test with its rest pose."""
    con = duckdb.connect(str(path))
    for statement in schema.DDL[3]:
        con.execute(statement)
    con.executemany("INSERT INTO meta VALUES (?, ?)", schema.meta_rows(3))
    con.execute(
        "INSERT INTO sessions (taken_at, protocol, scorer_version, tiredness, note, source) "
        "VALUES (TIMESTAMP '2024-02-01 18:00', 'weekly/1', 'tonus-scorer/4', NULL, NULL, 'import')"
    )
    con.execute("INSERT INTO poses VALUES (1, 'rest', 1, 1, MAP {'yaw': 1})")
    con.close()


def test_a_v3_journal_migrates_to_v4_keeping_its_poses(journal_file: Path) -> None:
    make_v3_journal(journal_file)
    with Store.open(journal_file, clock=f.clock) as s:
        [rest] = s.poses(1)
        assert (rest.pose, rest.frames_seen, rest.rejected) == ("rest", 1, {"yaw": 1})
        assert (rest.photo_taken_at, rest.orientation, rest.camera) == (None, None, None)
        assert s.capture_conditions() == {}
        sid = s.add_session(_with_conditions())
        assert s.capture_conditions()[sid].cameras == ("Apple iPhone 13",)
    con = duckdb.connect(str(journal_file), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(CURRENT_VERSION),
    )
    con.close()
    assert CURRENT_VERSION >= 4
