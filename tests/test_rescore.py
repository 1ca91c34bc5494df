"""`tonus rescore` in batches: the same scores as scoring each stored frame on its own, saved batch by
batch, in worker processes too, and stopping cleanly.

The reference here is the straightforward path: each stored frame rebuilt as a face observation,
fitted and gated on its own (`analysis.frame_check`, as the weekly test gates a live frame), the
rest reference from the usable rest frames, then `score_session`.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from journal.scoring.aggregate import aggregate
from journal.scoring.aggregate_many import aggregate_many
from journal.scoring.expression import RestReference
from journal.scoring.session import SessionScores, score_session
from journal.services import rescore
from journal.services.demo import read_samples
from journal.services.importer import as_side, observation, scores_row
from journal.store import FrameRecord, NewFrame, NewPose, NewSession, Scores, Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_sessions"
START = datetime(2025, 3, 3, 9, 0)


def reference(
    frames: dict[str, list[FrameRecord]], canonical: np.ndarray, store: Store
) -> SessionScores | None:
    """Score one stored test frame by frame (see the module notes)."""
    from journal.services.analysis import frame_check

    profile = store.get_profile()
    rest: RestReference | None = None
    usable: dict[str, np.ndarray] = {}
    for pose, records in sorted(frames.items(), key=lambda item: item[0] != "rest"):
        kept = []
        for record in records:
            reason, measures = frame_check(
                observation(record), pose, canonical, None if pose == "rest" else rest
            )
            if reason is None and measures is not None:
                kept.append(measures)
        if kept:
            usable[pose] = np.stack(kept)
            if pose == "rest":
                rest = RestReference.from_units(usable[pose])
    if not usable:
        return None
    return score_session(usable, affected=as_side(profile.affected_side), scale=profile.mm_per_unit)


def _frame(r: FrameRecord, **change: Any) -> NewFrame:
    frame = NewFrame(
        r.index, np.asarray(r.landmarks, dtype=np.float32), r.blendshapes, r.yaw, r.pitch, r.width, r.height
    )
    return replace(frame, **change)


def _spoilt(pose: str, r: FrameRecord) -> NewFrame:
    """Some frames that the gates turn away, and some that pass in unusual ways."""
    shapes = dict(r.blendshapes)
    if r.index == 0:
        return _frame(r, yaw=15.0)  # head turned
    if r.index == 1:
        return _frame(r, width=120, height=68)  # face too small
    if r.index == 2:
        return _frame(r, blendshapes=shapes | {"eyeBlinkLeft": 0.9})  # one eye shut
    if r.index == 3:  # no sided smile scores: the unsided one, else 0, counts
        return _frame(r, blendshapes={k: v for k, v in shapes.items() if not k.startswith("mouthSmile")})
    if r.index == 4:
        return _frame(r, yaw=None, pitch=-30.0)  # chin too far down
    if r.index == 5 and pose != "rest":
        return _frame(r, blendshapes={})  # no blendshapes: only the travel from rest can show the pose
    return _frame(r)


def fill(store: Store) -> list[int]:
    """The 14 sample weeks (real landmarks) with no scores, plus tests that exercise the gates."""
    samples = read_samples(SAMPLES)
    store.set_profile(
        affected_side=samples.profile.get("affected_side"), mm_per_unit=samples.profile["mm_per_unit"]
    )
    weeks = len(samples.tests)
    variants: list[dict[str, list[NewFrame]]] = []
    for week in range(weeks):
        variants.append({p: [_frame(r) for r in rs] for p, rs in samples.frame_records(week).items()})
    frames = samples.frame_records(1)
    variants.append({p: [_spoilt(p, r) for r in rs] for p, rs in frames.items()})
    variants.append({p: [_frame(r) for r in rs] for p, rs in samples.frame_records(2).items() if p != "rest"})
    variants.append({p: [_frame(r, yaw=30.0) for r in rs] for p, rs in frames.items()})  # nothing usable
    variants.append(
        {p: [_frame(r, yaw=30.0 if p == "rest" else r.yaw) for r in rs] for p, rs in frames.items()}
    )
    ids = []
    for i, poses in enumerate(variants):
        session = NewSession(
            taken_at=START + timedelta(weeks=i),
            protocol="weekly-v1",
            scorer_version="tonus-scorer/0",
            source="import",
            poses=[NewPose(p, len(fs), len(fs), {}, None, fs) for p, fs in poses.items()],
        )
        ids.append(store.add_session(session))
    return ids


def numbers(scores: Scores) -> dict[str, Any]:
    """Every stored value of a test's scores, by name."""
    head = ("scorer_version", "tonus", "movement", "synkinesis", "affected_side", "affected_side_source")
    out: dict[str, Any] = {k: getattr(scores, k) for k in (*head, "mm_per_unit", "side_evidence")}
    for pose, ps in scores.poses.items():
        low, high = ps.symmetry_interval or (None, None)
        out |= {
            f"{pose}.symmetry": ps.symmetry,
            f"{pose}.low": low,
            f"{pose}.high": high,
            f"{pose}.note": ps.note,
        }
        out |= {
            f"{pose}.movement": ps.movement,
            f"{pose}.left": ps.movement_left,
            f"{pose}.right": ps.movement_right,
        }
        for region, (left, right) in ps.regions.items():
            out |= {f"{pose}.{region}.left": left, f"{pose}.{region}.right": right}
    return out


