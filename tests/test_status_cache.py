"""The status cache: `tonus status` answers from it without DuckDB or numpy, and never answers stale."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal.cli.status_cmd import refresh_cache
from journal.services import status_cache as cache
from journal.services.demo import _session, load_samples, read_samples, stored_scores
from journal.services.status import status_from_store
from journal.store import Store, journal_path
from tests.report_helpers import SAMPLES, TONUS

#: What a cached `tonus status` must not load: each costs a tenth of a second or more.
HEAVY = ("duckdb", "numpy", "PIL", "textual", "rich", "plotext", "mediapipe", "cv2", "pyarrow", "pandas")

_PROGRAM = """
import json, sys
from journal.cli import main
code = main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.stdin.read())))
print("LOADED=" + json.dumps({"code": code, "heavy": loaded}))
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal, last test in the past week, one sensation logged today at 07:00."""
    home = tmp_path_factory.mktemp("base")
    with Store.open(journal_path(home)) as store:
        load_samples(store, SAMPLES, None, today=date.today(), photos=False)
        store.add_entry(
            datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=7), "twitching", 4
        )
    return home


@pytest.fixture
def home(base: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample journal, with no status cache yet."""
    return Path(shutil.copytree(base, tmp_path / "home"))


def _tonus(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TONUS_HOME": str(home)}
    return subprocess.run([str(TONUS), *args], capture_output=True, text=True, env=env, timeout=120)


def _status(home: Path) -> dict[str, object]:
    run = _tonus(home, "status", "--json")
    assert run.returncode in (0, 10), run.stderr
    data: dict[str, object] = json.loads(run.stdout)
    return data


def _full_read(home: Path) -> dict[str, object]:
    with Store.open(journal_path(home), read_only=True) as store:
        return status_from_store(store, datetime.now())


def _cache_file(home: Path) -> Path:
    return cache.cache_path(journal_path(home))


def test_status_writes_a_private_cache_and_then_answers_from_it_without_duckdb_or_numpy(home: Path) -> None:
    first = _status(home)  # no cache yet: the full read, which writes one
    assert first == _full_read(home)
    assert oct(_cache_file(home).stat().st_mode & 0o777) == oct(0o600)
    written = _cache_file(home).stat().st_mtime_ns
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, "--home", str(home), "status", "--json"],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert json.loads(lines[0]) == first
    assert json.loads(lines[-1].removeprefix("LOADED=")) == {"code": 0, "heavy": []}
    assert _cache_file(home).stat().st_mtime_ns == written  # read, not rewritten


def test_the_probe_sees_duckdb_when_there_is_no_cache(home: Path) -> None:
    """Without a cache the same probe finds DuckDB and numpy: the check above can fail."""
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, "--home", str(home), "status", "--json"],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    loaded = json.loads(done.stdout.splitlines()[-1].removeprefix("LOADED="))
    assert {"duckdb", "numpy"} <= set(loaded["heavy"])


def test_a_log_keeps_the_cache_current_with_the_new_sensation(home: Path) -> None:
    before = _status(home)
    assert before["today"] == [{"at": "07:00", "sensation": "twitching", "intensity": 4}]
    run = _tonus(home, "log", "tingling", "6", "--at", "today 08:15")
    assert run.returncode == 0, run.stderr
    snapshot = cache.load(journal_path(home))
    assert snapshot is not None and snapshot["stamp"] == cache.stamp(
        journal_path(home)
    )  # the log refreshed it
    after = _status(home)
    assert after["today"] == [
        {"at": "07:00", "sensation": "twitching", "intensity": 4},
        {"at": "08:15", "sensation": "tingling", "intensity": 6},
    ]
    assert after == _full_read(home)


def test_a_new_test_written_by_another_program_makes_the_cache_stale(home: Path) -> None:
    before = _status(home)
    samples = read_samples(SAMPLES)
    last = len(samples.tests) - 1
    with Store.open(journal_path(home)) as store:  # no status hook: only the file's stamp tells
        scores = stored_scores(samples.scores[last], samples.scorer_version)
        session = _session(samples, last, scores, timedelta(0), False)
        store.add_session(dataclasses.replace(session, taken_at=datetime.now().replace(microsecond=0)))
    after = _status(home)
    assert after["tests"] == before["tests"] + 1 == 15  # type: ignore[operator]
    assert after["days_since_last_test"] == 0 and after["due"] is False
    assert after == _full_read(home)


def test_a_writer_that_changed_the_scores_rewrites_the_whole_snapshot(home: Path) -> None:
    """After a weekly test, an import or a re-score (numpy loaded), closing the journal rewrites the cache."""
    _status(home)
    with Store.open(journal_path(home)) as store:
        store.on_close.append(lambda s: refresh_cache(s, full=True))
        sessions = store.sessions()
        store.delete_session(sessions[-1].id)
    snapshot = cache.load(journal_path(home))
    assert snapshot is not None and snapshot["stamp"] == cache.stamp(journal_path(home))
    assert snapshot["tests"] == 13
    assert cache.read(journal_path(home), datetime.now()) == _full_read(home)


def test_a_profile_change_in_a_light_command_removes_the_cache(home: Path) -> None:
    _status(home)
    run = _tonus(home, "profile", "--affected", "right")
    assert run.returncode == 0, run.stderr
    assert not _cache_file(home).exists()  # no numpy in `tonus profile`: the next status reads the journal
    assert _status(home)["affected_side"] == "right"
    assert _cache_file(home).exists()


def test_the_day_parts_follow_the_clock(home: Path) -> None:
    _status(home)
    journal = journal_path(home)
    now = datetime.now()
    today = cache.read(journal, now)
    assert today is not None and today["today"] and today["due"] is False
    for days in (1, 7, 30):
        later = now + timedelta(days=days)
        status = cache.read(journal, later)
        with Store.open(journal, read_only=True) as store:
            assert status == status_from_store(store, later)
        assert status is not None and status["today"] == []  # the entries were logged on another day
    assert cache.read(journal, now - timedelta(days=1)) is None  # a clock set back: read the journal


@pytest.mark.parametrize(
    "damage",
    ["not json {", "[]", '{"format": 1}', "truncate", "wrong types"],
)
def test_a_corrupt_cache_is_ignored_and_rewritten(home: Path, damage: str) -> None:
    good = _status(home)
    path = _cache_file(home)
    text = path.read_text(encoding="utf-8")
    if damage == "truncate":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "wrong types":
        data = json.loads(text)
        data["entries"] = "garbage"
        data["last_test"] = 12
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text(damage, encoding="utf-8")
    assert _status(home) == good
    assert cache.load(journal_path(home)) is not None  # a good one was written in its place
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_a_cache_from_another_scorer_is_not_used(home: Path) -> None:
    good = _status(home)
    path = _cache_file(home)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["scorer"] = "tonus-scorer/0"
    data["tests"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")
    assert _status(home) == good


def test_the_terminal_interface_keeps_the_cache_current(home: Path) -> None:
    """The TUI's shared opening refreshes the cache when its last user closes the journal."""
    from journal.cli.tui import real_services

    _status(home)
    services = real_services(home)
    with services.open_store() as store:
        store.add_entry(datetime.now().replace(second=0, microsecond=0), "tingling", 5)
    snapshot = cache.load(journal_path(home))
    assert snapshot is not None and snapshot["stamp"] == cache.stamp(journal_path(home))
    assert any(e["sensation"] == "tingling" for e in snapshot["entries"])
    assert cache.read(journal_path(home), datetime.now()) == _full_read(home)
