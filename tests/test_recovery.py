"""The recovery signal on simulated series: finds real change, stays quiet on noise, never overclaims."""

from __future__ import annotations

import itertools
import math
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.signals.noise import (
    DEFAULT_SEM,
    NoiseEstimate,
    estimate_noise,
    sem_from_interval,
    smallest_detectable_change,
)
from journal.signals.onset import MIN_TESTS, Confidence, Onset, week_number
from journal.signals.points import WeekPoint, points_from_history, rest_asymmetry
from journal.signals.recovery import RecoverySignal, recovery_signal
from journal.signals.trend import mann_kendall, mann_whitney_greater, theil_sen
from journal.store.rows import HistoryRow, PoseScores, Scores, TestSession

T0 = datetime(2024, 3, 4, 9, 30)
WEEKS = 14
SIMULATIONS = 200
Profile = Callable[[int], float]


def flat(_: int) -> float:
    return 0.0


def tone_ramp(week: int) -> float:
    """+10 points over 3 weeks from week 5: +3.3 at week 5, +6.7 at week 6, +10 from week 7."""
    return 10.0 * float(np.clip((week - 4) / 3, 0.0, 1.0))


def movement_ramp(week: int) -> float:
    """+30 points over 3 weeks from week 8."""
    return 30.0 * float(np.clip((week - 7) / 3, 0.0, 1.0))


def simulate(
    seed: int,
    tone: Profile = flat,
    movement: Profile = flat,
    tonus_sem: float = 1.5,
    frames_sem: float | None = None,
    weeks: int = WEEKS,
) -> list[WeekPoint]:
    """Weekly tests: tonus 60 + profile + N(0, tonus_sem); movement 5 + profile + N(0, 4) clipped at 0.

    With `frames_sem`, each test carries a 95 % interval over frames of about ±1.96·frames_sem.
    """
    rng = np.random.default_rng(seed)
    points = []
    for week in range(1, weeks + 1):
        tonus = 60.0 + tone(week) + rng.normal(0.0, tonus_sem)
        move = float(np.clip(5.0 + movement(week) + rng.normal(0.0, DEFAULT_SEM["movement"]), 0.0, 100.0))
        interval = None
        if frames_sem is not None:
            half = 1.96 * frames_sem * rng.uniform(0.7, 1.3)
            interval = (tonus - half, tonus + half)
        taken = T0 + timedelta(days=7 * (week - 1), hours=float(rng.integers(-3, 4)))
        points.append(WeekPoint(taken, float(tonus), move, interval))
    return points


def series(tonus: list[float], movement: list[float] | None = None) -> list[WeekPoint]:
    moves = movement or [5.0] * len(tonus)
    return [
        WeekPoint(T0 + timedelta(weeks=i), t, m) for i, (t, m) in enumerate(zip(tonus, moves, strict=True))
    ]


# --- (a) noise alone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tonus_sem", "frames_sem", "allowed"),
    [
        (1.5, None, 0.05),  # the spec's case, no intervals: noise from early tests pooled with the default
        (1.5, 1.0, 0.05),  # with repeat-frame intervals
        (3.0, None, 0.05),  # a person twice as noisy as the typical SEM still gets few false claims
    ],
)
def test_noise_alone_rarely_claims_tone(tonus_sem: float, frames_sem: float | None, allowed: float) -> None:
    claims = [
        recovery_signal(simulate(seed, tonus_sem=tonus_sem, frames_sem=frames_sem)).tone_since is not None
        for seed in range(SIMULATIONS)
    ]
    rate = sum(claims) / SIMULATIONS
    assert rate <= allowed, f"false-positive rate {rate:.3f} with SEM {tonus_sem}"


def test_noise_alone_rarely_claims_at_any_week_along_the_way() -> None:
    """Home recomputes the signal after every test: a false claim at any week counts against it."""
    ever = 0
    for seed in range(SIMULATIONS):
        points = simulate(seed)
        if any(recovery_signal(points[:n]).tone_since is not None for n in range(MIN_TESTS, WEEKS + 1)):
            ever += 1
    assert ever / SIMULATIONS <= 0.05


