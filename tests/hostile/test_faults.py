"""Faults: a leftover or damaged write-ahead log, a damaged journal, a failed creation, a held lock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hostile_helpers import tonus, tonus_env

from journal.store import Store, StoreError, connect, journal_path

WRITE_AND_DIE = """
import os, sys
from datetime import datetime
from journal.store import Store
store = Store.open(__import__("pathlib").Path(sys.argv[1]))
for i in range(20):
    store.add_entry(datetime(2025, 1, 1, 9, i), "pain", 3, note=f"entry {i}")
os._exit(0)  # dies without closing: no checkpoint, the 20 entries live only in the log
"""


def write_and_die(home: Path) -> Path:
    path = journal_path(home)
    Store.open(path).close()
    subprocess.run(
        [sys.executable, "-c", WRITE_AND_DIE, str(path)], env=tonus_env(home), check=True, timeout=60
    )
    wal = path.with_name(path.name + ".wal")
    assert wal.stat().st_size > 0
    return wal


def kept_copies(home: Path) -> list[Path]:
    return (
        sorted(p for p in (home / "recovery").glob("*") if p.is_dir()) if (home / "recovery").exists() else []
    )


@pytest.mark.parametrize("damage", ["flipped byte", "garbage"])
def test_a_damaged_log_is_kept_in_recovery_before_it_is_replayed(tmp_path: Path, damage: str) -> None:
    home = tmp_path / "home"
    wal = write_and_die(home)
    data = bytearray(wal.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0xFF
    else:
        data = bytearray(os.urandom(len(data)))
    wal.write_bytes(bytes(data))
    result = tonus("log", "pain", "2", home=home)
    assert "recovery" in result.stderr and "Traceback" not in result.stderr
    (copy,) = kept_copies(home)
    assert (copy / "journal.duckdb.wal").read_bytes() == bytes(data)
    assert (copy / "journal.duckdb").exists()
    assert oct((copy / "journal.duckdb.wal").stat().st_mode & 0o777) == oct(0o600)
    # The next commands find no leftover log and keep no second copy.
    tonus("log", "pain", "2", home=home)
    assert len(kept_copies(home)) == 1


def test_a_clean_leftover_log_is_kept_then_replayed_in_full(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_and_die(home)
    result = tonus("history", home=home)
    assert result.returncode == 0, result.stderr
    assert "recovery" in result.stderr
    with Store.open(journal_path(home)) as store:
        assert len(store.entries()) == 20


def test_every_writing_command_checkpoints_before_it_exits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (("log", "pain", "3"), ("event", "therapy", "physio"), ("profile", "--affected", "left")):
        result = tonus(*args, home=home)
        assert result.returncode == 0, result.stderr
        wal = home / "journal.duckdb.wal"
        assert not wal.exists() or wal.stat().st_size == 0


def test_a_damaged_journal_says_what_is_wrong_and_what_to_do(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = journal_path(home)
    with Store.open(path) as store:
        for i in range(30):
            store.add_entry(datetime(2025, 1, 1, 9, i), "pain", 3, note="n" * 200)
    data = bytearray(path.read_bytes())
    for offset in (4096 + 100, 274432 + 100):
        damaged = bytearray(data)
        damaged[offset] ^= 0xFF
        path.write_bytes(bytes(damaged))
        for args in (("history",), ("log", "pain", "2"), ("chart",)):
            result = tonus(*args, home=home)
            assert result.returncode == 1
            assert "damaged" in result.stderr and "restore" in result.stderr, result.stderr
            assert "try again" not in result.stderr and "Traceback" not in result.stderr


def test_a_journal_whose_creation_fails_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(conn: object, version: int = 0) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(connect, "create_schema", disk_full)
    path = journal_path(tmp_path / "home")
    with pytest.raises(OSError):
        Store.open(path)
    assert not path.exists()
    assert not path.with_name(path.name + ".wal").exists()
    monkeypatch.undo()
    with Store.open(path) as store:  # the next command starts afresh
        assert store.entries() == []


def test_the_lock_message_names_the_action_and_tonus_with_its_pid(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store.open(journal_path(home)):
        result = tonus("log", "pain", "3", home=home)
    assert result.returncode == 1
    assert "Cannot save the entry" in result.stderr
    assert f"tonus (PID {os.getpid()})" in result.stderr
    assert "python" not in result.stderr


def test_store_error_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no journal"):
        Store.open(journal_path(tmp_path / "none"), read_only=True)
