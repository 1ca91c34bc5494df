"""The recovery chart read as a person would: on the demo journal through `tonus chart`, and its parts.

The demo journal (`sample_sessions/`, loaded as `tonus demo` does) is a simulated left palsy whose tone
starts to return around week 6 and movement around week 8; at 80×24 that must be seen in the chart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal.charts import (
    ChartContext,
    ChartData,
    EventMark,
    SensationPoint,
    TestPoint,
    clean,
    oriented_asymmetry,
    recovery_layout,
    recovery_scale,
    recovery_view,
    render,
    render_recovery,
    tone_deficit,
    week_ticks,
)
from journal.cli import main
from journal.services.demo import find_samples, load_samples
from journal.store import Store, journal_path

BARS = "▁▂▃▄▅▆▇█"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo journal, dated so its last test falls in the past week (as `tonus demo` does)."""
    samples = find_samples()
    assert samples is not None, "sample_sessions/ is part of the checkout"
    home = tmp_path_factory.mktemp("demo") / "home"
    with Store.open(journal_path(home)) as store:
        load_samples(store, samples, None, today=date.today(), photos=False)
    return home


def letters(rows: list[str], letter: str) -> list[tuple[int, int]]:
    """(row, column) of every `letter` in the plot rows."""
    return [(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == letter]


def test_the_demo_at_80x24_shows_tone_then_movement_returning(
    demo_home: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code = main(["chart", "--home", str(demo_home), "--width", "80", "--height", "24"])
    out, err = capfd.readouterr()
    assert (code, err) == (0, "")
    lines = out.rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    rows = lines[top + 1 : bottom]
    assert len(rows) >= 12
    # The x axis in weeks since onset, dates under it.
    weeks = lines[bottom + 1]
    assert weeks.lstrip().startswith("week")
    col = {int(m.group()): m.start() for m in re.finditer(r"\d+", weeks)}
    assert {2, 4, 6, 8, 10, 12, 14} <= set(col)
    assert re.search(r"\d{1,2} (Aug|Sep|Oct|Nov|Dec|Jan)", lines[bottom + 2])
    # Where the signal places the onsets, named.
    assert "tone wk 6" in out and "movement wk 8" in out
    # Tone: low (in the bottom quarter) before week 6, well up from week 9 on.
    quarter = next(r for r, row in enumerate(rows) if row.lstrip().startswith("25 %"))
    tone = letters(rows, "T")
    assert len(tone) >= 13
    assert all(r >= quarter - 1 for r, c in tone if c < col[6] - 1), "tone is flat before week 6"
    assert all(r < quarter - 2 for r, c in tone if c > col[10]), "tone is up from week 10"
    # Movement: at the bottom until week 8, then rising to half way by the last test.
    move = letters(rows, "M")
    assert all(r >= quarter for r, c in move if c < col[8] - 1), "no movement before week 8"
    half = next(r for r, row in enumerate(rows) if row.lstrip().startswith("50 %"))
    assert min(r for r, c in move if c > col[12]) <= half, "movement at half way by the last test"
    # Sensations: one row each as weekly bars, aligned under the plot; the legend says what they are.
    strip = [line for line in lines[bottom + 3 :] if re.match(r"^ *[a-z][a-z …]* [ " + BARS + "]+$", line)]
    assert len(strip) >= 4
    assert any(line.lstrip().startswith("tingling") for line in strip)
    assert all(set(line[col[2] - 3 :]) <= set(BARS + " ") for line in strip)
    assert "week's strongest 0–10" in out
    assert re.search(r"^events: 1 \d+ \w+ appointment: GP: Bell's palsy diagnosed", out, re.M)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 50), (40, 12), (300, 80)])
def test_the_demo_fits_every_size(
    demo_home: Path, size: tuple[int, int], capfd: pytest.CaptureFixture[str]
) -> None:
    width, height = size
    assert main(["chart", "--home", str(demo_home), "--width", str(width), "--height", str(height)]) == 0
    out = capfd.readouterr().out.rstrip("\n").split("\n")
    assert len(out) <= height and max(len(line) for line in out) <= width


# --- oriented asymmetry and the scale ------------------------------------------------------------------


def test_oriented_asymmetry_is_droop_positive_for_either_side() -> None:
    # Left affected: its brow 3 mm lower, eye 1 mm wider, ala 1 mm lower, corner 2 mm lower.
    left = {"brow": (17.0, 20.0), "eye": (9.0, 8.0), "midface": (-39.0, -38.0), "mouth": (-68.0, -66.0)}
    assert oriented_asymmetry(left, "left") == {"brow": 3.0, "eye": 1.0, "midface": 1.0, "mouth": 2.0}
    mirrored = {region: (right, left_) for region, (left_, right) in left.items()}
    assert oriented_asymmetry(mirrored, "right") == oriented_asymmetry(left, "left")
    assert oriented_asymmetry(left, "right") == {"brow": -3.0, "eye": -1.0, "midface": -1.0, "mouth": -2.0}
    assert oriented_asymmetry(left, None) == {}