def test_noise_alone_rarely_claims_movement() -> None:
    claims = [recovery_signal(simulate(seed)).movement_since is not None for seed in range(SIMULATIONS)]
    assert sum(claims) / SIMULATIONS <= 0.05


# --- (b) a real change ---------------------------------------------------------------------------------


def test_tone_ramp_from_week_5_is_found_near_week_5_and_movement_lags_about_3_weeks() -> None:
    found = near = 0
    lags = []
    for seed in range(SIMULATIONS):
        signal = recovery_signal(simulate(seed, tone=tone_ramp, movement=movement_ramp))
        if signal.tone_since is not None:
            found += 1
            near += abs(signal.tone_since.week - 5) <= 1
        if signal.lag_weeks is not None:
            lags.append(signal.lag_weeks)
    assert found / SIMULATIONS >= 0.95
    assert near / SIMULATIONS >= 0.90
    assert len(lags) / SIMULATIONS >= 0.90
    assert float(np.median(lags)) == 3.0
    assert sum(abs(lag - 3) <= 1 for lag in lags) / len(lags) >= 0.85


def test_tone_ramp_found_with_frame_intervals_too() -> None:
    weeks = [
        recovery_signal(simulate(s, tone=tone_ramp, frames_sem=1.0)).tone_since for s in range(SIMULATIONS)
    ]
    assert sum(o is not None and abs(o.week - 5) <= 1 for o in weeks) / SIMULATIONS >= 0.90


def test_a_found_change_reports_its_size_date_and_confidence() -> None:
    points = simulate(3, tone=tone_ramp, movement=movement_ramp)
    signal = recovery_signal(points)
    assert signal.state == "tone_and_movement_returning"
    tone = signal.tone_since
    assert tone is not None and signal.tonus_noise is not None
    assert tone.taken_at == points[tone.week - 1].taken_at  # weekly tests: week n is the n-th test
    assert tone.change > signal.tonus_noise.sdc
    assert 5.0 < tone.change < 12.0
    assert tone.slope_per_week > 0 and tone.trend_p < 0.01 and tone.shift_p <= 0.05
    assert signal.confidence == tone.confidence
    assert tone.confidence in ("moderate", "high")
    assert signal.sdc == pytest.approx(smallest_detectable_change(signal.sem or 0.0))


def test_confidence_grows_with_tests_since_onset() -> None:
    points = simulate(1, tone=tone_ramp)
    order = {"low": 0, "moderate": 1, "high": 2}
    seen = []
    for n in range(MIN_TESTS, WEEKS + 1):
        tone = recovery_signal(points[:n]).tone_since
        if tone is not None:
            seen.append(order[tone.confidence])
    assert seen and seen[0] <= 1 and seen[-1] == 2


def test_movement_first_is_reported_as_movement_returning() -> None:
    tonus = [60.0, 61.0, 59.5, 60.5, 60.0, 59.0, 60.5, 61.0, 60.0]
    movement = [2.0, 0.0, 4.0, 3.0, 25.0, 30.0, 34.0, 36.0, 40.0]
    signal = recovery_signal(series(tonus, movement))
    assert signal.state == "movement_returning"
    assert signal.tone_since is None and signal.movement_since is not None
    assert signal.movement_since.week == 5
    assert signal.lag_weeks is None


# --- (c) too few tests, (d) one odd week, (e) a decline ----------------------------------------------------


@pytest.mark.parametrize("tonus", [[10.0, 50.0, 90.0], [60.0, 60.0, 60.0], [20.0, 80.0, 100.0], [50.0], []])
def test_fewer_than_4_tests_claim_nothing(tonus: list[float]) -> None:
    signal = recovery_signal(series(tonus, [0.0, 50.0, 100.0][: len(tonus)]))
    assert signal.state == "too_few_tests"
    assert signal.tone_since is None and signal.movement_since is None and signal.confidence is None


def test_unscored_tests_do_not_count() -> None:
    points = series([60.0, 61.0, 59.0, 80.0, 90.0, 95.0])
    points = [WeekPoint(p.taken_at, None if i in (1, 2, 4) else p.tonus, None) for i, p in enumerate(points)]
    signal = recovery_signal(points)
    assert signal.state == "too_few_tests" and signal.tests == 3


