"""`tonus backup` and `tonus restore`: the whole journal in one archive file, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from journal.errors import UsageError
from journal.text import printable


def register(sub: Any) -> None:
    """Add `backup` and `restore`."""
    backup = sub.add_parser(
        "backup",
        help="write the whole journal to one archive file (encrypted with a passphrase if you like)",
        description=(
            "Write the whole journal (tests, photos, entries, events, profile) to one archive file, with "
            "a manifest of row counts and SHA-256 checksums. --passphrase encrypts it (age format)."
        ),
    )
    backup.add_argument(
        "--out", metavar="FILE", help="where to write it (default: backups/ in the data folder)"
    )
    backup.add_argument(
        "--passphrase", action="store_true", help="ask for a passphrase and encrypt the backup"
    )
    backup.set_defaults(handler=run_backup)

    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty journal (never over entries or tests)",
        description="Check a backup file from end to end and restore it into an empty journal.",
    )
    restore.add_argument("file", metavar="FILE", help="a file written by `tonus backup`")
    restore.add_argument("--passphrase", action="store_true", help="ask for the backup's passphrase")
    restore.set_defaults(handler=run_restore)


def ask_passphrase(twice: bool) -> str:
    """Read a passphrase: from the terminal without echo, else one line of standard input."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UsageError(
                "No passphrase was given on standard input: type one, or leave out --passphrase."
            )
        return line.rstrip("\n")
    import getpass

    first = getpass.getpass("Passphrase: ")
    if twice and getpass.getpass("Passphrase again: ") != first:
        raise UsageError("The two passphrases differ: run the command again and type the same one twice.")
    return first


def run_backup(args: argparse.Namespace) -> int:
    """Write a backup of the journal (opened read-only)."""
    from journal.cli.journal_cmd import open_journal
    from journal.paths import data_dir
    from journal.store.backup import BACKUPS_DIR, default_name

    if args.out is not None and not args.out.strip():
        raise UsageError("--out is empty: give the file to write the backup to, or leave --out out.")
    passphrase = ask_passphrase(twice=True) if args.passphrase else None
    out = (
        Path(args.out)
        if args.out
        else data_dir(args.home) / BACKUPS_DIR / default_name(passphrase is not None)
    )
    with open_journal(args.home, read_only=True) as store:
        info = store.backup(out, passphrase)
    counts = info["tables"]
    print(
        printable(
            f"Backed up {counts.get('sessions', 0)} tests, {counts.get('entries', 0)} entries and "
            f"{counts.get('events', 0)} events to {out}" + (" (encrypted)." if passphrase else ".")
        )
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the (empty) journal."""
    from journal.store import journal_path
    from journal.store.restore import is_encrypted, restore

    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"{source} is not a file: give the backup file written by `tonus backup`.")
    passphrase = ask_passphrase(twice=False) if args.passphrase or is_encrypted(source) else None
    target = journal_path(args.home)
    info = restore(source, target, passphrase)
    counts = info["tables"]
    print(
        printable(
            f"Restored {counts.get('sessions', 0)} tests, {counts.get('entries', 0)} entries and "
            f"{counts.get('events', 0)} events from {source} into {target}."
        )
    )
    return 0
