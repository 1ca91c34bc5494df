"""Write the report: one private (0600) HTML file, replaced atomically so a half-written file never shows."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from journal.clinician.data import read_report
from journal.clinician.page import render

if TYPE_CHECKING:
    from journal.store import Store


def default_name(now: datetime) -> str:
    """The report's file name for a day, e.g. tonus-report-2026-12-01.html."""
    return f"tonus-report-{now:%Y-%m-%d}.html"


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by its owner only (0600), through a temporary file and a rename."""
    path = path.expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def write_report(store: Store, out: Path, weeks: int | None = None, now: datetime | None = None) -> Path:
    """Read the journal, render the report and write it to `out` (0600); return the path."""
    return write_private(out, render(read_report(store, weeks, now)))
