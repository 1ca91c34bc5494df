"""Do the sensations come before tone and movement? A lead–lag analysis on the person's own series.

For each sensation, its weekly intensity (the mean over the week's seven days of each day's strongest
entry, 0 on days without one) is set against the weekly *rate of improvement* of two scores:

- tone: the fall of the oriented resting asymmetry (mm, `journal.signals.orientation`: affected minus healthy
  in the direction a palsy moves it), so a positive step is tone returning;
- movement: the rise of the movement score (0–100).

The rate at week w is (level at w+1 − level at w−1)/2: a centred two-week change, whose noise variance
is a quarter of a one-week change's, so one odd test does not make a week look like recovery.
"Twitching rose before movement started to return" then reads: the weeks with more twitching are
followed, `lag` weeks later, by the weeks in which the score improved. For lags from −`MAX_LAG_AFTER`
(the sensation follows) to `MAX_LAG_BEFORE` (it leads) the Pearson correlation of the pairs is
computed; the best lag is the one with the highest correlation.

**Beyond chance?** A permutation test on the person's own series: the sensation's weekly values are
shuffled `PERMUTATIONS` times (fixed seed, so the answer does not flicker between runs), and for each
shuffle the best correlation over the *same* lags is taken (a max statistic, which pays for having tried
several lags). p = (1 + shuffles at least as good) / (1 + shuffles). Only p ≤ `ALPHA` with a positive
correlation is said in words; anything else stays silent. Shuffling also breaks the week-to-week
persistence of a sensation, which makes the test somewhat generous for persistent sensations. Each
sentence is one test at 5 %: on shuffled series about one result in twenty speaks, no more
(tests/test_leadlag.py), so a journal with eight sensations and two scores can still show a chance
sentence now and then. Too little data (fewer than `MIN_PAIRS` weekly pairs, a sensation felt in fewer
than `MIN_WEEKS_FELT` weeks) is silent too.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt

from journal.signals.onset import week_number
from journal.signals.orientation import oriented_mean

if TYPE_CHECKING:
    from journal.store import HistoryRow, Scores, Store

Target = Literal["tone", "movement"]
TARGETS: Final[tuple[Target, ...]] = ("tone", "movement")
MAX_LAG_BEFORE: Final = 4
MAX_LAG_AFTER: Final = 2
PERMUTATIONS: Final = 999
ALPHA: Final = 0.05
MIN_PAIRS: Final = 8
MIN_WEEKS_FELT: Final = 3
#: Missing weeks between two tests filled by a straight line (a longer gap stays unknown).
MAX_GAP: Final = 2
#: Tests read from the journal: the first year after the first test, where recovery shows.
MAX_TESTS: Final = 60
_SEED: Final = 20261201


@dataclass(frozen=True, slots=True)
class WeeklyTest:
    """One test placed on the week grid: its week, oriented resting asymmetry (mm) and movement."""

    week: int
    asymmetry_mm: float | None
    movement: float | None


@dataclass(frozen=True, slots=True)
class LeadLag:
    """How one sensation tracks one score's improvement: best lag (weeks; > 0 = before), r and p."""

    sensation: str
    target: Target
    lag_weeks: int
    r: float
    p: float
    pairs: int

    @property
    def beyond_chance(self) -> bool:
        """Whether the permutation test puts this correlation beyond chance (p ≤ ALPHA)."""
        return self.p <= ALPHA and self.r > 0

    def sentence(self) -> str:
        """Say it in plain words, e.g. "Twitching rose about 2 weeks before tone started to return"."""
        name = self.sensation.replace("_", " ").capitalize()
        what = "tone" if self.target == "tone" else "movement"
        n = abs(self.lag_weeks)
        weeks = f"about {n} week{'s' if n != 1 else ''}"
        if self.lag_weeks == 0:
            return f"{name} rose in the same weeks as {what} returned."
        order = "before" if self.lag_weeks > 0 else "after"
        return f"{name} rose {weeks} {order} {what} started to return."