@pytest.mark.parametrize("where", range(14))
@pytest.mark.parametrize("size", [-20.0, 15.0, 40.0])
def test_a_single_odd_week_is_never_a_signal(where: int, size: float) -> None:
    tonus = [60.0 + 0.8 * math.sin(i) for i in range(14)]
    tonus[where] += size
    signal = recovery_signal(series(tonus))
    assert signal.tone_since is None
    assert signal.state == "no_change_yet"


def test_single_spikes_in_noise_rarely_make_a_signal() -> None:
    """A spike alone never counts; a spike next to a week that is itself beyond SDC95 may (rarely)."""
    claims = trials = 0
    for seed in range(SIMULATIONS):
        points = simulate(seed)
        for week in (4, 8, 12):
            spiked = [
                WeekPoint(p.taken_at, (p.tonus or 0.0) + (15.0 if i == week else 0.0), p.movement)
                for i, p in enumerate(points)
            ]
            tone = recovery_signal(spiked).tone_since
            trials += 1
            if tone is not None:
                claims += 1
                assert tone.confidence != "high"
    assert claims / trials <= 0.02


@pytest.mark.parametrize("seed", range(20))
def test_a_decline_is_never_returning(seed: int) -> None:
    signal = recovery_signal(simulate(seed, tone=lambda w: -1.5 * w, movement=lambda w: -0.5 * w))
    assert signal.tone_since is None and signal.movement_since is None
    assert signal.state == "no_change_yet"


def test_a_rise_that_fell_back_is_not_returning() -> None:
    tonus = [60.0, 60.5, 59.5, 60.0, 70.0, 71.0, 70.0, 60.0, 60.5, 59.5, 60.0, 59.0, 60.0, 60.5]
    assert recovery_signal(series(tonus)).tone_since is None


# --- (f) the sentences ---------------------------------------------------------------------------------


def _onset(week: int, change: float = 9.1, confidence: Confidence = "moderate") -> Onset:
    return Onset(
        week=week,
        taken_at=T0 + timedelta(weeks=week - 1),
        change=change,
        tests_since=4,
        baseline=60.0,
        shift_p=0.01,
        trend_p=0.01,
        slope_per_week=1.0,
        confidence=confidence,
    )


def _noise(sdc: float) -> NoiseEstimate:
    return NoiseEstimate(sdc / smallest_detectable_change(1.0), sdc, ("early_tests", "default"), None, 1.0, 4)


def test_message_too_few_tests() -> None:
    assert (
        recovery_signal(series([60.0, 61.0, 62.0])).message()
        == "Too few tests to tell yet: 3 of the 4 needed."
    )
    assert recovery_signal([]).message() == "Too few tests to tell yet: 0 of the 4 needed."


def test_message_no_change_yet() -> None:
    signal = RecoverySignal("no_change_yet", 9, tonus_noise=_noise(4.2))
    assert signal.message() == (
        "No change beyond your measurement noise (±4.2 points) yet in resting tone or movement, over 9 tests."
    )


def test_message_tone_returning() -> None:
    signal = RecoverySignal("tone_returning", 9, tone_since=_onset(5), tonus_noise=_noise(4.2))
    assert signal.message() == (
        "Tone returning since week 5 (moderate confidence: +9.1 points, above your noise of ±4.2); "
        "movement not yet measurable."
    )
    with_mm = RecoverySignal(
        "tone_returning", 9, tone_since=_onset(5), tonus_noise=_noise(4.2), rest_asymmetry_mm=(3.14, 1.82)
    )
    assert "; resting left–right difference 3.1 → 1.8 mm; movement not yet measurable." in with_mm.message()


def test_message_tone_and_movement_returning_gives_the_lag() -> None:
    signal = RecoverySignal(
        "tone_and_movement_returning",
        12,
        tone_since=_onset(5, confidence="high"),
        movement_since=_onset(8, change=20.0),
        tonus_noise=_noise(4.2),
        movement_noise=_noise(11.1),
    )
    assert signal.lag_weeks == 3
    assert signal.lag_sentence() == "Movement returned 3 weeks after tone (week 8 vs week 5)."
    assert signal.message() == (
        "Tone returning since week 5 (high confidence: +9.1 points, above your noise of ±4.2). "
        "Movement returned 3 weeks after tone (week 8 vs week 5)."
    )
    same = RecoverySignal("tone_and_movement_returning", 12, tone_since=_onset(6), movement_since=_onset(6))
    assert same.lag_sentence() == "Movement returned in the same week as tone (week 6)."
    before = RecoverySignal("tone_and_movement_returning", 12, tone_since=_onset(7), movement_since=_onset(6))
    assert before.lag_sentence() == "Movement returned 1 week before tone (week 6 vs week 7)."


