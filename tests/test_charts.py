"""Charts as text (`journal.charts`) and `tonus chart`.

The charts are compared with golden text at 80×24, 120×40 and 160×50 (tests/golden/charts/); after a
deliberate change to the charts, look at the new text and regenerate with
`TONUS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_charts.py`. The CLI tests build a journal in a
temporary directory through `Store`, with tests dated relative to today (the command's range ends today).
The recovery chart's own checks (what a person reads in it, the demo journal) are in
tests/test_charts_recovery.py.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal.chart_kinds import KINDS, RANGES, ChartKind
from journal.charts import (
    MOVEMENT_POSES,
    ChartContext,
    ChartData,
    EventMark,
    SensationPoint,
    SignalMark,
    StripNote,
    TestPoint,
    chart_data,
    date_ticks,
    draw,
    legend,
    recovery_view,
    render,
    render_poses,
    render_recovery,
    render_regions,
    rest_limit,
    window_start,
    within,
)
from journal.cli import main
from journal.cli.chart_cmd import chart_size
from journal.errors import EXIT_USAGE
from journal.store import NewPose, NewSession, PoseScores, Scores, Store, journal_path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "charts"
SIZES = ((80, 24), (120, 40), (160, 50))
TODAY = date(2025, 4, 25)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LEGEND_WORDS: dict[str, tuple[str, ...]] = {
    "recovery": ("T tone", "M movement", "vibration", "itching", "twitching", "prednisolone", "week"),
    "regions": ("brow", "eye", "midface", "mouth corner", "affected (left) side", "2 3 Feb therapy:"),
    "poses": tuple(p.replace("_", " ") for p in MOVEMENT_POSES) + ("Movement per pose",),
}


def sample() -> ChartData:
    """Sixteen weekly tests from 6 Jan 2025 with sensations every third day and three events.

    Tonus climbs slowly, movement faster (one test has none), every pose gains, one pose is missing
    once, and the rest asymmetry of each region shrinks towards zero (the left side is affected:
    its brow, ala and mouth corner sit lower, its eye opens wider). Onset 2 Jan; the recovery signal
    placed tone's return at the 6th test and movement's at the 9th; a lead–lag note on vibration.
    """
    tests = []
    for w in range(16):
        at = datetime(2025, 1, 6, 9, 30) + timedelta(weeks=w, hours=w % 3)
        poses: dict[str, float | None] = {
            p: min(100.0, 10 + 5 * w + 3 * i) for i, p in enumerate(MOVEMENT_POSES)
        }
        poses["rest"] = None
        if w == 3:
            poses["snarl"] = None
        left = 15 - w
        rest = {
            "brow": (20 - 0.3 * left, 20.0),
            "eye": (9 + 0.2 * left, 9.0),
            "midface": (15.0 - 0.1 * left, 15.0),
            "mouth": (10 - 0.25 * left, 10.0),
        }
        movement = None if w == 5 else 10 + 4 * w
        tests.append(TestPoint(at, 45 + 3 * w, movement, poses, rest))
    sensations = []
    for d in range(0, 109, 3):  # until 24 Apr, the day before TODAY
        day = date(2025, 1, 6) + timedelta(days=d)
        sensations.append(SensationPoint(day, "vibration", (d // 3) % 8 + 1))
        if d % 9 == 0:
            sensations.append(SensationPoint(day, "itching", 3 + d % 5))
        if d % 12 == 0:
            sensations.append(SensationPoint(day, "twitching", 6 - d % 4))
        if d % 30 == 0:
            sensations.append(SensationPoint(day, "tightness", 4))
    events = (
        EventMark(datetime(2025, 1, 8, 10), "medication", "prednisolone 60 mg"),
        EventMark(datetime(2025, 2, 3, 15), "therapy", "mirror exercises"),
        EventMark(datetime(2025, 3, 20, 11), "milestone", "first smile movement"),
    )
    context = ChartContext(
        onset=date(2025, 1, 2),
        affected_side="left",
        marks=(
            SignalMark("tone", tests[5].at, 6),
            SignalMark("movement", tests[8].at, 9),
        ),
        notes=(StripNote("vibration", "vibration rose 2 weeks before tone", date(2025, 1, 27)),),
    )
    return ChartData(tuple(tests), tuple(sensations), events, context=context)


def check_shape(text: str, width: int, height: int) -> None:
    lines = text.split("\n")
    assert len(lines) <= height, f"{len(lines)} lines for a height of {height}"
    assert max(len(line) for line in lines) <= width
    assert not ANSI.search(text), "colour codes in a chart rendered without colours"


# --- golden text --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", KINDS)
def test_chart_matches_golden_text(kind: ChartKind, size: tuple[int, int]) -> None:
    width, height = size
    text = render(kind, sample(), width, height) + "\n"
    path = GOLDEN / f"{kind}-{width}x{height}.txt"
    if os.environ.get("TONUS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with TONUS_UPDATE_GOLDEN=1 and look at it"
    assert text == path.read_text(encoding="utf-8"), f"{kind} at {width}×{height} differs from {path}"
    check_shape(text.rstrip("\n"), width, height)
    for word in LEGEND_WORDS[kind]:
        assert word in text


def test_render_functions_are_the_kinds() -> None:
    data = sample()
    assert render_recovery(data) == render("recovery", data)
    assert render_regions(data, 100, 30) == render("regions", data, 100, 30)
    assert render_poses(data, 140, 40) == render("poses", data, 140, 40)


def test_charts_are_the_same_in_a_fresh_interpreter_without_textual() -> None:
    """Run to run (and process to process) the text is identical, and Textual is never imported."""
    code = (
        "import sys, json\n"
        "from datetime import date, datetime, timedelta\n"
        "from journal.chart_kinds import KINDS\n"
        "from journal.charts import MOVEMENT_POSES, ChartContext, ChartData, EventMark, SensationPoint\n"
        "from journal.charts import SignalMark, StripNote, TestPoint\n"
        "from journal.charts import render\n"
        "HEAVY = ('textual', 'textual_plotext', 'duckdb')\n"
        + inspect.getsource(sample)
        + "out = {k: render(k, sample(), 80, 24) for k in KINDS}\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)\n"
        "print(json.dumps({'charts': out, 'heavy': heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "50", "LINES": "10"},  # the terminal's size must not matter
    )
    result = json.loads(done.stdout)
    assert result["heavy"] == []
    for kind in KINDS:
        assert result["charts"][kind] == render(kind, sample(), 80, 24)


def test_importing_charts_does_not_import_textual() -> None:
    code = "import sys, journal.charts; print(sorted(m for m in sys.modules if m.startswith('textual')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


# --- what the charts show -------------------------------------------------------------------------------


def plot_rows(text: str) -> list[str]:
    """The rows inside the recovery chart's frame (between its ┌ and └ lines)."""
    lines = text.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top + 1 : bottom]


