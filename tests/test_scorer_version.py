"""Golden scores for SCORER_VERSION: any change in a score must come with a version bump.

Stored history keeps the scorer version next to every number, so a silent change in the scorer
would make old and new weeks incomparable. This test scores one fixed synthetic session (fixed seed,
full landmark pipeline) and compares with numbers recorded for a given SCORER_VERSION.

To re-record after a deliberate change: bump SCORER_VERSION in journal/scoring/version.py, run
`TONUS_RECORD_GOLDEN=1 .venv/bin/pytest tests/test_scorer_version.py -s`, and paste the printed
RECORDED_FOR / GOLDEN block below.
"""

from __future__ import annotations

import os
import pprint
from functools import lru_cache

import numpy as np
import pytest
import synthetic as syn

from journal.protocol import POSE_NAMES
from journal.scoring.scores import signed_differences
from journal.scoring.session import SessionScores, score_session
from journal.scoring.version import SCORER_VERSION

# --- recorded with the current code; see the module docstring to re-record ---------------------
RECORDED_FOR = "tonus-scorer/5"
INPUT_FINGERPRINT = (24908.068062497074, 13956.155232339543, 1195580.023786434)
GOLDEN: dict[str, float | str | None] = {
    "mm_per_unit": 9.980124183076798,
    "affected_side": "left",
    "affected_side_source": "inferred",
    "side_evidence": 0.684463977,
    "tonus": 85.78301780848568,
    "movement": 47.9288657237942,
    "synkinesis": 1.602572281769077,
    "rest_interval_lo": 84.56903145471969,
    "rest_interval_hi": 87.03389146173113,
    "rest_d_brow_mm": -1.9757477804979509,
    "rest_d_eye_mm": 1.024966653177919,
    "rest_d_midface_mm": -1.558467654536173,
    "rest_d_mouth_mm": -2.950321281083049,
    "rest_oriented_brow_mm": 1.9757477804979509,
    "rest_oriented_brow_lo": 1.8401092664801482,
    "rest_oriented_brow_hi": 2.103133336446312,
    "rest_oriented_eye_mm": 1.024966653177919,
    "rest_oriented_eye_lo": 0.938770153422607,
    "rest_oriented_eye_hi": 1.1543881454794378,
    "rest_oriented_midface_mm": 1.558467654536173,
    "rest_oriented_midface_lo": 1.4878240293759362,
    "rest_oriented_midface_hi": 1.663428862891616,
    "rest_oriented_mouth_mm": 2.950321281083049,
    "rest_oriented_mouth_lo": 2.793775959901698,
    "rest_oriented_mouth_hi": 3.1081624172486713,
    "brow_raise_movement": 22.357631741152353,
    "brow_raise_left_mm": 0.8950337947124076,
    "brow_raise_right_mm": 5.004073134146921,
    "eyes_gentle_movement": 45.10456867130475,
    "eyes_gentle_left_mm": 2.9821000641262287,
    "eyes_gentle_right_mm": 6.408812050563512,
    "eyes_tight_movement": 57.466308332376194,
    "eyes_tight_left_mm": 4.096548015522967,
    "eyes_tight_right_mm": 6.910040745179341,
    "smile_movement": 40.049855027903874,
    "smile_left_mm": 1.9126675612884783,
    "smile_right_mm": 5.969645707693163,
    "smile_teeth_movement": 45.5873836197683,
    "smile_teeth_left_mm": 2.9447900004970804,
    "smile_teeth_right_mm": 8.074575043225652,
    "snarl_movement": 39.17874156628785,
    "snarl_left_mm": 0.9125001742183301,
    "snarl_right_mm": 2.9113370470132374,
    "pucker_movement": 43.85755530269551,
    "pucker_left_mm": 1.4206951147744107,
    "pucker_right_mm": 4.049174381041862,
    "lower_teeth_movement": 64.8910600920411,
    "lower_teeth_left_mm": 2.0851311343641044,
    "lower_teeth_right_mm": 4.0165993809597325,
    "cheek_puff_movement": 72.8666871606179,
    "cheek_puff_left_mm": 2.9425051406922442,
    "cheek_puff_right_mm": 5.047754425499965,
    "smile_frames_used": 4.0,
}
# ------------------------------------------------------------------------------------------------

TOLERANCE = 1e-6
SEED = 20240611
FRAMES = 6

#: A left palsy: dropped corner, wider eye, lower brow and ala at rest; weak left movements;
#: the left eye narrows during smile (synkinesis); the smile has an onset and a release.
REST = [
    syn.Edit("left", "commissure", up=-3.0, out=-0.5),
    *syn.eye_opening("left", 1.0),
    syn.Edit("left", "brow", up=-2.0),
    syn.Edit("left", "ala", up=-1.5),
]
MOVES: dict[str, list[syn.Edit]] = {
    "brow_raise": syn.movement("brow_raise", 1.0, 5.0),
    "eyes_gentle": syn.movement("eyes_gentle", 3.0, 6.5),
    "eyes_tight": syn.movement("eyes_tight", 4.0, 7.0),
    "smile": [*syn.movement("smile", 2.0, 6.0), *syn.eye_opening("left", -1.8)],
    "smile_teeth": syn.movement("smile_teeth", 3.0, 8.0),
    "snarl": syn.movement("snarl", 1.0, 3.0),
    "pucker": syn.movement("pucker", 1.5, 4.0),
    "lower_teeth": syn.movement("lower_teeth", 2.0, 4.0),
    "cheek_puff": syn.movement("cheek_puff", 3.0, 5.0),
}
SMILE_AMPLITUDES = [0.3, 1.0, 1.0, 0.95, 1.0, 0.4]


