"""When a score started rising beyond the person's noise: runs, baseline, shift test and confidence.

**Detection** (the same rule for tonus and for movement):

1. Fewer than `MIN_TESTS` (4) scored tests: never claim anything (`too_few_tests`).
2. Baseline = the median of the first `BASELINE_TESTS` (3) tests (a median, so one odd early test does
   not make every later test look improved).
3. A *run* = at least `MIN_RUN` (2) consecutive later tests each above baseline + SDC95. A single high
   week never counts.
4. The run must be *sustained*: the median of every test from the run's start to the latest is still
   above baseline + SDC95 (a rise that fell back is not "returning"); otherwise a later run is sought.
5. Onset = the run's first test, moved back over directly preceding tests that were already above
   baseline + SDC95/2 (the first half-step of a ramp); weeks count from the palsy onset when it is known
   (week 1 = days 0–6 after onset) or else from the first test (week 1 = the first test).
6. The rise must be *a shift, not noise that happened to line up*: a scale-free check that needs no
   noise estimate — a one-sided Mann–Whitney test of the tests from the onset to the latest against
   every test before it, p ≤ `SHIFT_P` (0.05). This protects a person whose noise is larger than
   estimated; it also means a first claim needs at least 6 tests (3 before onset and 3 since, or 5 and 2).

Confidence grows with the size of the change against SDC95 and the number of tests since onset, and with
the Mann–Kendall trend test over the whole series; see `_confidence`. A Theil–Sen slope is reported too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

import numpy as np

from journal.signals.noise import NoiseEstimate
from journal.signals.trend import mann_kendall, mann_whitney_greater, theil_sen

Confidence = Literal["low", "moderate", "high"]

#: Scored tests needed before anything is claimed (fewer: "too few tests").
MIN_TESTS: Final = 4
#: Tests whose median is the baseline.
BASELINE_TESTS: Final = 3
#: Consecutive tests beyond SDC95 needed for a run (a single week never counts).
MIN_RUN: Final = 2
#: One-sided Mann–Whitney p-value a run must reach against the tests before it.
SHIFT_P: Final = 0.05


@dataclass(frozen=True, slots=True)
class Onset:
    """When a score started rising beyond noise, by how much, and how sure that is.

    `change` is the mean of the tests since onset minus the baseline (points); `tests_since` counts the
    tests from onset to the latest; `shift_p` is the one-sided Mann–Whitney p of those tests against the
    earlier ones; `trend_p` the one-sided Mann–Kendall p over every test; `slope_per_week` the Theil–Sen
    slope over every test (points per week).
    """

    week: int
    taken_at: datetime
    change: float
    tests_since: int
    baseline: float
    shift_p: float
    trend_p: float
    slope_per_week: float
    confidence: Confidence


def _confidence(change: float, sdc: float, tests_since: int, trend_p: float) -> Confidence:
    """High: ≥ 2×SDC95 over ≥ 4 tests with a clear trend; moderate: ≥ 1.5×SDC95 over ≥ 3; else low."""
    ratio = change / sdc if sdc > 0 else math.inf
    if ratio >= 2.0 and tests_since >= 4 and trend_p < 0.01:
        return "high"
    if ratio >= 1.5 and tests_since >= 3 and trend_p < 0.05:
        return "moderate"
    return "low"


def detect_rise(
    values: Sequence[float],
    weeks: Sequence[int],
    taken_at: Sequence[datetime],
    noise: NoiseEstimate,
) -> Onset | None:
    """Find a sustained rise beyond SDC95 above the early baseline; None if there is none (see notes)."""
    n = len(values)
    if n < MIN_TESTS:
        return None
    x = np.asarray(values, dtype=float)
    baseline = float(np.median(x[:BASELINE_TESTS]))
    rel = x - baseline
    sdc = noise.sdc
    above = rel > sdc
    for start in range(BASELINE_TESTS, n - MIN_RUN + 1):
        if not all(above[start : start + MIN_RUN]):
            continue
        tail = x[start:]
        if not float(np.median(tail)) - baseline > sdc:
            continue
        onset = start
        while onset > BASELINE_TESTS and rel[onset - 1] > sdc / 2.0:
            onset -= 1
        shift_p = mann_whitney_greater(x[onset:], x[:onset])
        if shift_p > SHIFT_P:
            continue
        since = x[onset:]
        change = float(np.mean(since)) - baseline
        _, trend_p = mann_kendall(x)
        slope = theil_sen(weeks, x)
        return Onset(
            week=int(weeks[onset]),
            taken_at=taken_at[onset],
            change=change,
            tests_since=len(since),
            baseline=baseline,
            shift_p=shift_p,
            trend_p=trend_p,
            slope_per_week=slope,
            confidence=_confidence(change, sdc, len(since), trend_p),
        )
    return None


def week_number(taken_at: datetime, first: datetime, onset: date | None) -> int:
    """Week of a test: from the palsy onset (week 1 = days 0–6) or else from the first test (week 1).

    From the first test the days are rounded to whole weeks, so a test a day early or late keeps its week.
    """
    if onset is not None:
        return (taken_at.date() - onset).days // 7 + 1
    return round((taken_at.date() - first.date()).days / 7) + 1
