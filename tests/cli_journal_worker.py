"""Test-only helper for tests/test_cli_journal.py (not part of the app): a second Tonus process.

python cli_journal_worker.py PATH [ro]    open the journal at PATH (for writing, or read-only with
                                          `ro`), print "ready", then sleep until killed
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from journal.store import Store


def main(path: Path, read_only: bool) -> int:
    store = Store.open(path, read_only=read_only)
    print("ready", flush=True)
    try:
        time.sleep(600)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:] == ["ro"]))