@lru_cache(maxsize=1)
def golden_session() -> tuple[tuple[float, float, float], SessionScores]:
    """Build the fixed session; return the input landmarks' fingerprint and the scores."""
    rng = np.random.default_rng(SEED)
    canonical = syn.canonical_mesh()
    base = syn.face()
    landmarks: list[np.ndarray] = []
    units: dict[str, np.ndarray] = {}
    for pose in POSE_NAMES:
        edits = REST + MOVES.get(pose, [])
        amps = SMILE_AMPLITUDES if pose == "smile" else [1.0] * FRAMES
        frames = []
        for amp in amps:
            pts = syn.apply_edits(base, REST + [e.scaled(amp) for e in edits[len(REST) :]])
            pts = pts + rng.normal(0.0, 0.012, pts.shape)
            obs = syn.observe(pts, syn.random_camera(rng))
            landmarks.append(obs.landmarks)
            frames.append(syn.measure_observation(obs, pose, canonical))
        units[pose] = np.stack(frames)
    raw = np.stack(landmarks)
    weights = np.arange(raw.size, dtype=np.float64).reshape(raw.shape) % 97
    fingerprint = (float(raw.sum()), float((raw**2).sum()), float((raw * weights).sum()))
    return fingerprint, score_session(units)


def summarise(s: SessionScores) -> dict[str, float | str | None]:
    """The numbers that must not drift within one scorer version."""
    out: dict[str, float | str | None] = {
        "mm_per_unit": s.mm_per_unit,
        "affected_side": s.affected_side,
        "affected_side_source": s.affected_side_source,
        "side_evidence": s.side_evidence,
        "tonus": s.tonus,
        "movement": s.movement,
        "synkinesis": s.synkinesis,
    }
    rest = s.poses["rest"].aggregate
    assert rest.symmetry_interval is not None
    out["rest_interval_lo"], out["rest_interval_hi"] = rest.symmetry_interval
    for region, d in signed_differences(rest.measures_mm).items():
        out[f"rest_d_{region}_mm"] = d
    for region, (value, interval) in (s.rest_asymmetry() or {}).items():
        out[f"rest_oriented_{region}_mm"] = value
        if interval is not None:
            out[f"rest_oriented_{region}_lo"], out[f"rest_oriented_{region}_hi"] = interval
    for pose, ps in s.poses.items():
        if pose == "rest":
            continue
        out[f"{pose}_movement"] = ps.movement.score if ps.movement is not None else None
        assert ps.excursions is not None
        out[f"{pose}_left_mm"] = ps.excursions["left"]
        out[f"{pose}_right_mm"] = ps.excursions["right"]
    out["smile_frames_used"] = float(s.poses["smile"].aggregate.frames_used)
    return out


def _differs(expected: float | str | None, actual: float | str | None) -> bool:
    if isinstance(expected, float) and isinstance(actual, float):
        return not abs(expected - actual) <= TOLERANCE
    return expected != actual


def test_golden_scores_for_this_scorer_version() -> None:
    fingerprint, scores = golden_session()
    actual = summarise(scores)
    if os.environ.get("TONUS_RECORD_GOLDEN") == "1":
        print(f"\nRECORDED_FOR = {SCORER_VERSION!r}\nINPUT_FINGERPRINT = {fingerprint!r}")
        print("GOLDEN: dict[str, float | str | None] = " + pprint.pformat(actual, sort_dicts=False))
        pytest.skip("recorded: paste the printed block into tests/test_scorer_version.py")
    if not np.allclose(fingerprint, INPUT_FINGERPRINT, rtol=1e-12, atol=0):
        pytest.fail(
            "the golden input landmarks changed (tests/synthetic.py or numpy's random streams), not "
            f"the scorer: re-record the golden numbers ({fingerprint} != {INPUT_FINGERPRINT})"
        )
    if SCORER_VERSION != RECORDED_FOR:
        pytest.fail(
            f"SCORER_VERSION is {SCORER_VERSION!r} but the golden numbers were recorded for "
            f"{RECORDED_FOR!r}: re-record them (TONUS_RECORD_GOLDEN=1)"
        )
    changed = {
        k: (GOLDEN.get(k), actual.get(k))
        for k in sorted(set(GOLDEN) | set(actual))
        if _differs(GOLDEN.get(k), actual.get(k))
    }
    assert not changed, (
        "scores changed: bump SCORER_VERSION in journal/scoring/version.py and re-record "
        f"(expected, actual): {pprint.pformat(changed)}"
    )


def test_the_golden_session_exercises_every_score() -> None:
    """Guard the fixture itself: a golden test on a degenerate session would protect nothing."""
    _, s = golden_session()
    assert (s.affected_side, s.affected_side_source) == ("left", "inferred")
    assert s.tonus is not None and 50 < s.tonus < 95
    assert s.movement is not None and 20 < s.movement < 80
    assert s.synkinesis is not None and s.synkinesis > 0.5
    assert all(p.movement is not None for name, p in s.poses.items() if name != "rest"), (
        "a pose was not scored"
    )
    assert s.poses["smile"].aggregate.frames_used < len(SMILE_AMPLITUDES)
    assert set(s.poses) == set(POSE_NAMES)


def test_a_score_change_is_detected() -> None:
    """The comparison really fails on a drift bigger than the tolerance."""
    assert _differs(50.0, 50.0 + 10 * TOLERANCE)
    assert not _differs(50.0, 50.0 + TOLERANCE / 10)
    assert _differs(None, 3.0) and _differs("left", "right") and not _differs(None, None)