def test_recovery_marks_tests_sensations_and_numbered_events() -> None:
    text = render_recovery(sample(), 160, 50)
    body = "\n".join(plot_rows(text))
    assert body.count("T") == 16  # tone at every test
    # Movement at every test that has one, but the first: both at 0 % there, tone drawn over it.
    assert body.count("M") == 14
    assert "tone wk 6" in body and "movement wk 9" in body  # the signal's onsets, named
    axis = next(line for line in text.split("\n") if "└" in line)
    assert re.fullmatch(r" *└[─┬┴]*1[─┬┴]*2[─┬┴]*3[─┬┴]*┘", axis)  # the events, numbered in order
    assert "1 8 Jan medication: prednisolone 60 mg" in text
    for name in ("vibration", "itching", "twitching", "tightness"):  # one strip row each
        assert re.search(rf"^ *{name} [ ▁▂▃▄▅▆▇█]+$", text, re.M), name
    assert "↑ vibration rose 2 weeks before tone" in text  # the lead–lag note, on the strip


def test_only_the_sensations_in_the_range_get_a_row() -> None:
    data = sample()
    plain = ChartData(data.tests, tuple(s for s in data.sensations if s.sensation == "vibration"))
    text = render_recovery(plain, 120, 40)
    assert re.search(r"^ *vibration [ ▁▂▃▄▅▆▇█]+$", text, re.M)
    assert "itching" not in text and "tightness" not in text


