"""`tonus status`: is the weekly test due? For cron jobs and shell prompts (exit 10 when it is)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.store import Store

STATUS_EPILOG = (
    "Exit status: 0 when nothing is due, 10 when the weekly test is due (or no test was taken yet), "
    "2 when the journal cannot be read. In a shell prompt: tonus status >/dev/null || echo 'test due'."
)


def register(sub: Any) -> None:
    """Add `tonus status`."""
    status = sub.add_parser(
        "status",
        help="when the next weekly test is due, the latest scores and today's sensations",
        description=(
            "Say when the next weekly test is due, the days since the last test and since onset, the "
            "latest scores with their change and the recovery state, and today's sensations."
        ),
        epilog=STATUS_EPILOG,
    )
    status.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace) -> int:
    """Print the status and return 10 when the weekly test is due, else 0.

    The status cache answers when it is current (no DuckDB, no numpy); otherwise the journal is read
    and the cache written again for the next time.
    """
    from journal.paths import JOURNAL_FILENAME, data_dir
    from journal.services import status_cache as cache

    now = datetime.now()
    journal = data_dir(args.home) / JOURNAL_FILENAME
    if not journal.exists():  # looking creates nothing
        from journal.services.status import empty_status

        empty = empty_status(now)
        print(json.dumps(empty) if args.json else empty["due_text"])
        return cache.EXIT_DUE
    status = cache.read(journal, now)
    if status is None:
        from journal.cli.journal_cmd import open_journal
        from journal.services.status import snapshot_from_store

        with open_journal(args.home, read_only=True) as store:
            snapshot = snapshot_from_store(store, now)
            snapshot["stamp"] = cache.stamp(journal)  # no writer can change the file while it is open
        cache.write(journal, snapshot)
        status = cache.compose(snapshot, now)
    print(json.dumps(status, ensure_ascii=False) if args.json else cache.status_text(status))
    return cache.EXIT_DUE if status["due"] else 0


def refresh_cache(store: Store, full: bool | None = None) -> None:
    """Bring the status cache up to date as a writable journal closes (a `Store.on_close` hook).

    When the tests, scores and profile are as the cache has them (a sensation or an event was saved),
    only the day's entries and the file's stamp are renewed: milliseconds, no numpy. Otherwise the whole
    snapshot is read again when `full` (by default: when numpy is loaded already, as after a weekly test,
    an import or a re-score), or the cache is removed and the next `tonus status` writes it.
    """
    from journal.services import status_cache as cache

    if store.path is None:
        return
    now = datetime.now()
    old = cache.load(store.path)
    current = cache.stamp(store.path)
    fingerprint = store.status_fingerprint()
    if old is not None and old.get("fingerprint") == fingerprint:
        if old.get("stamp") == current and old.get("entries_from") == now.date().isoformat():
            return
        snapshot = {**old, **cache.entries_part(store, now)}
    elif full if full is not None else "numpy" in sys.modules:
        from journal.services.status import snapshot_from_store

        snapshot = snapshot_from_store(store, now)
    else:
        cache.remove(store.path)
        return
    snapshot["stamp"] = current
    if not cache.write(store.path, snapshot):
        cache.remove(store.path)
