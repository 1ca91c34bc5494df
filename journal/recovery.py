"""Recovery signal: has resting tone (then movement) started to return, beyond the person's own noise?

From a person's weekly tests (oldest first) this module decides, for tonus and for movement separately,
whether the score has risen beyond that person's smallest detectable change, since when, and how sure
that is. It is pure Python + numpy and takes plain inputs (`WeekPoint`), so Home and the charts can call it
on what they already read; `points_from_history` builds the points from the journal's rows.

**Noise.** The standard error of one test's score (SEM) comes from the person's own data where possible:

- *repeat frames*: each test's rest pose has a 95 % bootstrap interval over its frames, so
  SEM_frames ≈ (hi − lo)/(2·1.96) (the median over tests). Frames only see landmark jitter within one
  hold, so this is a lower bound on the week-to-week noise;
- *early tests*: the scatter (SD) of the first `SCATTER_TESTS` tests around their mean, before any trend,
  which sees everything (repeating the expression, light, pose). With 3–4 tests that SD is itself very
  uncertain, so it is pooled with the typical `DEFAULT_SEM` as if the default were `PRIOR_DF` further
  degrees of freedom (a three-test SD that happens to be tiny must not make noise look like recovery);
  the default is replaced by SEM_frames when that is larger, and the result is never below SEM_frames;
- with fewer than 3 early tests it is the default (or SEM_frames if larger).
`NoiseEstimate.sources` says what was used.

SDC95 = 1.96·√2·SEM (design note "Many frames, then weeks").

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from journal.store.rows import HistoryRow, Scores

State = Literal[
    "too_few_tests", "no_change_yet", "tone_returning", "tone_and_movement_returning", "movement_returning"
]
Confidence = Literal["low", "moderate", "high"]
Reference = Literal["onset", "first_test"]

#: Scored tests needed before anything is claimed (fewer: "too few tests").
MIN_TESTS: Final = 4
#: Tests whose median is the baseline.
BASELINE_TESTS: Final = 3
#: Early tests whose scatter estimates the week-to-week noise.
SCATTER_TESTS: Final = 4
#: Consecutive tests beyond SDC95 needed for a run (a single week never counts).
MIN_RUN: Final = 2
#: Weight of the typical SEM when pooled with the early tests' SD, in degrees of freedom.
PRIOR_DF: Final = 2.0
#: One-sided Mann–Whitney p-value a run must reach against the tests before it.
SHIFT_P: Final = 0.05
Z95: Final = 1.96

#: Typical SEM (points) when a person has no data of their own. From repeat photos here: tonus moved
#: ≤ 0.9 points on healthy faces and up to ~5 on palsy faces under small pose and light changes;
#: movement scores of one person on two days differed by ~5–8.
DEFAULT_SEM: Final[dict[str, float]] = {"tonus": 1.5, "movement": 4.0}

#: Typical between-test SEM (mm) of one region's oriented resting asymmetry, for a person without data
#: of their own: one healthy person's rest differences moved 0.02 (mouth), 0.08 (nose base), 0.24
#: (brow) and 0.33 mm (eye) between two days (protocol p1a/p1b), so SDC95 = 0.42–0.83 mm. A person's
#: own first tests replace these as soon as there are three (pooled, so a noisy person gets a larger SDC).
DEFAULT_REGION_SEM_MM: Final[dict[str, float]] = {"brow": 0.3, "eye": 0.25, "midface": 0.2, "mouth": 0.15}


def smallest_detectable_change(sem: float) -> float:
    """SDC95 = 1.96·√2·SEM: a change smaller than this may be measurement noise."""
    return Z95 * math.sqrt(2.0) * sem


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One weekly test: when, its tonus and movement (None when unscored) and optional rest details.

    `tonus_interval` is the rest pose's 95 % bootstrap interval over frames (None for a single photo);
    `rest_asymmetry_mm` is the mean left–right difference of the resting regions, in mm;
    `rest_oriented_mm` the oriented asymmetry per region (affected − healthy in the direction palsy
    moves it, mm; see `journal.scoring.asymmetry`), None when no side is known.
    """

    taken_at: datetime
    tonus: float | None
    movement: float | None
    tonus_interval: tuple[float, float] | None = None
    rest_asymmetry_mm: float | None = None
    rest_oriented_mm: Mapping[str, float] | None = None


