"""SharedJournal: overlapping users in threads share one opening; the last one out closes it."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

from journal.store import Store, StoreError
from journal.store.shared import SharedJournal


def test_nested_users_share_one_store_and_the_journal_closes_after_the_last(journal_file: Path) -> None:
    shared = SharedJournal(journal_file)
    with shared() as outer:
        with shared() as inner:
            assert inner is outer and shared.users == 2
            inner.add_entry(datetime(2025, 5, 1, 8, 0), "twitching", 3)
        assert shared.users == 1
        assert [e.sensation for e in outer.entries()] == ["twitching"]  # still open for the outer user
    assert shared.users == 0
    with pytest.raises(StoreError, match="closed"):
        outer.entries()
    with Store.open(journal_file) as again:  # another opening is possible again
        assert len(again.entries()) == 1


def test_threads_writing_at_once_through_one_opening_keep_every_row(journal_file: Path) -> None:
    opened: list[int] = []

    def opener(path: Path) -> Store:
        opened.append(1)
        return Store.open(path)

    shared = SharedJournal(journal_file, opener=opener)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(5)
            for i in range(10):
                with shared() as store:
                    store.add_entry(datetime(2025, 5, 1 + n, 8, i), "tingling", n)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with shared():  # held open, so every writer joins this one opening
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
    assert len(opened) == 1
    with Store.open(journal_file) as store:
        assert sorted(e.intensity for e in store.entries()) == sorted(n for n in range(4) for _ in range(10))


def test_a_failed_opening_leaves_no_user_behind(tmp_path: Path) -> None:
    foreign = tmp_path / "journal.duckdb"
    foreign.write_text("not a journal")
    shared = SharedJournal(foreign)
    with pytest.raises(StoreError), shared():
        pass
    assert shared.users == 0
    assert foreign.read_text() == "not a journal"
