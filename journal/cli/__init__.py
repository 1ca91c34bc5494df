"""The `tonus` command: the composition root. Parses arguments and imports heavy modules lazily."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from journal import __version__
from journal.cli import (
    analyze_cmd,
    backup_cmd,
    chart_cmd,
    compact_cmd,
    demo_cmd,
    entries_cmd,
    journal_cmd,
    model_cmd,
    report_cmd,
    status_cmd,
)
from journal.errors import EXIT_USAGE, TonusError
from journal.text import printable


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="tonus",
        description=(
            "Tonus: a local-first journal for recovery from facial palsy. "
            "Run with no command to open the journal in the terminal."
        ),
    )
    parser.add_argument("--version", action="version", version=f"tonus {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="journal directory (default: $TONUS_HOME or the user data dir)"
    )
    parser.add_argument(
        "--camera",
        metavar="SOURCE",
        help="camera for the weekly test: a webcam number, a video file or a folder of pose photos",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    analyze_cmd.register(sub)
    model_cmd.register(sub)
    journal_cmd.register(sub)
    entries_cmd.register(sub)
    chart_cmd.register(sub)
    demo_cmd.register(sub)
    compact_cmd.register(sub)
    backup_cmd.register(sub)
    status_cmd.register(sub)
    report_cmd.register(sub)
    for command in sub.choices.values():  # `tonus X --home DIR` as well as `tonus --home DIR X`
        command.add_argument(
            "--home",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="journal directory (default: $TONUS_HOME)",
        )
    return parser


def _run_tui(args: argparse.Namespace) -> int:
    """Start the terminal interface on the journal."""
    from journal.cli.tui import run_tui
    from journal.paths import data_dir

    return run_tui(data_dir(args.home), camera=args.camera)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `tonus` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return _run_tui(args)
        return int(handler(args))
    except TonusError as exc:
        print(f"tonus: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tonus: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # e.g. a disk full or a permission problem, named with its file
        name = getattr(exc, "filename", None)
        where = f" ({name})" if name else ""
        print(printable(f"tonus: {exc.strerror or exc}{where}."), file=sys.stderr)
        return EXIT_USAGE
