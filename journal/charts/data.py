"""Chart data: tests, sensations and events in a chosen range, read from the journal (`chart_data`).

Plain frozen dataclasses, so the text charts here and the report's SVG charts draw the same data.
`chart_context` adds what the recovery chart needs besides (onset, affected side, the recovery
signal's onsets) and `within` cuts everything to a range of weeks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from journal.signals.recovery import RecoverySignal
    from journal.store import HistoryRow, Scores, Store


@dataclass(frozen=True, slots=True)
class TestPoint:
    """One test: when, its tonus and movement (0–100), movement per pose, and rest measures in mm."""

    __test__ = False  # not a pytest test class, despite the name

    at: datetime
    tonus: float | None
    movement: float | None
    poses: Mapping[str, float | None] = field(default_factory=dict)
    rest: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SensationPoint:
    """The strongest intensity (0–10) of one sensation on one day."""

    day: date
    sensation: str
    intensity: int


@dataclass(frozen=True, slots=True)
class EventMark:
    """An event drawn as a vertical line: medication, therapy, a milestone or an appointment."""

    at: datetime
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class SignalMark:
    """Where the recovery signal (journal/signals/recovery.py) places the return of tone or of movement."""

    what: Literal["tone", "movement"]
    at: datetime
    week: int


@dataclass(frozen=True, slots=True)
class StripNote:
    """A finding drawn on the sensation strip, e.g. the lead–lag analysis ("vibration rose 2 weeks
    before tone"): `sensation` names its row, `at` (optional) the day its pointer marks."""

    sensation: str
    text: str
    at: date | None = None


@dataclass(frozen=True, slots=True)
class ChartContext:
    """What the recovery chart needs besides the tests: the person and the recovery signal.

    `onset` is the palsy onset (weeks count from it; None: from the first test); `affected_side`
    orients the asymmetry; `marks` are the signal's onsets; `notes` findings for the strip;
    `history` every test (not only those in range), so 0 % is the person's worst ever.
    """

    onset: date | None = None
    affected_side: str | None = None
    marks: tuple[SignalMark, ...] = ()
    notes: tuple[StripNote, ...] = ()
    history: tuple[TestPoint, ...] | None = None


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything the charts show, oldest first, and the days the date axis spans.

    `start`/`end` are the first and last day shown (None: from the first to the last data);
    `weeks` is the range chosen (None: all), used in titles and messages; `context` what the
    recovery chart needs besides (see `ChartContext`).
    """

    tests: tuple[TestPoint, ...] = ()
    sensations: tuple[SensationPoint, ...] = ()
    events: tuple[EventMark, ...] = ()
    start: date | None = None
    end: date | None = None
    weeks: int | None = None
    context: ChartContext = field(default_factory=lambda: ChartContext())

    def span(self) -> tuple[date, date] | None:
        """Return the first and last day of the date axis, or None when there is nothing to place."""
        days = [t.at.date() for t in self.tests] + [s.day for s in self.sensations]
        days += [e.at.date() for e in self.events]
        first = self.start or (min(days) if days else None)
        last = self.end or (max(days) if days else None)
        if first is None or last is None:
            return None
        return first, max(first, last)


# Building the data


def window_start(weeks: int, today: date) -> date:
    """Return the first day of the last `weeks` weeks ending with `today` (7 × weeks days in all)."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    return today - timedelta(days=7 * weeks - 1)


def within(data: ChartData, weeks: int | None, today: date) -> ChartData:
    """Keep what falls in the last `weeks` weeks up to `today` (all of it when None) and set the axis."""
    if weeks is None:
        return replace(data, start=None, end=None, weeks=None)
    first = window_start(weeks, today)
    tests = tuple(t for t in data.tests if t.at.date() >= first)
    sensations = tuple(s for s in data.sensations if s.day >= first)
    events = tuple(e for e in data.events if e.at.date() >= first)
    days = [t.at.date() for t in tests] + [s.day for s in sensations] + [e.at.date() for e in events]
    last = max([today, *days])  # a test may be up to a day ahead of the clock
    return replace(
        data, tests=tests, sensations=sensations, events=events, start=first, end=last, weeks=weeks
    )


def read_history_and_rest(store: Store) -> tuple[list[HistoryRow], dict[int, Scores]]:
    """The history and every scored test's newest scores (rest pose only): all that the charts, the
    recovery signal and the lead-lag analysis read, in four queries whatever the number of tests."""
    rows = store.history()
    return rows, store.latest_scores([r.session.id for r in rows if r.scorer_version], poses=("rest",))


def chart_data(
    store: Store,
    weeks: int | None = None,
    today: date | None = None,
    read: tuple[Sequence[HistoryRow], Mapping[int, Scores]] | None = None,
) -> ChartData:
    """Read what the charts show from the journal: tests in range with rest measures, sensations, events.

    Only calls `Store` reading methods, so it runs wherever the journal is open (e.g. a worker thread).
    `read` is `read_history_and_rest(store)` when the caller already has it.
    """
    today = today or date.today()
    since = None if weeks is None else window_start(weeks, today)
    tests: list[TestPoint] = []
    history, latest = read_history_and_rest(store) if read is None else read
    rows = [r for r in history if since is None or r.session.taken_at.date() >= since]
    for row in rows:
        scores = latest.get(row.session.id) if row.scorer_version else None
        rest = scores.poses.get("rest") if scores is not None else None
        tests.append(
            TestPoint(
                row.session.taken_at,
                row.tonus,
                row.movement,
                dict(row.pose_movement),
                dict(rest.regions) if rest is not None else {},
            )
        )
    sensations = tuple(
        SensationPoint(s.day, s.sensation, s.max_intensity) for s in store.sensations_by_day(since)
    )
    events = tuple(EventMark(e.at, e.kind, e.label) for e in store.events(since))  # drawn through clean()
    return within(ChartData(tuple(tests), sensations, events), weeks, today)


# Axis helpers


def signal_marks(signal: RecoverySignal | None) -> tuple[SignalMark, ...]:
    """Return where the recovery signal places the return of tone and of movement (none: empty)."""
    if signal is None:
        return ()
    marks = []
    if (tone := signal.tone_onset) is not None:  # tonus's onset, else the first region's in mm
        marks.append(SignalMark("tone", tone.taken_at, tone.week))
    if signal.movement_since is not None:
        marks.append(SignalMark("movement", signal.movement_since.taken_at, signal.movement_since.week))
    return tuple(marks)


def chart_context(
    store: Store,
    history: tuple[TestPoint, ...],
    signal: RecoverySignal | None = None,
    notes: tuple[StripNote, ...] = (),
    rows: Sequence[HistoryRow] | None = None,
) -> ChartContext:
    """Read the person's onset and affected side (given, else the latest test's) for the charts.

    `notes` are findings to draw on the sensation strip (the lead–lag analysis hooks in here); `rows`
    is the history when the caller already has it.
    """
    profile = store.get_profile()
    side = profile.affected_side
    if side not in ("left", "right"):
        rows = store.history() if rows is None else rows
        side = rows[-1].affected_side if rows else None
    return ChartContext(profile.onset, side, signal_marks(signal), notes, history)


def load_charts(
    store: Store,
    weeks: int | None = None,
    today: date | None = None,
    signal: RecoverySignal | None = None,
    notes: tuple[StripNote, ...] = (),
    read: tuple[Sequence[HistoryRow], Mapping[int, Scores]] | None = None,
) -> ChartData:
    """Read every chart's data for the last `weeks` weeks (None: all), with the person's context.

    Reads all the tests (`chart_data`), so the recovery chart's 0 % is the person's worst ever,
    then keeps the range. `signal` places the onsets; `notes` (e.g. the lead–lag finding) are
    drawn on the sensation strip; `read` is `read_history_and_rest(store)` when the caller has it.
    """
    today = today or date.today()
    read = read_history_and_rest(store) if read is None else read
    everything = chart_data(store, None, today, read)
    context = chart_context(store, everything.tests, signal, notes, read[0])
    return within(replace(everything, context=context), weeks, today)
