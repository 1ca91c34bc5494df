"""Reading many tests at once: the same scores as one by one, in a number of queries that does not grow."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import store_factory as f

from journal.charts import chart_data
from journal.errors import UsageError
from journal.services.dashboard import recovery_from_store
from journal.services.demo import load_samples
from journal.store import Store
from journal.store.sessions import N_LANDMARKS


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


def _score_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    cur = store.cursor()
    return {
        t: cur.execute(f"SELECT * EXCLUDE (scored_at) FROM {t} ORDER BY ALL").fetchall()
        if t == "session_scores"
        else cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("session_scores", "pose_scores", "region_scores")
    }


def test_replace_scores_many_writes_what_replace_scores_writes(tmp_path: Any) -> None:
    new = [
        f.scores("tonus-scorer/2", tonus=40.0 + i, poses=("rest", "smile") if i % 2 else ("rest",))
        for i in range(5)
    ]
    tables = []
    for many in (False, True):
        with Store.open(tmp_path / f"{many}.duckdb", clock=f.clock) as store:
            ids = _fill(store, 5)
            store.replace_scores(ids[0], f.scores("tonus-scorer/2", tonus=1.0))  # replaced below
            if many:
                store.replace_scores_many(list(zip(ids, new, strict=True)))
            else:
                for sid, scores in zip(ids, new, strict=True):
                    store.replace_scores(sid, scores)
            tables.append(_score_rows(store))
            assert store.latest_scores()[ids[3]].poses["smile"].regions == {
                "brow": (1.0, 1.5),
                "mouth": (3.0, 2.5),
            }
    assert tables[0] == tables[1]


def test_replace_scores_many_refuses_an_unknown_test_and_writes_nothing(store: Store) -> None:
    ids = _fill(store, 2)
    before = _score_rows(store)
    with pytest.raises(UsageError, match="no test number 99"):
        store.replace_scores_many([(ids[0], f.scores("tonus-scorer/2")), (99, f.scores("tonus-scorer/2"))])
    assert _score_rows(store) == before


def test_replace_scores_many_runs_a_fixed_number_of_statements(tmp_path: Any) -> None:
    counts = []
    for tests in (2, 12):
        with Store.open(tmp_path / f"j{tests}.duckdb", clock=f.clock) as store:
            ids = _fill(store, tests)
            items = [(sid, f.scores("tonus-scorer/2")) for sid in ids]
            counts.append(_statements(store, lambda s, items=items: s.replace_scores_many(items)))
    assert counts[0] == counts[1]


def test_rescore_all_saves_in_batches_and_yields_each_test_once_saved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from journal.services import rescore

    ids = _fill(store, 5)
    unusable = ids[2]

    def score(frames: Any, *_: Any) -> list[tuple[int, Any]]:
        return [(sid, None if sid == unusable else sid) for sid in sorted(set(frames.session_ids.tolist()))]

    monkeypatch.setattr(rescore, "score_tests", score)
    monkeypatch.setattr(rescore, "scores_row", lambda _scores: f.scores("tonus-scorer/7", tonus=33.0))
    seen = []
    for sid, scores in rescore.rescore_all(store, canonical=np.zeros((468, 3)), batch=2, workers=1):
        seen.append(sid)
        latest = store.latest_scores([sid]).get(sid)
        assert latest is not None
        # Yielded only once saved: the new version is in the journal when the caller hears of it.
        assert (latest.scorer_version == "tonus-scorer/7") == (scores is not None)
    assert seen == sorted(ids)


def test_frame_arrays_hold_what_frames_reads_of_many_tests(store: Store) -> None:
    import numpy as np

    from journal.store import landmarks as lm
    from journal.store.frame_arrays import decode_many

    ids = _fill(store, 4)
    odd = f.session(taken_at=f.NOW - timedelta(days=3), poses=("rest", "smile"), frames=2, seed=9)
    frame = replace(odd.poses[1].frames[0], yaw=None, pitch=None, blendshapes={"jawOpen": 0.5})
    ids.append(store.add_session(replace(odd, poses=[odd.poses[0], replace(odd.poses[1], frames=[frame])])))
    wanted = [ids[0], ids[2], ids[4]]  # not ids[1] or ids[3], though they lie in the same id range
    some = (1, 13, 234, 477)
    for kept in (None, some):
        arrays = store.frame_arrays(wanted, kept)
        rows = 0
        for sid in wanted:
            for pose, records in sorted(store.frames(sid).items()):  # by pose name, then index
                for r in records:
                    assert arrays.session_ids[rows] == sid and arrays.poses[rows] == pose
                    want = r.landmarks if kept is None else r.landmarks[list(kept)]
                    np.testing.assert_array_equal(arrays.landmarks[rows], want)
                    shapes = {
                        n: v
                        for n, v in zip(arrays.names, arrays.blendshapes[rows], strict=True)
                        if n and v == v
                    }
                    assert shapes == r.blendshapes
                    assert (arrays.yaw[rows], arrays.pitch[rows]) == (r.yaw, r.pitch) or r.yaw is None
                    assert (arrays.width[rows], arrays.height[rows]) == (r.width, r.height)
                    rows += 1
        assert rows == len(arrays.session_ids)
        assert np.isnan(arrays.yaw[-1]) and np.isnan(arrays.pitch[-1])  # unset angles are NaN
    assert len(store.frame_arrays([]).session_ids) == 0
    rng = np.random.default_rng(4)
    old = rng.random((N_LANDMARKS, 3)).astype(np.float32)  # a float32 frame of a version-2 journal
    blobs = [lm.encode(old * 0.5), old.tobytes(), lm.encode(old)]
    for kept in (None, some):
        want = np.stack([lm.decode(b) for b in blobs])
        np.testing.assert_array_equal(decode_many(blobs, kept), want if kept is None else want[:, list(kept)])


def test_latest_entries_pages_newest_first_without_gaps_or_repeats(store: Store) -> None:
    same = datetime(2025, 5, 1, 8, 0)
    for minute in (5, 0, 0, 0, 9, 3, 0):  # several entries at the same minute: ordered by id
        store.add_entry(same.replace(minute=minute), "pain", 1)
    every = list(reversed(store.entries()))
    assert store.latest_entries(100) == every
    pages, before = [], None
    while page := store.latest_entries(2, before):
        pages.append(page)
        before = (page[-1].at, page[-1].id)
    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert [e for p in pages for e in p] == every
    assert store.latest_entries(0) == []


def test_latest_scores_of_some_poses_only(store: Store) -> None:
    ids = _fill(store, 2)
    rest = store.latest_scores(poses=("rest",))
    for sid in ids:
        full = store.session_scores(sid)
        assert full is not None
        assert rest[sid] == replace(full, poses={"rest": full.poses["rest"]})


SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_sessions"


def test_latest_scores_of_the_samples_match_session_scores_and_prefers_the_newest_version() -> None:
    with Store.in_memory() as store:
        load_samples(store, SAMPLES, None, today=date(2026, 11, 5), photos=False)
        ids = [s.id for s in store.sessions()]
        bulk = store.latest_scores(ids)
        assert bulk.keys() == set(ids)
        assert all(bulk[i] == store.session_scores(i) for i in ids)
        assert store.latest_scores([]) == {} and store.latest_scores([10**6]) == {}
        old = store.session_scores(ids[0])
        assert old is not None
        newer = dataclasses.replace(old, scorer_version="tonus-scorer/99", tonus=12.5, scored_at=None)
        store.replace_scores(ids[0], newer)
        again = store.latest_scores(ids[:2])
        assert again[ids[0]].scorer_version == "tonus-scorer/99" and again[ids[0]].tonus == 12.5
        assert again[ids[0]] == store.session_scores(ids[0])
        assert again[ids[1]] == bulk[ids[1]]