def test_message_movement_returning() -> None:
    signal = RecoverySignal(
        "movement_returning",
        8,
        movement_since=_onset(6, change=12.0, confidence="low"),
        movement_noise=_noise(11.1),
    )
    assert signal.message() == (
        "Movement returning since week 6 (low confidence: +12.0 points, above your noise of ±11.1); "
        "resting tone not yet beyond your noise."
    )


def test_chart_marks() -> None:
    signal = RecoverySignal("tone_and_movement_returning", 12, tone_since=_onset(5), movement_since=_onset(8))
    assert signal.chart_marks() == [
        (T0 + timedelta(weeks=4), "tone returning (wk 5)"),
        (T0 + timedelta(weeks=7), "first movement (wk 8)"),
    ]
    assert RecoverySignal("no_change_yet", 9).chart_marks() == []


def test_every_state_of_a_real_run_has_a_sentence() -> None:
    for points in (
        series([60.0, 61.0]),
        series([60.0, 61.0, 59.0, 60.0, 60.5]),
        simulate(3, tone=tone_ramp),
        simulate(3, tone=tone_ramp, movement=movement_ramp),
    ):
        text = recovery_signal(points).message()
        assert text.endswith(".") and "None" not in text and "nan" not in text


# --- (g) noise estimates ---------------------------------------------------------------------------------


def test_sem_from_an_interval() -> None:
    assert sem_from_interval((80.0, 83.92)) == pytest.approx(1.0)
    assert sem_from_interval((83.92, 80.0)) == pytest.approx(1.0)


def test_noise_falls_back_to_the_default_without_data() -> None:
    for values in ([], [60.0], [60.0, 70.0]):
        noise = estimate_noise(values)
        assert noise.sources == ("default",)
        assert noise.sem == DEFAULT_SEM["tonus"]
        assert noise.sdc == pytest.approx(1.96 * math.sqrt(2) * 1.5)


def test_noise_from_frames_alone() -> None:
    wide = estimate_noise([60.0], [(56.08, 63.92), (55.0, 63.0), (57.0, 65.0)])  # SEM 2.0, 2.04, 2.04
    assert wide.sources == ("frames",)
    assert wide.sem == pytest.approx(8.0 / 3.92)
    narrow = estimate_noise([60.0], [(59.0, 61.0)])  # SEM 0.51 < the default: the default stays
    assert narrow.sources == ("frames", "default")
    assert narrow.sem == DEFAULT_SEM["tonus"] and narrow.sem_frames == pytest.approx(2.0 / 3.92)


def test_noise_from_early_tests_is_pooled_with_the_default() -> None:
    noise = estimate_noise([60.0, 62.0, 58.0, 60.0, 90.0, 95.0])  # only the first 4 tests: SD 1.633
    assert noise.sources == ("early_tests", "default")
    assert noise.early_tests == 4
    early_sd = float(np.std([60, 62, 58, 60], ddof=1))
    assert noise.sem_early == pytest.approx(early_sd)
    assert noise.sem == pytest.approx(math.sqrt((2 * 1.5**2 + 3 * early_sd**2) / 5))
    noisy = estimate_noise([50.0, 60.0, 70.0, 60.0])
    assert noisy.sem == pytest.approx(math.sqrt((2 * 1.5**2 + 3 * 8.165**2) / 5), rel=1e-3)
    still = estimate_noise([60.0, 60.0, 60.0, 60.0])  # four identical tests do not mean zero noise
    assert still.sem == pytest.approx(1.5 * math.sqrt(2 / 5))


