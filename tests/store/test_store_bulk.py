"""`Store.scores_of`: many tests' newest scores at once, exactly what `session_scores` gives one by one."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from journal.demo import load_samples
from journal.store import Store

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_sessions"


def test_scores_of_matches_session_scores_and_prefers_the_newest_version() -> None:
    with Store.in_memory() as store:
        load_samples(store, SAMPLES, None, today=date(2026, 11, 5), photos=False)
        ids = [s.id for s in store.sessions()]
        bulk = store.scores_of(ids)
        assert bulk.keys() == set(ids)
        assert all(bulk[i] == store.session_scores(i) for i in ids)
        assert store.scores_of([]) == {} and store.scores_of([10**6]) == {}
        old = store.session_scores(ids[0])
        assert old is not None
        newer = dataclasses.replace(old, scorer_version="tonus-scorer/99", tonus=12.5, scored_at=None)
        store.replace_scores(ids[0], newer)
        again = store.scores_of(ids[:2])
        assert again[ids[0]].scorer_version == "tonus-scorer/99" and again[ids[0]].tonus == 12.5
        assert again[ids[0]] == store.session_scores(ids[0])
        assert again[ids[1]] == bulk[ids[1]]
