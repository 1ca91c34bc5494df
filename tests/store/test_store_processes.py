"""Other processes: a real kill -9 mid-write, a second writer, and a reader while a writer holds it."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import store_factory as f

from journal.protocol import POSE_NAMES
from journal.store import JournalLockedError, Store

WORKER = Path(__file__).with_name("store_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def spawn(mode: str, path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, str(path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def read_until(proc: subprocess.Popen[str], wanted: str, count: int = 1, timeout: float = 30.0) -> list[str]:
    """Read the worker's lines until `count` of them start with `wanted` (fail on timeout or exit)."""
    assert proc.stdout is not None
    lines: list[str] = []
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = proc.stdout.readline()
            if not line:
                err = proc.stderr.read() if proc.stderr else ""
                pytest.fail(f"worker exited before {wanted!r}: {lines} {err}")
            lines.append(line.strip())
            if sum(x.startswith(wanted) for x in lines) >= count:
                return lines
    proc.kill()
    pytest.fail(f"worker did not print {wanted!r} in {timeout} s: {lines}")


def kill9(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@pytest.fixture
def worker_procs() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)


def earlier_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    with Store.open(path, clock=f.clock) as s:
        s.set_profile(affected_side="left", mm_per_unit=0.4)
        s.add_entry(datetime(2025, 1, 1, 8), "tingling", 4, "left", "cheek", "before")
        s.add_event(datetime(2025, 1, 1, 9), "therapy", "physio")
        s.add_session(f.session(frames=5, seed=1))
        return s.export_tables(photos=True)


def assert_complete(store: Store, session_id: int, frames: int) -> None:
    assert [p.pose for p in store.poses(session_id)] == list(POSE_NAMES)
    stored = store.frames(session_id)
    assert [len(stored[p]) for p in POSE_NAMES] == [frames] * len(POSE_NAMES)
    assert all(store.key_photo(session_id, p) is not None for p in POSE_NAMES)
    scores = store.session_scores(session_id)
    assert scores is not None and list(scores.poses) == list(POSE_NAMES)


def test_kill_9_inside_the_session_transaction_leaves_none_of_it(
    journal_file: Path, worker_procs: list[subprocess.Popen[str]]
) -> None:
    before = earlier_rows(journal_file)
    proc = spawn("session", journal_file, env={"TONUS_TEST_PAUSE_AFTER_POSE": "6"})
    worker_procs.append(proc)
    read_until(proc, "started")  # six poses with 30 frames and a 60 KB photo each are written, uncommitted
    kill9(proc)
    with Store.open(journal_file, clock=f.clock) as s:
        assert s.export_tables(photos=True) == before
        new = s.add_session(f.session(frames=2, seed=9))
        assert_complete(s, new, 2)


def test_kill_9_while_writing_in_a_loop_keeps_every_committed_session_whole(
    journal_file: Path, worker_procs: list[subprocess.Popen[str]]
) -> None:
    before = earlier_rows(journal_file)
    for delay in (0.0, 0.037):
        proc = spawn("loop", journal_file)
        worker_procs.append(proc)
        lines = read_until(proc, "committed", count=3)
        time.sleep(delay)
        kill9(proc)
        committed = {int(line.split()[1]) for line in lines if line.startswith("committed")}
        with Store.open(journal_file, read_only=True) as ro:  # a leftover write-ahead log is fine
            assert committed <= {x.id for x in ro.sessions()}
        with Store.open(journal_file, clock=f.clock) as s:
            ids = {x.id for x in s.sessions()}
            assert committed <= ids
            for sid in ids:
                assert_complete(s, sid, 5 if sid == 1 else 10)
            now = s.export_tables()
        for table in ("profile", "entries", "events", "meta"):
            assert now[table] == before[table]
        assert all(row in now["frames"] for row in before["frames"])


def test_second_writer_is_told_which_process_holds_the_journal(
    journal_file: Path, worker_procs: list[subprocess.Popen[str]]
) -> None:
    with Store.open(journal_file):
        proc = spawn("open", journal_file)
        worker_procs.append(proc)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    message = out.strip().removeprefix("error: ")
    assert f"(PID {os.getpid()}" in message
    assert "close that Tonus window" in message and "Traceback" not in out + err
    assert "\n" not in message and message.endswith(".")


def test_this_process_is_told_the_pid_of_the_worker_holding_the_lock(
    journal_file: Path, worker_procs: list[subprocess.Popen[str]]
) -> None:
    Store.open(journal_file).close()
    proc = spawn("hold", journal_file)
    worker_procs.append(proc)
    read_until(proc, "ready")
    before = journal_file.read_bytes()
    with pytest.raises(JournalLockedError) as err:
        Store.open(journal_file)
    assert err.value.pid == proc.pid
    assert f"PID {proc.pid}" in str(err.value)
    # Read-only opening either works or says why, in one sentence naming the holder.
    try:
        with Store.open(journal_file, read_only=True) as ro:
            assert ro.entries() == []
    except JournalLockedError as ro_err:
        assert ro_err.pid == proc.pid
        assert str(ro_err).startswith("Cannot read the journal")
    kill9(proc)
    assert journal_file.read_bytes() == before


def test_reader_while_a_writer_holds_the_journal(
    journal_file: Path, worker_procs: list[subprocess.Popen[str]]
) -> None:
    with Store.open(journal_file):
        proc = spawn("open", journal_file, "ro")
        worker_procs.append(proc)
        out, err = proc.communicate(timeout=30)
    assert "Traceback" not in out + err
    if proc.returncode == 0:
        assert out.strip() == "opened"
    else:
        message = out.strip().removeprefix("error: ")
        assert message.startswith("Cannot read the journal") and f"(PID {os.getpid()}" in message
        assert "\n" not in message
