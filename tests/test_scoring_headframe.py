"""Head frame: Umeyama, the canonical fit, pose anchors, head angles and the mirror map (synthetic)."""

from __future__ import annotations

import numpy as np
import pytest
import synthetic as syn
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.scoring import landmarks as lm
from journal.scoring import quality
from journal.scoring.headframe import (
    HEAD_POSE_ANCHORS,
    anchor_angles,
    anchors_for_pose,
    head_angles,
    to_head_frame,
    to_head_frame_many,
    umeyama,
)
from journal.scoring.measures import F, measure

CANONICAL = syn.canonical_mesh()
FACE = syn.face()

angles = st.floats(-30.0, 30.0)
scales = st.floats(0.3, 3.0)
shifts = st.floats(-500.0, 500.0)


def _rng_points(n: int = 12, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 3.0, (n, 3))


@settings(max_examples=80, deadline=None)
@given(yaw=angles, pitch=angles, roll=angles, scale=scales, tx=shifts, ty=shifts, tz=shifts)
def test_umeyama_recovers_a_known_similarity(
    yaw: float, pitch: float, roll: float, scale: float, tx: float, ty: float, tz: float
) -> None:
    src = _rng_points()
    rot = syn.rotation(yaw, pitch, roll)
    t = np.array([tx, ty, tz])
    fit = umeyama(src, scale * src @ rot.T + t)
    assert fit.scale == pytest.approx(scale, rel=1e-9)
    np.testing.assert_allclose(fit.rotation, rot, atol=1e-9)
    np.testing.assert_allclose(fit.translation, t, atol=1e-7)
    np.testing.assert_allclose(fit.apply(src), scale * src @ rot.T + t, atol=1e-7)


def test_umeyama_never_returns_a_reflection() -> None:
    src = _rng_points()
    mirrored = src * np.array([-1.0, 1.0, 1.0])
    fit = umeyama(src, mirrored)
    assert np.linalg.det(fit.rotation) == pytest.approx(1.0)
    np.testing.assert_allclose(fit.rotation @ fit.rotation.T, np.eye(3), atol=1e-12)
    # The best proper fit of a reflection cannot be exact.
    assert np.abs(fit.apply(src) - mirrored).max() > 0.5


def test_umeyama_is_the_least_squares_fit_under_noise() -> None:
    rng = np.random.default_rng(3)
    src = _rng_points(200)
    rot = syn.rotation(10, -5, 20)
    tgt = 2.0 * src @ rot.T + 1.0 + rng.normal(0, 0.01, src.shape)
    fit = umeyama(src, tgt)
    best = ((fit.apply(src) - tgt) ** 2).sum()
    for nudge in (syn.rotation(0.2, 0, 0), syn.rotation(0, 0.2, 0), syn.rotation(0, 0, 0.2)):
        worse = ((fit.scale * src @ (nudge @ fit.rotation).T + fit.translation - tgt) ** 2).sum()
        assert worse > best
    assert fit.scale == pytest.approx(2.0, abs=1e-3)


@settings(max_examples=60, deadline=None)
@given(
    yaw=angles,
    pitch=angles,
    roll=angles,
    scale=scales,
    tx=st.floats(100, 540),
    ty=st.floats(-380, -100),
    tz=st.floats(-200, 200),
)
def test_to_head_frame_undoes_any_head_pose(
    yaw: float, pitch: float, roll: float, scale: float, tx: float, ty: float, tz: float
) -> None:
    cam = syn.Camera(rotation=syn.rotation(yaw, pitch, roll), scale=15.0 * scale, offset=(tx, ty, tz))
    obs = syn.observe(FACE, cam)
    for pose in ("rest", "brow_raise"):
        aligned = to_head_frame(obs.points_3d(), CANONICAL, anchors_for_pose(pose))
        np.testing.assert_allclose(aligned, FACE, atol=1e-9)


def test_points_3d_inverts_the_normalisation() -> None:
    cam = syn.Camera(rotation=syn.rotation(12, -7, 25), scale=20.0, offset=(300.0, -200.0, 15.0))
    obs = syn.observe(FACE, cam)
    np.testing.assert_allclose(obs.points_3d(), cam.to_pixels(FACE), atol=1e-9)
    # Un-mirrored image: the subject's right eye is on the image's left; image y grows downward;
    # MediaPipe's z is smaller (more negative) toward the camera.
    frontal = syn.observe(FACE).landmarks
    assert frontal[lm.CANTHUS["right"], 0] < frontal[lm.CANTHUS["left"], 0]
    assert frontal[10, 1] < frontal[lm.COMMISSURE["left"], 1]
    assert frontal[4, 2] < frontal[lm.TEMPLE_ANCHORS[0], 2]


