"""Lead–lag: the sample's twitching leads movement; shuffled series stay (nearly always) silent."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from journal.services.demo import load_samples
from journal.signals.leadlag import (
    ALPHA,
    LeadLag,
    WeeklyTest,
    analyse,
    findings,
    improvement,
    lead_lag,
    leadlag_from_store,
    weekly_intensity,
)
from journal.signals.onset import week_number
from journal.signals.orientation import oriented_mean, oriented_regions
from journal.store import Store
from tests.test_safety import SAMPLES


@pytest.fixture(scope="module")
def sample_store() -> Iterator[Store]:
    store = Store.in_memory()
    try:
        load_samples(store, SAMPLES, None, today=date(2026, 11, 5), photos=False)
        yield store
    finally:
        store.close()


def _inputs(store: Store) -> tuple[list[WeeklyTest], list[tuple[date, str, int]], datetime, date]:
    rows = store.history()
    profile = store.get_profile()
    first = rows[0].session.taken_at
    assert profile.onset is not None
    tests = []
    for row in rows:
        scores = store.session_scores(row.session.id)
        assert scores is not None
        asym = oriented_mean(scores.poses["rest"].regions, "left")
        tests.append(WeeklyTest(week_number(row.session.taken_at, first, profile.onset), asym, row.movement))
    days = [(s.day, s.sensation, s.max_intensity) for s in store.sensations_by_day()]
    return tests, days, first, profile.onset


def _week_of(days: list[tuple[date, str, int]], first: datetime, onset: date) -> dict[date, int]:
    return {d: week_number(datetime.combine(d, time()), first, onset) for d, _, _ in days}


def test_orientation_points_the_way_a_palsy_pulls() -> None:
    # Left palsy: left brow 2 mm lower, left eye 1 mm wider, left corner 3 mm lower.
    regions = {"brow": (18.0, 20.0), "eye": (8.0, 7.0), "midface": (-38.0, -38.0), "mouth": (-69.0, -66.0)}
    assert oriented_regions(regions, "left") == {"brow": 2.0, "eye": 1.0, "midface": 0.0, "mouth": 3.0}
    assert oriented_regions(regions, "right") == {"brow": -2.0, "eye": -1.0, "midface": -0.0, "mouth": -3.0}
    assert oriented_mean(regions, None) is None


def test_the_sample_twitching_rises_weeks_before_movement_returns(sample_store: Store) -> None:
    results = leadlag_from_store(sample_store)
    said = {(r.sensation, r.target): r for r in results if r.beyond_chance}
    twitching = said.get(("twitching", "movement"))
    assert twitching is not None, results
    assert 2 <= twitching.lag_weeks <= 4
    assert "Twitching rose about" in twitching.sentence() and "before movement started to return" in (
        twitching.sentence()
    )
    # Nothing else is said to come *before* movement but the sensations that gather there.
    for (sensation, target), r in said.items():
        if target == "movement" and r.lag_weeks > 0:
            assert sensation in ("twitching", "tingling"), r
    # The same answer every time (a fixed seed): a sentence must not flicker between reloads.
    assert findings(leadlag_from_store(sample_store)) == findings(results)


def test_the_sample_tingling_also_leads_movement_even_when_not_beyond_chance(sample_store: Store) -> None:
    results = {(r.sensation, r.target): r for r in leadlag_from_store(sample_store)}
    tingling = results[("tingling", "movement")]
    assert tingling.lag_weeks > 0 and tingling.r > 0.4


def test_shuffled_sensations_are_silent_at_the_promised_rate(sample_store: Store) -> None:
    tests, days, first, onset = _inputs(sample_store)
    span = (min(d for d, _, _ in days), max(d for d, _, _ in days))
    width = (span[1] - span[0]).days
    spoken = total = 0
    twitching_spoke = 0
    for seed in range(30):
        rng = random.Random(seed)
        moved = [(span[0] + timedelta(days=rng.randrange(width + 1)), s, i) for _, s, i in days]
        results = analyse(tests, moved, _week_of(moved, first, onset))
        total += len(results)  # one result per sensation and score
        spoken += sum(r.beyond_chance for r in results)
        twitching_spoke += any(r.beyond_chance and r.sensation == "twitching" for r in results)
    # Each sentence is a test at ALPHA: on shuffled series about that share of results speak, no more.
    assert total > 200
    assert spoken / total <= ALPHA + 0.02, (spoken, total)
    assert twitching_spoke <= 3


def test_too_little_data_says_nothing() -> None:
    weeks = list(range(1, 6))
    assert lead_lag("twitching", np.array([0, 1, 2, 0, 0.0]), {"tone": np.arange(5.0)}) == []
    tests = [WeeklyTest(w, 2.0 - 0.1 * w, 10.0 * w) for w in weeks]
    assert findings(analyse(tests, [(date(2026, 1, 1), "itching", 3)], {date(2026, 1, 1): 1})) == []


def test_improvement_is_a_centred_two_week_change_and_fills_short_gaps() -> None:
    tests = [WeeklyTest(w, None, float(10 * w)) for w in (1, 2, 4, 5)]
    rate = improvement(tests, "movement", [1, 2, 3, 4, 5])
    assert np.isnan(rate[0]) and np.isnan(rate[-1])
    assert rate[1:4] == pytest.approx([10.0, 10.0, 10.0])
    tone = improvement([WeeklyTest(w, 3.0 - w, None) for w in (1, 2, 3)], "tone", [1, 2, 3])
    assert tone[1] == pytest.approx(1.0)  # asymmetry falling is tone returning


def test_weekly_intensity_is_the_mean_of_each_days_strongest() -> None:
    d = date(2026, 1, 5)
    days = [(d, "tingling", 7), (d, "tingling", 3), (d + timedelta(days=1), "tingling", 7)]
    out = weekly_intensity(days, {d: 1, d + timedelta(days=1): 1}, [1, 2])
    assert out["tingling"] == pytest.approx([2.0, 0.0])


def test_sentences_name_the_order_in_plain_words() -> None:
    assert (
        LeadLag("dry_eye", "tone", 0, 0.8, 0.01, 10).sentence()
        == "Dry eye rose in the same weeks as tone returned."
    )
    assert LeadLag("itching", "tone", -1, 0.8, 0.01, 10).sentence() == (
        "Itching rose about 1 week after tone started to return."
    )
    assert not LeadLag("itching", "tone", 2, 0.8, 0.2, 10).beyond_chance
