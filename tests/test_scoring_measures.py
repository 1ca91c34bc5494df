"""Region measures and symmetry on the synthetic face: exact values, signs, dead bands, mirroring."""

from __future__ import annotations

import numpy as np
import pytest
import synthetic as syn
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.protocol import REGIONS, Region, Side
from journal.scoring.landmarks import mirror_permutation
from journal.scoring.measures import FEATURES, IRIS_DIAMETER_MM, SIDE_INDEX, F, measure, mm_per_unit
from journal.scoring.scores import (
    DEAD_BAND,
    FULL_SCALE,
    WEIGHTS,
    infer_affected_side,
    region_symmetry,
    signed_differences,
    symmetry,
)

CANONICAL = syn.canonical_mesh()
FACE = syn.face()
PERM = mirror_permutation(CANONICAL)
TILTED = syn.Camera(rotation=syn.rotation(9, -6, 14), scale=13.0, offset=(300.0, -250.0, 20.0))


def measured_mm(edits: list[syn.Edit], pose: str = "rest", camera: syn.Camera = TILTED) -> np.ndarray:
    """Edit the face, photograph it, and measure it (2×features, mm, the iris setting the scale)."""
    units = syn.measure_observation(syn.observe(syn.apply_edits(FACE, edits), camera), pose, CANONICAL)
    return units * mm_per_unit(units)


def test_symmetric_face_measures_the_same_on_both_sides() -> None:
    mm = measured_mm([])
    np.testing.assert_allclose(mm[SIDE_INDEX["left"]], mm[SIDE_INDEX["right"]], atol=1e-9)
    assert symmetry(mm) == pytest.approx(100.0)
    assert signed_differences(mm) == pytest.approx(dict.fromkeys(REGIONS, 0.0), abs=1e-9)


def test_symmetric_face_measures_have_the_designed_values() -> None:
    mm = measured_mm([])
    assert mm_per_unit(syn.measure_observation(syn.observe(FACE), "rest", CANONICAL)) == pytest.approx(10.0)
    left = dict(zip(FEATURES, mm[SIDE_INDEX["left"]], strict=True))
    assert left["iris"] == pytest.approx(IRIS_DIAMETER_MM)
    assert left["brow"] == pytest.approx((2.0 + 2.3 + 2.3) / 3 * 10)  # brow above the canthus
    assert left["eye"] == pytest.approx((0.33 + 0.37 + 0.35) * 2 / 3 * 10)  # fissure ≈ 7 mm
    assert left["midface"] == pytest.approx(-36.0)
    assert left["mouth"] == pytest.approx(-63.0)
    assert left["mouth_x"] == pytest.approx(25.0)


def test_the_iris_sets_the_millimetre_scale() -> None:
    """A bigger-looking iris (a closer face, or a bigger head) shrinks every mm value alike."""
    big_iris = np.vstack([CANONICAL, syn.iris_points(2 * syn.IRIS_DIAMETER_CM)])
    units = measure(big_iris)
    assert mm_per_unit(units) == pytest.approx(5.0)
    assert (units * mm_per_unit(units))[0, F["iris"]] == pytest.approx(11.77)


def test_mm_per_unit_refuses_a_missing_iris() -> None:
    no_iris = FACE.copy()
    no_iris[468:] = no_iris[468]  # all iris points collapsed: zero diameter
    with pytest.raises(ValueError, match="iris"):
        mm_per_unit(measure(no_iris))
    with pytest.raises(ValueError, match="iris"):
        mm_per_unit(np.full((2, len(FEATURES)), np.nan))


def test_measure_broadcasts_over_frames() -> None:
    rng = np.random.default_rng(5)
    stack = FACE + rng.normal(0, 0.05, (4, *FACE.shape))
    batched = measure(stack)
    assert batched.shape == (4, 2, len(FEATURES))
    for k in range(4):
        np.testing.assert_allclose(batched[k], measure(stack[k]), atol=1e-12)


# --- known asymmetries -> known signed values -----------------------------------------------


