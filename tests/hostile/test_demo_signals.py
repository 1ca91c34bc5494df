"""`tonus demo` removes its temporary journal when it is ended by SIGTERM or SIGHUP."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import tonus_env

#: `tonus demo` with the app replaced by a wait, so the test can signal it while it is open.
DEMO = """
import sys, time
import journal.cli.tui as tui
def waiting(home, camera=None, demo=False, prepare=None):
    print(home, flush=True)
    time.sleep(600)
    return 0
tui.run_tui = waiting
from journal.cli import main
sys.exit(main(["demo"]))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_demo_removes_its_temporary_journal_on_a_signal(tmp_path: Path, signum: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", DEMO],
        env=tonus_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        home = Path(proc.stdout.readline().strip())
        assert (home / "journal.duckdb").exists()
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum
    assert not home.exists()
