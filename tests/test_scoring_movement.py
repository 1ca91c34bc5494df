"""Movement: excursions per pose, the movement score, synkinesis and side cues from movement."""

from __future__ import annotations

import numpy as np
import pytest
import synthetic as syn

from journal.protocol import POSE_NAMES, Side
from journal.scoring.landmarks import mirror_permutation
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.scores import (
    ACTIVATION_MM,
    MIN_TRAVEL_MM,
    POSE_NORMAL_RATIO,
    POSE_SEM,
    SYNKINESIS_MM_PER_POINT,
    SYNKINESIS_NOISE_MM,
    excursions,
    infer_affected_side,
    movement_score,
    movement_sdc,
    synkinesis_points,
)

CANONICAL = syn.canonical_mesh()
FACE = syn.face()
PERM = mirror_permutation(CANONICAL)
MOVES = [p for p in POSE_NAMES if p != "rest"]
CAM = syn.Camera(rotation=syn.rotation(-7, 5, 10), scale=14.0)


def mm_of(edits: list[syn.Edit], pose: str, camera: syn.Camera = CAM) -> np.ndarray:
    """Measure an edited face in mm (the synthetic iris gives exactly 10 mm per head-frame unit)."""
    obs = syn.observe(syn.apply_edits(FACE, edits), camera)
    return syn.measure_observation(obs, pose, CANONICAL) * 10.0


REST_MM = mm_of([], "rest", syn.Camera())


def test_every_protocol_pose_has_a_synthetic_movement() -> None:
    assert set(MOVES) == {
        "brow_raise",
        "eyes_gentle",
        "eyes_tight",
        "smile",
        "smile_teeth",
        "snarl",
        "pucker",
        "lower_teeth",
        "cheek_puff",
    }


@pytest.mark.parametrize("pose", MOVES)
def test_excursions_measure_each_side_in_the_pose_direction(pose: str) -> None:
    exc = excursions(pose, mm_of(syn.movement(pose, left_mm=6.0, right_mm=3.0), pose), REST_MM)
    assert exc == pytest.approx({"left": 6.0, "right": 3.0}, abs=1e-6)


@pytest.mark.parametrize("pose", MOVES)
def test_excursions_are_zero_without_movement(pose: str) -> None:
    assert excursions(pose, mm_of([], pose), REST_MM) == pytest.approx({"left": 0.0, "right": 0.0}, abs=1e-9)


@pytest.mark.parametrize(
    "pose", ["brow_raise", "eyes_gentle", "eyes_tight", "snarl", "pucker", "lower_teeth"]
)
def test_moving_the_wrong_way_is_a_negative_excursion(pose: str) -> None:
    exc = excursions(pose, mm_of(syn.movement(pose, left_mm=-2.0, right_mm=4.0), pose), REST_MM)
    assert exc == pytest.approx({"left": -2.0, "right": 4.0}, abs=1e-6)


@pytest.mark.parametrize("pose", MOVES)
def test_excursions_of_a_mirrored_photo_swap_sides(pose: str) -> None:
    obs = syn.observe(syn.apply_edits(FACE, syn.movement(pose, 5.0, 1.0)), CAM)
    mirrored = syn.mirror_observation(obs, PERM)
    direct = excursions(pose, syn.measure_observation(obs, pose, CANONICAL) * 10, REST_MM)
    flipped = excursions(pose, syn.measure_observation(mirrored, pose, CANONICAL) * 10, REST_MM)
    assert flipped == pytest.approx({"left": direct["right"], "right": direct["left"]}, abs=1e-6)


def test_excursions_reject_rest_and_unknown_poses() -> None:
    for pose in ("rest", "frown"):
        with pytest.raises(ValueError, match="no movement"):
            excursions(pose, REST_MM, REST_MM)


def test_eye_closure_excursion_is_the_lost_fissure() -> None:
    closed = mm_of(syn.movement("eyes_tight", 7.0, 7.0), "eyes_tight")
    assert closed[SIDE_INDEX["left"], F["eye"]] == pytest.approx(0.0, abs=1e-6)  # fully shut
    assert excursions("eyes_tight", closed, REST_MM)["left"] == pytest.approx(REST_MM[0, F["eye"]])