def test_the_head_frame_ignores_moving_points() -> None:
    """Edits away from the anchors are measured exactly, whatever the head pose."""
    edited = syn.apply_edits(FACE, [syn.Edit("left", "commissure", up=-3.0, out=2.0)])
    cam = syn.Camera(rotation=syn.rotation(20, 10, -15), scale=11.0)
    aligned = to_head_frame(syn.observe(edited, cam).points_3d(), CANONICAL, anchors_for_pose("smile"))
    np.testing.assert_allclose(aligned, edited, atol=1e-9)


def test_brow_raise_leaves_the_moving_forehead_out_of_the_anchors() -> None:
    """Raising the brows drags the forehead skin and the canthi; those must not tilt the head frame."""
    raised = syn.apply_edits(
        FACE,
        [
            syn.Edit("left", "brow", up=6.0),
            syn.Edit("right", "brow", up=6.0),
            syn.Edit("left", "forehead", up=4.0),
            syn.Edit("left", "canthus", up=0.5),
            syn.Edit("right", "canthus", up=0.5),
        ],
    )
    pts = syn.observe(raised, syn.Camera(rotation=syn.rotation(5, 5, 5))).points_3d()
    good = to_head_frame(pts, CANONICAL, anchors_for_pose("brow_raise"))
    np.testing.assert_allclose(good, raised, atol=1e-9)
    biased = to_head_frame(pts, CANONICAL, lm.ALL_ANCHORS)
    assert np.abs(biased - raised).max() > 0.05  # > 0.5 mm off with the forehead as an anchor
    brow = measure(good)[:, F["brow"]] - measure(FACE)[:, F["brow"]]
    np.testing.assert_allclose(brow * 10, [5.5, 5.5], atol=1e-9)  # brow +6 mm over a canthus +0.5 mm


@pytest.mark.parametrize("pose", ["brow_raise", "eyes_gentle", "eyes_tight"])
def test_upper_face_poses_use_nose_and_temples_only(pose: str) -> None:
    anchors = anchors_for_pose(pose)
    assert set(anchors) == set(lm.NOSE_ANCHORS) | set(lm.TEMPLE_ANCHORS)
    assert not set(anchors) & (set(lm.FOREHEAD_ANCHORS) | set(lm.CANTHUS_ANCHORS))


@pytest.mark.parametrize(
    "pose", ["rest", "smile", "smile_teeth", "snarl", "pucker", "lower_teeth", "cheek_puff"]
)
def test_other_poses_use_every_anchor(pose: str) -> None:
    assert anchors_for_pose(pose) == lm.ALL_ANCHORS


def test_anchor_sets_are_closed_under_mirroring() -> None:
    perm = lm.mirror_permutation(CANONICAL)
    for anchors in (lm.ALL_ANCHORS, lm.UPPER_FACE_MOVING_ANCHORS):
        assert {int(perm[i]) for i in anchors} == set(anchors)


# --- the mirror map -------------------------------------------------------------------------


def test_mirror_permutation_pairs_the_named_landmarks() -> None:
    perm = lm.mirror_permutation(CANONICAL)
    for right, left in syn.PAIRS.items():
        assert (perm[right], perm[left]) == (left, right)
    for mid in lm.NOSE_ANCHORS + lm.FOREHEAD_ANCHORS:
        assert perm[mid] == mid
    for a, b in {468: 473, 469: 476, 470: 475, 471: 474, 472: 477}.items():
        assert (perm[a], perm[b]) == (b, a)
    np.testing.assert_array_equal(perm, syn.mirror_partner_map())
    np.testing.assert_array_equal(perm[perm], np.arange(478))


