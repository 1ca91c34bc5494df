"""A write to a damaged journal fails with the "damaged, restore a backup" sentence, never exit 0.

One flipped byte inside a table's storage block, a table the write does not read (the sessions, the
scores, older entries, the frames…): `tonus log` used to append its row, checkpoint and exit 0, and only
the next `history`, `status` or `export` found the damage. Every writing command now reads the journal
back after its checkpoint (store.probe.check) and says so at once.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from hostile_helpers import ROOT, tonus

from journal.services.demo import load_samples
from journal.store import Store, journal_path

#: DuckDB's file starts with three 4 KB headers; block n follows at HEADER + n × block size, and each
#: block starts with its 8-byte checksum.
HEADER = 3 * 4096
TABLES = (
    "entries",
    "events",
    "sessions",
    "session_scores",
    "pose_scores",
    "region_scores",
    "profile",
    "poses",
    "frames",
    "blendshape_names",
)


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal (14 tests, entries, events) with a few more entries, checkpointed."""
    home = tmp_path_factory.mktemp("base")
    with Store.open(journal_path(home)) as store:
        load_samples(store, ROOT / "sample_sessions", None, today=date.today(), photos=False)
        for i in range(30):
            store.add_entry(datetime(2025, 1, 1, 9, i), "pain", 3, note="n" * 200)
    return journal_path(home)


def _block_offset(path: Path, table: str) -> int:
    """Where in the file a byte of `table`'s first stored segment lies."""
    with duckdb.connect(str(path), read_only=True) as conn:
        size = conn.execute("SELECT block_size FROM pragma_database_size()").fetchone()
        found = conn.execute(
            f"SELECT min(block_id) FROM pragma_storage_info('{table}') WHERE block_id >= 0"
        ).fetchone()
    assert size is not None and found is not None and found[0] is not None, table
    return HEADER + int(found[0]) * int(size[0]) + 8 + 30


def _damaged_copy(journal: Path, table: str, home: Path) -> Path:
    home.mkdir(mode=0o700)
    path = Path(shutil.copy(journal, home / journal.name))
    data = bytearray(path.read_bytes())
    data[_block_offset(journal, table)] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _says_damaged(stderr: str) -> None:
    assert "damaged" in stderr and "restore" in stderr, stderr
    assert "try again" not in stderr and "Traceback" not in stderr, stderr


@pytest.mark.parametrize("table", TABLES)
def test_a_log_on_a_damaged_journal_fails_with_the_damaged_sentence(
    journal: Path, tmp_path: Path, table: str
) -> None:
    path = _damaged_copy(journal, table, tmp_path / "home")
    result = tonus("log", "pain", "2", home=path.parent)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Logged" not in result.stdout
    _says_damaged(result.stderr)
    # The damage is real: the table cannot be read whole.
    with (
        pytest.raises(duckdb.Error, match="(?i)checksum|corrupt"),
        duckdb.connect(str(path), read_only=True) as conn,
    ):
        conn.execute(f"SELECT sum(hash(t)) FROM {table} AS t").fetchall()


@pytest.mark.parametrize(
    "args",
    [("event", "therapy", "physio"), ("profile", "--affected", "left"), ("edit", "1", "--intensity", "4")],
)
def test_other_writing_commands_fail_on_a_damaged_journal(
    journal: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = _damaged_copy(journal, "sessions", tmp_path / "home")
    result = tonus(*args, home=path.parent)
    assert result.returncode == 1, (result.stdout, result.stderr)
    _says_damaged(result.stderr)


def test_a_healthy_journal_still_logs(journal: Path, tmp_path: Path) -> None:
    """The check reads back what a good journal holds without complaint."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    shutil.copy(journal, home / journal.name)
    result = tonus("log", "pain", "2", home=home)
    assert result.returncode == 0, result.stderr
    assert "Logged pain 2/10" in result.stdout
