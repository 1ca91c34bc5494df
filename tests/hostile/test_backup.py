"""Backup and restore: one consistent archive, restored row for row, never over a journal in use."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hostile_helpers import tonus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
from fakes import fixed_session  # noqa: E402

from journal.store import Store, journal_path  # noqa: E402
from journal.store.backup import AUTO_KEEP, BACKUPS_DIR  # noqa: E402
from journal.store.restore import BackupError, restore  # noqa: E402

START = datetime(2025, 3, 3, 8, 0)


def fill(home: Path, tests: int = 3) -> dict[str, list[dict[str, Any]]]:
    with Store.open(journal_path(home)) as store:
        store.set_profile(affected_side="left", onset=START.date() - timedelta(days=5))
        for week in range(tests):
            store.add_session(fixed_session(START + timedelta(weeks=week), tonus=60.0 + week, movement=40.0))
        for day in range(10):
            store.add_entry(
                START + timedelta(days=day), "tingling", day % 11, note=f"day {day}\n\tsecond line"
            )
        store.add_event(START + timedelta(days=2), "therapy", "physio")
        store.delete_entry(10)  # a gap in the ids must come back as it was
        return store.export_tables(photos=True)


def rows(home: Path) -> dict[str, list[dict[str, Any]]]:
    with Store.open(journal_path(home), read_only=True) as store:
        return store.export_tables(photos=True)


@pytest.mark.parametrize("passphrase", [None, "correct horse battery staple"])
def test_backup_and_restore_round_trip_row_for_row(tmp_path: Path, passphrase: str | None) -> None:
    before = fill(tmp_path / "home")
    out = tmp_path / ("b.tar.age" if passphrase else "b.tar")
    with Store.open(journal_path(tmp_path / "home"), read_only=True) as store:
        info = store.backup(out, passphrase)
    assert info["tables"]["sessions"] == 3 and info["tables"]["entries"] == 9
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    restore(out, journal_path(tmp_path / "new"), passphrase)
    assert rows(tmp_path / "new") == before
    with Store.open(journal_path(tmp_path / "new")) as store:  # new rows get new ids
        assert store.add_entry(START, "pain", 1) == 11
        assert store.add_session(fixed_session(START + timedelta(weeks=9), tonus=1.0, movement=1.0)) == 4


def test_the_cli_backs_up_and_restores_with_a_passphrase_on_stdin(tmp_path: Path) -> None:
    fill(tmp_path / "home", tests=1)
    out = tmp_path / "backup.tar.age"
    done = tonus("backup", "--out", str(out), "--passphrase", home=tmp_path / "home", input_text="s3cret\n")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"age-encryption.org/v1")
    wrong = tonus("restore", str(out), home=tmp_path / "new", input_text="wrong\n")
    assert wrong.returncode == 2 and "passphrase is wrong" in wrong.stderr
    assert not (tmp_path / "new" / "journal.duckdb").exists()
    right = tonus("restore", str(out), home=tmp_path / "new", input_text="s3cret\n")
    assert right.returncode == 0, right.stderr
    assert rows(tmp_path / "new") == rows(tmp_path / "home")


def test_restore_never_writes_over_a_journal_with_data(tmp_path: Path) -> None:
    fill(tmp_path / "home", tests=1)
    out = tmp_path / "b.tar"
    with Store.open(journal_path(tmp_path / "home"), read_only=True) as store:
        store.backup(out)
    with Store.open(journal_path(tmp_path / "other")) as store:
        store.add_entry(START, "pain", 2)
    before = rows(tmp_path / "other")
    result = tonus("restore", str(out), home=tmp_path / "other")
    assert result.returncode == 2 and "never writes over" in result.stderr
    assert rows(tmp_path / "other") == before


def tampered(source: Path, target: Path, change: str) -> None:
    with tarfile.open(source) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]  # type: ignore[union-attr]
    with tarfile.open(target, "w") as out:
        for member, data in members:
            if change == "flip" and member.name.endswith("entries.parquet"):
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            if change == "escape" and member.name.endswith("events.parquet"):
                member.name = "tonus-backup/db/../../evil.parquet"
            if change == "manifest" and member.name.endswith("manifest.json"):
                info = json.loads(data)
                info["tables"]["entries"] += 1
                data = json.dumps(info).encode()
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("change", ["flip", "escape", "manifest", "truncate"])
def test_a_damaged_or_crafted_backup_is_refused_and_restores_nothing(tmp_path: Path, change: str) -> None:
    fill(tmp_path / "home", tests=1)
    good, bad = tmp_path / "good.tar", tmp_path / "bad.tar"
    with Store.open(journal_path(tmp_path / "home"), read_only=True) as store:
        store.backup(good)
    if change == "truncate":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:
        tampered(good, bad, change)
    with pytest.raises(BackupError):
        restore(bad, journal_path(tmp_path / "new"))
    assert not (tmp_path / "new" / "journal.duckdb").exists()
    assert not (tmp_path / "evil.parquet").exists() and not (tmp_path / "new" / "evil.parquet").exists()


def test_an_automatic_backup_after_each_weekly_test_keeps_the_newest(tmp_path: Path) -> None:
    home = tmp_path / "home"
    times = iter(START + timedelta(weeks=w) for w in range(100))
    with Store.open(journal_path(home), clock=lambda: next(times)) as store:
        for week in range(AUTO_KEEP + 2):
            store.add_session(fixed_session(START + timedelta(weeks=week), tonus=50.0, movement=40.0))
            assert store.auto_backup() is not None
    kept = sorted((home / BACKUPS_DIR).iterdir())
    assert len(kept) == AUTO_KEEP
    restore(kept[-1], journal_path(tmp_path / "new"))
    assert len(rows(tmp_path / "new")["sessions"]) == AUTO_KEEP + 2
