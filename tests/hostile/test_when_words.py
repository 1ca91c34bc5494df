"""Mistyped dates: an empty --at and full-width digits are refused, never read as now."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_helpers import tonus

from journal.store import journal_path


@pytest.mark.parametrize("at", ["", "   ", "２０２６-１１-２０", "2026-11-2٠"])
def test_a_mistyped_time_is_refused_with_a_sentence_and_nothing_is_logged(tmp_path: Path, at: str) -> None:
    home = tmp_path / "home"
    result = tonus("log", "pain", "2", "--at", at, home=home)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("tonus: The time") and "Traceback" not in result.stderr
    # Refused before the journal is opened: nothing was written, not even a new journal.
    assert not journal_path(home).exists()
