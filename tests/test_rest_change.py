"""Resting asymmetry in mm over the weeks: changes judged against the person's noise, and the signal."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from journal.services.dashboard import rest_changes
from journal.signals.noise import DEFAULT_REGION_SEM_MM, smallest_detectable_change
from journal.signals.points import WeekPoint
from journal.signals.recovery import recovery_signal

T0 = datetime(2026, 8, 3, 9)


def weeks(mouth: list[float], tonus: float = 90.0, brow: float = 1.0) -> list[WeekPoint]:
    return [
        WeekPoint(T0 + timedelta(weeks=i), tonus, 5.0, rest_oriented_mm={"mouth": m, "brow": brow})
        for i, m in enumerate(mouth)
    ]


def test_a_change_beyond_the_default_mm_noise_is_said_in_words() -> None:
    changes = rest_changes(weeks([3.0, 2.0]), "left")
    mouth = changes["mouth"]
    assert mouth.noise.sdc == smallest_detectable_change(DEFAULT_REGION_SEM_MM["mouth"])
    assert mouth.since_last is not None and mouth.since_last.delta == -1.0 and mouth.since_last.beyond_noise
    text = mouth.describe()
    assert text.startswith("Your left mouth corner is 2.0 mm lower than your right at rest")
    assert "1.0 mm closer to your right side than at your last test (03 Aug)" in text
    assert "beyond your measurement noise" in text
    brow = changes["brow"]
    assert brow.since_last is not None and not brow.since_last.beyond_noise
    assert "within your measurement noise" in brow.describe()


def test_a_tighter_affected_side_reads_as_higher() -> None:
    mouth = rest_changes(weeks([-1.5]), "right")["mouth"]
    assert mouth.since_last is None and mouth.since_first is None
    assert mouth.describe() == "Your right mouth corner is 1.5 mm higher than your left at rest."


def test_a_noisy_person_gets_a_larger_mm_noise_from_their_first_tests() -> None:
    noisy = rest_changes(weeks([3.0, 1.6, 3.1, 1.7, 2.5]), "left")["mouth"]
    assert noisy.noise.sdc > smallest_detectable_change(DEFAULT_REGION_SEM_MM["mouth"])
    assert noisy.since_last is not None and not noisy.since_last.beyond_noise


def test_tone_returning_in_mm_when_tonus_does_not_move() -> None:
    mouth = [3.0, 3.05, 2.95, 3.0, 3.02, 2.2, 1.9, 1.7, 1.6]
    signal = recovery_signal(weeks(mouth))
    assert signal.tone_since is None  # tonus is flat
    assert signal.tone_mm is not None and set(signal.tone_mm) == {"mouth"}
    assert signal.state == "tone_returning"
    assert signal.message().startswith("Resting tone returning since week 6")
    assert "mouth corner sits" in signal.message()


def test_mm_noise_alone_claims_nothing() -> None:
    rng = np.random.default_rng(5)
    for _ in range(20):
        mouth = list(3.0 + rng.normal(0.0, 0.12, 12))
        assert recovery_signal(weeks(mouth)).state == "no_change_yet"


def test_history_json_carries_the_oriented_mm_and_the_judged_changes() -> None:
    from journal.cli.journal_cmd import history_json
    from journal.store.rows import HistoryRow, TestSession

    points = weeks([3.0, 2.95, 3.05, 3.0, 1.8])
    rows = [
        HistoryRow(
            TestSession(i + 1, p.taken_at, "weekly-v1", "tonus-scorer/4", "import", None, None),
            "tonus-scorer/4",
            90.0,
            5.0,
            0.0,
            "left",
            {},
            {},
        )
        for i, p in enumerate(points)
    ]
    data = history_json(rows, (points, "left"))
    assert data["rest_oriented_by"] == "left"
    assert [s["rest_asymmetry_mm"]["mouth"] for s in data["sessions"]] == [3.0, 2.95, 3.05, 3.0, 1.8]
    mouth = data["rest_change"]["mouth"]
    assert mouth["sdc_mm"] < 0.42  # the first four tests were steadier than the default
    assert mouth["since_last_mm"] == -1.2 and mouth["since_last_beyond_noise"] is True
    assert mouth["since_first_mm"] == -1.2 and mouth["since_first_beyond_noise"] is True
    assert mouth["words"].startswith("Your left mouth corner is 1.8 mm lower than your right at rest")
    assert set(history_json(rows)) == {"sessions"}  # without the rest data: as before