def weekly_intensity(
    days: Iterable[tuple[date, str, int]], week_of: dict[date, int], weeks: Sequence[int]
) -> dict[str, npt.NDArray[np.float64]]:
    """Each sensation's weekly intensity on `weeks`: the mean of each day's strongest entry (0–10)."""
    index = {w: i for i, w in enumerate(weeks)}
    strongest: dict[tuple[str, date], int] = {}
    for day, sensation, intensity in days:
        key = (sensation, day)
        strongest[key] = max(strongest.get(key, 0), intensity)
    out: dict[str, npt.NDArray[np.float64]] = defaultdict(lambda: np.zeros(len(weeks)))
    for (sensation, day), value in strongest.items():
        i = index.get(week_of.get(day, -(10**9)))
        if i is not None:
            out[sensation][i] += value / 7.0
    return dict(out)


def improvement(tests: Sequence[WeeklyTest], target: Target, weeks: Sequence[int]) -> npt.NDArray[np.float64]:
    """Each week's rate of improvement of a score: (next week's level − last week's) / 2 (NaN when unknown).

    The level is the week's test (the mean if several); a gap of up to `MAX_GAP` weeks between tests is
    filled by a straight line, longer gaps stay unknown.
    """
    by_week: dict[int, list[float]] = defaultdict(list)
    for t in tests:
        v = t.movement if target == "movement" else (-t.asymmetry_mm if t.asymmetry_mm is not None else None)
        if v is not None and math.isfinite(v):
            by_week[t.week].append(v)
    level = np.array([np.mean(by_week[w]) if by_week.get(w) else np.nan for w in weeks])
    known = np.flatnonzero(np.isfinite(level))
    for a, b in zip(known[:-1], known[1:], strict=True):
        if 1 < b - a <= MAX_GAP + 1:
            level[a + 1 : b] = np.interp(np.arange(a + 1, b), [a, b], [level[a], level[b]])
    rate = np.full(len(level), np.nan)
    rate[1:-1] = (level[2:] - level[:-2]) / 2.0
    return rate


def _lag_pairs(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], lag: int) -> tuple[Any, Any]:
    """x at week w against y at week w + lag (rows of x may be a stack of shuffles)."""
    n = y.shape[-1]
    if lag >= 0:
        return x[..., : n - lag], y[lag:]
    return x[..., -lag:], y[: n + lag]


def _corr(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], x2: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """Pearson r of each row of x with y over the entries where y is finite (NaN when undefined).

    x must be finite. Sums are taken with the finite entries weighted 1 and the others 0, as
    matrix-vector products on x as it is (a slice of the shuffles needs no copy); `x2` is x·x when
    the caller has it. Either row is constant: NaN.
    """
    keep = np.isfinite(y)
    n = int(keep.sum())
    if n == 0:
        return np.full(x.shape[:-1], np.nan)
    weight = keep.astype(np.float64)
    ys = np.where(keep, y, 0.0)
    yc = np.where(keep, ys - ys.sum() / n, 0.0)
    sx = x @ weight
    sxx = (x * x if x2 is None else x2) @ weight
    var_x = sxx - sx * sx / n
    # A constant row leaves only rounding in var_x: treat it as zero, as a centred row would be.
    var_x = np.where(var_x > 1e-12 * np.maximum(sxx, 1.0), var_x, 0.0)
    denom = np.sqrt(var_x * float(yc @ yc))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(denom > 0, (x @ yc) / denom, np.nan), dtype=np.float64)


def lead_lag(
    sensation: str,
    intensity: npt.NDArray[np.float64],
    changes: dict[Target, npt.NDArray[np.float64]],
    permutations: int = PERMUTATIONS,
    seed: int = _SEED,
) -> list[LeadLag]:
    """The best lag of one sensation against each score's weekly improvement, with permutation p-values.

    For each score the null is the best correlation over the same lags in each shuffle, so trying several
    lags does not make chance findings likelier. Empty when there is too little data to say anything.
    """
    if np.count_nonzero(intensity > 0) < MIN_WEEKS_FELT:
        return []
    tried: list[tuple[Target, int]] = []
    observed: dict[Target, tuple[int, float, int]] = {}
    for target, change in changes.items():
        for lag in range(-MAX_LAG_AFTER, MAX_LAG_BEFORE + 1):
            x, y = _lag_pairs(intensity, change, lag)
            pairs = int(np.isfinite(y).sum())
            r = float(_corr(x, y))
            if pairs < MIN_PAIRS or not math.isfinite(r):
                continue
            tried.append((target, lag))
            best = observed.get(target)
            if best is None or (r, -abs(lag)) > (best[1], -abs(best[0])):
                observed[target] = (lag, r, pairs)
    if not observed:
        return []
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(intensity, (permutations, 1)), axis=1)
    null = {target: np.full(permutations, -np.inf) for target in observed}
    squared = shuffled * shuffled
    for target, lag in tried:
        x, y = _lag_pairs(shuffled, changes[target], lag)
        x2, _ = _lag_pairs(squared, changes[target], lag)
        null[target] = np.fmax(null[target], _corr(x, y, x2))
    out = []
    for target, (lag, r, pairs) in observed.items():
        p = (1 + int(np.sum(null[target] >= r - 1e-12))) / (1 + permutations)
        out.append(LeadLag(sensation, target, lag, r, p, pairs))
    return out


