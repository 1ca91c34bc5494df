"""Quality gates and the live-preview advice, on synthetic observations."""

from __future__ import annotations

import numpy as np
import pytest
import synthetic as syn

from journal.models import FaceObservation
from journal.protocol import POSE_NAMES
from journal.scoring import quality
from journal.scoring.quality import MAX_PITCH_DEG, MAX_TURN_DEG, MIN_BRIGHTNESS, MIN_FACE_PX, advice, check

FACE = syn.close_lips(syn.face())
FACE_WIDTH_CM = 14.4  # temples 234/454 at x = ∓7.2


def obs(scale: float = 15.0, **fields: object) -> FaceObservation:
    return syn.observe(FACE, syn.Camera(scale=scale), **fields)


def test_face_width_is_measured_between_the_cheeks() -> None:
    assert obs(15.0).face_width_px() == pytest.approx(15.0 * FACE_WIDTH_CM)
    rolled = syn.observe(FACE, syn.Camera(rotation=syn.rotation(roll=30), scale=15.0))
    assert rolled.face_width_px() == pytest.approx(15.0 * FACE_WIDTH_CM)  # in-plane tilt does not shrink it


SHOWS = syn.EXPRESSION_SHAPES


@pytest.mark.parametrize("pose", POSE_NAMES)
def test_a_good_frame_passes_for_every_pose(pose: str) -> None:
    assert check(obs(blendshapes=SHOWS[pose]), pose) is None
    assert advice(obs(), None) == "good: hold still"


@pytest.mark.parametrize("pose", [p for p in POSE_NAMES if p != "rest"])
def test_a_neutral_frame_is_the_wrong_expression_for_every_other_pose(pose: str) -> None:
    neutral = obs()
    assert check(neutral, "rest") is None
    assert check(neutral, pose) == "wrong_expression"
    words = advice(neutral, "wrong_expression", pose)
    assert words and words != quality.REASONS["wrong_expression"]


def test_too_small() -> None:
    small = obs(scale=(MIN_FACE_PX - 1) / FACE_WIDTH_CM)
    assert check(small, "rest") == "too_small"
    assert check(obs(scale=(MIN_FACE_PX + 1) / FACE_WIDTH_CM), "rest") is None
    assert "come closer" in advice(small, "too_small")


@pytest.mark.parametrize("yaw", [-12.0, 10.5, 30.0])
def test_head_turned(yaw: float) -> None:
    o = obs(yaw_deg=yaw)
    assert check(o, "smile") == "head_turned"
    # Positive yaw: the face points toward the subject's left, so turn back to the right.
    assert advice(o, "head_turned") == (
        "turn a little to your right" if yaw > 0 else "turn a little to your left"
    )


def test_turn_limit_is_inclusive() -> None:
    assert check(obs(yaw_deg=MAX_TURN_DEG), "rest") is None
    assert check(obs(yaw_deg=-MAX_TURN_DEG), "rest") is None


@pytest.mark.parametrize("pitch", [-30.0, 26.0])
def test_head_tilted(pitch: float) -> None:
    o = obs(pitch_deg=pitch)
    assert check(o, "rest") == "head_tilted"
    assert advice(o, "head_tilted") == (
        "lower your chin a little" if pitch > 0 else "raise your chin a little"
    )


def test_moderate_pitch_is_allowed() -> None:
    assert check(obs(pitch_deg=MAX_PITCH_DEG - 1), "rest") is None
    assert check(obs(pitch_deg=-20.0, blendshapes=SHOWS["brow_raise"]), "brow_raise") is None


def test_too_dark() -> None:
    dark = obs(brightness=MIN_BRIGHTNESS - 1)
    assert check(dark, "rest") == "too_dark"
    assert check(obs(brightness=MIN_BRIGHTNESS), "rest") is None
    assert "light" in advice(dark, "too_dark")


CLOSED = {"eyeBlinkLeft": 0.9, "eyeBlinkRight": 0.85}


@pytest.mark.parametrize("pose", ["rest", "brow_raise", "smile", "smile_teeth", "lower_teeth"])
def test_eyes_closed_is_rejected_where_they_must_be_open(pose: str) -> None:
    o = obs(blendshapes=CLOSED)
    assert check(o, pose) == "eyes_closed"
    assert "keep your eyes open" in advice(o, "eyes_closed")


@pytest.mark.parametrize("pose", ["eyes_gentle", "eyes_tight", "snarl", "pucker", "cheek_puff"])
def test_eyes_closed_is_allowed_in_other_poses(pose: str) -> None:
    assert check(obs(blendshapes=SHOWS[pose] | CLOSED), pose) is None


def test_half_open_eyes_pass_on_rest() -> None:
    assert check(obs(blendshapes={"eyeBlinkLeft": 0.5, "eyeBlinkRight": 0.5}), "rest") is None


def test_the_first_failing_gate_is_reported() -> None:
    worst = obs(scale=4.0, yaw_deg=40.0, pitch_deg=40.0, brightness=5.0, blendshapes=CLOSED)
    assert check(worst, "rest") == "too_small"
    assert check(obs(yaw_deg=40.0, pitch_deg=40.0, brightness=5.0), "rest") == "head_turned"
    assert check(obs(pitch_deg=40.0, brightness=5.0), "rest") == "head_tilted"


@pytest.mark.parametrize("reason", sorted(quality.REASONS))
def test_every_reason_has_advice(reason: str) -> None:
    text = advice(None, reason)
    assert text == quality.REASONS[reason]
    assert ":" in text  # what is wrong: what to do


def test_unknown_reasons_are_passed_through() -> None:
    assert advice(obs(), "lens_dirty") == "lens_dirty"


def test_stored_frames_added_at_once_are_gated_and_measured_as_one_by_one() -> None:
    """Re-scoring adds a pose's stored frames as one array: the same measures, the same rejections."""
    from journal.services.analysis import PoseCapture, add_frame, add_observations

    canonical = syn.canonical_mesh()
    rng = np.random.default_rng(3)
    good = [syn.observe(FACE, syn.random_camera(rng), blendshapes=SHOWS["smile"]) for _ in range(4)]
    frames = [
        *good[:2],
        obs(blendshapes=SHOWS["smile"], yaw_deg=MAX_TURN_DEG + 5),  # head turned
        obs(),  # no smile: the wrong expression
        obs(scale=MIN_FACE_PX / FACE_WIDTH_CM / 2, blendshapes=SHOWS["smile"]),  # too small
        *good[2:],
    ]
    one, many = PoseCapture("smile"), PoseCapture("smile")
    for frame in frames:
        add_frame(one, None, frame, canonical)
    add_observations(many, frames, canonical)
    assert many.frames == one.frames == len(frames)
    assert many.rejected == one.rejected == {"head_turned": 1, "wrong_expression": 1, "too_small": 1}
    assert many.observations == one.observations == good
    np.testing.assert_allclose(many.units(), one.units(), rtol=0, atol=1e-12)
    empty = PoseCapture("smile")
    add_observations(empty, [], canonical)
    assert empty.frames == 0 and not empty.measures