def test_regions_are_oriented_droop_positive_on_one_scale() -> None:
    data = sample()
    assert rest_limit(data) == 5.0  # the affected (left) brow starts 4.5 mm lower
    text = render_regions(data, 140, 40)
    assert "+5┤" in text and "-5┤" in text and " 0├" in text
    for title in ("brow", "eye", "midface", "mouth corner"):
        assert re.search(rf"^\s+{title}\s*$|\s{title}\s", text, re.M)
    assert "░" in text and "┈" in text  # the noise band and normal asymmetry
    assert "affected (left) side minus the other" in " ".join(legend("regions", data, 200))
    unoriented = replace(data, context=ChartContext())
    assert "left − right" in " ".join(legend("regions", unoriented, 200))


def test_a_pose_never_scored_says_so() -> None:
    data = sample()
    tests = tuple(
        TestPoint(t.at, t.tonus, t.movement, {k: v for k, v in t.poses.items() if k != "pucker"}, t.rest)
        for t in data.tests
    )
    assert "pucker (not scored)" in render_poses(ChartData(tests), 80, 24)
    assert "(not scored)" not in render_poses(data, 80, 24)


def test_colours_only_when_asked() -> None:
    assert ANSI.search(render_recovery(sample(), 80, 24, colors=True))
    assert not ANSI.search(render_recovery(sample(), 80, 24, colors=False))


def test_many_events_leave_the_chart_most_of_the_height() -> None:
    data = sample()
    events = tuple(
        EventMark(datetime(2025, 1, 6) + timedelta(days=3 * i), "therapy", f"session {i} " + "x" * 30)
        for i in range(30)
    )
    text = render_recovery(replace(data, events=events), 80, 24)
    lines = text.split("\n")
    assert len(lines) <= 24
    assert len(plot_rows(text)) >= 12
    assert re.search(r" … \+\d+ more$", lines[-1])
    assert sum("session" in line for line in lines) <= 2


@pytest.mark.parametrize("size", [(40, 12), (60, 20), (200, 60), (300, 80)])
@pytest.mark.parametrize("kind", KINDS)
def test_every_size_fits(kind: ChartKind, size: tuple[int, int]) -> None:
    width, height = size
    check_shape(render(kind, sample(), width, height), width, height)


def test_drawing_into_a_used_figure_gives_the_same_chart_as_a_fresh_one() -> None:
    """The Charts screen draws every kind, in turn, into its one PlotextPlot."""
    from plotext import uncolorize
    from plotext._figure import _figure_class

    def build(figure: object) -> str:
        figure._limit_size(False, False)  # type: ignore[attr-defined]
        figure.plot_size(100, 30)  # type: ignore[attr-defined]
        figure.theme("clear")  # type: ignore[attr-defined]
        return str(uncolorize(figure.build()))  # type: ignore[attr-defined]

    data = sample()
    used = _figure_class()
    for kind in ("poses", "recovery", "regions", "poses", "recovery"):
        draw(kind, used, data, 100)
        fresh = _figure_class()
        draw(kind, fresh, data, 100)
        assert build(used) == build(fresh), kind


def test_drawing_into_a_textual_plotext_plot() -> None:
    """`draw` works on the `plt` of a PlotextPlot (a textual_plotext Plot), sized as the widget does."""
    from textual_plotext import Plot

    data = replace(sample(), events=())  # `render` numbers events on the axis after plotext draws
    for kind in ("regions", "poses"):  # and the recovery chart adds more
        plt = Plot()
        draw(kind, plt, data, 80)
        plt.plotsize(80, 21)
        plt._set_size(80, 21)  # what PlotextPlot.render does
        plt.theme("clear")
        text = "\n".join(line.rstrip() for line in plt.uncolorize(plt.build()).splitlines())
        expected = render(kind, data, 80, 21 + len(legend(kind, data, 80)))
        assert text == "\n".join(expected.split("\n")[:21])


# --- ranges ---------------------------------------------------------------------------------------------


def test_ranges_are_4_weeks_12_weeks_and_all() -> None:
    assert RANGES == (("4 weeks", 4), ("12 weeks", 12), ("all", None))