def test_mirror_permutation_pairs_the_named_regions_of_landmarks_py() -> None:
    perm = lm.mirror_permutation(CANONICAL)
    for table in (lm.BROW, lm.UPPER_LID, lm.LOWER_LID, lm.UPPER_LIP, lm.LOWER_LIP, lm.CHEEK):
        assert tuple(int(perm[i]) for i in table["right"]) == table["left"]
    for single in (lm.CANTHUS, lm.ALA, lm.COMMISSURE, lm.IRIS_HORIZONTAL):
        right, left = np.atleast_1d(single["right"]), np.atleast_1d(single["left"])
        assert sorted(int(perm[i]) for i in right) == sorted(int(i) for i in left)


def test_the_synthetic_iris_maps_onto_its_mirror() -> None:
    perm = lm.mirror_permutation(CANONICAL)
    np.testing.assert_array_equal(FACE[perm] * np.array([-1.0, 1.0, 1.0]), FACE)


def test_mirror_permutation_rejects_an_asymmetric_mesh() -> None:
    broken = CANONICAL.copy()
    # Put another vertex right next to the mirror image of 61: two vertices then claim 61 as partner.
    broken[300] = CANONICAL[61] * np.array([-1.0, 1.0, 1.0]) + np.array([0.0, 0.001, 0.0])
    with pytest.raises(ValueError, match="symmetric"):
        lm.mirror_permutation(broken)


# --- head angles ----------------------------------------------------------------------------


def _matrix(forward_rotation: np.ndarray, t: tuple[float, float, float]) -> np.ndarray:
    m = np.eye(4)
    m[:3, :3], m[:3, 3] = forward_rotation, t
    return m


def test_head_angles_frontal_face_is_zero() -> None:
    turn, yaw, pitch = head_angles(_matrix(np.eye(3), (0.0, 0.0, -60.0)))
    assert (turn, yaw, pitch) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)


@pytest.mark.parametrize("deg", [-20.0, -8.0, 8.0, 20.0])
def test_head_angles_yaw_sign_and_size(deg: float) -> None:
    turn, yaw, pitch = head_angles(_matrix(syn.rotation(yaw=deg), (0.0, 0.0, -60.0)))
    assert yaw == pytest.approx(deg)  # positive: toward the image's right, the subject's left
    assert turn == pytest.approx(abs(deg))
    assert pitch == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("deg", [-20.0, 15.0])
def test_head_angles_pitch_sign_and_size(deg: float) -> None:
    turn, yaw, pitch = head_angles(_matrix(syn.rotation(pitch=deg), (0.0, 0.0, -60.0)))
    assert pitch == pytest.approx(deg)  # positive: chin up
    assert turn == pytest.approx(abs(deg))
    assert yaw == pytest.approx(0.0, abs=1e-9)


def test_head_angles_measure_from_the_camera_ray_not_the_optical_axis() -> None:
    """A face off to the side that looks straight at the lens is not turned."""
    t = np.array([25.0, -10.0, -60.0])
    ray = -t / np.linalg.norm(t)
    # A rotation that takes +z (the face's forward axis) onto the ray to the camera.
    yaw = np.degrees(np.arcsin(ray[0]))
    pitch = np.degrees(np.arcsin(ray[1] / np.cos(np.radians(yaw))))
    rot = syn.rotation(yaw=yaw, pitch=pitch)
    np.testing.assert_allclose(rot @ [0.0, 0.0, 1.0], ray, atol=1e-12)
    turn, yaw_out, pitch_out = head_angles(_matrix(rot, tuple(t)))
    assert (turn, yaw_out, pitch_out) == pytest.approx((0.0, 0.0, 0.0), abs=1e-6)
    # The same head facing the optical axis is turned toward the image centre's other side.
    turn2, yaw2, _ = head_angles(_matrix(np.eye(3), tuple(t)))
    assert turn2 > 20 and yaw2 > 20


@pytest.mark.parametrize(("yaw", "pitch"), [(0.0, 0.0), (8.0, -5.0), (-9.0, 12.0)])
def test_anchor_angles_read_the_head_not_the_expression(yaw: float, pitch: float) -> None:
    """A strong one-sided expression (smile, wink, brow) moves the head reading by < 2°."""
    cam = syn.Camera(rotation=syn.rotation(yaw, pitch, 5.0), scale=15.0)
    expression = [
        syn.Edit("left", "commissure", up=8.0, out=6.0),
        syn.Edit("left", "upper_lid", up=-6.0),
        syn.Edit("left", "brow", up=-5.0),
        syn.Edit("right", "lower_lip", up=-10.0),
    ]
    for face in (FACE, syn.apply_edits(FACE, expression)):
        turn, y, p = anchor_angles(syn.observe(face, cam).points_3d(), CANONICAL)
        assert y == pytest.approx(yaw, abs=2.0)
        assert p == pytest.approx(pitch, abs=2.0)
        assert turn == pytest.approx(
            float(np.degrees(np.arccos(np.cos(np.radians(yaw)) * np.cos(np.radians(pitch))))), abs=2.0
        )