def test_noise_never_below_the_frames() -> None:
    noise = estimate_noise([60.0, 60.0, 60.0, 60.0], [(50.0, 70.0)])  # frames SEM 5.1
    assert noise.sources == ("frames", "early_tests", "default")
    assert noise.sem == pytest.approx(20.0 / 3.92)


def test_noise_estimate_on_simulations_tracks_the_true_sem() -> None:
    for true in (1.5, 3.0):
        sems = [recovery_signal(simulate(s, tonus_sem=true)).sem or 0.0 for s in range(SIMULATIONS)]
        typical = float(np.median(sems))
        if true == 1.5:
            assert 1.3 < typical < 1.7
        else:  # a noisier person: well above the default, shrunk toward it by the pooling
            assert 2.0 < typical < true


def test_noise_description_names_its_sources() -> None:
    assert estimate_noise([]).describe() == "±4.2 points (the typical noise; no data of your own yet)"
    both = estimate_noise([60.0, 61.0, 59.0, 60.0], [(58.0, 62.0)]).describe()
    assert "your repeat frames and your first 4 tests and the typical noise" in both


def _brute_force_mann_whitney(after: list[float], before: list[float]) -> float:
    pooled = after + before
    u_obs = sum((a > b) + 0.5 * (a == b) for a in after for b in before)
    hits = total = 0
    for pick in itertools.combinations(range(len(pooled)), len(after)):
        a = [pooled[i] for i in pick]
        b = [pooled[i] for i in range(len(pooled)) if i not in pick]
        total += 1
        hits += sum((x > y) + 0.5 * (x == y) for x in a for y in b) >= u_obs
    return hits / total


@pytest.mark.parametrize(
    ("after", "before"),
    [
        ([4.0, 5.0, 6.0], [1.0, 2.0, 3.0]),
        ([4.0, 5.0], [1.0, 2.0, 3.0]),
        ([2.5, 5.0, 1.5], [1.0, 2.0, 3.0, 4.0]),
    ],
)
def test_mann_whitney_is_exact(after: list[float], before: list[float]) -> None:
    assert mann_whitney_greater(after, before) == pytest.approx(_brute_force_mann_whitney(after, before))
    assert mann_whitney_greater([4.0, 5.0, 6.0], [1.0, 2.0, 3.0]) == pytest.approx(1 / 20)


def test_mann_kendall_and_theil_sen() -> None:
    s, p = mann_kendall(list(range(10)))
    assert s == 45 and p < 0.001
    assert mann_kendall([5.0, 4.0, 3.0, 2.0])[1] == 1.0
    assert mann_kendall([1.0, 1.0, 1.0, 1.0]) == (0.0, 1.0)
    assert mann_kendall([1.0, 2.0]) == (0.0, 1.0)
    assert theil_sen([1, 2, 3, 4, 5], [2.0, 4.0, 6.0, 100.0, 10.0]) == pytest.approx(2.0)
    assert theil_sen([1, 1], [2.0, 3.0]) == 0.0


# --- weeks ---------------------------------------------------------------------------------------------


def test_weeks_count_from_the_first_test_rounding_a_day_early_or_late() -> None:
    first = datetime(2024, 1, 1, 20, 0)
    assert week_number(first, first, None) == 1
    assert week_number(first + timedelta(days=6), first, None) == 2
    assert week_number(first + timedelta(days=8), first, None) == 2
    assert week_number(first + timedelta(days=28), first, None) == 5


def test_weeks_count_from_the_onset_when_known() -> None:
    onset = date(2023, 12, 25)
    first = datetime(2024, 1, 1, 9)
    assert week_number(datetime(2023, 12, 31, 9), first, onset) == 1
    assert week_number(first, first, onset) == 2
    points = simulate(3, tone=tone_ramp)
    late_start = points[0].taken_at.date() - timedelta(days=14)
    from_first = recovery_signal(points)
    from_onset = recovery_signal(points, onset=late_start)
    assert from_onset.reference == "onset" and from_first.reference == "first_test"
    assert from_first.tone_since is not None and from_onset.tone_since is not None
    assert from_onset.tone_since.week == from_first.tone_since.week + 2
    assert recovery_signal(points, onset=datetime.combine(late_start, datetime.min.time())) == from_onset


