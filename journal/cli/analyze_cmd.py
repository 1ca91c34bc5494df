"""`tonus analyze`: measure photos, folders of pose photos or videos and print scores."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the `analyze` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser("analyze", help="score photos or videos")
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)
