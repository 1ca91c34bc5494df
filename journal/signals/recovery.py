"""Recovery signal: has resting tone (then movement) started to return, beyond the person's own noise?

From a person's weekly tests (oldest first) this module decides, for tonus and for movement separately,
whether the score has risen beyond that person's smallest detectable change, since when, and how sure
that is. It is pure Python + numpy and takes plain inputs (`WeekPoint`), so Home and the charts can call it
on what they already read; `points_from_history` builds the points from the journal's rows.

The person's noise is estimated in `journal.signals.noise`, a rise is found by the rule in
`journal.signals.onset` (statistics in `journal.signals.trend`), and the weekly points come from
`journal.signals.points`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

import numpy as np

from journal.signals.noise import DEFAULT_REGION_SEM_MM, DEFAULT_SEM, NoiseEstimate, estimate_noise
from journal.signals.onset import BASELINE_TESTS, MIN_TESTS, Confidence, Onset, detect_rise, week_number
from journal.signals.points import WeekPoint, comparable, measured_alike_sentence, measured_alike_since

State = Literal[
    "too_few_tests", "no_change_yet", "tone_returning", "tone_and_movement_returning", "movement_returning"
]
Reference = Literal["onset", "first_test"]


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
    #: When the brow and eye baseline restarted (earlier tests' landmarks were measured another way).
    restarted: datetime | None = None

    @property
    def needed(self) -> int:
        """Scored tests needed before anything is claimed."""
        return MIN_TESTS

    @property
    def lag_weeks(self) -> int | None:
        """Weeks from tone's onset to movement's (negative if movement came first); None unless both."""
        tone = self.tone_onset
        if tone is None or self.movement_since is None:
            return None
        return self.movement_since.week - tone.week

    @property
    def tone_onset(self) -> Onset | None:
        """Where tone's return is placed: tonus's onset, else the earliest region onset in mm.

        The sentence, the charts' marks and the report all use this one, so they name the same week.
        """
        if self.tone_since is not None:
            return self.tone_since
        if self.tone_mm:
            return min(self.tone_mm.values(), key=lambda onset: onset.taken_at)
        return None

    @property
    def confidence(self) -> Confidence | None:
        """The confidence of the main claim: tone's if it is returning, else movement's, else None."""
        main = self.tone_onset or self.movement_since
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
        """Say the signal in plain words, never more than the data support; and when the brow and eye
        baseline restarted, that too."""
        text = self._message()
        return text if self.restarted is None else f"{text} {measured_alike_sentence(self.restarted)}"

    def _message(self) -> str:
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
        lag, tone = self.lag_weeks, self.tone_onset
        if lag is None or tone is None or self.movement_since is None:
            return "Movement not yet measurable." if tone else ""
        tone_w, move_w = tone.week, self.movement_since.week
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
        if (tone := self.tone_onset) is not None:
            marks.append((tone.taken_at, f"tone returning (wk {tone.week})"))
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


def _series(
    points: Sequence[WeekPoint], key: str, onset: date | None, since: datetime | None = None
) -> tuple[list[float], list[int], list[datetime], list[tuple[float, float]]]:
    """The scored values of `key` (weeks counted from the first point or the onset), from `since` on."""
    first = points[0].taken_at
    values, weeks, when, intervals = [], [], [], []
    for p in points:
        if since is not None and p.taken_at < since:
            continue
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
    restarted = measured_alike_since(pts)
    tests = len(_series(pts, "tonus", onset_day)[0])
    # Tonus weighs the brow and eye too: its baseline restarts with theirs (the finer measurement can
    # step it by several points either way at the upgrade; that step is not a change of the face).
    tv, tw, tt, intervals = _series(pts, "tonus", onset_day, restarted)
    mv, mw, mt, _ = _series(pts, "movement", onset_day)
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
        _asymmetry_change([p for p in pts if restarted is None or p.taken_at >= restarted], tone),
        tone_mm or None,
        region_noise or None,
        restarted,
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
            for p in comparable(rows, region)  # brow and eye: only tests measured alike
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