def test_an_onset_after_the_first_test_is_ignored() -> None:
    points = simulate(3, tone=tone_ramp)
    signal = recovery_signal(points, onset=points[2].taken_at.date())
    assert signal.reference == "first_test"
    assert signal == recovery_signal(points)


# --- from the journal -------------------------------------------------------------------------------------


def _row(i: int, tonus: float | None, version: str | None = "v3") -> HistoryRow:
    session = TestSession(i, T0 + timedelta(weeks=i), "weekly-v1", "v3", "webcam", None, None)
    return HistoryRow(session, version, tonus, 10.0 + i, None, "left", {}, {})


def _scores(version: str, interval: tuple[float, float] | None) -> Scores:
    rest = PoseScores(80.0, interval, regions={"brow": (10.0, 12.0), "mouth": (5.0, 4.0)})
    return Scores(version, 80.0, 10.0, None, "left", "user", 0.1, poses={"rest": rest})


def test_points_from_history() -> None:
    rows = [_row(1, 80.0), _row(2, 82.0), _row(3, None, None), _row(4, 84.0)]
    scores = {1: _scores("v3", (78.0, 81.92)), 2: _scores("v2", (70.0, 90.0)), 4: _scores("v3", None)}
    points = points_from_history(rows, scores)
    assert [p.taken_at for p in points] == [r.session.taken_at for r in rows]
    assert [p.tonus for p in points] == [80.0, 82.0, None, 84.0]
    assert [p.movement for p in points] == [11.0, 12.0, 13.0, 14.0]
    assert points[0].tonus_interval == (78.0, 81.92)
    assert points[0].rest_asymmetry_mm == pytest.approx(1.5)
    assert points[1].tonus_interval is None and points[1].rest_asymmetry_mm is None  # other scorer version
    assert points[2].tonus_interval is None
    assert points[3].tonus_interval is None and points[3].rest_asymmetry_mm == pytest.approx(1.5)
    noise = estimate_noise([80.0], [iv for p in points if (iv := p.tonus_interval) is not None])
    assert noise.sem_frames == pytest.approx(1.0)


def test_rest_asymmetry() -> None:
    assert rest_asymmetry({}) is None
    assert rest_asymmetry({"eye": (9.0, 8.0), "mouth": (1.0, 4.0)}) == pytest.approx(2.0)


def test_resting_asymmetry_is_reported_with_tone() -> None:
    points = simulate(3, tone=tone_ramp)
    with_mm = [
        WeekPoint(p.taken_at, p.tonus, p.movement, None, 3.0 if i < 4 else 1.5) for i, p in enumerate(points)
    ]
    signal = recovery_signal(with_mm)
    assert signal.rest_asymmetry_mm == (3.0, 1.5)
    assert recovery_signal(series([60.0] * 8)).rest_asymmetry_mm is None


