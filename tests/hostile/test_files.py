"""Files and folders: modes left alone, read-only journals readable, exports private and all-or-nothing."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from hostile_helpers import tonus

from journal.errors import UsageError
from journal.store import Store, export, journal_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def journal_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with Store.open(journal_path(home)) as store:
        store.add_entry(datetime(2025, 1, 1, 9, 0), "pain", 3, note="fine")
        store.add_event(datetime(2025, 1, 2, 9, 0), "therapy", "physio")
    return home


@pytest.mark.parametrize("folder_mode", [0o755, 0o1777, 0o750])
def test_an_existing_folder_keeps_its_mode_and_a_loose_one_is_named(tmp_path: Path, folder_mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, folder_mode)
    for args in (("log", "pain", "3"), ("history",), ("chart",), ("log", "nonsense", "3")):
        tonus(*args, home=shared)
        assert mode(shared) == folder_mode
    result = tonus("log", "pain", "2", home=shared)
    assert result.returncode == 0
    assert ("others can" in result.stderr.lower()) == bool(folder_mode & 0o077)


def test_a_folder_tonus_creates_is_private(tmp_path: Path) -> None:
    home = tmp_path / "new" / "deeper"
    assert tonus("log", "pain", "3", home=home).returncode == 0
    assert mode(home) == 0o700 and mode(home.parent) == 0o700
    assert mode(home / "journal.duckdb") == 0o600


def test_read_only_commands_work_on_a_read_only_journal(journal_home: Path) -> None:
    path = journal_home / "journal.duckdb"
    os.chmod(path, 0o400)
    os.chmod(journal_home, 0o500)
    try:
        for args in (("history",), ("chart", "--width", "80", "--height", "20")):
            result = tonus(*args, home=journal_home)
            assert result.returncode == 0, result.stderr
        assert mode(journal_home) == 0o500
    finally:
        os.chmod(journal_home, 0o700)


@pytest.mark.parametrize("flag", ["--home", "--out"])
def test_an_empty_home_or_out_is_refused(tmp_path: Path, journal_home: Path, flag: str) -> None:
    args = ("--home", "", "history") if flag == "--home" else ("export", "--out", "")
    result = tonus(*args, home=journal_home, cwd=tmp_path)
    assert result.returncode == 2
    assert "empty" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_an_empty_tonus_home_is_refused(tmp_path: Path) -> None:
    result = tonus("log", "pain", "3", cwd=tmp_path, TONUS_HOME="")
    assert result.returncode == 2 and "empty" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_follows_no_symlink_in_or_at_the_target(journal_home: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    target = tmp_path / "export"
    target.mkdir()
    (target / "README.txt").symlink_to(outside)  # dangling: a write would land outside
    result = tonus("export", "--out", str(target), home=journal_home)
    assert result.returncode == 2 and not outside.exists()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    result = tonus("export", "--out", str(link), home=journal_home)
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_export_is_private_while_it_is_written(
    journal_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int, list[int]]] = []
    real = export._copy

    def watching(cur, table, fmt, target):  # type: ignore[no-untyped-def]
        real(cur, table, fmt, target)
        folder = target.parent
        seen.append((table, mode(folder), [mode(p) for p in folder.iterdir()]))

    monkeypatch.setattr(export, "_copy", watching)
    old = os.umask(0o000)  # the most permissive umask a person could have
    try:
        with Store.open(journal_path(journal_home), read_only=True) as store:
            store.export(tmp_path / "out", "csv", photos=True)
    finally:
        os.umask(old)
    assert seen and all(folder == 0o700 and all(m == 0o600 for m in files) for _, folder, files in seen)
    assert mode(tmp_path / "out") == 0o700


def test_a_failed_export_leaves_nothing(
    journal_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = export._copy

    def failing(cur, table, fmt, target):  # type: ignore[no-untyped-def]
        if table == "entries":
            raise OSError(28, "No space left on device")
        real(cur, table, fmt, target)

    monkeypatch.setattr(export, "_copy", failing)
    with Store.open(journal_path(journal_home), read_only=True) as store, pytest.raises(OSError):
        store.export(tmp_path / "out", "csv", photos=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_export_refuses_a_folder_that_is_not_empty(journal_home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine.txt").write_text("mine\n")
    with Store.open(journal_path(journal_home), read_only=True) as store, pytest.raises(UsageError):
        store.export(target, "csv")
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
