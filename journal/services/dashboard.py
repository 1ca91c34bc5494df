"""What Home shows: when the next test is due, the latest scores and how far they moved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from journal.services.due import due_text
from journal.signals.noise import DEFAULT_REGION_SEM_MM, DEFAULT_SEM, NoiseEstimate, estimate_noise
from journal.signals.points import (
    METHOD_REGIONS,
    WeekPoint,
    comparable,
    journal_side,
    measured_alike_sentence,
    measured_alike_since,
    points_from_history,
)
from journal.signals.recovery import RecoverySignal, recovery_signal

if TYPE_CHECKING:
    from journal.store import Store
    from journal.store.rows import HistoryRow, Scores


@dataclass(frozen=True, slots=True)
class Change:
    """A score's change from an earlier test, and whether it is beyond measurement noise.

    `noise` is the SDC95 the verdict used (the person's own, or the typical one when `typical`).
    """

    delta: float
    since: datetime
    beyond_noise: bool
    noise: float | None = None
    typical: bool = False

    def describe(self, unit: str = "") -> str:
        """Say the change in words, e.g. "+4.2 since 18 Nov (beyond noise ±3.1)"."""
        verdict = "beyond" if self.beyond_noise else "within"
        kind = "typical noise" if self.typical else "noise"
        figure = f" ±{self.noise:.1f}" if self.noise is not None else ""
        return f"{self.delta:+.1f}{unit} since {self.since:%d %b} ({verdict} {kind}{figure})"


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """One score (tonus or movement): latest value, changes, and its history for a small trend."""

    latest: float | None
    since_last: Change | None
    since_first: Change | None
    trend: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything Home shows about the weekly tests."""

    tests: int
    last_test: datetime | None
    days_since: int | None
    due: bool
    due_text: str
    tonus: ScoreSummary
    movement: ScoreSummary


def _change(now: float, then: float | None, when: datetime, noise: NoiseEstimate) -> Change | None:
    if then is None:
        return None
    delta = now - then
    typical = noise.sources == ("default",)
    return Change(delta, when, abs(delta) > noise.sdc, noise.sdc, typical)


def score_noise(rows: Sequence[HistoryRow], key: str) -> NoiseEstimate:
    """The person's noise for `tonus` or `movement` from the tests alone (the typical one until 3)."""
    values = [float(v) for r in rows if (v := getattr(r, key)) is not None]
    return estimate_noise(values, (), DEFAULT_SEM[key])


def summarise(rows: Sequence[HistoryRow], key: str, noise: NoiseEstimate | None = None) -> ScoreSummary:
    """Summarise `tonus` or `movement` over the tests, oldest first.

    `noise` is the figure the rest of the app shows for this score (the recovery signal's, which also
    uses the repeat frames); without it the noise is estimated from the scores alone.
    """
    scored = [(r.session.taken_at, getattr(r, key)) for r in rows if getattr(r, key) is not None]
    if not scored:
        return ScoreSummary(None, None, None, ())
    sdc = noise or score_noise(rows, key)
    trend = tuple(v for _, v in scored)
    if key == "tonus":  # it weighs brow and eye: compared only between tests measured alike
        alike = [r for r in rows if r.tonus is not None]
        alike = [r for r in alike if r.session.landmarks == alike[-1].session.landmarks]
        scored = [(r.session.taken_at, float(r.tonus)) for r in alike if r.tonus is not None]
    last, first = scored[-1][1], scored[0]
    before = scored[-2] if len(scored) > 1 else None
    return ScoreSummary(
        latest=last,
        since_last=_change(last, before[1], before[0], sdc) if before else None,
        since_first=_change(last, first[1], first[0], sdc) if len(scored) > 1 else None,
        trend=trend,
    )


def build_dashboard(
    rows: Sequence[HistoryRow], now: datetime, noise: Mapping[str, NoiseEstimate] | None = None
) -> Dashboard:
    """Build Home's summary from the history (oldest first); `noise` by score as in `summarise`."""
    last = rows[-1].session.taken_at if rows else None
    days = (now.date() - last.date()).days if last else None
    due, text = due_text(days)
    return Dashboard(
        tests=len(rows),
        last_test=last,
        days_since=days,
        due=due,
        due_text=text,
        tonus=summarise(rows, "tonus", (noise or {}).get("tonus")),
        movement=summarise(rows, "movement", (noise or {}).get("movement")),
    )


def sparkline(values: Sequence[float], min_span: float = 10.0) -> str:
    """Draw values as a one-line trend with block characters, scaled to their own range.

    The range is at least `min_span` points, so noise does not look like a landslide.
    """
    if not values:
        return ""
    blocks = "▁▂▃▄▅▆▇█"
    mid = (max(values) + min(values)) / 2
    span = max(max(values) - min(values), min_span)
    low = mid - span / 2
    return "".join(blocks[min(7, max(0, int((v - low) / span * 7.999)))] for v in values)


#: Sessions whose per-frame intervals feed the noise estimate; beyond this the early and recent ones do.
_NOISE_SESSIONS: Final = 60


def noise_of(signal: RecoverySignal) -> dict[str, NoiseEstimate]:
    """The recovery signal's noise by score ("tonus", "movement"): the one figure every screen shows."""
    pairs = (("tonus", signal.tonus_noise), ("movement", signal.movement_noise))
    return {key: noise for key, noise in pairs if noise is not None}


def recovery_from_store(
    store: Store, rows: Sequence[HistoryRow] | None = None, scores: Mapping[int, Scores] | None = None
) -> RecoverySignal:
    """Read the history and the tests' scores (unless given; the rest pose at least), and compute the
    recovery signal."""
    rows = store.history() if rows is None else rows
    ids = [r.session.id for r in rows]
    wanted = ids if len(ids) <= _NOISE_SESSIONS else ids[:4] + ids[-(_NOISE_SESSIONS - 4) :]
    if scores is None:
        scores = store.latest_scores(wanted, poses=("rest",))  # three queries, not three per test
    else:
        scores = {i: scores[i] for i in wanted if i in scores}
    profile = store.get_profile()
    return recovery_signal(points_from_history(rows, scores, profile.affected_side), profile.onset)


# --- resting asymmetry in millimetres, oriented by the affected side ------------------------------------

#: What moves in the palsy direction, per region, for words: (noun, word for "more", word for "less").
_ORIENTED_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    "brow": ("brow", "lower", "higher"),
    "eye": ("eye", "wider open", "narrower"),
    "midface": ("nose base", "lower", "higher"),
    "mouth": ("mouth corner", "lower", "higher"),
}


