"""Safety prompts: short, calm messages from a person's tests, never a diagnosis.

Pure functions from stored scores (oldest first) to `SafetyNote`s; Results, Home and the clinician report
show them. Three prompts, each silent unless the measures clearly call for it:

**Incomplete eye closure** (the complication that harms most: an eye that does not close dries and its
cornea can be damaged, exposure keratitis). In the gentle and the tight closure the eye opening left on
each side is measured in mm (the `eye` region of that pose), with the *healthy* eye as the reference, so
the landmark floor (a closed eye still reads ~0.5–1.7 mm, because lid landmarks never meet) cancels out:

- `gap` = affected eye's opening − healthy eye's opening during the closure, in mm;
- the prompt shows when `gap ≥ EYE_GAP_MM` (1.5 mm). Why 1.5 mm: the eye's dead band for normal asymmetry
  is 0.5 mm and people repeat an expression to ~0.7–1.1 mm (design note), so a healthy pair of eyes stays
  well under it (on the real photos in ../shared, five healthy adults and one patient who closes the
  eyes, the gap measured at most 0.53 mm, see tests/test_safety.py); and lid landmarks follow only
  ~0.3–0.6 of a real lid shift, so 1.5 mm measured is already a real gap of about 2.5–5 mm, which any
  clinician would want protected;
- and the healthy eye really closed (it travelled ≥ `MIN_CLOSING_MM`, 2 mm), so a weak attempt, a
  blink-free photo or a wrong pose never raises it. With no affected side known, the eye that stayed more
  open is taken as the affected one (an asymmetric closure is worth protecting either way).

**Falling tone or movement**: tonus or movement lower than the reference (the median of up to three
tests before) by more than the person's own noise (SDC95 from `journal.signals.noise.estimate_noise`, the same
figure as the recovery line), in *both* of the last two tests: one bad week never raises it.

**New weakness on the other side**: the healthy side's mean excursion (mm, over the poses both tests
have) fell in both of the last two tests by more than its noise and by at least a third. The movement
score is a ratio of the two sides, so it misses a face that weakens on both sides; this does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import TYPE_CHECKING, Final, Literal

from journal.signals.noise import DEFAULT_SEM, NoiseEstimate, estimate_noise

if TYPE_CHECKING:
    from journal.store import Scores, Store

Kind = Literal["eye_closure", "falling", "other_side"]

#: Affected eye left this much more open than the healthy one during a closure (mm): see module notes.
EYE_GAP_MM: Final = 1.5
#: The healthy eye must close at least this much from rest (mm) for the closure to count.
MIN_CLOSING_MM: Final = 2.0
#: Typical SEM of one side's mean excursion over the poses (mm), before a person has data of their own.
EXCURSION_SEM_MM: Final = 0.7
#: The healthy side's excursion must also fall by at least this fraction of its reference.
OTHER_SIDE_DROP: Final = 1 / 3
#: Tests before the last two whose median is the reference for a fall.
REFERENCE_TESTS: Final = 3

CLOSURE_POSES: Final = {"eyes_gentle": "gentle", "eyes_tight": "tight"}
NOT_A_DIAGNOSIS: Final = (
    "Tonus is a journal, not a diagnosis: it measures your photos and keeps your notes. "
    "Your doctor or therapist decides what they mean."
)
RED_FLAGS: Final = (
    "Call emergency services (112, 999 or 911) at once if a drooping face comes with other sudden "
    "symptoms: weakness or numbness of an arm or leg, trouble speaking, understanding or swallowing, "
    "confusion, a sudden severe headache, or loss of vision or balance."
)


@dataclass(frozen=True, slots=True)
class ScoredTest:
    """One test's time and scores (the input of the prompts)."""

    taken_at: datetime
    scores: Scores


@dataclass(frozen=True, slots=True)
class SafetyNote:
    """One prompt: what kind, a short title and a calm sentence or two of what to do."""

    kind: Kind
    title: str
    text: str

    def line(self) -> str:
        """The prompt on one line: title, then text."""
        return f"{self.title}. {self.text}"


def _sides(affected: str | None) -> tuple[str, str] | None:
    if affected == "left":
        return "left", "right"
    if affected == "right":
        return "right", "left"
    return None


def eye_closure_gap(scores: Scores, affected: str | None) -> tuple[str, str, float] | None:
    """Return (closure kind, side, gap mm) of the widest incomplete closure in a test, or None."""
    rest = scores.poses.get("rest")
    if rest is None or "eye" not in rest.regions:
        return None
    worst: tuple[str, str, float] | None = None
    for pose, kind in CLOSURE_POSES.items():
        ps = scores.poses.get(pose)
        if ps is None or "eye" not in ps.regions:
            continue
        opening = dict(zip(("left", "right"), ps.regions["eye"], strict=True))
        at_rest = dict(zip(("left", "right"), rest.regions["eye"], strict=True))
        sides = _sides(affected) or (
            ("left", "right") if opening["left"] >= opening["right"] else ("right", "left")
        )
        aff, healthy = sides
        gap = opening[aff] - opening[healthy]
        if at_rest[healthy] - opening[healthy] < MIN_CLOSING_MM or gap < EYE_GAP_MM:
            continue
        if worst is None or gap > worst[2]:
            worst = (kind, aff, gap)
    return worst


