"""Fixtures for the store tests: a journal file in a temporary home, opened with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_factory import clock

from journal.store import Store, journal_path


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    """Where the journal lives inside a fresh private data directory."""
    return journal_path(tmp_path / "home")


@pytest.fixture
def store(journal_file: Path) -> Iterator[Store]:
    """A new, empty journal on disk."""
    with Store.open(journal_file, clock=clock) as s:
        yield s
