"""Results in words: sides named from the signed left − right differences, every pose said."""

from __future__ import annotations

from datetime import datetime

from journal.services.results_words import (
    all_pose_lines,
    rest_sentence,
    rest_sentences,
    score_sentence,
    when_words,
)


def test_rest_sentences_name_the_side_and_last_weeks_value() -> None:
    assert rest_sentence("mouth", -2.1, -2.6, "last week") == (
        "Your left mouth corner sits 2.1 mm lower than the right (last week 2.6 mm)."
    )
    assert rest_sentence("eye", 1.2) == "Your right eye opens 1.2 mm less than the left."
    assert rest_sentence("brow", 0.3, -1.5, "last week") == (
        "Your eyebrows sit at the same height (last week: 1.5 mm lower on your left side)."
    )
    assert rest_sentence("midface", -0.8, 0.2, "2 weeks ago") == (
        "Your left cheek (beside the nose) sits 0.8 mm lower than the right (2 weeks ago: the same)."
    )
    lines = rest_sentences({"mouth": (-30.0, -28.0), "brow": (20.0, 20.0)})
    assert lines == [
        "Your eyebrows sit at the same height.",
        "Your left mouth corner sits 2.0 mm lower than the right.",
    ]


def test_scores_are_compared_from_the_numbers_shown() -> None:
    """6.5 and 6.7 were shown as 7 and 7 but the change as −0.1: the words use the shown numbers."""
    text = score_sentence("Tonus", "how even your face is at rest", 80.4, 79.6, "last week", 3.0)
    assert text == (
        "Tonus: 80 of 100 (how even your face is at rest), the same as last week, "
        "within the usual week-to-week wobble."
    )
    assert "not scored" in score_sentence("Movement", "m", None, 50.0, "last week", 3.0)


def test_every_pose_is_said_and_a_missing_rest_is_explained() -> None:
    lines = all_pose_lines({"brow_raise": (None, None, None, "add a rest pose or --rest IMAGE")}, "left")
    assert len(lines) == 10
    assert lines[0] == "Face at rest: not taken this week (skipped)."
    assert (
        lines[1]
        == "Raising your eyebrows: taken, but not scored: it needs this week's rest photo to compare with."
    )
    assert "--rest" not in " ".join(lines)
    lines = all_pose_lines({"rest": (None, None, None, None), "smile": (50.0, 4.0, 8.0, None)}, "left")
    assert (
        lines[4] == "Smiling with your mouth closed: your left side moved 50% as far as your right side "
        "(4.0 mm and 8.0 mm)."
    )


def test_when_words() -> None:
    now = datetime(2026, 12, 1)
    assert when_words(datetime(2026, 11, 24), now) == "last week"
    assert when_words(datetime(2026, 11, 17), now) == "2 weeks ago"
    assert when_words(datetime(2026, 11, 28), now) == "on 28 Nov"
