"""A test's results in sentences a person reads: sides named, millimetres as distances, poses in words.

One small module on purpose: the sentences are computed from a test's signed left − right
differences at rest (mm, the subject's own sides), each pose's travel per side and the affected
side. When the core gains oriented asymmetry (affected − healthy), only `rest_sentences` and
`pose_sentence` need new inputs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Final

from journal.protocol import POSE_NAMES
from journal.signals.points import METHOD_REGIONS, measured_alike_sentence

#: Differences smaller than this (mm) are said as "the same": below what a photo can tell apart.
SAME_MM: Final = 0.5

#: Per region at rest: what is compared, and the word for the side whose value is smaller.
_REST_WORDS: Final[dict[str, tuple[str, str]]] = {
    "brow": ("eyebrow sits", "lower"),
    "eye": ("eye opens", "less"),
    "midface": ("cheek (beside the nose) sits", "lower"),
    "mouth": ("mouth corner sits", "lower"),
}
_SAME_WORDS: Final[dict[str, str]] = {
    "brow": "Your eyebrows sit at the same height",
    "eye": "Your eyes open the same amount",
    "midface": "Your cheeks sit at the same height",
    "mouth": "Your mouth corners sit at the same height",
}

#: Each pose as a person would name it.
POSE_WORDS: Final[dict[str, str]] = {
    "rest": "Face at rest",
    "brow_raise": "Raising your eyebrows",
    "eyes_gentle": "Closing your eyes gently",
    "eyes_tight": "Squeezing your eyes shut",
    "smile": "Smiling with your mouth closed",
    "smile_teeth": "A big smile with teeth",
    "snarl": "Wrinkling your nose",
    "pucker": "Puckering your lips",
    "lower_teeth": "Showing your lower teeth",
    "cheek_puff": "Puffing out your cheeks",
}


def _gap(diff: float) -> str:
    return f"{abs(diff):.1f} mm"


def when_words(then: datetime, now: datetime) -> str:
    """How a person names an earlier test: "last week", "2 weeks ago", "on 3 Nov"."""
    days = (now.date() - then.date()).days
    if 5 <= days <= 9:
        return "last week"
    if days > 9 and days % 7 in (0, 1, 6) and days < 60:
        return f"{round(days / 7)} weeks ago"
    return f"on {then.day} {then:%b}"


def rest_sentence(region: str, diff: float, before: float | None = None, before_when: str = "") -> str:
    """One sentence on a region at rest from its signed difference left − right (mm).

    >>> rest_sentence("mouth", -2.1, -2.6, "last week")
    'Your left mouth corner sits 2.1 mm lower than the right (last week 2.6 mm).'
    """
    thing, smaller = _REST_WORDS[region]
    if abs(diff) < SAME_MM:
        text = _SAME_WORDS[region]
    else:
        side, other = ("left", "right") if diff < 0 else ("right", "left")
        text = f"Your {side} {thing} {_gap(diff)} {smaller} than the {other}"
    if before is None:
        return text + "."
    if abs(before) < SAME_MM:
        return text + f" ({before_when}: the same)."
    if abs(diff) >= SAME_MM and (before < 0) == (diff < 0):
        return text + f" ({before_when} {_gap(before)})."
    was = "left" if before < 0 else "right"
    return text + f" ({before_when}: {_gap(before)} {smaller} on your {was} side)."


def rest_sentences(
    regions: Mapping[str, tuple[float, float]],
    before: Mapping[str, tuple[float, float]] | None = None,
    before_when: str = "",
    not_compared: Collection[str] = (),
) -> list[str]:
    """A sentence per region measured at rest, in brow, eye, cheek, mouth order; the regions in
    `not_compared` (measured another way before) are said without the earlier value."""
    lines = []
    for region in _REST_WORDS:
        if region not in regions:
            continue
        left, right = regions[region]
        earlier = before.get(region) if before and region not in not_compared else None
        lines.append(
            rest_sentence(region, left - right, earlier[0] - earlier[1] if earlier else None, before_when)
        )
    return lines


def measured_apart(before: str | None, now: str | None) -> tuple[str, ...]:
    """The regions (brow, eye) not to compare between two tests whose landmarks were measured in
    different ways (`TestSession.landmarks`); none when alike."""
    return () if before == now else METHOD_REGIONS


def finer_sentence(since: datetime) -> str:
    """The sentence that says brow and eye changes are counted afresh from `since` (the first test
    whose landmarks were refined from the image)."""
    return measured_alike_sentence(since)


def pose_sentence(
    pose: str,
    stored: bool,
    movement: float | None,
    travel: tuple[float | None, float | None] = (None, None),
    affected: str | None = None,
    note: str | None = None,
    has_rest: bool = True,
) -> str:
    """One line for a pose: how far each side moved, or why there is no score, in words."""
    name = POSE_WORDS.get(pose, pose)
    if not stored:
        return f"{name}: not taken this week (skipped)."
    left, right = travel
    if movement is None or left is None or right is None:
        if pose == "rest":
            return f"{name}: taken (the measurements above come from it)."
        if not has_rest or not note:
            return f"{name}: taken, but not scored: it needs this week's rest photo to compare with."
        return f"{name}: taken, but not scored: {note.rstrip('.')}."
    if affected not in ("left", "right"):
        affected = "left" if left < right else "right"
    healthy = "right" if affected == "left" else "left"
    weak, strong = (left, right) if affected == "left" else (right, left)
    share = f"{movement:.0f}% as far as" if movement < 99.5 else "as far as"
    return (
        f"{name}: your {affected} side moved {share} your {healthy} side ({weak:.1f} mm and {strong:.1f} mm)."
    )


def score_sentence(
    name: str, meaning: str, now: float | None, then: float | None, when: str, noise: float
) -> str:
    """The score line: "Tonus: 82 of 100 (how even your face is at rest), 10 more than last week: …"."""
    if now is None:
        return f"{name}: not scored ({meaning}): this test has no rest photo to measure it from."
    text = f"{name}: {now:.0f} of 100 ({meaning})"
    if then is None:
        return text + "."
    delta = round(now) - round(then)  # said from the numbers shown, so 82 and 79 make 3
    if delta == 0:
        change = f"the same as {when}"
    else:
        change = f"{abs(delta)} {'more' if delta > 0 else 'less'} than {when}"
    if abs(now - then) <= noise:
        change += ", within the usual week-to-week wobble"
    else:
        change += ", a real change (more than the usual wobble)"
    return f"{text}, {change}."


def all_pose_lines(
    poses: Mapping[str, tuple[float | None, float | None, float | None, str | None]],
    affected: str | None,
) -> list[str]:
    """A line for every pose of the protocol; `poses` maps stored poses to (movement, left, right, note)."""
    lines = []
    for pose in POSE_NAMES:
        if pose in poses:
            movement, left, right, note = poses[pose]
            lines.append(pose_sentence(pose, True, movement, (left, right), affected, note, "rest" in poses))
        else:
            lines.append(pose_sentence(pose, False, None))
    return lines