def test_the_module_imports_neither_duckdb_nor_textual() -> None:
    code = (
        "import sys, journal.signals.recovery\n"
        "bad = ('duckdb', 'textual', 'journal.store', 'journal.services.dashboard')\n"
        "print(','.join(m for m in sys.modules if m.startswith(bad)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- invariants -------------------------------------------------------------------------------------------

# Values on a 0.25 grid and whole-number shifts keep the arithmetic exact, so "the same" means the same.


@st.composite
def grid_series(draw: st.DrawFn) -> list[float]:
    """Up to 16 tonus values on a 0.25 grid: a level, a step of any size at any test, and jitter."""
    n = draw(st.integers(0, 16))
    level = draw(st.integers(80, 240)) / 4
    step = draw(st.integers(-40, 100)) / 4
    at = draw(st.integers(1, 12))
    jitter = draw(st.lists(st.integers(-12, 12), min_size=n, max_size=n))
    return [level + (step if i >= at else 0.0) + j / 4 for i, j in enumerate(jitter)]


@settings(max_examples=150, deadline=None)
@given(tonus=grid_series(), movement_seed=st.integers(0, 10_000), shift=st.integers(-40, 40))
def test_adding_a_constant_to_tonus_changes_nothing(
    tonus: list[float], movement_seed: int, shift: int
) -> None:
    movement = list(np.random.default_rng(movement_seed).uniform(0, 60, len(tonus)).round(2))
    base = recovery_signal(series(tonus, movement))
    moved = recovery_signal(series([t + shift for t in tonus], movement))
    assert moved.state == base.state
    assert (moved.tone_since is None) == (base.tone_since is None)
    if base.tone_since is not None and moved.tone_since is not None:
        assert moved.tone_since.week == base.tone_since.week
        assert moved.tone_since.change == pytest.approx(base.tone_since.change)
    assert moved.sem == pytest.approx(base.sem)


@settings(max_examples=100, deadline=None)
@given(
    tonus=st.lists(st.floats(0, 100), max_size=3),
    movement=st.lists(st.floats(0, 100), min_size=3, max_size=3),
)
def test_never_claims_with_fewer_than_4_tests(tonus: list[float], movement: list[float]) -> None:
    signal = recovery_signal(series(tonus, movement[: len(tonus)]))
    assert signal.state == "too_few_tests"
    assert signal.tone_since is None and signal.movement_since is None
    assert signal.message() == f"Too few tests to tell yet: {len(tonus)} of the 4 needed."


@settings(max_examples=100, deadline=None)
@given(tonus=st.lists(st.floats(0, 100), min_size=4, max_size=20))
def test_a_series_that_never_rises_never_returns(tonus: list[float]) -> None:
    falling = sorted(tonus, reverse=True)
    assert recovery_signal(series(falling)).tone_since is None


@settings(max_examples=100, deadline=None)
@given(level=st.floats(0, 100), n=st.integers(4, 20), where=st.integers(0, 19), spike=st.floats(-100, 100))
def test_one_odd_value_in_a_flat_series_never_returns(level: float, n: int, where: int, spike: float) -> None:
    tonus = [level] * n
    tonus[where % n] += spike
    assert recovery_signal(series(tonus)).tone_since is None


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_the_order_points_are_given_in_does_not_matter(seed: int, order: random.Random) -> None:
    points = simulate(seed, tone=tone_ramp, movement=movement_ramp, weeks=10)
    shuffled = list(points)
    order.shuffle(shuffled)
    assert recovery_signal(shuffled) == recovery_signal(points)


@settings(max_examples=100, deadline=None)
@given(tonus=st.lists(st.floats(0, 100), min_size=4, max_size=20))
def test_a_claimed_onset_is_after_the_baseline_and_beyond_noise(tonus: list[float]) -> None:
    signal = recovery_signal(series(tonus))
    tone = signal.tone_since
    if tone is not None:
        assert tone.week >= 4
        assert tone.tests_since >= 2
        assert signal.tonus_noise is not None and tone.change > signal.tonus_noise.sdc / 2
        assert tone.shift_p <= 0.05


def test_tone_returning_in_mm_only_is_marked_where_the_sentence_says() -> None:
    """When tonus stays flat but a region's millimetres come back, the charts' tone mark, the lag and the
    confidence use the same (mm) onset as the sentence, not nothing."""
    from datetime import datetime, timedelta

    from journal.charts.data import signal_marks
    from journal.signals.points import WeekPoint
    from journal.signals.recovery import recovery_signal

    start = datetime(2026, 1, 5, 9)
    mouth = [3.0, 3.05, 2.95, 3.0, 3.0, 2.0, 1.9, 1.8, 1.7, 1.6]
    moves = [10.0, 11.0, 9.0, 10.0, 10.0, 10.0, 10.0, 30.0, 32.0, 35.0]
    points = [
        WeekPoint(start + timedelta(weeks=i), 90.0, m, None, None, {"mouth": v})
        for i, (v, m) in enumerate(zip(mouth, moves, strict=True))
    ]
    signal = recovery_signal(points)
    assert signal.tone_since is None and signal.tone_mm and "mouth" in signal.tone_mm
    assert signal.tone_onset is signal.tone_mm["mouth"]
    week = signal.tone_mm["mouth"].week
    assert f"since week {week}" in signal.message()
    tone_marks = [m for m in signal_marks(signal) if m.what == "tone"]
    assert [m.week for m in tone_marks] == [week]
    assert signal.movement_since is not None
    assert signal.lag_weeks == signal.movement_since.week - week
    assert signal.confidence == signal.tone_mm["mouth"].confidence