_CACHE: dict[tuple[Any, ...], list[LeadLag]] = {}
_CACHE_SIZE: Final = 8


def analyse(
    tests: Sequence[WeeklyTest], days: Iterable[tuple[date, str, int]], week_of: dict[date, int]
) -> list[LeadLag]:
    """Every sensation against tone and movement (sensations alphabetically, tone first).

    The answer for the same inputs is remembered (Home and Charts ask again on every visit, and the
    shuffles take a few tenths of a second).
    """
    days = list(days)
    key = (tuple(tests), tuple(days), tuple(sorted(week_of.items())))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _analyse(tests, days, week_of)
    return list(_CACHE[key])


def _analyse(
    tests: Sequence[WeeklyTest], days: list[tuple[date, str, int]], week_of: dict[date, int]
) -> list[LeadLag]:
    if not tests:
        return []
    # The grid starts where the journal does: weeks before anything was logged are not "no sensation".
    first = min([t.week for t in tests] + [week_of[d] for d, _, _ in days if d in week_of])
    first = max(first, min(t.week for t in tests) - MAX_LAG_BEFORE)
    weeks = list(range(first, max(t.week for t in tests) + 1))
    intensity = weekly_intensity(days, week_of, weeks)
    changes = {target: improvement(tests, target, weeks) for target in TARGETS}
    out = []
    for sensation in sorted(intensity):
        out.extend(lead_lag(sensation, intensity[sensation], changes))
    return sorted(out, key=lambda r: (TARGETS.index(r.target), r.sensation))


def findings(results: Iterable[LeadLag]) -> list[str]:
    """The sentences worth saying: only results beyond chance, strongest first; empty otherwise."""
    return [r.sentence() for r in sorted(results, key=lambda r: r.p) if r.beyond_chance]


def one_line(results: Iterable[LeadLag]) -> str:
    """The findings on one line for Home and Charts ("" when nothing is beyond chance)."""
    said = findings(results)
    return f"Sensations: {' '.join(said)}" if said else ""


def leadlag_from_store(
    store: Store, rows: Sequence[HistoryRow] | None = None, scores: Mapping[int, Scores] | None = None
) -> list[LeadLag]:
    """Read the first `MAX_TESTS` tests, their rest measures and the sensations, and analyse them.

    `rows` (the history) and `scores` (the tests' newest scores, the rest pose at least) are read
    here unless given, so a caller drawing several things reads them once.
    """
    rows = list(store.history() if rows is None else rows)[:MAX_TESTS]
    if not rows:
        return []
    profile = store.get_profile()
    first = rows[0].session.taken_at
    onset = profile.onset if profile.onset and profile.onset <= first.date() else None
    tests = []
    by_id = (
        store.latest_scores([row.session.id for row in rows], poses=("rest",)) if scores is None else scores
    )
    for row in rows:
        latest = by_id.get(row.session.id)
        rest = latest.poses.get("rest") if latest else None
        side = profile.affected_side or (latest.affected_side if latest else None)
        asym = oriented_mean(rest.regions, side) if rest is not None else None
        tests.append(WeeklyTest(week_number(row.session.taken_at, first, onset), asym, row.movement))
    days = [(s.day, s.sensation, s.max_intensity) for s in store.sensations_by_day()]
    week_of = {d: week_number(datetime.combine(d, time()), first, onset) for d, _, _ in days}
    return analyse(tests, days, week_of)