@settings(max_examples=60, deadline=None)
@given(yaw=st.floats(-25.0, 25.0), pitch=st.floats(-20.0, 20.0), scale=st.floats(8.0, 25.0))
def test_anchor_angles_of_a_turned_canonical_head(yaw: float, pitch: float, scale: float) -> None:
    """A rigidly turned head reads its turn: exact for a pure yaw or pitch, within 1.5° combined."""
    for y, p, tol in ((yaw, 0.0, 1e-6), (0.0, pitch, 1e-6), (yaw * 0.6, pitch * 0.6, 1.5)):
        cam = syn.Camera(rotation=syn.rotation(y, p), scale=scale)
        turn, y_out, p_out = anchor_angles(syn.observe(FACE, cam).points_3d(), CANONICAL)
        assert y_out == pytest.approx(y, abs=tol)  # positive: toward the image's right, the subject's left
        assert p_out == pytest.approx(p, abs=tol)  # positive: chin up
        assert turn >= max(abs(y_out), abs(p_out)) - 1e-6


def test_an_expression_of_every_point_but_the_anchors_does_not_move_the_head() -> None:
    """Everything but the head-pose anchors displaced by up to 2 cm: yaw and pitch stay put exactly."""
    cam = syn.Camera(rotation=syn.rotation(7.0, -4.0, 3.0), scale=15.0)
    moving = np.setdiff1d(np.arange(len(FACE)), HEAD_POSE_ANCHORS)
    before = anchor_angles(syn.observe(FACE, cam).points_3d(), CANONICAL)
    rng = np.random.default_rng(11)
    for _ in range(5):
        face = FACE.copy()
        face[moving] += rng.uniform(-2.0, 2.0, (len(moving), 3))
        assert anchor_angles(syn.observe(face, cam).points_3d(), CANONICAL) == pytest.approx(before, abs=1e-9)


@pytest.mark.parametrize("deg", [-14.0, 14.0])
def test_a_truly_turned_head_is_still_rejected_by_the_gate(deg: float) -> None:
    """Head pose from the anchors still reads a real turn past the gate, with the side to turn back."""
    cam = syn.Camera(rotation=syn.rotation(yaw=deg), scale=15.0)
    _, yaw, _ = anchor_angles(syn.observe(FACE, cam).points_3d(), CANONICAL)
    assert abs(yaw) > quality.MAX_TURN_DEG and np.sign(yaw) == np.sign(deg)
    turned = syn.observe(FACE, cam, yaw_deg=yaw, blendshapes=syn.EXPRESSION_SHAPES["rest"])
    assert quality.check(turned, "rest") == "head_turned"
    assert quality.advice(turned, "head_turned") == (
        "turn a little to your right" if deg > 0 else "turn a little to your left"
    )


@pytest.mark.parametrize("pose", ["rest", "brow_raise", "smile"])
def test_many_frames_fitted_at_once_match_each_frame_fitted_alone(pose: str) -> None:
    rng = np.random.default_rng(7)
    frames = [syn.observe(FACE, syn.random_camera(rng, max_deg=20.0)).points_3d() for _ in range(6)]
    frames.append(frames[0] * np.array([-1.0, 1.0, 1.0]))  # a mirror image: the fit must not reflect
    frames.append(frames[1] + rng.normal(0.0, 2.0, frames[1].shape))  # noisy landmarks
    points = np.stack(frames)
    anchors = anchors_for_pose(pose)
    alone = np.stack([to_head_frame(p, CANONICAL, anchors) for p in points])
    np.testing.assert_allclose(to_head_frame_many(points, CANONICAL, anchors), alone, rtol=0, atol=1e-9)
    assert to_head_frame_many(points[:0], CANONICAL, anchors).shape == (0, 478, 3)