def test_the_range_changes_the_number_of_points() -> None:
    data = sample()
    counts = {weeks: within(data, weeks, TODAY) for _, weeks in RANGES}
    assert [len(counts[w].tests) for w in (4, 12, None)] == [4, 12, 16]
    assert len(counts[4].sensations) < len(counts[12].sensations) < len(counts[None].sensations)
    assert [len(counts[w].events) for w in (4, 12, None)] == [0, 2, 3]
    four = render_recovery(counts[4], 140, 40)
    assert "last 4 weeks" in four
    assert "\n".join(plot_rows(four)).count("T") == 4
    assert (counts[4].start, counts[4].end) == (date(2025, 3, 29), TODAY)


def test_a_window_holds_seven_days_a_week_up_to_today() -> None:
    assert window_start(1, TODAY) == TODAY - timedelta(days=6)
    first = window_start(4, TODAY)
    on_edge = TestPoint(datetime.combine(first, datetime.min.time()), 50.0, 50.0)
    before = TestPoint(datetime.combine(first, datetime.min.time()) - timedelta(minutes=1), 50.0, 50.0)
    kept = within(ChartData((before, on_edge)), 4, TODAY).tests
    assert kept == (on_edge,)
    with pytest.raises(ValueError):
        window_start(0, TODAY)


def test_a_test_ahead_of_the_clock_stretches_the_axis() -> None:
    ahead = TestPoint(datetime.combine(TODAY + timedelta(days=1), datetime.min.time()), 50.0, 50.0)
    assert within(ChartData((ahead,)), 4, TODAY).end == TODAY + timedelta(days=1)


# --- nothing to show --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", KINDS)
def test_no_data_is_a_message_not_an_error(kind: ChartKind, size: tuple[int, int]) -> None:
    width, height = size
    text = render(kind, ChartData(), width, height)
    check_shape(text, width, height)
    assert "No tests yet" in text
    ranged = render(kind, within(ChartData(), 4, TODAY), width, height)
    assert "No tests in the last 4 weeks" in ranged


def test_sensations_without_tests_say_no_tests_yet() -> None:
    data = ChartData(sensations=(SensationPoint(date(2025, 4, 1), "itching", 4),))
    assert "No tests yet" in render_recovery(data, 80, 24)
    assert "No rest measures" not in render_regions(data, 80, 24)


def test_tests_without_rest_measures() -> None:
    data = ChartData((TestPoint(datetime(2025, 4, 1, 9), 60.0, 40.0, {"smile": 50.0}),))
    assert "No rest measures in these tests" in render_regions(data, 80, 24)
    assert "smile (not scored)" not in render_poses(data, 80, 24)


def test_one_test_shows_as_points() -> None:
    data = ChartData((TestPoint(datetime(2025, 4, 1, 9), 60.0, 40.0, {"smile": 50.0}, {"eye": (9.0, 8.0)}),))
    assert "T" in "\n".join(plot_rows(render_recovery(data, 80, 24)))
    assert "•" in render_poses(data, 80, 24)
    assert "•" in render_regions(data, 80, 24)


# --- the date axis ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2025, 4, 1), date(2025, 4, 1)),
        (date(2025, 3, 29), date(2025, 4, 25)),
        (date(2025, 1, 6), date(2025, 4, 25)),
        (date(2024, 3, 1), date(2025, 8, 15)),
        (date(2015, 1, 1), date(2025, 1, 1)),
    ],
)
@pytest.mark.parametrize("plot_width", [28, 68, 128])
def test_date_labels_fit_and_increase(first: date, last: date, plot_width: int) -> None:
    ticks, labels = date_ticks(first, last, plot_width)
    assert ticks and len(ticks) == len(labels)
    assert ticks == sorted(ticks)
    assert first.toordinal() <= ticks[0] and ticks[-1] <= last.toordinal()
    assert sum(len(label) + 2 for label in labels) <= max(plot_width, len(labels[0]) + 2)
    if first.year != last.year and len(labels) > 1:
        assert re.search(r" \d\d$", labels[0])  # the year where it starts


