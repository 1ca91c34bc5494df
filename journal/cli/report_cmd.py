"""`tonus report`: one self-contained HTML file for the clinician (prints to A4 or Letter)."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from journal.errors import UsageError


def register(sub: Any) -> None:
    """Add `tonus report`."""
    report = sub.add_parser(
        "report",
        help="write a report for your clinician: one HTML file to open offline or print",
        description=(
            "Write one self-contained HTML file (charts and photos inside it, nothing fetched from the "
            "network) with your profile, scores, resting asymmetry, movement per pose, synkinesis, the "
            "timeline, photos, capture conditions and safety notes. Only you can read the file (0600)."
        ),
    )
    report.add_argument(
        "--out", metavar="FILE", help="where to write it (default: tonus-report-DATE.html here)"
    )
    report.add_argument("--weeks", type=int, metavar="N", help="only the last N weeks (default: everything)")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Write the report and say where it is."""
    from journal.cli.journal_cmd import open_journal
    from journal.clinician.write import default_name, write_report

    if args.weeks is not None and args.weeks < 1:
        raise UsageError(f"--weeks {args.weeks} shows nothing: give 1 or more, or leave it out for all.")
    now = datetime.now()
    out = Path(args.out).expanduser() if args.out else Path.cwd() / default_name(now)
    if out.is_dir():
        out = out / default_name(now)
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist: create it or give another --out FILE.")
    with open_journal(args.home, read_only=True) as store:
        if not store.sessions():
            raise UsageError("There are no tests in the journal yet: take or import a weekly test first.")
        path = write_report(store, out, args.weeks, now)
    size = path.stat().st_size / 1e6
    print(f"Report written to {path} ({size:.1f} MB). Open it in a browser, or print it.")
    return 0
