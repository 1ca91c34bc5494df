"""The recovery chart as numbers: every decision about what to draw, none about how.

`recovery_view(data)` turns `ChartData` into a `RecoveryView`: tone and movement on one scale of
recovery (0 % = the person's worst, 100 % = symmetric at rest / full movement), each with its
personal noise band, the recovery signal's onsets, weekly sensation strengths and numbered events,
all placed on one x axis in weeks since onset. The text chart (`recovery_chart`) draws it; an SVG
drawing can draw the same view.

- **Tone** comes from the oriented resting asymmetry (`oriented_asymmetry`: affected minus healthy in
  the direction palsy moves each region, so droop is positive). Its deficit is the weighted mean of
  |oriented| / full scale over the regions (the weights and full scales of the tonus score, without
  its dead bands, which hide 1–2 mm changes); a region that overshoots (a corner pulled up) counts
  as asymmetry too, so overshoot never reads as more than full recovery.
- **Movement** is the movement score (the affected/healthy ratio ρ, 100 = as much as the other side).
- **Noise band**: the median of the first three tests ± SDC95, with the SEM estimated as the recovery
  signal does (`journal.signals.noise.estimate_noise`: the first tests' scatter pooled with a typical SEM).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from journal.charts.data import ChartData, EventMark, SignalMark, StripNote, TestPoint
from journal.protocol import REGIONS
from journal.scoring.asymmetry import ORIENTATION, oriented_from_regions
from journal.scoring.scores import DEAD_BAND, FULL_SCALE, WEIGHTS
from journal.signals.noise import DEFAULT_REGION_SEM_MM, DEFAULT_SEM, estimate_noise
from journal.signals.onset import BASELINE_TESTS

#: The direction palsy moves each region of the affected side at rest: brow, ala (midface) and
#: mouth corner lower (−), the eye wider (+).
PALSY_DIRECTION: Final[dict[str, int]] = {region: int(sign) for region, sign in ORIENTATION.items()}
#: A worst tone deficit below the dead bands' own deficit (normal asymmetry) is not a palsy: the
#: scale then runs from normal asymmetry to symmetric.
_TONE_FLOOR: Final = sum(WEIGHTS[r] * DEAD_BAND[r] / FULL_SCALE[r] for r in REGIONS)
#: The movement scale spans at least this many points (a person who was never weak).
_MOVEMENT_SPAN_FLOOR: Final = 10.0


def oriented_asymmetry(
    rest: Mapping[str, tuple[float, float]], affected_side: str | None
) -> dict[str, float]:
    """Return affected minus healthy per region at rest (mm), signed so palsy's droop is positive.

    `rest` maps region → (left mm, right mm), as stored; without a known affected side there is no
    orientation and the result is empty. (The one definition is `journal.scoring.asymmetry`.)
    """
    if affected_side == "left":
        oriented = oriented_from_regions(rest, "left")
    elif affected_side == "right":
        oriented = oriented_from_regions(rest, "right")
    else:
        return {}
    return {region: float(value) + 0.0 for region, value in oriented.items()}  # + 0.0: never "-0.0"


def tone_deficit(rest: Mapping[str, tuple[float, float]]) -> float | None:
    """Return the weighted mean |asymmetry| / full scale over the measured regions (0 = symmetric)."""
    regions = [r for r in REGIONS if r in rest]
    if not regions:
        return None
    total = sum(WEIGHTS[r] for r in regions)
    return sum(WEIGHTS[r] * abs(rest[r][0] - rest[r][1]) / FULL_SCALE[r] for r in regions) / total


@dataclass(frozen=True, slots=True)
class Band:
    """A noise band in recovery % (a change inside it may be measurement noise)."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class RecoveryScale:
    """The person's scale: the worst tone deficit and movement score over every test, and bands."""

    tone_worst: float | None
    movement_worst: float | None
    tone_band: Band | None
    movement_band: Band | None

    def tone(self, test: TestPoint) -> float | None:
        """Return a test's tone recovery in % (None: no rest measures)."""
        deficit = tone_deficit(test.rest)
        if deficit is None or self.tone_worst is None:
            return None
        return _clip(100.0 * (1.0 - deficit / self.tone_worst))

    def movement(self, test: TestPoint) -> float | None:
        """Return a test's movement recovery in % (None: no movement score)."""
        if test.movement is None or self.movement_worst is None:
            return None
        span = max(100.0 - self.movement_worst, _MOVEMENT_SPAN_FLOOR)
        return _clip(100.0 * (float(test.movement) - self.movement_worst) / span)


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def _band(values: Sequence[float], default_sem: float) -> Band | None:
    if not values:
        return None
    noise = estimate_noise(values, (), default_sem)
    centre = sorted(values[:BASELINE_TESTS])[(min(len(values), BASELINE_TESTS) - 1) // 2]
    return Band(_clip(centre - noise.sdc), _clip(centre + noise.sdc))


def recovery_scale(tests: Sequence[TestPoint]) -> RecoveryScale:
    """Return the scale from a person's tests (oldest first): worst values and noise bands."""
    deficits = [d for t in tests if (d := tone_deficit(t.rest)) is not None]
    moves = [float(t.movement) for t in tests if t.movement is not None and math.isfinite(t.movement)]
    tone_worst = max(max(deficits), _TONE_FLOOR) if deficits else None
    move_worst = min(moves) if moves else None
    partial = RecoveryScale(tone_worst, move_worst, None, None)
    tones = [v for t in tests if (v := partial.tone(t)) is not None]
    movements = [v for t in tests if (v := partial.movement(t)) is not None]
    # The tone deficit is a weighted sum of the regions' mm: its SEM adds their typical SEMs in quadrature.
    sem_deficit = math.sqrt(
        sum((WEIGHTS[r] * DEFAULT_REGION_SEM_MM[r] / FULL_SCALE[r]) ** 2 for r in REGIONS)
    )
    tone_sem = 100.0 * sem_deficit / tone_worst if tone_worst else 0.0
    move_span = max(100.0 - move_worst, _MOVEMENT_SPAN_FLOOR) if move_worst is not None else 100.0
    move_sem = 100.0 * DEFAULT_SEM["movement"] / move_span
    return RecoveryScale(tone_worst, move_worst, _band(tones, tone_sem), _band(movements, move_sem))


@dataclass(frozen=True, slots=True)
class RecoveryPoint:
    """One test on the recovery chart: its place in weeks and its recovery in % (None: unmeasured)."""

    at: datetime
    week: float
    tone: float | None
    movement: float | None


@dataclass(frozen=True, slots=True)
class SensationRow:
    """One sensation's strongest intensity (0–10) in each week it was logged, and its days logged."""

    sensation: str
    weeks: tuple[tuple[int, int], ...]
    days: int


@dataclass(frozen=True, slots=True)
class RecoveryView:
    """Everything the recovery chart draws, on an x axis in weeks (week 1 = days 0–6 from `origin`).

    `from_onset` says whether `origin` is the palsy onset (else the first test); `first`/`last`
    bound the x axis; `marks` and `events` carry their x position; events are numbered from 1.
    """

    origin: date
    from_onset: bool
    first: float
    last: float
    points: tuple[RecoveryPoint, ...]
    scale: RecoveryScale
    marks: tuple[tuple[SignalMark, float], ...]
    sensations: tuple[SensationRow, ...]
    events: tuple[tuple[int, float, EventMark], ...]
    notes: tuple[StripNote, ...]

    def x(self, when: date | datetime) -> float:
        """Place a day (its middle) or a moment on the x axis, in weeks since `origin` plus one."""
        if isinstance(when, datetime):
            days = (when - datetime.combine(self.origin, datetime.min.time())).total_seconds() / 86400
        else:
            days = (when - self.origin).days + 0.5
        return days / 7 + 1

    def day(self, week: float) -> date:
        """Return the day at a place on the x axis (the inverse of `x`)."""
        return self.origin + timedelta(days=math.floor((week - 1) * 7))


def _origin(data: ChartData) -> tuple[date, bool]:
    """Day 0 of week 1: the onset, unless a test precedes it (as journal/signals/recovery.py decides)."""
    tests = data.context.history or data.tests
    first_test = min((t.at.date() for t in tests), default=None)
    onset = data.context.onset
    if onset is not None and (first_test is None or first_test >= onset):
        return onset, True
    span = data.span()
    return (first_test or (span[0] if span else date.today())), False


def _sensation_rows(data: ChartData, view_x: RecoveryView) -> tuple[SensationRow, ...]:
    strongest: dict[str, dict[int, int]] = {}
    days: dict[str, int] = {}
    for s in data.sensations:
        week = math.floor(view_x.x(s.day))
        by_week = strongest.setdefault(s.sensation, {})
        by_week[week] = max(by_week.get(week, 0), int(s.intensity))
        days[s.sensation] = days.get(s.sensation, 0) + 1
    order = sorted(strongest, key=lambda name: (-days[name], name))
    return tuple(SensationRow(n, tuple(sorted(strongest[n].items())), days[n]) for n in order)


def recovery_view(data: ChartData) -> RecoveryView | None:
    """Return what the recovery chart shows of `data`, or None when there is nothing to place."""
    span = data.span()
    if span is None:
        return None
    origin, from_onset = _origin(data)
    scale = recovery_scale(data.context.history or data.tests)
    view = RecoveryView(origin, from_onset, 0.0, 0.0, (), scale, (), (), (), data.context.notes)
    first, last = view.x(span[0]) - 0.5 / 7, view.x(span[1]) + 0.5 / 7
    points = tuple(RecoveryPoint(t.at, view.x(t.at), scale.tone(t), scale.movement(t)) for t in data.tests)
    marks = tuple((m, view.x(m.at)) for m in data.context.marks if first <= view.x(m.at) <= last)
    events = tuple((i, view.x(e.at), e) for i, e in enumerate(data.events, start=1))
    return RecoveryView(
        origin,
        from_onset,
        first,
        last,
        points,
        scale,
        marks,
        _sensation_rows(data, view),
        events,
        data.context.notes,
    )