@dataclass(frozen=True, slots=True)
class NoiseEstimate:
    """The SEM used for one score, its SDC95, and where it came from.

    `sources` names what contributed: "frames" (rest intervals over repeat frames), "early_tests" (the
    scatter of the first tests) and "default" (the typical SEM, as a fallback or as the prior the early
    scatter is pooled with).
    """

    sem: float
    sdc: float
    sources: tuple[str, ...]
    sem_frames: float | None = None
    sem_early: float | None = None
    early_tests: int = 0

    def describe(self, unit: str = " points") -> str:
        """Say the noise and its sources, e.g. "±4.2 points (your repeat frames and first 4 tests)"."""
        parts = []
        if "frames" in self.sources:
            parts.append("your repeat frames")
        if "early_tests" in self.sources:
            parts.append(f"your first {self.early_tests} tests")
        if "default" in self.sources:
            parts.append("the typical noise" if parts else "the typical noise; no data of your own yet")
        return f"±{self.sdc:.1f}{unit} ({' and '.join(parts)})"


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


@dataclass(frozen=True, slots=True)
class RecoverySignal:
    """Whether tone and movement are returning beyond the person's own noise, since when, how sure."""

    state: State
    tests: int
    tone_since: Onset | None = None
    movement_since: Onset | None = None
    tonus_noise: NoiseEstimate | None = None
    movement_noise: NoiseEstimate | None = None
    reference: Reference = "first_test"
    rest_asymmetry_mm: tuple[float, float] | None = None
    #: Regions whose oriented resting asymmetry fell beyond the person's own mm noise (the rise is the
    #: improvement in mm), with each region's noise. Tone counts as returning when tonus or any of these do.
    tone_mm: Mapping[str, Onset] | None = None
    region_noise: Mapping[str, NoiseEstimate] | None = None

    @property
    def needed(self) -> int:
        """Scored tests needed before anything is claimed."""
        return MIN_TESTS

    @property
    def lag_weeks(self) -> int | None:
        """Weeks from tone's onset to movement's (negative if movement came first); None unless both."""
        if self.tone_since is None or self.movement_since is None:
            return None
        return self.movement_since.week - self.tone_since.week

    @property
    def confidence(self) -> Confidence | None:
        """The confidence of the main claim: tone's if it is returning, else movement's, else None."""
        main = self.tone_since or self.movement_since
        return main.confidence if main else None

    @property
    def sem(self) -> float | None:
        """The tonus SEM used (points)."""
        return self.tonus_noise.sem if self.tonus_noise else None

    @property
    def sdc(self) -> float | None:
        """The tonus SDC95 used (points)."""
        return self.tonus_noise.sdc if self.tonus_noise else None

    def message(self) -> str:
        """Say the signal in plain words, never more than the data support."""
        if self.state == "too_few_tests":
            return f"Too few tests to tell yet: {self.tests} of the {MIN_TESTS} needed."
        tone, move = self.tone_since, self.movement_since
        if tone is None and self.tone_mm:
            region, onset = min(self.tone_mm.items(), key=lambda kv: kv[1].taken_at)
            region_noise = self.region_noise.get(region) if self.region_noise else None
            sdc = f", above your noise of ±{region_noise.sdc:.1f} mm" if region_noise is not None else ""
            where = _REGION_WORDS.get(region, region)
            mm = (
                f"Resting tone returning since week {onset.week} ({onset.confidence} confidence: the "
                f"{where} sits {onset.change:.1f} mm closer to your other side{sdc})"
            )
            return mm + (
                f". {self.lag_sentence_mm(onset)}" if move is not None else "; movement not yet measurable."
            )
        if tone is None and move is None:
            noise = f" (±{self.sdc:.1f} points)" if self.sdc is not None else ""
            return (
                f"No change beyond your measurement noise{noise} yet in resting tone or movement, "
                f"over {self.tests} tests."
            )
        if tone is not None and move is None:
            return (
                f"Tone returning since week {tone.week} ({_evidence(tone, self.tonus_noise)}){self._mm()}; "
                "movement not yet measurable."
            )
        if tone is None and move is not None:
            return (
                f"Movement returning since week {move.week} ({_evidence(move, self.movement_noise)}); "
                "resting tone not yet beyond your noise."
            )
        assert tone is not None and move is not None
        return (
            f"Tone returning since week {tone.week} ({_evidence(tone, self.tonus_noise)}){self._mm()}. "
            f"{self.lag_sentence()}"
        )

    def lag_sentence(self) -> str:
        """Say the lag between tone and first movement, e.g. "Movement returned 3 weeks after tone (…)"."""
        lag = self.lag_weeks
        if lag is None or self.tone_since is None or self.movement_since is None:
            return "Movement not yet measurable." if self.tone_since else ""
        tone_w, move_w = self.tone_since.week, self.movement_since.week
        if lag == 0:
            return f"Movement returned in the same week as tone (week {tone_w})."
        weeks = f"{abs(lag)} week{'s' if abs(lag) != 1 else ''}"
        order = "after" if lag > 0 else "before"
        return f"Movement returned {weeks} {order} tone (week {move_w} vs week {tone_w})."

    def lag_sentence_mm(self, tone: Onset) -> str:
        """Say when movement returned against the week resting tone started returning in mm."""
        move = self.movement_since
        if move is None:
            return ""
        lag = move.week - tone.week
        if lag == 0:
            return f"Movement returned in the same week (week {tone.week})."
        weeks = f"{abs(lag)} week{'s' if abs(lag) != 1 else ''}"
        return f"Movement returned {weeks} {'after' if lag > 0 else 'before'} tone (week {move.week})."

    def chart_marks(self) -> list[tuple[datetime, str]]:
        """Dates to mark on the charts with a short label (empty when nothing is claimed)."""
        marks = []
        if self.tone_since is not None:
            marks.append((self.tone_since.taken_at, f"tone returning (wk {self.tone_since.week})"))
        if self.movement_since is not None:
            marks.append((self.movement_since.taken_at, f"first movement (wk {self.movement_since.week})"))
        return marks

    def _mm(self) -> str:
        if self.rest_asymmetry_mm is None:
            return ""
        before, now = self.rest_asymmetry_mm
        return f"; resting left–right difference {before:.1f} → {now:.1f} mm"