@dataclass(frozen=True, slots=True)
class RestChange:
    """One region's oriented resting asymmetry (mm) in the latest test, and how it moved.

    `latest_mm` > 0: the affected side sits in the palsy direction (lower, or a wider eye); < 0: it is
    tighter than the healthy side. Changes are judged against `noise` (the person's own SDC95 in mm).
    """

    region: str
    affected: str
    latest_mm: float
    since_last: Change | None
    since_first: Change | None
    noise: NoiseEstimate
    #: Brow and eye: when their baseline restarted (landmarks measured another way before), else None.
    restarted: datetime | None = None

    def describe(self) -> str:
        """Say it in plain words, e.g. "Your left mouth corner sits 2.1 mm lower than your right."."""
        noun, more, less = _ORIENTED_WORDS[self.region]
        healthy = "right" if self.affected == "left" else "left"
        v = self.latest_mm
        if abs(v) < 0.05:
            text = f"Your {self.affected} {noun} sits level with your {healthy} one at rest"
        else:
            how = more if v > 0 else less
            text = f"Your {self.affected} {noun} is {abs(v):.1f} mm {how} than your {healthy} at rest"
        for label, change in (("last test", self.since_last), ("first test", self.since_first)):
            if change is None:
                continue
            toward = "closer to" if abs(v) < abs(v - change.delta) else "further from"
            verdict = "beyond" if change.beyond_noise else "within"
            text += (
                f"; {abs(change.delta):.1f} mm {toward} your {healthy} side than at your {label} "
                f"({change.since:%d %b}), {verdict} your measurement noise of ±{self.noise.sdc:.1f} mm"
            )
        if self.restarted is not None:
            return f"{text}. {measured_alike_sentence(self.restarted)}"
        return text + "."


def rest_changes(points: Sequence[WeekPoint], affected: str) -> dict[str, RestChange]:
    """Per region, the latest oriented resting asymmetry and its changes since the last and first test.

    `points` are oldest first with `rest_oriented_mm` set (see `points_from_history`); the noise per
    region is the person's own (scatter of the first tests) pooled with `DEFAULT_REGION_SEM_MM`.
    """
    out: dict[str, RestChange] = {}
    restarted = measured_alike_since(points)
    for region, default in DEFAULT_REGION_SEM_MM.items():
        series = [
            (p.taken_at, float(p.rest_oriented_mm[region]))
            for p in comparable(points, region)  # brow and eye: only tests measured alike
            if p.rest_oriented_mm and region in p.rest_oriented_mm
        ]
        if not series:
            continue
        noise = estimate_noise([v for _, v in series], (), default)
        (_, now) = series[-1]
        last = series[-2] if len(series) > 1 else None
        out[region] = RestChange(
            region=region,
            affected=affected,
            latest_mm=now,
            since_last=_change(now, last[1], last[0], noise) if last else None,
            since_first=_change(now, series[0][1], series[0][0], noise) if len(series) > 1 else None,
            noise=noise,
            restarted=restarted if region in METHOD_REGIONS else None,
        )
    return out


def rest_from_store(store: Store) -> tuple[list[WeekPoint], str | None]:
    """Every test's weekly point with its oriented resting asymmetry, and the side it is oriented by."""
    rows = store.history()
    scores = store.latest_scores([r.session.id for r in rows], poses=("rest",))  # three queries in all
    side = journal_side(scores, store.get_profile().affected_side)
    return points_from_history(rows, scores, side), side