# --- the movement score -----------------------------------------------------------------------


def test_half_the_healthy_excursion_scores_62_5() -> None:
    """ρ = 0.5 against the normal ratio 0.8: 100 · 0.5 / 0.8."""
    move = movement_score({"left": 3.0, "right": 6.0}, "left")
    assert move is not None
    assert (move.score, move.left, move.right) == pytest.approx((62.5, 3.0, 6.0))


def test_movement_score_is_proportional_below_the_normal_ratio() -> None:
    for affected_mm, expected in [(0.0, 0.0), (1.2, 25.0), (3.6, 75.0), (4.8, 100.0), (4.5, 93.75)]:
        move = movement_score({"left": 6.0, "right": affected_mm}, "right")
        assert move is not None and move.score == pytest.approx(expected)


def test_an_affected_side_moving_more_is_capped_at_100() -> None:
    move = movement_score({"left": 9.0, "right": 6.0}, "left")
    assert move is not None and move.score == 100.0


def test_an_affected_side_moving_backwards_scores_0() -> None:
    move = movement_score({"left": -2.0, "right": 6.0}, "left")
    assert move is not None and move.score == 0.0


def test_a_too_weak_healthy_side_is_not_scored() -> None:
    assert movement_score({"left": 0.5, "right": ACTIVATION_MM - 0.01}, "left") is None
    assert movement_score({"left": 3.0, "right": 1.0}, "left") is None  # only the affected side moved
    assert movement_score({"left": 1.0, "right": ACTIVATION_MM}, "left") is not None


@pytest.mark.parametrize("pose", MOVES)
def test_each_pose_needs_its_own_travel_on_the_stronger_side(pose: str) -> None:
    """Small travel is noise, not weakness: below the pose's travel nothing is scored."""
    need = MIN_TRAVEL_MM[pose]
    assert movement_score({"left": 0.0, "right": need - 0.01}, "left", pose=pose) is None
    move = movement_score({"left": 0.0, "right": need}, "left", pose=pose)
    assert move is not None and move.score == 0.0
    assert movement_sdc(pose) == pytest.approx(1.96 * 2**0.5 * POSE_SEM[pose])


def test_unknown_side_treats_the_weaker_side_as_affected() -> None:
    exc: dict[Side, float] = {"left": 6.0, "right": 3.0}
    unknown = movement_score(exc, None)
    assert unknown is not None and unknown.score == pytest.approx(62.5)
    assert unknown == movement_score(exc, "right")
    mirrored = movement_score({"left": 3.0, "right": 6.0}, None)
    assert mirrored is not None and mirrored.score == pytest.approx(62.5)
    assert movement_score({"left": 1.0, "right": 1.2}, None) is None


@pytest.mark.parametrize("pose", MOVES)
def test_movement_score_through_the_pipeline(pose: str) -> None:
    exc = excursions(pose, mm_of(syn.movement(pose, left_mm=2.0, right_mm=8.0), pose), REST_MM)
    move = movement_score(exc, "left", pose=pose)
    normal = POSE_NORMAL_RATIO.get(pose, 0.8)
    assert move is not None and move.score == pytest.approx(100 * 0.25 / normal, abs=1e-4)


def test_a_wink_scores_low_for_the_eye_that_did_not_close() -> None:
    wink = mm_of(syn.movement("eyes_tight", left_mm=6.5, right_mm=0.3), "eyes_tight")
    exc = excursions("eyes_tight", wink, REST_MM)
    move = movement_score(exc, None)
    assert move is not None and move.score < 10
    assert infer_affected_side(REST_MM, {"eyes_tight": exc})[0] == "right"


def test_movement_cues_name_the_side_that_moves_less() -> None:
    exc = {p: excursions(p, mm_of(syn.movement(p, 1.0, 6.0), p), REST_MM) for p in ("smile", "brow_raise")}
    side, evidence = infer_affected_side(REST_MM, exc)
    assert side == "left" and evidence > 0.25
    weak: dict[str, dict[Side, float]] = {
        "smile": {"left": 0.2, "right": 1.0}
    }  # under the activation threshold: no cue
    assert infer_affected_side(None, weak) == (None, 0.0)