_REGION_WORDS: Final = {
    "brow": "brow",
    "eye": "eye opening",
    "midface": "side of the nose",
    "mouth": "mouth corner",
}


def _evidence(onset: Onset, noise: NoiseEstimate | None) -> str:
    sdc = f", above your noise of ±{noise.sdc:.1f}" if noise is not None else ""
    return f"{onset.confidence} confidence: {onset.change:+.1f} points{sdc}"


# --- statistics --------------------------------------------------------------------------------------


def _normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def mann_kendall(values: npt.ArrayLike) -> tuple[float, float]:
    """Mann–Kendall trend test: (S, one-sided p for an increasing trend), tie-corrected, normal approx.

    With fewer than 3 values there is no test: (0, 1).
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        return 0.0, 1.0
    diff = x[None, :] - x[:, None]
    s = float(np.sign(diff[np.triu_indices(n, k=1)]).sum())
    _, counts = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float(np.sum(counts * (counts - 1) * (2 * counts + 5)))) / 18.0
    if var <= 0 or s <= 0:
        return s, 1.0 if s <= 0 else 0.0
    z = (s - 1.0) / math.sqrt(var)
    return s, _normal_sf(z)


def theil_sen(weeks: npt.ArrayLike, values: npt.ArrayLike) -> float:
    """Theil–Sen slope: the median of the pairwise slopes (values per week); 0 with fewer than 2 points."""
    t = np.asarray(weeks, dtype=float)
    y = np.asarray(values, dtype=float)
    i, j = np.triu_indices(len(t), k=1)
    dt = t[j] - t[i]
    keep = dt != 0
    if not np.any(keep):
        return 0.0
    return float(np.median((y[j] - y[i])[keep] / dt[keep]))


def mann_whitney_greater(after: npt.ArrayLike, before: npt.ArrayLike) -> float:
    """One-sided Mann–Whitney p that `after` tends to exceed `before` (exact, ties count one half).

    Exact by enumerating the rank sums (small samples: a few dozen weekly tests at most on each side
    matter here; larger ones use the normal approximation).
    """
    a = np.asarray(after, dtype=float)
    b = np.asarray(before, dtype=float)
    m, n = len(a), len(b)
    if m == 0 or n == 0:
        return 1.0
    u = float(np.sum(a[:, None] > b[None, :]) + 0.5 * np.sum(a[:, None] == b[None, :]))
    if m + n > 40:
        mean = m * n / 2.0
        sd = math.sqrt(m * n * (m + n + 1) / 12.0)
        return _normal_sf((u - 0.5 - mean) / sd)
    # Distribution of U without ties: number of ways to reach each U (classic recurrence).
    counts = _u_counts(m, n)
    threshold = math.floor(u + 1e-9)  # a tie's half counts down: conservative
    return float(counts[threshold:].sum() / counts.sum())


def _u_counts(m: int, n: int) -> npt.NDArray[np.int64]:
    """Counts of the orderings giving each Mann–Whitney U (0..m·n) for samples of sizes m and n, no ties."""
    # f[i][j]: U counts with i items of the first sample and j of the second. The largest item is from
    # the first sample (it beats all j of the second: U + j) or from the second (U unchanged).
    f = [[np.ones(1, dtype=np.int64) for _ in range(n + 1)] for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            out = np.zeros(i * j + 1, dtype=np.int64)
            first, second = f[i - 1][j], f[i][j - 1]
            out[j : j + len(first)] += first
            out[: len(second)] += second
            f[i][j] = out
    return f[m][n]


# --- noise ---------------------------------------------------------------------------------------------


def sem_from_interval(interval: tuple[float, float]) -> float:
    """SEM implied by a 95 % interval: (hi − lo)/(2·1.96)."""
    lo, hi = interval
    return abs(hi - lo) / (2.0 * Z95)


def estimate_noise(
    values: Sequence[float],
    intervals: Sequence[tuple[float, float]] = (),
    default_sem: float = DEFAULT_SEM["tonus"],
) -> NoiseEstimate:
    """Estimate a person's SEM of one score from repeat frames and early tests (see the module notes).

    `values` are the scored tests, oldest first; `intervals` the per-test 95 % intervals over frames.
    """
    sem_frames = float(np.median([sem_from_interval(iv) for iv in intervals])) if intervals else None
    early = np.asarray(values[:SCATTER_TESTS], dtype=float)
    sources: list[str] = []
    if sem_frames is not None:
        sources.append("frames")
    if len(early) >= 3:
        df = len(early) - 1
        sem_early = float(np.std(early, ddof=1))
        prior = max(default_sem, sem_frames or 0.0)
        pooled = math.sqrt((PRIOR_DF * prior**2 + df * sem_early**2) / (PRIOR_DF + df))
        sem = max(pooled, sem_frames or 0.0)
        sources += ["early_tests", "default"]
        return NoiseEstimate(
            sem, smallest_detectable_change(sem), tuple(sources), sem_frames, sem_early, len(early)
        )
    if sem_frames is not None and sem_frames >= default_sem:
        sem = sem_frames
    else:
        sem = default_sem
        sources.append("default")
    return NoiseEstimate(sem, smallest_detectable_change(sem), tuple(sources), sem_frames, None, 0)


# --- detection -----------------------------------------------------------------------------------------


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


def _series(
    points: Sequence[WeekPoint], key: str, onset: date | None
) -> tuple[list[float], list[int], list[datetime], list[tuple[float, float]]]:
    first = points[0].taken_at
    values, weeks, when, intervals = [], [], [], []
    for p in points:
        v = p.tonus if key == "tonus" else p.movement
        if v is None or not math.isfinite(v):
            continue
        values.append(float(v))
        weeks.append(week_number(p.taken_at, first, onset))
        when.append(p.taken_at)
        if key == "tonus" and p.tonus_interval is not None:
            intervals.append(p.tonus_interval)
    return values, weeks, when, intervals


def _asymmetry_change(points: Sequence[WeekPoint], onset: Onset | None) -> tuple[float, float] | None:
    """Mean resting asymmetry (mm) of the baseline tests and of the tests since tone's onset."""
    if onset is None:
        return None
    early = [p.rest_asymmetry_mm for p in points[:BASELINE_TESTS] if p.rest_asymmetry_mm is not None]
    late = [
        p.rest_asymmetry_mm
        for p in points
        if p.taken_at >= onset.taken_at and p.rest_asymmetry_mm is not None
    ]
    if not early or not late:
        return None
    return float(np.mean(early)), float(np.mean(late))


