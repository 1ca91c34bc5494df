"""`tonus compact`: a smaller journal file (old frames packed, large photos resized, free space back)."""

from __future__ import annotations

import argparse
from typing import Any

from journal.errors import UsageError


def register(sub: Any) -> None:
    """Add the compact subcommand."""
    compact = sub.add_parser(
        "compact",
        help="make the journal file smaller: pack old landmarks, resize large photos, give free space back",
    )
    compact.add_argument(
        "--keep-photos", action="store_true", help="leave every key photo exactly as it is stored"
    )
    compact.set_defaults(handler=run_compact)


def run_compact(args: argparse.Namespace) -> int:
    """Compact the journal in the data directory and say what it gained."""
    from journal.capture.photos import PHOTO_MAX_SIDE, shrink_jpeg
    from journal.store import journal_path
    from journal.store.compact import compact_journal

    path = journal_path(args.home)
    if not path.exists():
        raise UsageError(f"There is no journal at {path} yet: log a sensation or import a test first.")
    done = compact_journal(path, None if args.keep_photos else shrink_jpeg)
    print(
        f"Compacted {path}: {done.bytes_before / 1e6:.1f} MB → {done.bytes_after / 1e6:.1f} MB; "
        f"{done.frames_packed} frame(s) packed, {done.photos_resized} photo(s) resized to "
        f"{PHOTO_MAX_SIDE} px."
    )
    return 0