def assert_same(want: Scores, got: Scores, where: object) -> None:
    a, b = numbers(want), numbers(got)
    assert a.keys() == b.keys(), where
    for key, value in a.items():
        if isinstance(value, float) and isinstance(b[key], float):
            assert math.isclose(value, b[key], rel_tol=0, abs_tol=1e-9), (where, key, value, b[key])
        else:
            assert value == b[key], (where, key, value, b[key])


@pytest.fixture(scope="module")
def canonical(model_path: Path) -> np.ndarray:
    from journal.capture.bundle import load_canonical_mesh

    return load_canonical_mesh(model_path)


@pytest.mark.shared
def test_batched_rescore_gives_the_per_frame_scores_and_saves_them(canonical: np.ndarray) -> None:
    with Store.in_memory() as store:
        ids = fill(store)
        want = {sid: reference(store.frames(sid), canonical, store) for sid in ids}
        assert want[ids[-2]] is None  # nothing usable
        spoilt = want[ids[14]]
        assert (
            spoilt is not None and spoilt.poses["rest"].aggregate.frames_used < 10
        )  # the gates turned some away
        seen = dict(rescore.rescore_all(store, canonical, batch=5, workers=1))
        assert list(seen) == ids
        for sid in ids:
            expected, fresh = want[sid], seen[sid]
            assert (expected is None) == (fresh is None), sid
            if expected is not None and fresh is not None:
                assert_same(scores_row(expected), scores_row(fresh), sid)
                saved = store.session_scores(sid)
                assert saved is not None
                assert_same(scores_row(fresh), replace(saved, scored_at=None), sid)
            else:
                assert store.session_scores(sid) is None


@pytest.mark.shared
def test_worker_processes_give_the_same_scores(canonical: np.ndarray) -> None:
    with Store.in_memory() as store:
        ids = fill(store)
        here = dict(rescore.rescore_all(store, canonical, batch=4, workers=1))
        there = dict(rescore.rescore_all(store, canonical, batch=4, workers=2))
    assert list(there) == ids
    for sid in ids:
        a, b = here[sid], there[sid]
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert numbers(scores_row(a)) == numbers(scores_row(b))  # the very same numbers


@pytest.mark.shared
def test_stopping_early_keeps_the_saved_batches_and_stops_the_workers(
    canonical: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", popen)
    with Store.in_memory() as store:
        ids = fill(store)
        run = rescore.rescore_all(store, canonical, batch=4, workers=2)
        first = [next(run) for _ in range(4)]  # one whole batch, yielded once saved
        run.close()  # the person pressed Ctrl-C, or the caller stopped
        assert [sid for sid, _ in first] == ids[:4]
        saved = {sid for sid in ids if store.session_scores(sid) is not None}
        assert saved == set(ids[:4])  # batches being scored when it stopped are not saved
        assert len(started) == 2 and all(p.poll() is not None for p in started)  # no worker left running
        store.add_entry(START, "pain", 2)  # the journal is still writable


def test_aggregate_many_is_aggregate_of_each() -> None:
    rng = np.random.default_rng(5)
    rest = rng.normal(size=(2, 11))
    items = []
    for n in (1, 2, 3, 3, 4, 5, 8, 8, 10, 13, 40):
        frames = rng.normal(size=(n, 2, 11)) * 3
        frames[: n // 3, 0, :4] = np.round(frames[: n // 3, 0, :4])  # ties
        for pose in ("rest", "smile", "brow_raise"):
            items.append((pose, frames, None if pose == "rest" else rest))
    nan = rng.normal(size=(6, 2, 11))
    nan[2, 1, 3] = np.nan
    items.append(("smile", nan, None))
    for (pose, frames, rest_mm), many in zip(items, aggregate_many(items), strict=True):
        one = aggregate(pose, frames, rest_mm)
        np.testing.assert_array_equal(many.measures_mm, one.measures_mm)
        assert many.frames_used == one.frames_used
        # Equal but for the order of floating-point sums, which numpy builds may take differently for
        # a batch and for one pose (Python 3.13's newest numpy differed by one unit in the last place).
        assert math.isclose(many.symmetry, one.symmetry, rel_tol=1e-12) or (
            math.isnan(many.symmetry) and math.isnan(one.symmetry)
        )
        interval = np.asarray(one.symmetry_interval, dtype=float)
        got = np.asarray(many.symmetry_interval, dtype=float)
        np.testing.assert_allclose(got, interval, rtol=1e-12, atol=0, equal_nan=True)
        if one.difference_intervals is None:
            assert many.difference_intervals is None
        else:
            assert many.difference_intervals is not None
            for region, interval in one.difference_intervals.items():
                np.testing.assert_allclose(
                    many.difference_intervals[region], interval, rtol=1e-12, atol=0, equal_nan=True
                )
    with pytest.raises(ValueError, match="no usable frames for smile"):
        aggregate_many([("smile", np.empty((0, 2, 11)), None)])


def test_no_workers_on_a_busy_machine() -> None:
    assert rescore.default_workers(load=50.0) == 1  # a busy machine: scoring here costs less CPU
    idle = rescore.default_workers(load=0.0)
    assert idle == 1 or 2 <= idle <= 4