def test_tone_runs_from_the_worst_test_to_symmetric() -> None:
    at = datetime(2025, 1, 6, 9)
    worst = TestPoint(at, 80.0, 10.0, {}, {"brow": (17.0, 20.0), "mouth": (8.0, 10.0)})
    half = TestPoint(at + timedelta(weeks=1), 85.0, 55.0, {}, {"brow": (18.5, 20.0), "mouth": (9.0, 10.0)})
    even = TestPoint(at + timedelta(weeks=2), 99.0, 100.0, {}, {"brow": (20.0, 20.0), "mouth": (10.0, 10.0)})
    assert tone_deficit(even.rest) == 0.0
    scale = recovery_scale([worst, half, even])
    assert scale.tone(worst) == 0.0 and scale.tone(even) == 100.0
    assert scale.tone(half) == pytest.approx(50.0)
    assert scale.movement(worst) == 0.0 and scale.movement(even) == 100.0
    assert scale.movement(half) == pytest.approx(50.0)
    # An overshoot (the corner pulled above the other) is asymmetry too, never beyond 100 %.
    over = TestPoint(at + timedelta(weeks=3), 95.0, 90.0, {}, {"brow": (20.0, 20.0), "mouth": (12.0, 10.0)})
    tone = scale.tone(over)
    assert tone is not None and tone < 100.0


def test_the_scale_is_the_persons_worst_ever_not_the_ranges() -> None:
    at = datetime(2025, 1, 6, 9)
    tests = tuple(
        TestPoint(at + timedelta(weeks=w), 80.0, 10.0 + 6 * w, {}, {"mouth": (10.0 - 3 + 0.2 * w, 10.0)})
        for w in range(12)
    )
    data = ChartData(tests, context=ChartContext(history=tests))
    recent = replace(data, tests=tests[-4:])
    whole, last = recovery_view(data), recovery_view(recent)
    assert whole is not None and last is not None
    assert [p.tone for p in whole.points[-4:]] == [p.tone for p in last.points]
    assert last.points[0].tone is not None and last.points[0].tone > 40  # not 0 % of the short range


def test_weeks_count_from_the_onset_and_sensations_are_weekly_strongest() -> None:
    onset = date(2025, 1, 2)  # a Thursday: week 1 = 2–8 Jan
    tests = (TestPoint(datetime(2025, 1, 6, 9), 80.0, 10.0, {}, {"mouth": (8.0, 10.0)}),)
    feel = (
        SensationPoint(date(2025, 1, 3), "itching", 2),
        SensationPoint(date(2025, 1, 8), "itching", 7),  # the same week 1: the strongest counts
        SensationPoint(date(2025, 1, 9), "itching", 4),  # week 2
    )
    view = recovery_view(ChartData(tests, feel, context=ChartContext(onset=onset, affected_side="left")))
    assert view is not None and view.from_onset and view.origin == onset
    assert int(view.points[0].week) == 1
    assert view.sensations[0].weeks == ((1, 7), (2, 4))


def test_layout_keeps_twelve_plot_rows_at_80x24_and_gives_big_screens_everything() -> None:
    small = recovery_layout(80, 24, sensations=10, notes=1, key_lines=3, names=9)
    assert small.plot >= 12
    assert small.plot + small.strip + small.notes + small.key + 5 <= 24
    big = recovery_layout(160, 50, sensations=10, notes=1, key_lines=3, names=9)
    assert (big.strip, big.notes, big.key) == (10, 1, 3) and big.plot >= 12
    tiny = recovery_layout(40, 12, sensations=10, notes=1, key_lines=3, names=9)
    assert tiny.plot >= 3 and tiny.plot + tiny.strip + tiny.notes + tiny.key + 5 <= 12


def test_week_ticks_fit_their_labels() -> None:
    for first, last, columns in ((0.5, 17.5, 66), (0.5, 17.5, 140), (0.5, 300.0, 66), (3.2, 4.1, 66)):
        ticks = week_ticks(first, last, columns, 6)
        assert ticks and ticks == sorted(ticks)
        per_week = columns / (last - first)
        assert all((b - a) * per_week >= 8 for a, b in zip(ticks, ticks[1:], strict=False))


def test_a_persons_control_characters_never_reach_the_chart() -> None:
    at = datetime(2025, 1, 6, 9)
    tests = tuple(
        TestPoint(at + timedelta(weeks=w), 80.0, 10.0 + w, {}, {"mouth": (8.0, 10.0)}) for w in range(5)
    )
    event = EventMark(at + timedelta(days=3), "therapy\x1b[2J", "physio\x1b]0;x\x07 \u202eevil\nnext")
    feel = (SensationPoint(date(2025, 1, 7), "tin\x1bgling", 3),)
    for kind in ("recovery", "regions", "poses"):
        text = render(kind, ChartData(tests, feel, (event,)), 120, 40)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), kind
    assert clean("a\x1b[31mb\tc\n d\u202e") == "a [31mb c d"
    assert "physio ]0;x evil next" in render_recovery(ChartData(tests, feel, (event,)), 160, 50)