def test_no_day_label_is_shorter_than_the_width_date_ticks_skips_by() -> None:
    """date_ticks skips tick sets by MIN_LABEL before labelling them; no label may be shorter."""
    from journal.charts.axes import MIN_LABEL, day_label

    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(366)]
    assert min(len(day_label(d, with_year)) for d in days for with_year in (False, True)) == MIN_LABEL


def test_ten_years_get_yearly_labels_at_a_normal_width() -> None:
    ticks, labels = date_ticks(date(2016, 3, 14), date(2026, 3, 9), 110)
    assert labels[0] == "1 Jan 17" and len(labels) == 10


def test_weekly_ticks_fall_on_mondays() -> None:
    ticks, labels = date_ticks(date(2025, 1, 6), date(2025, 4, 25), 128)
    assert labels[:3] == ["6 Jan", "13 Jan", "20 Jan"]
    assert all(date.fromordinal(int(t)).weekday() == 0 for t in ticks)


# --- the journal and `tonus chart` ------------------------------------------------------------------------


def _scores(week: int, rest_pose: bool = True) -> Scores:
    poses = {
        "smile": PoseScores(symmetry=70.0, movement=20.0 + 10 * week),
        "brow_raise": PoseScores(symmetry=80.0, movement=30.0 + 5 * week),
    }
    if rest_pose:
        poses["rest"] = PoseScores(
            symmetry=75.0 + week, regions={"brow": (18.0 + 0.5 * week, 20.0), "mouth": (11.0, 10.0 - week)}
        )
    return Scores(
        scorer_version="tonus-scorer/1",
        tonus=50.0 + 5 * week,
        movement=30.0 + 8 * week,
        synkinesis=None,
        affected_side="left",
        affected_side_source="given",
        mm_per_unit=0.4,
        poses=poses,
    )