def test_left_corner_dropped_3mm() -> None:
    mm = measured_mm([syn.Edit("left", "commissure", up=-3.0)])
    d = signed_differences(mm)
    assert d["mouth"] == pytest.approx(-3.0, abs=0.01)
    assert region_symmetry("mouth", d["mouth"]) == pytest.approx(100 * (1 - (3 - 1) / 8))
    assert {r: d[r] for r in ("brow", "eye", "midface")} == pytest.approx(
        {"brow": 0.0, "eye": 0.0, "midface": 0.0}, abs=1e-9
    )
    assert symmetry(mm) == pytest.approx(100 - WEIGHTS["mouth"] * 25.0)


def test_right_brow_raised_4mm() -> None:
    d = signed_differences(measured_mm([syn.Edit("right", "brow", up=4.0)]))
    assert d["brow"] == pytest.approx(-4.0, abs=0.01)
    assert d["mouth"] == pytest.approx(0.0, abs=1e-9)


def test_left_eye_widened_1mm() -> None:
    mm = measured_mm(syn.eye_opening("left", 1.0))
    d = signed_differences(mm)
    assert d["eye"] == pytest.approx(1.0, abs=0.01)
    assert symmetry(mm) == pytest.approx(100 - WEIGHTS["eye"] * 100 * (1.0 - 0.5) / 5)


def test_left_ala_lowered_2mm() -> None:
    d = signed_differences(measured_mm([syn.Edit("left", "ala", up=-2.0)]))
    assert d["midface"] == pytest.approx(-2.0, abs=0.01)


@pytest.mark.parametrize(
    ("region", "edits"),
    [
        ("eye", syn.eye_opening("left", 0.4)),
        ("brow", [syn.Edit("right", "brow", up=0.9)]),
        ("midface", [syn.Edit("left", "ala", up=-0.9)]),
        ("mouth", [syn.Edit("right", "commissure", up=-0.9)]),
    ],
)
def test_normal_asymmetry_inside_the_dead_band_scores_100(region: Region, edits: list[syn.Edit]) -> None:
    mm = measured_mm(edits)
    assert abs(signed_differences(mm)[region]) > 0.3  # the asymmetry is really there
    assert symmetry(mm) == pytest.approx(100.0)


@pytest.mark.parametrize("region", REGIONS)
def test_region_symmetry_scale(region: Region) -> None:
    dead, full = DEAD_BAND[region], FULL_SCALE[region]
    assert region_symmetry(region, dead) == 100.0
    assert region_symmetry(region, -(dead + full / 2)) == pytest.approx(50.0)
    assert region_symmetry(region, dead + full) == pytest.approx(0.0)
    assert region_symmetry(region, 5 * (dead + full)) == 0.0


def test_weights_sum_to_one_and_worst_face_scores_zero() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    mm = measured_mm(
        [
            syn.Edit("left", "brow", up=-12.0),
            *syn.eye_opening("left", 6.0),
            syn.Edit("left", "ala", up=-8.0),
            syn.Edit("left", "commissure", up=-10.0),
        ]
    )
    assert symmetry(mm) == pytest.approx(0.0)


# --- droop: monotonic, and it names the drooped side -----------------------------------------

DROOPS = [1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]


@pytest.mark.parametrize("side", ["left", "right"])
def test_tonus_falls_monotonically_with_a_growing_droop(side: Side) -> None:
    scores = [symmetry(measured_mm([syn.Edit(side, "commissure", up=-k)])) for k in DROOPS]
    assert all(a > b for a, b in zip(scores, scores[1:], strict=False))
    assert scores[0] < 100.0
    for k in (0.2, 0.5, 1.0):
        assert symmetry(measured_mm([syn.Edit(side, "commissure", up=-k)])) == pytest.approx(100.0)


