"""The step at tonus-scorer/5: brow and eye millimetres are compared only between tests whose landmarks
were measured alike (model alone before, lid and brow refined from the image after).

Stored tests keep landmarks, not images, so old tests can never be refined: without this a history
would show a step in brow and eye at the upgrade that the change signal could read as recovery.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from journal.scoring.version import LANDMARKS_MODEL, LANDMARKS_REFINED
from journal.services.dashboard import rest_changes
from journal.services.results_words import finer_sentence, measured_apart, rest_sentences
from journal.signals.points import WeekPoint, comparable, measured_alike_since
from journal.signals.recovery import recovery_signal

T0 = datetime(2026, 8, 3, 9)


def weeks(brow: list[float], methods: list[str | None], mouth: float = 2.0) -> list[WeekPoint]:
    """Weekly points with flat tonus and mouth, the given oriented brow (mm) and landmark methods."""
    return [
        WeekPoint(
            T0 + timedelta(weeks=i),
            90.0,
            5.0,
            rest_oriented_mm={"brow": b, "eye": 0.5 * b, "mouth": mouth},
            landmarks=m,
        )
        for i, (b, m) in enumerate(zip(brow, methods, strict=True))
    ]


#: Five tests measured by the model alone, then four refined: the brow reads 1.8 mm lower at rest
#: before and 0.6 mm after: a 1.2 mm step made by the measurement, not by the face.
BROW = [1.8, 1.85, 1.75, 1.8, 1.8, 0.6, 0.62, 0.58, 0.6]
METHODS = [LANDMARKS_MODEL] * 5 + [LANDMARKS_REFINED] * 4


def test_only_tests_measured_alike_are_compared_for_brow_and_eye() -> None:
    points = weeks(BROW, list(METHODS))
    assert comparable(points, "brow") == points[5:]
    assert comparable(points, "eye") == points[5:]
    assert comparable(points, "mouth") == points  # the mouth is measured the same way throughout
    assert measured_alike_since(points) == points[5].taken_at
    assert measured_alike_since(points[:5]) is None and measured_alike_since(points[5:]) is None
    assert measured_alike_since(weeks([1.0, 1.0], [None, None])) is None  # not known: all alike


def test_the_step_is_not_read_as_recovery_and_the_person_is_told() -> None:
    signal = recovery_signal(weeks(BROW, list(METHODS)))
    assert signal.tone_mm is None and signal.state == "no_change_yet", signal
    assert signal.restarted == T0 + timedelta(weeks=5)
    assert signal.message().endswith(
        "Your brow and eye are measured more finely from 7 Sep 2026; changes are counted from then."
    )
    # The same numbers without the methods would be read as the brow coming back: the guard matters.
    unguarded = recovery_signal(weeks(BROW, [None] * len(BROW)))
    assert unguarded.tone_mm is not None and "brow" in unguarded.tone_mm
    assert unguarded.restarted is None and "measured more finely" not in unguarded.message()


def test_rest_changes_count_brow_and_eye_from_the_first_refined_test() -> None:
    changes = rest_changes(weeks(BROW[:6], list(METHODS[:6])), "left")
    brow, eye, mouth = changes["brow"], changes["eye"], changes["mouth"]
    assert brow.since_last is None and brow.since_first is None  # one refined test: nothing to compare
    assert eye.since_last is None and eye.since_first is None
    assert mouth.since_first is not None and mouth.since_first.since == T0  # the mouth keeps its history
    assert brow.restarted == T0 + timedelta(weeks=5) and mouth.restarted is None
    assert brow.describe() == (
        "Your left brow is 0.6 mm lower than your right at rest. "
        "Your brow and eye are measured more finely from 7 Sep 2026; changes are counted from then."
    )
    later = rest_changes(weeks(BROW, list(METHODS)), "left")["brow"]
    assert later.since_first is not None and later.since_first.since == T0 + timedelta(weeks=5)
    assert abs(later.since_first.delta) < 0.05 and not later.since_first.beyond_noise


def test_results_words_leave_out_the_earlier_brow_and_eye_when_measured_apart() -> None:
    assert measured_apart(LANDMARKS_MODEL, LANDMARKS_REFINED) == ("brow", "eye")
    assert measured_apart(LANDMARKS_REFINED, LANDMARKS_REFINED) == ()
    now = {"brow": (10.0, 11.0), "mouth": (20.0, 22.0)}
    before = {"brow": (10.0, 12.5), "mouth": (20.0, 22.5)}
    apart = rest_sentences(now, before, "last week", measured_apart(LANDMARKS_MODEL, LANDMARKS_REFINED))
    assert apart == [
        "Your left eyebrow sits 1.0 mm lower than the right.",
        "Your left mouth corner sits 2.0 mm lower than the right (last week 2.5 mm).",
    ]
    alike = rest_sentences(now, before, "last week")
    assert alike[0] == "Your left eyebrow sits 1.0 mm lower than the right (last week 2.5 mm)."
    assert finer_sentence(datetime(2026, 12, 3)) == (
        "Your brow and eye are measured more finely from 3 Dec 2026; changes are counted from then."
    )


def test_a_tonus_step_at_the_upgrade_is_not_read_as_tone_returning() -> None:
    """Tonus weighs the brow and eye: on the shared palsy photos the finer measurement moved it by up to
    12 points at once. Its baseline restarts with theirs; movement keeps its whole history."""
    tonus = [70.0, 70.5, 69.5, 70.0, 70.2, 82.0, 82.3, 81.8, 82.1]
    points = [
        WeekPoint(T0 + timedelta(weeks=i), t, 40.0 + (10.0 if i >= 4 else 0.0), landmarks=m)
        for i, (t, m) in enumerate(zip(tonus, METHODS, strict=True))
    ]
    signal = recovery_signal(points)
    assert signal.tests == 9 and signal.tone_since is None and signal.tone_onset is None
    assert signal.movement_since is not None  # movement is measured the same way throughout
    assert signal.restarted == T0 + timedelta(weeks=5)
    unguarded = recovery_signal([WeekPoint(p.taken_at, p.tonus, p.movement) for p in points])
    assert unguarded.tone_since is not None  # without the methods the step reads as tone returning


def test_home_compares_tonus_only_with_tests_measured_alike_but_draws_its_whole_trend() -> None:
    from journal.services.dashboard import summarise
    from journal.store.rows import HistoryRow, TestSession

    def row(i: int, tonus: float, method: str) -> HistoryRow:
        session = TestSession(
            i, T0 + timedelta(weeks=i), "weekly-v1", "tonus-scorer/5", "camera", None, None, method
        )
        return HistoryRow(session, "tonus-scorer/5", tonus, 40.0, None, "left", {}, {})

    rows = [row(0, 70.0, LANDMARKS_MODEL), row(1, 70.5, LANDMARKS_MODEL), row(2, 82.0, LANDMARKS_REFINED)]
    tonus = summarise(rows, "tonus")
    assert tonus.latest == 82.0 and tonus.since_last is None and tonus.since_first is None
    assert tonus.trend == (70.0, 70.5, 82.0)
    later = summarise([*rows, row(3, 83.0, LANDMARKS_REFINED)], "tonus")
    assert later.since_first is not None and later.since_first.since == T0 + timedelta(weeks=2)
    movement = summarise(rows, "movement")
    assert movement.since_first is not None and movement.since_first.since == T0