def recovery_signal(points: Sequence[WeekPoint], onset: date | datetime | None = None) -> RecoverySignal:
    """Decide whether tone and movement are returning, from weekly tests (any order; sorted by date).

    `onset` is the palsy onset; weeks count from it when given (and no test precedes it), else from the
    first test.
    """
    pts = sorted(points, key=lambda p: p.taken_at)
    onset_day = onset.date() if isinstance(onset, datetime) else onset
    if onset_day is not None and pts and pts[0].taken_at.date() < onset_day:
        onset_day = None  # a test before the onset: the onset date is wrong, count from the first test
    reference: Reference = "onset" if onset_day is not None else "first_test"
    if not pts:
        return RecoverySignal("too_few_tests", 0, reference=reference)
    tv, tw, tt, intervals = _series(pts, "tonus", onset_day)
    mv, mw, mt, _ = _series(pts, "movement", onset_day)
    tests = len(tv)
    tonus_noise = estimate_noise(tv, intervals, DEFAULT_SEM["tonus"])
    movement_noise = estimate_noise(mv, (), DEFAULT_SEM["movement"])
    if tests < MIN_TESTS:
        return RecoverySignal("too_few_tests", tests, None, None, tonus_noise, movement_noise, reference)
    tone = detect_rise(tv, tw, tt, tonus_noise)
    move = detect_rise(mv, mw, mt, movement_noise)
    tone_mm, region_noise = _mm_onsets(pts, onset_day)
    tone_any = tone is not None or bool(tone_mm)
    state: State
    if tone_any and move is not None:
        state = "tone_and_movement_returning"
    elif tone_any:
        state = "tone_returning"
    elif move is not None:
        state = "movement_returning"
    else:
        state = "no_change_yet"
    return RecoverySignal(
        state,
        tests,
        tone,
        move,
        tonus_noise,
        movement_noise,
        reference,
        _asymmetry_change(pts, tone),
        tone_mm or None,
        region_noise or None,
    )


