"""Where a test came from: a webcam, a video, a photo folder, an import or the demo, stored as said.

`sessions.source` is a plain VARCHAR (no CHECK constraint or enum in any schema version), so the new
words "video" and "photos" need no migration: an old journal takes them once it is opened.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import store_factory as f
from test_store_compact import make_v2_journal

from journal.errors import UsageError
from journal.store import SESSION_SOURCES, Store
from journal.store.schema import DDL, MIGRATIONS
from journal.store.validate import SOURCE_WORDS


@pytest.mark.parametrize("source", ["camera", "video", "photos", "import", "demo"])
def test_each_source_is_stored_and_read_back(journal_file: Path, source: str) -> None:
    with Store.open(journal_file, clock=f.clock) as s:
        sid = s.add_session(f.session(frames=1, source=source))
        got = s.session(sid)
        assert got is not None and got.source == source
        assert [r.session.source for r in s.history()] == [source]


def test_an_old_journal_keeps_its_camera_tests_and_takes_video_and_photos(journal_file: Path) -> None:
    make_v2_journal(journal_file, sessions=2)
    with Store.open(journal_file, clock=f.clock) as s:  # migrated to the current version here
        s.add_session(f.session(frames=1, source="video"))
        s.add_session(f.session(frames=1, source="photos"))
        assert [r.session.source for r in s.history()] == ["camera", "camera", "video", "photos"]


def test_no_schema_version_restricts_the_source_column() -> None:
    for version, statements in DDL.items():
        sessions = next(st for st in statements if "CREATE TABLE sessions" in st)
        column = [ln.strip().rstrip(",") for ln in sessions.splitlines() if ln.strip().startswith("source ")]
        assert column in ([], ["source VARCHAR DEFAULT 'import'"]), (version, column)  # v1: no column
    assert "ALTER TABLE sessions ADD COLUMN source VARCHAR DEFAULT 'import'" in MIGRATIONS[2]


def test_an_unknown_source_is_refused_with_a_sentence(journal_file: Path) -> None:
    with Store.open(journal_file, clock=f.clock) as s, pytest.raises(UsageError, match="'phone'"):
        s.add_session(f.session(frames=1, source="phone"))
    con = duckdb.connect(str(journal_file), read_only=True)
    assert con.execute("SELECT count(*) FROM sessions").fetchall() == [(0,)]
    con.close()


def test_every_source_has_words_for_people() -> None:
    assert set(SOURCE_WORDS) == set(SESSION_SOURCES)
    assert SOURCE_WORDS["camera"] == "webcam" and SOURCE_WORDS["import"] == "imported"
