"""The sample sessions and `tonus demo`: a simulated recovery loaded into a temporary journal.

The fast tests read the committed sample_sessions/ without the face model (stored scores). The shared
tests re-score the sample landmarks with the current scorer and check they match the stored scores.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from journal.cli import main
from journal.errors import UsageError
from journal.protocol import POSE_NAMES
from journal.scoring.version import SCORER_VERSION
from journal.services.demo import (
    SAMPLE_FILES,
    SCORES_FILE,
    LoadedSamples,
    Samples,
    demo_home,
    draw_face,
    find_samples,
    load_samples,
    read_samples,
)
from journal.services.importer import rescore_session, scores_row
from journal.store import HistoryRow, Scores, Store, journal_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_sessions"
TONUS = ROOT / ".venv" / "bin" / "tonus"
WEEKS = 14
TOLERANCE = 0.5
_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG",
    b"GIF8",
    b"BM",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"\x00\x00\x00\x0cjP",  # JPEG 2000
)
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".avif"}


@pytest.fixture(scope="module")
def samples() -> Samples:
    return read_samples(SAMPLES)


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[Store, LoadedSamples]]:
    """The samples in an in-memory journal, without the face model (the stored scores)."""
    store = Store.in_memory()
    try:
        yield store, load_samples(store, SAMPLES, None, today=date.today())
    finally:
        store.close()


@pytest.fixture(scope="module")
def history(loaded: tuple[Store, LoadedSamples]) -> list[HistoryRow]:
    return loaded[0].history()


def _values(rows: list[HistoryRow], what: str) -> list[float]:
    values = [getattr(r, what) for r in rows]
    assert all(v is not None for v in values), f"a test has no {what}"
    return [float(v) for v in values]


def _first_rise(series: list[float], baseline_weeks: int, margin: float) -> int:
    """Return the first week (1-based) clearly above the highest of the first `baseline_weeks`."""
    top = max(series[:baseline_weeks])
    return next(i + 1 for i, v in enumerate(series) if v > top + margin)


def _week_of(day: date, first_test: date) -> int:
    return (day - first_test).days // 7 + 1


# --- the samples in a journal (no model) ----------------------------------------------------------


def test_the_samples_are_found_next_to_the_package() -> None:
    assert find_samples() == SAMPLES


def test_fourteen_weekly_tests_with_frames_and_drawn_rest_photos(loaded: tuple[Store, LoadedSamples]) -> None:
    store, result = loaded
    sessions = store.sessions()
    assert len(sessions) == len(result.sessions) == WEEKS
    assert {s.source for s in sessions} == {"demo"}
    days = [s.taken_at.date() for s in sessions]
    assert all((b - a) == timedelta(days=7) for a, b in zip(days, days[1:], strict=False))
    assert date.today() - timedelta(days=7) < days[-1] <= date.today()  # moved to look current
    assert result.shift.days % 7 == 0

    first = sessions[0].id
    poses = store.poses(first)
    assert [p.pose for p in poses] == list(POSE_NAMES)
    assert all(p.frames_used == 5 and not p.rejected for p in poses)
    assert [p.pose for p in poses if p.has_photo] == ["rest"]
    frames = store.frames(first)
    assert frames["rest"][0].landmarks.shape == (478, 3)
    assert frames["smile"][0].blendshapes["mouthSmileRight"] > 0.1
    photo = store.key_photo(first, "rest")
    assert photo is not None and photo.startswith(b"\xff\xd8\xff")

    profile = store.get_profile()
    assert profile.affected_side == "left"
    assert profile.onset is not None and profile.onset < days[0]
    assert profile.mm_per_unit is not None and 5 < profile.mm_per_unit < 15


def test_stored_scores_name_the_scorer_and_the_given_side(
    loaded: tuple[Store, LoadedSamples], samples: Samples
) -> None:
    store, result = loaded
    assert not result.rescored
    assert result.scorer_version == samples.scorer_version
    scores = store.session_scores(store.sessions()[0].id)
    assert scores is not None
    assert scores.scorer_version == samples.scorer_version
    assert (scores.affected_side, scores.affected_side_source) == ("left", "given")
    assert set(scores.poses) == set(POSE_NAMES)


def test_tonus_returns_from_week_4_to_6(history: list[HistoryRow]) -> None:
    tonus = _values(history, "tonus")
    early, late = np.mean(tonus[:4]), np.mean(tonus[-4:])
    assert early < 92, f"the first weeks should show the droop: {tonus}"
    assert late - early > 6, f"tone should come back: {tonus}"
    assert 4 <= _first_rise(tonus, 4, 2.0) <= 7, tonus
    assert min(tonus[8:]) > max(tonus[:4]), "once back, tone stays above the first weeks"


def test_movement_returns_2_to_4_weeks_after_tone(history: list[HistoryRow]) -> None:
    tonus, movement = _values(history, "tonus"), _values(history, "movement")
    assert max(movement[:6]) < 12, f"the first weeks are flaccid: {movement}"
    tone_week = _first_rise(tonus, 4, 2.0)
    move_week = _first_rise(movement, 6, 3.0)
    assert 2 <= move_week - tone_week <= 4, (tone_week, move_week, tonus, movement)
    assert movement[-1] > 40 and np.mean(movement[-3:]) > 3 * np.mean(movement[:6])
    assert all(b > a - 3 for a, b in zip(movement[move_week - 1 :], movement[move_week:], strict=False))


def test_the_simulation_truth_matches_the_course(samples: Samples, history: list[HistoryRow]) -> None:
    tone = [t.truth["tone_deficit"] for t in samples.tests]
    function = [t.truth["function"] for t in samples.tests]
    assert tone[:4] == [1.0] * 4 and tone[-1] < 0.5
    first_move = next(i + 1 for i, f in enumerate(function) if f > function[0] + 0.03)
    assert first_move == _first_rise(_values(history, "movement"), 6, 3.0)


def test_entries_gather_twitching_and_tingling_before_movement_returns(
    loaded: tuple[Store, LoadedSamples],
) -> None:
    store, result = loaded
    entries = store.entries()
    events = store.events()
    assert len(entries) == result.entries > 80
    assert len({e.at.date() for e in entries}) > 50, "entries should be daily-ish"
    first_test = store.sessions()[0].taken_at.date()
    milestone = next(e for e in events if e.kind == "milestone" and "first movement" in e.label)
    move_week = _week_of(milestone.at.date(), first_test) + 1  # the test after the milestone
    per_week = Counter(
        _week_of(e.at.date(), first_test) for e in entries if e.sensation in ("twitching", "tingling")
    )
    before = sum(per_week[w] for w in range(move_week - 3, move_week))
    first = sum(per_week[w] for w in (1, 2, 3))
    assert before >= 2 * first + 5, (per_week, move_week)
    kinds = Counter(e.sensation for e in entries)
    assert kinds["vibration"] and kinds["itching"] and kinds["pain"] and kinds["tearing"] and kinds["dry_eye"]
    assert {e.side for e in entries} == {"left"}


def test_events_mark_medication_therapy_appointments_and_the_first_movement(
    loaded: tuple[Store, LoadedSamples], history: list[HistoryRow]
) -> None:
    store, _ = loaded
    events = store.events()
    kinds = Counter(e.kind for e in events)
    assert kinds["medication"] >= 1 and kinds["therapy"] >= 1 and kinds["appointment"] >= 1
    assert any("prednisolone" in e.label for e in events if e.kind == "medication")
    profile = store.get_profile()
    assert profile.onset is not None
    assert next(e for e in events if e.kind == "medication").at.date() == profile.onset
    milestone = next(e for e in events if e.kind == "milestone")
    move_week = _first_rise(_values(history, "movement"), 6, 3.0)
    move_test = history[move_week - 1].session.taken_at
    assert timedelta(0) < move_test - milestone.at < timedelta(days=7)


def test_an_old_scorer_version_without_the_model_keeps_the_stored_scores(
    tmp_path: Path, samples: Samples
) -> None:
    old = _copy_with_version(tmp_path, "tonus-scorer/0")
    with Store.in_memory() as store:
        result = load_samples(store, old, None, photos=False)
        rows = store.history()
    assert not result.rescored and result.scorer_version == "tonus-scorer/0"
    assert {r.scorer_version for r in rows} == {"tonus-scorer/0"}
    assert [r.tonus for r in rows] == pytest.approx([s["tonus"] for s in samples.scores])


# --- the files ------------------------------------------------------------------------------------


def _sample_files() -> list[Path]:
    return [p for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def test_sample_sessions_stay_under_10_mb() -> None:
    total = sum(p.stat().st_size for p in _sample_files())
    assert total < 10 * 1024 * 1024, f"sample_sessions/ holds {total / 1e6:.1f} MB"


def test_no_file_in_sample_sessions_is_an_image() -> None:
    from PIL import Image, UnidentifiedImageError

    files = _sample_files()
    assert {p.name for p in files} >= set(SAMPLE_FILES)
    for path in files:
        assert path.suffix.lower() not in _IMAGE_SUFFIXES, path
        head = path.read_bytes()[:16]
        assert not head.startswith(_IMAGE_MAGIC), path
        assert not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"), path
        with pytest.raises(UnidentifiedImageError):
            Image.open(path)
    with np.load(SAMPLES / "recovery.npz", allow_pickle=False) as npz:
        for name in npz.files:
            array = npz[name]
            assert array.dtype != np.uint8, f"{name} looks like pixels"
            assert not (array.ndim >= 3 and array.shape[-1] in (3, 4) and array.shape[-2] > 478), name


def test_the_drawn_photo_is_a_line_drawing(samples: Samples) -> None:
    from PIL import Image

    data = draw_face(samples.landmarks[0, 0, 2], 640, 480, samples.mesh_edges, samples.contour_edges)
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG" and picture.size == (300, 400)
        pixels = np.asarray(picture.convert("L"))
    assert (pixels > 200).mean() > 0.6, "mostly plain background"
    assert (pixels < 120).mean() > 0.005, "with dark contours"


def test_damaged_samples_are_refused_with_one_sentence(tmp_path: Path) -> None:
    for name in SAMPLE_FILES:
        (tmp_path / name).symlink_to(SAMPLES / name)
    (tmp_path / "journal.json").unlink()
    (tmp_path / "journal.json").write_text("{not json")
    with pytest.raises(UsageError, match="damaged") as info:
        read_samples(tmp_path)
    assert str(info.value).count(". ") == 0
    with pytest.raises(UsageError, match="no sample sessions"):
        read_samples(tmp_path / "nowhere")

    broken = tmp_path / "broken_scores"
    broken.mkdir()
    _copy_with_version(broken, SCORER_VERSION)
    data = json.loads((broken / SCORES_FILE).read_text())
    data["tests"][3] = {"tonus": 90}
    (broken / SCORES_FILE).write_text(json.dumps(data))
    with Store.in_memory() as store, pytest.raises(UsageError, match="damaged"):
        load_samples(store, broken, None, photos=False)


def test_demo_home_is_private() -> None:
    home = demo_home()
    try:
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
    finally:
        home.rmdir()


# --- `tonus demo` ---------------------------------------------------------------------------------


def test_tonus_demo_print_in_a_subprocess(tmp_path: Path) -> None:
    env = dict(os.environ, TMPDIR=str(tmp_path), TONUS_HOME=str(tmp_path / "home"))
    cmd = [str(TONUS)] if TONUS.exists() else [sys.executable, "-m", "journal"]
    done = subprocess.run(
        [*cmd, "demo", "--print"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Sample journal (simulated left facial palsy")
    assert "14 tests" in lines[0]
    rows = [line for line in lines[2:] if line.strip()]
    assert len(rows) == WEEKS
    assert rows[0].split()[0] == "1" and rows[-1].split()[0] == "14"
    assert list(tmp_path.iterdir()) == [], "the temporary journal is removed, and the user's is untouched"


def test_tonus_demo_opens_the_app_on_a_temporary_journal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import journal.cli.tui as tui

    seen: dict[str, object] = {}

    def fake_run_tui(home: Path, camera: str | None = None, demo: bool = False, prepare: Any = None) -> int:
        seen.update(home=home, demo=demo, mode=stat.S_IMODE(home.stat().st_mode))
        assert journal_path(home).exists()  # the journal is there when the app opens...
        with Store.open(journal_path(home)) as store:
            assert store.sessions() == []  # ...and its tests load after the first paint,
            prepare(store)  # in the app's first reader (`real_services`)
        with Store.open(journal_path(home), read_only=True) as store:
            seen["tests"] = len(store.sessions())
            seen["photo"] = store.key_photo(store.sessions()[-1].id, "rest") is not None
        return 0

    monkeypatch.setattr(tui, "run_tui", fake_run_tui)
    assert main(["demo"]) == 0
    assert seen["demo"] is True and seen["tests"] == WEEKS and seen["photo"] is True
    assert seen["mode"] == 0o700
    home = seen["home"]
    assert isinstance(home, Path) and not home.exists()


def test_tonus_demo_without_samples_says_so_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import journal.services.demo

    monkeypatch.setattr(journal.services.demo, "find_samples", lambda: None)
    assert main(["demo", "--print"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("tonus: ") and err.endswith(".") and len(err.splitlines()) == 1
    assert "sample" in err
    assert main(["demo", "--samples", str(tmp_path), "--print"]) == 2
    assert "no sample sessions" in capsys.readouterr().err


# --- with the face model: the stored scores are the scorer's output ---------------------------------


def _copy_with_version(dest: Path, version: str) -> Path:
    for name in SAMPLE_FILES:
        if name != SCORES_FILE:
            (dest / name).symlink_to(SAMPLES / name)
    data = json.loads((SAMPLES / SCORES_FILE).read_text())
    data["scorer_version"] = version
    (dest / SCORES_FILE).write_text(json.dumps(data))
    return dest


@pytest.fixture(scope="module")
def canonical(model_path: Path) -> np.ndarray:
    from journal.capture.bundle import load_canonical_mesh

    return load_canonical_mesh(model_path)


def _assert_close(fresh: Scores, stored: dict[str, Any], week: int) -> None:
    for key in ("tonus", "movement", "synkinesis"):
        value, expected = getattr(fresh, key), stored[key]
        assert value is not None and expected is not None
        assert abs(value - float(expected)) <= TOLERANCE, f"week {week} {key}: {value} vs {expected}"
    poses = stored["poses"]
    assert isinstance(poses, dict)
    for pose, ps in fresh.poses.items():
        for key, value in (("symmetry", ps.symmetry), ("movement", ps.movement)):
            expected = poses[pose][key]
            assert (value is None) == (expected is None), f"week {week} {pose} {key}"
            if value is not None:
                assert abs(value - expected) <= TOLERANCE, f"week {week} {pose} {key}: {value} vs {expected}"


@pytest.mark.shared
def test_the_stored_scores_are_the_current_scorers_output(samples: Samples, canonical: np.ndarray) -> None:
    assert samples.scorer_version == SCORER_VERSION, (
        f"sample_sessions/scores.json was made by {samples.scorer_version}, the scorer is now "
        f"{SCORER_VERSION}: regenerate it with `.venv/bin/python sample_sessions/make_samples.py`"
    )
    scale = samples.profile["mm_per_unit"]
    for i, stored in enumerate(samples.scores):
        fresh = rescore_session(samples.frame_records(i), canonical, "left", scale)
        assert fresh is not None
        _assert_close(scores_row(fresh), stored, i + 1)


@pytest.mark.shared
@pytest.mark.slow
def test_the_demo_rescores_when_the_scorer_changed(
    tmp_path: Path, samples: Samples, canonical: np.ndarray
) -> None:
    old = _copy_with_version(tmp_path, "tonus-scorer/0")
    with Store.in_memory() as store:
        result = load_samples(store, old, canonical, photos=False)
        ids = [s.id for s in store.sessions()]
        fresh = [store.session_scores(i) for i in ids]
    assert result.rescored and result.scorer_version == SCORER_VERSION
    for week, (scores, stored) in enumerate(zip(fresh, samples.scores, strict=True), start=1):
        assert scores is not None and scores.scorer_version == SCORER_VERSION
        if samples.scorer_version == SCORER_VERSION:
            _assert_close(scores, stored, week)


def test_copying_the_samples_keeps_them_loadable(tmp_path: Path) -> None:
    """A copy of the folder (e.g. outside a checkout) loads through `--samples`."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in SAMPLE_FILES:
        shutil.copy(SAMPLES / name, copy / name)
    assert read_samples(copy).landmarks.shape == (WEEKS, len(POSE_NAMES), 5, 478, 3)