def _mm_onsets(
    pts: Sequence[WeekPoint], onset: date | None
) -> tuple[dict[str, Onset], dict[str, NoiseEstimate]]:
    """Per region, a sustained fall of the oriented resting asymmetry beyond the person's mm noise.

    The same rule as for tonus, on −(oriented mm): an affected side that comes back toward the healthy
    one is a rise. The noise is the early tests' scatter pooled with `DEFAULT_REGION_SEM_MM`.
    """
    onsets: dict[str, Onset] = {}
    noises: dict[str, NoiseEstimate] = {}
    rows = [p for p in pts if p.rest_oriented_mm]
    if not rows:
        return onsets, noises
    first = pts[0].taken_at
    for region, default in DEFAULT_REGION_SEM_MM.items():
        series = [
            (p, p.rest_oriented_mm[region])
            for p in rows
            if p.rest_oriented_mm and region in p.rest_oriented_mm
        ]
        if not series:
            continue
        values = [-float(v) for _, v in series]
        noise = estimate_noise(values, (), default)
        noises[region] = noise
        weeks = [week_number(p.taken_at, first, onset) for p, _ in series]
        found = detect_rise(values, weeks, [p.taken_at for p, _ in series], noise)
        if found is not None:
            onsets[region] = found
    return onsets, noises


# --- from the journal ----------------------------------------------------------------------------------


def rest_asymmetry(regions: Mapping[str, tuple[float, float]]) -> float | None:
    """Mean |left − right| over the resting regions (mm); None without regions."""
    if not regions:
        return None
    return float(np.mean([abs(left - right) for left, right in regions.values()]))


def journal_side(
    scores_by_session: Mapping[int, Scores], given: str | None = None
) -> Literal["left", "right"] | None:
    """The affected side to orient every test by: the profile's, else the side most tests named."""
    if given in ("left", "right"):
        return "left" if given == "left" else "right"
    named = [s.affected_side for s in scores_by_session.values() if s.affected_side in ("left", "right")]
    if not named:
        return None
    left, right = named.count("left"), named.count("right")
    if left == right:
        return None
    return "left" if left > right else "right"


def points_from_history(
    rows: Sequence[HistoryRow], scores_by_session: Mapping[int, Scores], side: str | None = None
) -> list[WeekPoint]:
    """Build weekly points from the history (oldest first) and each test's scores, keyed by session id.

    The rest pose's interval and regions are used only when those scores are the same scorer version as
    the row's (the newest) scores, so old-version intervals never mix with new-version tonus. The
    oriented asymmetry uses one side for every test (`side`, else `journal_side`).
    """
    from journal.scoring.asymmetry import oriented_from_regions

    orient = journal_side(scores_by_session, side)
    points = []
    for row in rows:
        scores = scores_by_session.get(row.session.id)
        interval: tuple[float, float] | None = None
        asym: float | None = None
        oriented: dict[str, float] | None = None
        if scores is not None and scores.scorer_version == row.scorer_version:
            rest = scores.poses.get("rest")
            if rest is not None:
                interval = rest.symmetry_interval
                asym = rest_asymmetry(rest.regions)
                if orient is not None and rest.regions:
                    oriented = oriented_from_regions(rest.regions, orient)
        points.append(WeekPoint(row.session.taken_at, row.tonus, row.movement, interval, asym, oriented))
    return points
