"""Test-only subprocess that uses the Store as a second Tonus process would (not part of the app).

python store_worker.py hold PATH          open for writing, print "ready", wait to be killed
python store_worker.py session PATH       write one big test; with TONUS_TEST_PAUSE_AFTER_POSE=n it
                                          prints "started" after n poses, inside the transaction,
                                          and sleeps there until killed
python store_worker.py loop PATH          write tests forever, printing "committed ID" after each
python store_worker.py open PATH [ro]     try to open; print "opened" or "error: MESSAGE"
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import store_factory as f

from journal.errors import TonusError
from journal.store import Store

PAUSE_ENV = "TONUS_TEST_PAUSE_AFTER_POSE"


def say(text: str) -> None:
    print(text, flush=True)


def main(mode: str, path: Path, extra: list[str]) -> int:
    if mode == "open":
        try:
            Store.open(path, read_only=extra == ["ro"]).close()
        except TonusError as exc:
            say(f"error: {exc}")
            return 1
        say("opened")
        return 0
    store = Store.open(path, clock=f.clock)
    if mode == "hold":
        say("ready")
        time.sleep(600)
    elif mode == "session":
        pause_after = int(os.environ.get(PAUSE_ENV, "0"))
        written = 0

        def on_pose(pose: str) -> None:
            nonlocal written
            written += 1
            if written == pause_after:
                say("started")
                time.sleep(600)

        sid = store.add_session(f.session(frames=30, photo_size=60_000, seed=7), on_pose=on_pose)
        say(f"committed {sid}")
    elif mode == "loop":
        start = datetime(2025, 1, 1, 9)
        for n in range(10_000):
            sid = store.add_session(f.session(taken_at=start + timedelta(hours=n), frames=10, seed=n))
            say(f"committed {sid}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3:]))
