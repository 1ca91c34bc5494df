"""`tonus status`: is the weekly test due? For cron jobs and shell prompts (exit 10 when it is)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

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
    """Print the status and return 10 when the weekly test is due, else 0."""
    from journal.paths import data_dir
    from journal.services.status import EXIT_DUE
    from journal.store import JOURNAL_FILENAME

    now = datetime.now()
    if not (data_dir(args.home) / JOURNAL_FILENAME).exists():  # looking creates nothing
        from journal.services.status import empty_status

        empty = empty_status(now)
        print(json.dumps(empty) if args.json else empty["due_text"])
        return EXIT_DUE
    from journal.cli.journal_cmd import open_journal
    from journal.services.status import status_from_store, status_text

    with open_journal(args.home, read_only=True) as store:
        status = status_from_store(store, now)
    print(json.dumps(status, ensure_ascii=False) if args.json else status_text(status))
    return EXIT_DUE if status["due"] else 0