def _session(at: datetime, week: int) -> NewSession:
    return NewSession(
        taken_at=at,
        protocol="weekly/1",
        scorer_version="tonus-scorer/1",
        source="import",
        poses=[NewPose(p, frames_seen=0, frames_used=0) for p in ("rest", "brow_raise", "smile")],
        scores=_scores(week),
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A journal with six weekly tests (the last one yesterday), sensations and two events."""
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    home = tmp_path / "home"
    now = datetime.now().replace(second=0, microsecond=0)
    with Store.open(journal_path(home)) as store:
        for week in range(6):
            store.add_session(_session(now - timedelta(days=1 + 7 * (5 - week)), week))
        for days, sensation, intensity in ((1, "vibration", 5), (1, "vibration", 3), (2, "itching", 6)):
            store.add_entry(now - timedelta(days=days), sensation, intensity)
        store.add_entry(now - timedelta(days=40), "twitching", 7)
        store.add_event(now - timedelta(days=30), "therapy", "mirror exercises")
        store.add_event(now - timedelta(days=3), "appointment", "neurologist")
    return home


def test_chart_data_reads_the_journal(home: Path) -> None:
    with Store.open(journal_path(home), read_only=True) as store:
        everything = chart_data(store)
        recent = chart_data(store, weeks=4)
    assert len(everything.tests) == 6 and len(recent.tests) == 4
    last = everything.tests[-1]
    assert (last.tonus, last.movement) == (75.0, 70.0)
    assert last.poses["smile"] == 70.0
    assert last.rest == {"brow": (20.5, 20.0), "mouth": (11.0, 5.0)}
    vibration = [s for s in everything.sensations if s.sensation == "vibration"]
    assert [s.intensity for s in vibration] == [5]  # the strongest of the day
    assert {s.sensation for s in everything.sensations} == {"vibration", "itching", "twitching"}
    assert "twitching" not in {s.sensation for s in recent.sensations}
    assert [e.label for e in everything.events] == ["mirror exercises", "neurologist"]
    assert [e.label for e in recent.events] == ["neurologist"]
    assert recent.end == date.today() and recent.weeks == 4


def run_main(capfd: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


@pytest.mark.parametrize("kind", KINDS)
def test_tonus_chart_prints_each_kind(home: Path, kind: str, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capfd, "chart", "--home", home, "--kind", kind, "--width", 80, "--height", 24)
    assert (code, err) == (0, "")
    check_shape(out.rstrip("\n"), 80, 24)
    words = {
        "recovery": ("T tone", "vibration", "itching", "twitching", "neurologist", "test wk"),
        "regions": ("brow", "mouth corner", "eye (not measured)"),
        "poses": ("smile", "brow raise", "pucker (not scored)"),
    }[kind]
    for word in words:
        assert word in out


def test_tonus_chart_weeks(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capfd, "--home", home, "chart", "--weeks", 4, "--width", 140, "--height", 40)
    assert code == 0
    assert "last 4 weeks" in out
    assert "\n".join(plot_rows(out)).count("T") == 4
    assert "mirror exercises" not in out and "neurologist" in out
    code, out, _ = run_main(capfd, "--home", home, "chart", "--width", 140, "--height", 40)
    assert "\n".join(plot_rows(out)).count("T") == 6


def test_tonus_chart_without_tests_gives_a_hint(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Store.open(journal_path(home)) as store:
        store.add_entry(datetime.now() - timedelta(hours=1), "itching", 3)
    code, out, err = run_main(capfd, "chart", "--home", home)
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 and out.startswith("No tests yet:")


def test_tonus_chart_without_a_journal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capfd, "chart", "--home", tmp_path / "nowhere")
    assert code == EXIT_USAGE and out == ""
    assert "There is no journal" in err
    assert not journal_path(tmp_path / "nowhere").exists()  # looking does not create a journal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--weeks", "0"), "--weeks 0"),
        (("--width", "10"), "width 10"),
        (("--height", "5"), "height 5"),
        (("--width", "100000"), "width 100000"),
    ],
)
def test_tonus_chart_refuses_bad_sizes(
    home: Path, args: tuple[str, str], message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(capfd, "chart", "--home", home, *args)
    assert code == EXIT_USAGE and out == ""
    assert message in err and err.count("\n") == 1


def test_tonus_chart_is_plain_text_when_piped(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "journal", "chart", "--home", str(home), "--width", "80", "--height", "24"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert not ANSI.search(done.stdout)
    assert "T tone" in done.stdout


def test_the_size_defaults_to_the_terminal_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "30")
    assert chart_size(None, None) == (120, 29)
    assert chart_size(90, None) == (90, 29)
    monkeypatch.setenv("COLUMNS", "500")
    monkeypatch.setenv("LINES", "300")
    assert chart_size(None, None) == (200, 60)
    monkeypatch.setenv("COLUMNS", "20")
    monkeypatch.setenv("LINES", "5")
    assert chart_size(None, None) == (40, 12)


@pytest.mark.parametrize("width", range(30, 141, 7))
def test_the_event_key_wraps_between_events_never_inside_one(width: int) -> None:
    """An event's number stays on the line of its date ("1 8 Jan medication:")."""
    from journal.charts.recovery_chart import key_lines

    view = recovery_view(sample())
    assert view is not None
    lines = key_lines(view, width, False)
    assert all(len(line) <= width for line in lines)
    for key in ("1 8 Jan medication:", "2 3 Feb therapy:", "3 20 Mar milestone:"):
        assert any(key in line for line in lines), f"{key!r} split at width {width}: {lines}"
    assert not any("\u00a0" in line for line in lines)
    short = key_lines(view, width, False, limit=1)
    if len(lines) > 1:
        assert len(short) == 1 and re.search(r"… \+[12] more$", short[0]), short
        assert len(short[0]) <= width


def test_a_pose_never_scored_keeps_its_panel_in_line() -> None:
    """plotext draws no axis labels on an empty chart; the empty panel must not shift left."""
    d = sample()
    tests = tuple(replace(t, poses={**t.poses, "cheek_puff": None}) for t in d.tests)
    text = render("poses", ChartData(tests, d.sensations, d.events), 100, 30)
    assert "cheek puff (not scored)" in text
    rows = [line for line in text.splitlines() if "100┤" in line]
    assert len(rows) == 3
    starts = [[i for i in range(len(row)) if row.startswith("100┤", i)] for row in rows]
    assert starts[0] == starts[1] == starts[2] and len(starts[2]) == 3, starts
