"""Reading many tests at once: the same scores as one by one, in a number of queries that does not grow."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
import store_factory as f

from journal.charts import chart_data
from journal.dashboard import recovery_from_store
from journal.store import Store


class CountingCursor:
    """A cursor that counts the statements run through it."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.statements = 0

    def execute(self, *args: Any) -> Any:
        self.statements += 1
        return self.cursor.execute(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)


def _fill(store: Store, tests: int) -> list[int]:
    first = f.NOW - timedelta(weeks=tests, hours=1)  # the last ones fall in a 4-week window
    ids = []
    for week in range(tests):
        new = f.session(taken_at=first + timedelta(weeks=week), frames=1, seed=week)
        new = replace(new, scores=f.scores(tonus=50.0 + week))
        ids.append(store.add_session(new))
    return ids


def test_latest_scores_equal_reading_each_test(store: Store) -> None:
    ids = _fill(store, 4)
    store.replace_scores(ids[0], f.scores("tonus-scorer/10", tonus=61.0, poses=("rest", "smile")))
    store.replace_scores(ids[0], f.scores("tonus-scorer/9", tonus=59.0))
    unscored = store.add_session(f.session(taken_at=datetime(2025, 5, 20, 9), frames=0, with_scores=False))
    every = store.latest_scores()
    assert set(every) == set(ids)  # the unscored test is left out
    for sid in ids:
        assert every[sid] == store.session_scores(sid)
    assert every[ids[0]].scorer_version == "tonus-scorer/10"
    assert list(every[ids[0]].poses) == ["rest", "smile"]
    assert store.latest_scores([ids[1], unscored, 999]) == {ids[1]: store.session_scores(ids[1])}
    assert store.latest_scores([]) == {}


def _statements(store: Store, read: Any) -> int:
    counting = CountingCursor(store.cursor())
    store.cursor = lambda: counting  # type: ignore[method-assign]
    try:
        read(store)
    finally:
        del store.cursor
    return counting.statements


@pytest.mark.parametrize(
    "read",
    [
        lambda s: chart_data(s, None, f.NOW.date()),
        lambda s: chart_data(s, 4, f.NOW.date()),
        recovery_from_store,
    ],
    ids=["charts-all-weeks", "charts-4-weeks", "recovery"],
)
def test_charts_and_recovery_read_in_a_fixed_number_of_queries(tmp_path: Any, read: Any) -> None:
    counts = []
    for tests in (3, 20):
        path = tmp_path / f"j{tests}.duckdb"
        with Store.open(path, clock=f.clock) as store:
            _fill(store, tests)
            counts.append(_statements(store, read))
    assert counts[0] == counts[1] <= 8
