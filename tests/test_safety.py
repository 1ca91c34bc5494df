"""Safety prompts: shown when the measures call for them, silent on healthy faces and steady series."""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal.services.demo import load_samples
from journal.signals.safety import (
    EYE_GAP_MM,
    NOT_A_DIAGNOSIS,
    RED_FLAGS,
    ScoredTest,
    eye_closure_gap,
    eye_closure_note,
    falling_notes,
    other_side_note,
    safety_from_store,
    safety_notes,
)
from journal.store import PoseScores, Scores, Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_sessions"
TONUS = ROOT / ".venv" / "bin" / "tonus"
T0 = datetime(2026, 3, 2, 9, 0)
REST_EYE = (7.0, 7.0)


def _scores(
    tonus: float = 95.0,
    movement: float = 80.0,
    closed: tuple[float, float] = (1.0, 1.0),
    travel: tuple[float, float] = (8.0, 8.0),
    affected: str | None = "left",
) -> Scores:
    """A test's scores: eye opening in gentle closure and the poses' travel, each (left, right)."""
    poses = {
        "rest": PoseScores(tonus, (tonus - 1, tonus + 1), regions={"eye": REST_EYE, "mouth": (-60.0, -60.0)}),
        "eyes_gentle": PoseScores(80.0, regions={"eye": closed}),
    }
    for pose in ("smile", "smile_teeth", "brow_raise"):
        poses[pose] = PoseScores(80.0, None, movement, travel[0], travel[1], {})
    return Scores("test/1", tonus, movement, 0.0, affected, "given", 8.5, poses=poses)


def _series(values: list[dict[str, object]]) -> list[ScoredTest]:
    return [ScoredTest(T0 + timedelta(weeks=i), _scores(**v)) for i, v in enumerate(values)]  # type: ignore[arg-type]


# --- eye closure ----------------------------------------------------------------------------------


def test_an_eye_left_open_in_gentle_closure_asks_to_protect_it() -> None:
    note = eye_closure_note(_scores(closed=(5.0, 1.0)), "left")
    assert note is not None and note.kind == "eye_closure"
    assert "left eye" in note.title and "4.0 mm" in note.text
    for advice in ("drops", "taping", "moisture chamber", "sunglasses", "painful", "blurs"):
        assert advice in note.text


def test_a_healthy_pair_of_eyes_is_silent() -> None:
    assert eye_closure_note(_scores(closed=(1.3, 0.8)), "left") is None
    assert eye_closure_note(_scores(closed=(1.0 + EYE_GAP_MM - 0.1, 1.0)), "left") is None


def test_the_gap_is_read_against_the_healthy_eye_and_the_more_open_eye_when_no_side_is_known() -> None:
    # The affected side is left, the right eye stays open: not the affected eye's closure problem.
    assert eye_closure_note(_scores(closed=(1.0, 5.0)), "left") is None
    found = eye_closure_gap(_scores(closed=(1.0, 5.0), affected=None), None)
    assert found is not None and found[1] == "right" and found[2] == pytest.approx(4.0)


def test_a_closure_the_healthy_eye_did_not_make_is_not_scored() -> None:
    # Healthy eye moved 7.0 - 5.5 = 1.5 mm: not really a closure, so no prompt about the other eye.
    assert eye_closure_note(_scores(closed=(7.0, 5.5)), "left") is None


# --- falling scores and the other side --------------------------------------------------------------


def _steady(n: int, seed: int, **over: float) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [{"tonus": 92 + rng.gauss(0, 1.0), "movement": 60 + rng.gauss(0, 3.0), **over} for _ in range(n)]


def test_steady_series_are_silent() -> None:
    for seed in range(30):
        tests = _series(_steady(8, seed))
        assert safety_notes(tests) == [], seed


def test_tone_falling_beyond_noise_in_two_tests_asks_to_contact_the_clinician() -> None:
    values = _steady(6, 1)
    values[-2]["tonus"], values[-1]["tonus"] = 80.0, 79.0
    notes = falling_notes(_series(values))
    assert [n.kind for n in notes] == ["falling"]
    assert "tonus" in notes[0].title and "contact your clinician" in notes[0].text
    assert "±" in notes[0].text  # the noise figure it was judged against


def test_one_bad_week_is_not_a_fall() -> None:
    values = _steady(6, 2)
    values[-1]["tonus"], values[-1]["movement"] = 70.0, 20.0
    assert falling_notes(_series(values)) == []


def test_movement_falling_in_two_tests_is_named() -> None:
    values = _steady(6, 3)
    values[-2]["movement"], values[-1]["movement"] = 30.0, 28.0
    assert [n.title for n in falling_notes(_series(values))] == [
        "Your movement score fell in your last two tests"
    ]


def test_new_weakness_on_the_healthy_side_is_named_even_when_the_ratio_holds() -> None:
    values = _steady(6, 4, travel=(4.0, 8.0))  # type: ignore[arg-type]
    values[-2]["travel"], values[-1]["travel"] = (2.0, 4.0), (1.8, 3.6)
    tests = _series(values)
    note = other_side_note(tests, "left")
    assert note is not None and "right side" in note.title and "contact your clinician" in note.text
    assert falling_notes(tests) == []  # the movement score (a ratio) did not move


def test_the_affected_side_recovering_is_no_weakness() -> None:
    values = _steady(6, 5, travel=(1.0, 8.0))  # type: ignore[arg-type]
    values[-2]["travel"], values[-1]["travel"] = (4.0, 8.2), (5.0, 7.9)
    assert other_side_note(_series(values), "left") is None


# --- the sample journal ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_store() -> Iterator[Store]:
    store = Store.in_memory()
    try:
        load_samples(store, SAMPLES, None, today=date(2026, 11, 5), photos=False)
        yield store
    finally:
        store.close()


def test_the_sample_palsy_gets_the_eye_prompt_and_nothing_else(sample_store: Store) -> None:
    first = sample_store.sessions()[0].id
    notes = safety_from_store(sample_store, first)
    assert [n.kind for n in notes] == ["eye_closure"]
    assert "left eye" in notes[0].title
    # Recovering, never falling: no other prompt at any test.
    for session in sample_store.sessions():
        kinds = {n.kind for n in safety_from_store(sample_store, session.id)}
        assert kinds <= {"eye_closure"}, session.taken_at


def test_the_red_flags_and_the_journal_sentence_say_what_they_must() -> None:
    for flag in ("arm or leg", "speaking", "swallowing", "emergency"):
        assert flag in RED_FLAGS
    assert "not a diagnosis" in NOT_A_DIAGNOSIS


# --- real healthy faces -------------------------------------------------------------------------------


def _analysed(folder: Path, model: Path) -> Scores:
    env = {**os.environ, "TONUS_FACE_MODEL": str(model)}
    out = subprocess.run(
        [str(TONUS), "analyze", "--json", str(folder)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    poses = {
        name: PoseScores(p["symmetry"], regions={r: (v["left"], v["right"]) for r, v in p["regions"].items()})
        for name, p in data["poses"].items()
    }
    return Scores(
        "real", data["tonus"], data["movement"], None, data["affected_side"], "inferred", 1.0, poses=poses
    )


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("person", ["p1a", "p1b", "p2", "p3", "p4", "pt1"])
def test_real_faces_that_close_their_eyes_get_no_eye_prompt(
    faces_dir: Path, model_path: Path, person: str
) -> None:
    scores = _analysed(faces_dir / "protocol" / person, model_path)
    for side in ("left", "right", None):
        assert eye_closure_note(scores, side) is None, (person, side)