# --- synkinesis -------------------------------------------------------------------------------


def _synk(
    eye_narrowing: dict[Side, float], pose: str = "smile", affected: Side | None = "left"
) -> float | None:
    edits = syn.movement("smile", 5.0, 5.0) if pose != "pucker" else syn.movement("pucker", 4.0, 4.0)
    for side, mm in eye_narrowing.items():
        edits += syn.eye_opening(side, -mm)
    return synkinesis_points(REST_MM, {pose: mm_of(edits, pose)}, affected)


def test_affected_eye_narrowing_2mm_more_in_smile() -> None:
    expected = (2.0 - SYNKINESIS_NOISE_MM) / SYNKINESIS_MM_PER_POINT["smile"]
    assert expected == pytest.approx((2 - 0.5) / 0.77)
    assert _synk({"left": 2.5, "right": 0.5}) == pytest.approx(expected, abs=1e-4)


def test_no_co_movement_is_no_synkinesis() -> None:
    assert _synk({}) == pytest.approx(0.0)
    assert _synk({"left": 1.0, "right": 1.0}) == pytest.approx(0.0)  # both eyes narrow alike (normal smile)
    assert _synk({"left": 0.4}) == pytest.approx(0.0)  # inside the noise band


def test_healthy_eye_narrowing_more_is_not_synkinesis() -> None:
    assert _synk({"right": 3.0}) == pytest.approx(0.0)


def test_unknown_side_takes_the_worse_direction() -> None:
    assert _synk({"right": 2.0}, affected=None) == pytest.approx((2.0 - 0.5) / 0.77, abs=1e-4)


def test_pucker_synkinesis_uses_its_own_scale() -> None:
    assert _synk({"left": 2.5}, pose="pucker") == pytest.approx((2.5 - 0.5) / 1.0, abs=1e-4)


def test_synkinesis_is_capped_at_3_points_per_item() -> None:
    assert _synk({"left": 5.0}) == pytest.approx(3.0)


def test_smile_and_pucker_items_add_up_and_repeats_take_the_worst() -> None:
    smile = mm_of([*syn.movement("smile", 5, 5), *syn.eye_opening("left", -2.0)], "smile")
    teeth = mm_of([*syn.movement("smile_teeth", 5, 5), *syn.eye_opening("left", -1.27)], "smile_teeth")
    pucker = mm_of([*syn.movement("pucker", 4, 4), *syn.eye_opening("left", -1.5)], "pucker")
    total = synkinesis_points(REST_MM, {"smile": smile, "smile_teeth": teeth, "pucker": pucker}, "left")
    assert total == pytest.approx((2.0 - 0.5) / 0.77 + (1.5 - 0.5) / 1.0, abs=1e-4)


def test_mouth_corner_travel_during_gentle_eye_closure() -> None:
    closing = [*syn.movement("eyes_gentle", 6, 6), syn.Edit("left", "commissure", up=1.5, out=2.0)]
    pts = synkinesis_points(REST_MM, {"eyes_gentle": mm_of(closing, "eyes_gentle")}, "left")
    assert pts == pytest.approx((2.5 - 0.5) / 1.0, abs=1e-4)
    # Squeezing recruits the cheeks in everyone: not counted.
    squeeze = synkinesis_points(REST_MM, {"eyes_tight": mm_of(closing, "eyes_tight")}, "left")
    assert squeeze is None


def test_no_synkinesis_poses_gives_none() -> None:
    assert (
        synkinesis_points(
            REST_MM, {"brow_raise": mm_of(syn.movement("brow_raise", 5, 5), "brow_raise")}, None
        )
        is None
    )


def test_a_corner_dragged_toward_the_midline_is_not_smile_movement() -> None:
    dragged = [syn.Edit("left", "commissure", out=-2.0), *syn.movement("smile", 0.0, 6.0)[1:]]
    assert [e.side for e in dragged] == ["left", "right"]
    exc = excursions("smile", mm_of(dragged, "smile"), REST_MM)
    assert exc["right"] == pytest.approx(6.0, abs=1e-6)
    assert exc["left"] <= 0.0
