"""The journal file: private permissions, foreign files left alone, old schemas migrated in full."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pytest
import store_factory as f

from journal.paths import data_dir
from journal.store import CURRENT_VERSION, ForeignFileError, Store, StoreError, journal_path, schema


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_new_journal_is_private(tmp_path: Path) -> None:
    path = journal_path(tmp_path / "home")
    assert path == data_dir(tmp_path / "home") / "journal.duckdb"
    with Store.open(path, clock=f.clock) as s:
        s.add_entry(datetime(2025, 5, 1), "pain", 1)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wal = path.with_name(path.name + ".wal")
        assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_loose_journal_is_made_private(journal_file: Path) -> None:
    Store.open(journal_file).close()
    os.chmod(journal_file, 0o644)
    Store.open(journal_file).close()
    assert stat.S_IMODE(journal_file.stat().st_mode) == 0o600


def test_text_file_is_refused_and_untouched(journal_file: Path) -> None:
    journal_file.write_text("my shopping list\n")
    before = snapshot(journal_file)
    for read_only in (False, True):
        with pytest.raises(ForeignFileError) as err:
            Store.open(journal_file, read_only=read_only)
        assert str(journal_file) in str(err.value) and "left untouched" in str(err.value)
    assert snapshot(journal_file) == before


def test_empty_file_is_refused_and_untouched(journal_file: Path) -> None:
    journal_file.write_bytes(b"")
    with pytest.raises(ForeignFileError):
        Store.open(journal_file)
    assert journal_file.read_bytes() == b""


def test_directory_at_the_path_is_refused(journal_file: Path) -> None:
    journal_file.mkdir()
    with pytest.raises(ForeignFileError, match="not a file"):
        Store.open(journal_file)


def test_foreign_duckdb_file_is_refused_and_untouched(journal_file: Path) -> None:
    con = duckdb.connect(str(journal_file))
    con.execute("CREATE TABLE invoices (id INTEGER, total DOUBLE)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5)")
    con.close()
    before = snapshot(journal_file)
    for read_only in (False, True):
        with pytest.raises(ForeignFileError) as err:
            Store.open(journal_file, read_only=read_only)
        assert "not a Tonus journal" in str(err.value) and "left untouched" in str(err.value)
    assert snapshot(journal_file) == before
    assert not journal_file.with_name(journal_file.name + ".wal").exists()


def test_duckdb_file_with_a_foreign_meta_table_is_refused(journal_file: Path) -> None:
    con = duckdb.connect(str(journal_file))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('app', 'other'), ('schema_version', '1')")
    con.close()
    before = snapshot(journal_file)
    with pytest.raises(ForeignFileError):
        Store.open(journal_file)
    assert snapshot(journal_file) == before


def test_empty_duckdb_file_becomes_a_journal(journal_file: Path) -> None:
    # What a crash between creating the file and committing the schema leaves behind.
    duckdb.connect(str(journal_file)).close()
    with Store.open(journal_file, clock=f.clock) as s:
        s.add_entry(datetime(2025, 5, 1), "pain", 1)
    with Store.open(journal_file, read_only=True) as s:
        assert len(s.entries()) == 1


def test_newer_schema_is_refused_and_untouched(journal_file: Path) -> None:
    Store.open(journal_file).close()
    con = duckdb.connect(str(journal_file))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = snapshot(journal_file)
    with pytest.raises(StoreError, match="newer Tonus"):
        Store.open(journal_file)
    assert snapshot(journal_file) == before


def test_read_only_open_of_a_missing_journal_says_so(journal_file: Path) -> None:
    with pytest.raises(StoreError, match="no journal at"):
        Store.open(journal_file, read_only=True)
    assert not journal_file.exists()


def make_v1_journal(path: Path) -> None:
    """A journal as the first schema version wrote it, with a row in every table."""
    con = duckdb.connect(str(path))
    for statement in schema.DDL_V1:
        con.execute(statement)
    con.executemany("INSERT INTO meta VALUES (?, ?)", schema.meta_rows(1))
    con.execute(
        "INSERT INTO profile VALUES (1, 'right', DATE '2024-01-10', '0', 0.39, TIMESTAMP '2024-01-11')"
    )
    for n in (1, 2):
        con.execute(
            "INSERT INTO sessions (taken_at, protocol, scorer_version, tiredness, note) "
            "VALUES (?, ?, ?, ?, ?)",
            [datetime(2024, 2, n, 18), "weekly/1", "tonus-scorer/1", n, f"week {n}"],
        )
        con.execute("INSERT INTO poses VALUES (?, 'rest', 5, 4, MAP {'yaw': 1})", [n])
        con.execute("INSERT INTO key_photos VALUES (?, 'rest', 0, ?)", [n, f.jpeg(100, n)])
        lm = np.full((478, 3), n / 10, dtype="<f4").tobytes()
        con.execute("INSERT INTO frames VALUES (?, 'rest', 0, ?, [0.5, 0.25], 1.0, 2.0, 640, 480)", [n, lm])
        con.execute(
            "INSERT INTO session_scores VALUES (?, 'tonus-scorer/1', TIMESTAMP '2024-02-03', ?, NULL, NULL, "
            "'right', 'given', 0.39, NULL)",
            [n, 70.0 + n],
        )
        con.execute(
            "INSERT INTO pose_scores VALUES "
            "(?, 'tonus-scorer/1', 'rest', 88, NULL, NULL, NULL, NULL, NULL, NULL)",
            [n],
        )
        con.execute("INSERT INTO region_scores VALUES (?, 'tonus-scorer/1', 'rest', 'mouth', 1.0, 2.0)", [n])
    con.execute("INSERT INTO blendshape_names VALUES (0, 'browInnerUp'), (1, 'jawOpen')")
    con.execute(
        "INSERT INTO entries (occurred_at, sensation, intensity, side, region, note) VALUES "
        "(TIMESTAMP '2024-02-01 07:00', 'tingling', 5, 'right', 'cheek', 'morning'), "
        "(TIMESTAMP '2024-02-02 07:00', 'tearing', 2, NULL, NULL, NULL)"
    )
    con.close()


def v1_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    tables = [t for t in schema.TABLES if t != "events"]
    rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    con.close()
    return rows


def test_v1_journal_is_migrated_keeping_every_row(journal_file: Path) -> None:
    make_v1_journal(journal_file)
    old = v1_rows(journal_file)
    with Store.open(journal_file, clock=f.clock) as s:
        assert s.get_profile().affected_side == "right"
        sessions = s.sessions()
        assert [(x.id, x.note, x.source, x.tiredness) for x in sessions] == [
            (1, "week 1", "import", 1),
            (2, "week 2", "import", 2),
        ]
        assert s.poses(2)[0].rejected == {"yaw": 1}
        assert s.key_photo(2, "rest") == f.jpeg(100, 2)
        frame = s.frames(2)["rest"][0]
        np.testing.assert_array_equal(frame.landmarks, np.full((478, 3), 0.2, dtype=np.float32))
        assert frame.blendshapes == {"browInnerUp": 0.5, "jawOpen": 0.25}
        assert [h.tonus for h in s.history()] == [71.0, 72.0]
        assert s.session_scores(1).poses["rest"].regions == {"mouth": (1.0, 2.0)}  # type: ignore[union-attr]
        assert [(e.sensation, e.where) for e in s.entries()] == [("tingling", "cheek"), ("tearing", None)]
        # What v2 added works, and the old sequences carry on.
        s.add_event(datetime(2024, 2, 3), "milestone", "first movement of the mouth corner")
        assert s.add_entry(datetime(2024, 2, 4), "pain", 1) == 3
        assert s.add_session(f.session(frames=1)) == 3
    con = duckdb.connect(str(journal_file), read_only=True)
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(CURRENT_VERSION),)
    for table, rows in old.items():
        if table in ("meta", "sessions"):
            continue
        added = " EXCLUDE (photo_taken_at, orientation, camera)" if table == "poses" else ""  # v4 columns
        now = con.execute(f"SELECT *{added} FROM {table} ORDER BY ALL").fetchall()
        assert all(row in now for row in rows), table
    sessions_now = con.execute("SELECT * EXCLUDE (source, landmarks) FROM sessions ORDER BY ALL").fetchall()
    assert all(row in sessions_now for row in old["sessions"])
    con.close()


def test_migrated_and_fresh_journals_have_the_same_columns(tmp_path: Path) -> None:
    def columns(path: Path) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(path), read_only=True)
        cols = con.execute(
            "SELECT table_name, column_index, column_name, data_type, column_default, is_nullable "
            "FROM duckdb_columns() WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        con.close()
        return cols

    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    make_v1_journal(old)
    Store.open(old).close()
    Store.open(new).close()
    assert columns(old) == columns(new)


def test_failed_migration_leaves_the_v1_journal_as_it_was(
    journal_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1_journal(journal_file)
    old = v1_rows(journal_file)
    broken = (*schema.MIGRATIONS[2], "ALTER TABLE no_such_table ADD COLUMN x INTEGER")
    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)  # type: ignore[arg-type]
    with pytest.raises(StoreError) as err:
        Store.open(journal_file)
    assert "\n" not in str(err.value)
    assert v1_rows(journal_file) == old
    con = duckdb.connect(str(journal_file), read_only=True)
    assert "events" not in {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    monkeypatch.undo()
    with Store.open(journal_file) as s:
        assert len(s.sessions()) == 2


def test_read_only_open_of_an_old_journal_asks_for_an_upgrade(journal_file: Path) -> None:
    make_v1_journal(journal_file)
    before = snapshot(journal_file)
    with pytest.raises(StoreError, match="needs an upgrade"):
        Store.open(journal_file, read_only=True)
    assert snapshot(journal_file) == before


def test_profile_onset_round_trips_after_reopen(journal_file: Path) -> None:
    with Store.open(journal_file, clock=f.clock) as s:
        s.set_profile(onset=date(2025, 1, 2), mm_per_unit=0.4)
    with Store.open(journal_file, read_only=True) as s:
        assert s.get_profile().onset == date(2025, 1, 2)


def test_opening_the_same_journal_twice_in_one_process_says_so(journal_file: Path) -> None:
    with Store.open(journal_file):
        for read_only in (False, True):
            with pytest.raises(StoreError, match="already open in this program") as err:
                Store.open(journal_file, read_only=read_only)
            assert "\n" not in str(err.value)
    with Store.open(journal_file, read_only=True) as ro:
        assert ro.entries() == []
    assert not journal_file.with_name(journal_file.name + ".wal").exists()


def test_store_checkpoints_itself_when_the_wal_grows(
    journal_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.store import connect

    wal = journal_file.with_name(journal_file.name + ".wal")
    with Store.open(journal_file, clock=f.clock) as s:
        s.add_entry(datetime(2025, 5, 1), "pain", 1)
        assert wal.exists() and wal.stat().st_size > 0
        monkeypatch.setattr(connect, "WAL_LIMIT", 1)
        s.add_session(f.session(frames=1))
        assert not wal.exists() or wal.stat().st_size == 0
        assert len(s.entries()) == 1 and len(s.sessions()) == 1
