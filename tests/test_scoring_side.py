"""The affected side from ranked cues: within one photo, movement above rest, conflicts give no side."""

from __future__ import annotations

import numpy as np
import pytest
import synthetic as syn

from journal.protocol import Side
from journal.scoring.asymmetry import difference_intervals, orient_interval, oriented
from journal.scoring.measures import mm_per_unit
from journal.scoring.scores import excursions, infer_affected_side
from journal.scoring.side import Cue, decide

CANONICAL = syn.canonical_mesh()
FACE = syn.face()
CAM = syn.Camera(rotation=syn.rotation(6, -4, 9), scale=14.0)


def mm(edits: list[syn.Edit], pose: str = "rest") -> np.ndarray:
    """Edit the face, photograph it and measure it in mm (2×features)."""
    units = syn.measure_observation(syn.observe(syn.apply_edits(FACE, edits), CAM), pose, CANONICAL)
    return units * mm_per_unit(units)


REST = mm([])


def other(side: Side) -> Side:
    return "right" if side == "left" else "left"


@pytest.mark.parametrize("side", ("left", "right"))
def test_a_3mm_resting_mouth_corner_droop_names_its_side(side: Side) -> None:
    assert infer_affected_side(mm([syn.Edit(side, "commissure", up=-3.0)]), {})[0] == side
    assert infer_affected_side(mm([syn.Edit(side, "commissure", up=-1.5)]), {})[0] is None


@pytest.mark.parametrize("side", ("left", "right"))
def test_a_wider_eye_at_rest_is_never_a_cue_on_its_own(side: Side) -> None:
    found, _ = infer_affected_side(mm(syn.eye_opening(side, 4.0)), {})
    assert found is None


@pytest.mark.parametrize("side", ("left", "right"))
@pytest.mark.parametrize(
    ("pose", "edits"),
    [
        ("smile", lambda s: [syn.Edit(s, "commissure", up=-2.5)]),
        ("smile_teeth", lambda s: [syn.Edit(s, "commissure", up=-2.5)]),
        ("pucker", lambda s: [syn.Edit(s, "commissure", out=3.5)]),
        ("lower_teeth", lambda s: [syn.Edit(s, "lower_lip", up=2.5)]),
        ("eyes_gentle", lambda s: syn.eye_opening(s, 2.5)),
        ("brow_raise", lambda s: [syn.Edit(s, "brow", up=-6.0)]),  # refined brows: threshold 5 mm
    ],
)
def test_one_photo_of_an_expression_names_the_weaker_side(side: Side, pose: str, edits: object) -> None:
    photo = mm(edits(side), pose)  # type: ignore[operator]
    assert infer_affected_side(None, {}, {pose: photo})[0] == side
    # Half as much is within what healthy faces show: no side.
    half = mm([e.scaled(0.5) for e in edits(side)], pose)  # type: ignore[operator]
    assert infer_affected_side(None, {}, {pose: half})[0] is None


@pytest.mark.parametrize("side", ("left", "right"))
def test_movement_outranks_an_opposite_rest_cue(side: Side) -> None:
    """A wink with a weak opposite rest cue: the eye that stayed open is named."""
    rest = mm([syn.Edit(other(side), "commissure", up=-2.5)])
    moves = {"left": 0.5, "right": 6.0} if side == "left" else {"left": 6.0, "right": 0.5}
    wink = mm(
        [
            syn.Edit(other(side), "commissure", up=-2.5),
            *syn.movement("eyes_gentle", moves["left"], moves["right"]),
        ],
        "eyes_gentle",
    )
    exc = {"eyes_gentle": excursions("eyes_gentle", wink, rest)}
    assert infer_affected_side(rest, {})[0] == other(side)  # rest alone points the other way
    assert infer_affected_side(rest, exc, {"eyes_gentle": wink})[0] == side


def test_conflicting_cues_of_one_rank_name_no_side() -> None:
    assert decide([[Cue("smile:mouth", 1.5), Cue("eyes_gentle:eye", -1.2)], [Cue("rest:mouth", 3.0)]]) == (
        None,
        pytest.approx((np.tanh(0.75) + np.tanh(-0.6)) / 2),
    )
    side, evidence = decide([[Cue("smile:mouth", 0.4)], [Cue("rest:mouth", -1.3)]])
    assert side == "right" and evidence < 0  # no movement cue fired: rest decides


def test_oriented_asymmetry_points_the_palsy_way() -> None:
    drooped = mm(
        [
            syn.Edit("left", "commissure", up=-2.0),
            syn.Edit("left", "brow", up=-1.0),
            *syn.eye_opening("left", 1.0),
        ]
    )
    left = oriented(drooped, "left")
    assert left["mouth"] == pytest.approx(2.0, abs=1e-6)
    assert left["brow"] == pytest.approx(1.0, abs=1e-6)
    assert left["eye"] == pytest.approx(1.0, abs=1e-6)
    right = oriented(drooped, "right")  # the "affected" right is tighter than the left
    assert right["mouth"] == pytest.approx(-2.0, abs=1e-6)
    assert orient_interval("mouth", (-2.2, -1.8), "left") == pytest.approx((1.8, 2.2))
    assert orient_interval("eye", (0.8, 1.2), "right") == pytest.approx((-1.2, -0.8))


def test_difference_intervals_cover_the_median_and_need_three_frames() -> None:
    rng = np.random.default_rng(3)
    frames = syn.frames(rng, "rest", [syn.Edit("left", "commissure", up=-2.0)], 9) * 10.0
    intervals = difference_intervals(frames)
    assert intervals is not None
    lo, hi = intervals["mouth"]
    assert lo <= -2.0 + 0.2 and hi >= -2.0 - 0.2 and lo < hi
    assert difference_intervals(frames[:2]) is None


# --- edges along a profile (the experimental image refinement of lids and brow) -----------------------


def test_find_edge_locates_a_blurred_step_to_a_fraction_of_a_sample() -> None:
    from journal.scoring.edges import find_edge

    x = np.arange(200, dtype=np.float64)
    for true in (80.0, 80.3, 80.5, 121.7):
        step = 40.0 + 120.0 / (1.0 + np.exp(-(x - true) / 2.0))  # dark to bright
        edge = find_edge(step, "dark_to_bright", guess=true + 6, reach=20, sigma=2.0)
        assert edge is not None and edge.position == pytest.approx(true, abs=0.15)
        assert edge.contrast > 6
        assert find_edge(step, "bright_to_dark", guess=true, reach=20, sigma=2.0) is None
    assert find_edge(np.full(200, 90.0), "dark_to_bright", guess=100, reach=20, sigma=2.0) is None


def test_find_edge_prefers_the_edge_near_the_guess() -> None:
    from journal.scoring.edges import find_edge

    x = np.arange(300, dtype=np.float64)
    near = 60.0 / (1.0 + np.exp(-(x - 100) / 2.0))
    far = 100.0 / (1.0 + np.exp(-(x - 130) / 2.0))  # stronger, but further from the guess
    edge = find_edge(near + far, "dark_to_bright", guess=104, reach=20, sigma=2.0)
    assert edge is not None and edge.position == pytest.approx(100.0, abs=0.3)
