"""`tonus model`: show and install the face model."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the `model` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser("model", help="show or install the face model")
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)