def eye_closure_note(scores: Scores, affected: str | None) -> SafetyNote | None:
    """The eye-protection prompt when the affected eye does not close fully, else None."""
    found = eye_closure_gap(scores, affected)
    if found is None:
        return None
    kind, side, gap = found
    return SafetyNote(
        "eye_closure",
        f"Your {side} eye does not fully close",
        f"In the {kind} eye closure it stayed {gap:.1f} mm more open than the other eye. Protect it: "
        "lubricating eye drops by day, taping it closed or a moisture chamber at night, sunglasses "
        "outdoors. See a clinician promptly if the eye becomes painful or red, or your vision blurs.",
    )


def _fell(values: Sequence[float], sdc: float, min_drop: float = 0.0) -> float | None:
    """The reference when each of the last two values is below it by more than `sdc` (and `min_drop`)."""
    if len(values) < 3:
        return None
    reference = median(values[-2 - REFERENCE_TESTS : -2])
    limit = max(sdc, min_drop * reference)
    return reference if all(v < reference - limit for v in values[-2:]) else None


_SCORE_WORDS: Final = {"tonus": "resting symmetry (tonus)", "movement": "movement score"}


def falling_notes(
    tests: Sequence[ScoredTest], noise_by_score: Mapping[str, NoiseEstimate] | None = None
) -> list[SafetyNote]:
    """Prompts for tonus or movement falling beyond the person's noise in both of the last two tests.

    `noise_by_score` ("tonus", "movement") is the noise the rest of the app shows (the recovery
    signal's, from every test); without it the noise is estimated from these tests.
    """
    notes = []
    for key, words in _SCORE_WORDS.items():
        values = [float(v) for t in tests if (v := getattr(t.scores, key)) is not None]
        given = (noise_by_score or {}).get(key)
        intervals = []
        if key == "tonus":
            intervals = [
                rest.symmetry_interval
                for t in tests
                if (rest := t.scores.poses.get("rest")) is not None and rest.symmetry_interval is not None
            ]
        noise = given or estimate_noise(values, intervals, DEFAULT_SEM[key])
        reference = _fell(values, noise.sdc)
        if reference is None:
            continue
        notes.append(
            SafetyNote(
                "falling",
                f"Your {words} fell in your last two tests",
                f"From about {reference:.0f} to {values[-2]:.0f} and {values[-1]:.0f}, more than your "
                f"measurement noise ({noise.describe()}). Please contact your clinician.",
            )
        )
    return notes


def _excursion(scores: Scores, side: str, poses: Sequence[str]) -> float:
    values = [float(getattr(scores.poses[p], f"movement_{side}")) for p in poses]
    return sum(values) / len(values)


def other_side_note(tests: Sequence[ScoredTest], affected: str | None) -> SafetyNote | None:
    """The prompt when the healthy side (either side when unknown) moves clearly less than before."""
    sides = _sides(affected)
    window = tests[-2 - REFERENCE_TESTS :]
    if len(window) < 3:
        return None
    poses = [
        p
        for p in window[-1].scores.poses
        if all(
            (ps := t.scores.poses.get(p)) is not None
            and ps.movement_left is not None
            and ps.movement_right is not None
            for t in window
        )
    ]
    if not poses:
        return None
    for side in (sides[1],) if sides else ("left", "right"):
        series = [_excursion(t.scores, side, poses) for t in window]
        noise = estimate_noise(series[:-2], (), EXCURSION_SEM_MM)
        reference = _fell(series, noise.sdc, OTHER_SIDE_DROP)
        if reference is None:
            continue
        which = f"your {side} side, the one that was not affected," if sides else f"your {side} side"
        return SafetyNote(
            "other_side",
            f"New weakness on your {side} side",
            f"In your last two tests {which} moved less than before (about {reference:.1f} mm → "
            f"{series[-2]:.1f} and {series[-1]:.1f} mm on average). Please contact your clinician soon.",
        )
    return None


def safety_notes(
    tests: Sequence[ScoredTest],
    affected: str | None = None,
    noise_by_score: Mapping[str, NoiseEstimate] | None = None,
) -> list[SafetyNote]:
    """Every prompt that applies to the latest of these tests (oldest first); empty when all is calm.

    `affected` is the person's affected side; when None, the latest test's (given or inferred) is used.
    `noise_by_score` is passed to `falling_notes`.
    """
    if not tests:
        return []
    side = affected or tests[-1].scores.affected_side
    notes = []
    eye = eye_closure_note(tests[-1].scores, side)
    if eye is not None:
        notes.append(eye)
    notes.extend(falling_notes(tests, noise_by_score))
    other = other_side_note(tests, side)
    if other is not None:
        notes.append(other)
    return notes


#: Tests read for the prompts: the reference tests, the last two, and a few more for the noise.
SAFETY_TESTS: Final = 8


def safety_from_store(
    store: Store, upto: int | None = None, noise_by_score: Mapping[str, NoiseEstimate] | None = None
) -> list[SafetyNote]:
    """Read the last tests (up to session `upto`, inclusive, when given) and return their prompts."""
    sessions = store.sessions()
    if upto is not None:
        ids = [s.id for s in sessions]
        sessions = sessions[: ids.index(upto) + 1] if upto in ids else []
    recent = sessions[-SAFETY_TESTS:]
    scores = store.latest_scores([s.id for s in recent])
    tests = [ScoredTest(s.taken_at, scores[s.id]) for s in recent if s.id in scores]
    return safety_notes(tests, store.get_profile().affected_side, noise_by_score)