@pytest.mark.parametrize("side", ["left", "right"])
def test_droop_evidence_points_to_the_drooped_side(side: Side) -> None:
    sign = 1.0 if side == "left" else -1.0
    evidence = []
    for k in DROOPS:
        found, ev = infer_affected_side(measured_mm([syn.Edit(side, "commissure", up=-k)]), {})
        assert found in (side, None)
        assert sign * ev > 0
        evidence.append(sign * ev)
    assert all(a < b for a, b in zip(evidence, evidence[1:], strict=False))
    # A large droop is named outright; so is a moderate one with the eye on that side wider.
    for k in (5.5, 8.0):
        found, _ = infer_affected_side(measured_mm([syn.Edit(side, "commissure", up=-k)]), {})
        assert found == side
    found, _ = infer_affected_side(
        measured_mm([syn.Edit(side, "commissure", up=-4.0), *syn.eye_opening(side, 2.0)]),
        {},
    )
    assert found == side


@pytest.mark.parametrize(
    "edits",
    [
        [syn.Edit("left", "commissure", up=-3.5)],
        [syn.Edit("left", "commissure", up=-4.0)],
        [syn.Edit("left", "commissure", up=-5.0)],
        [syn.Edit("left", "commissure", up=-3.0), *syn.eye_opening("left", 1.5)],
    ],
    ids=["droop3.5", "droop4", "droop5", "droop3+eye1.5"],
)
def test_a_clear_resting_droop_names_the_drooped_side(edits: list[syn.Edit]) -> None:
    """Rest cues add (each is zero inside its dead band): a droop alone need not be halved."""
    found, evidence = infer_affected_side(measured_mm(edits), {})
    assert found == "left"
    mirrored, mirrored_evidence = infer_affected_side(measured_mm(syn.swap_sides(edits)), {})
    assert mirrored == "right"
    assert mirrored_evidence == pytest.approx(-evidence)


def test_no_droop_names_no_side() -> None:
    assert infer_affected_side(measured_mm([]), {}) == (None, 0.0)
    assert infer_affected_side(None, {}) == (None, 0.0)


# --- mirror property ------------------------------------------------------------------------


def _asymmetric_face(rng: np.random.Generator) -> list[syn.Edit]:
    side: Side = "left" if rng.random() < 0.5 else "right"
    return [
        syn.Edit(side, "commissure", up=-rng.uniform(0, 6), out=rng.uniform(-2, 2)),
        syn.Edit(side, "brow", up=-rng.uniform(0, 5)),
        *syn.eye_opening(side, rng.uniform(0, 3)),
        syn.Edit("right", "ala", up=rng.uniform(-3, 3)),
        syn.Edit("left", "cheek", out=rng.uniform(-2, 2), forward=rng.uniform(-2, 2)),
    ]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_mirrored_photo_gives_the_same_scores_with_sides_swapped(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pts = syn.apply_edits(FACE, _asymmetric_face(rng))
    obs = syn.observe(pts, syn.random_camera(rng, max_deg=15.0))
    mirrored = syn.mirror_observation(obs, PERM)
    for pose in ("rest", "brow_raise"):
        direct = syn.measure_observation(obs, pose, CANONICAL) * 10
        flipped = syn.measure_observation(mirrored, pose, CANONICAL) * 10
        np.testing.assert_allclose(flipped, direct[::-1], atol=1e-8)
        assert symmetry(flipped) == pytest.approx(symmetry(direct), abs=1e-9)
        d, d_flip = signed_differences(direct), signed_differences(flipped)
        assert d_flip == pytest.approx({r: -v for r, v in d.items()}, abs=1e-8)
        side, ev = infer_affected_side(direct, {})
        side_flip, ev_flip = infer_affected_side(flipped, {})
        assert ev_flip == pytest.approx(-ev, abs=1e-9)
        assert side_flip == {"left": "right", "right": "left", None: None}[side]


def test_mirroring_a_drooped_face_swaps_the_named_side() -> None:
    obs = syn.observe(syn.apply_edits(FACE, [syn.Edit("left", "commissure", up=-7.0)]), TILTED)
    direct = syn.measure_observation(obs, "rest", CANONICAL) * 10
    flipped = syn.measure_observation(syn.mirror_observation(obs, PERM), "rest", CANONICAL) * 10
    assert infer_affected_side(direct, {})[0] == "left"
    assert infer_affected_side(flipped, {})[0] == "right"
    assert signed_differences(flipped)["mouth"] == pytest.approx(7.0, abs=1e-6)
