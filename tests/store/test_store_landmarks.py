"""Journal v5: each test records how its landmarks were measured (`sessions.landmarks`).

A stored test keeps landmarks, not images, so a test measured with the face model's points alone can
never be refined afterwards; the column lets brow and eye changes be compared only between tests
measured alike (journal/signals/points.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import store_factory as f

from journal.errors import UsageError
from journal.scoring.version import LANDMARKS_METHOD, LANDMARKS_MODEL, LANDMARKS_REFINED
from journal.store import CURRENT_VERSION, Store, schema


def make_v4_journal(path: Path) -> None:
    """A journal as version 4 wrote it: two imported tests, the second one scored."""
    con = duckdb.connect(str(path))
    for statement in schema.DDL[4]:
        con.execute(statement)
    con.executemany("INSERT INTO meta VALUES (?, ?)", schema.meta_rows(4))
    for day in ("2024-02-01 18:00", "2024-02-08 18:00"):
        con.execute(
            "INSERT INTO sessions (taken_at, protocol, scorer_version, tiredness, note, source) "
            f"VALUES (TIMESTAMP '{day}', 'weekly/1', 'tonus-scorer/4', 3, 'tired', 'import')"
        )
    con.execute("INSERT INTO poses VALUES (1, 'rest', 1, 1, MAP {'yaw': 1}, NULL, NULL, NULL)")
    con.close()


def test_a_v4_journal_migrates_to_v5_and_its_tests_read_as_measured_by_the_model(journal_file: Path) -> None:
    make_v4_journal(journal_file)
    with Store.open(journal_file, clock=f.clock) as s:
        old = s.sessions()
        assert [t.landmarks for t in old] == [LANDMARKS_MODEL, LANDMARKS_MODEL]
        assert [(t.tiredness, t.note, t.source) for t in old] == [(3, "tired", "import")] * 2
        assert [r.session.landmarks for r in s.history()] == [LANDMARKS_MODEL, LANDMARKS_MODEL]
        new = s.add_session(f.session(taken_at=datetime(2024, 2, 15, 18, 0), frames=1))
        got = s.session(new)
        assert got is not None and got.landmarks == LANDMARKS_METHOD == LANDMARKS_REFINED
        assert [r.session.landmarks for r in s.history()] == [
            LANDMARKS_MODEL,
            LANDMARKS_MODEL,
            LANDMARKS_REFINED,
        ]
    con = duckdb.connect(str(journal_file), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(CURRENT_VERSION),
    )
    con.close()
    assert CURRENT_VERSION == 5


def test_fresh_and_migrated_v5_sessions_have_the_same_columns(tmp_path: Path) -> None:
    def columns(path: Path) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(path), read_only=True)
        cols = con.execute(
            "SELECT column_index, column_name, data_type, column_default FROM duckdb_columns() "
            "WHERE database_name = current_database() AND table_name = 'sessions' ORDER BY ALL"
        ).fetchall()
        con.close()
        return cols

    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    make_v4_journal(old)
    Store.open(old).close()
    Store.open(new).close()
    assert columns(old) == columns(new)
    assert columns(new)[-1][1] == "landmarks"


def test_a_test_can_be_stored_as_measured_by_the_model_and_an_unknown_method_is_refused(store: Store) -> None:
    sid = store.add_session(replace(f.session(frames=1), landmarks=LANDMARKS_MODEL))
    got = store.session(sid)
    assert got is not None and got.landmarks == LANDMARKS_MODEL
    with pytest.raises(UsageError, match="landmark method"):
        store.add_session(replace(f.session(frames=1, seed=2), landmarks="guessed"))
    assert len(store.sessions()) == 1
