"""`score_session` and `aggregate` end to end on synthetic per-pose frames (full landmark pipeline)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import synthetic as syn

from journal.protocol import Side
from journal.scoring.aggregate import PLATEAU_FRACTION, aggregate, plateau
from journal.scoring.measures import SIDE_INDEX, F, measure
from journal.scoring.scores import excursions, movement_from_ratio, symmetry
from journal.scoring.session import score_session
from journal.scoring.version import SCORER_VERSION

N = 7

#: A left palsy: at rest the left corner is 4 mm lower and the left eye 1.5 mm wider; each movement
#: reaches a third of the healthy side's.
PALSY_REST = [syn.Edit("left", "commissure", up=-4.0), *syn.eye_opening("left", 1.5)]
PALSY_MOVES = {
    "brow_raise": syn.movement("brow_raise", 2.0, 6.0),
    "eyes_gentle": syn.movement("eyes_gentle", 2.0, 6.0),
    "smile": syn.movement("smile", 2.0, 6.0),
    "snarl": syn.movement("snarl", 1.0, 3.0),
}
HEALTHY_MOVES = {
    pose: syn.movement(pose, 5.0, 5.0) for pose in ("brow_raise", "eyes_gentle", "smile", "pucker")
}


def session(
    rest: list[syn.Edit], moves: dict[str, list[syn.Edit]], *, seed: int, n: int = N
) -> dict[str, np.ndarray]:
    """Per-pose N×2×features arrays (head-frame units): the rest face plus each pose's movement."""
    rng = np.random.default_rng(seed)
    out = {"rest": syn.frames(rng, "rest", rest, n)}
    for pose, edits in moves.items():
        out[pose] = syn.frames(rng, pose, [*rest, *edits], n)
    return out


@cache
def palsy(side: Side = "left") -> dict[str, np.ndarray]:
    if side == "left":
        return session(PALSY_REST, PALSY_MOVES, seed=11)
    return session(
        syn.swap_sides(PALSY_REST), {p: syn.swap_sides(e) for p, e in PALSY_MOVES.items()}, seed=11
    )


@cache
def healthy() -> dict[str, np.ndarray]:
    return session([], HEALTHY_MOVES, seed=12)


def test_healthy_session() -> None:
    s = score_session(healthy())
    assert s.scorer_version == SCORER_VERSION
    assert s.mm_per_unit == pytest.approx(10.0, rel=0.01)
    assert s.tonus == pytest.approx(100.0)  # 0.1 mm landmark noise stays inside the dead bands
    assert s.movement is not None and s.movement > 90.0
    assert (s.affected_side, s.affected_side_source) == (None, "unknown")
    assert abs(s.side_evidence) < 0.1
    assert s.synkinesis == pytest.approx(0.0)
    for pose in HEALTHY_MOVES:
        ps = s.poses[pose]
        assert ps.movement is not None and ps.note is None
        assert ps.excursions == pytest.approx({"left": 5.0, "right": 5.0}, abs=0.3)


def test_palsy_session_with_the_side_given() -> None:
    s = score_session(palsy(), affected="left")
    assert (s.affected_side, s.affected_side_source) == ("left", "given")
    d = s.poses["rest"].aggregate.measures_mm
    assert d[SIDE_INDEX["left"], F["mouth"]] - d[SIDE_INDEX["right"], F["mouth"]] == pytest.approx(
        -4.0, abs=0.2
    )
    expected_tonus = 100 - 0.25 * 100 * (1.5 - 0.5) / 5 - 0.30 * 100 * (4.0 - 1.0) / 8
    assert s.tonus == pytest.approx(expected_tonus, abs=1.0)
    eye_left, eye_right = d[SIDE_INDEX["left"], F["eye"]], d[SIDE_INDEX["right"], F["eye"]]
    expected = {}
    for pose in PALSY_MOVES:
        move = s.poses[pose].movement
        assert move is not None, pose
        # Eye closure compares fractions of each eye's own rest opening (the left eye is wider).
        rho = 1 / 3 * (eye_right / eye_left if pose in ("eyes_gentle", "eyes_tight") else 1.0)
        expected[pose] = movement_from_ratio(rho, pose)
        assert move.score == pytest.approx(expected[pose], abs=4.0), pose
    assert s.movement == pytest.approx(float(np.mean(list(expected.values()))), abs=2.0)
    assert s.synkinesis == pytest.approx(0.0)


def test_palsy_session_infers_the_side() -> None:
    given = score_session(palsy(), affected="left")
    s = score_session(palsy())
    assert (s.affected_side, s.affected_side_source) == ("left", "inferred")
    assert s.side_evidence > 0.25
    assert s.tonus == given.tonus and s.movement == given.movement


def test_the_mirrored_palsy_infers_the_other_side() -> None:
    left, right = score_session(palsy("left")), score_session(palsy("right"))
    assert (right.affected_side, right.affected_side_source) == ("right", "inferred")
    assert right.side_evidence < -0.25
    assert right.tonus == pytest.approx(left.tonus, abs=1.0)
    assert right.movement == pytest.approx(left.movement, abs=3.0)


def test_giving_the_wrong_side_scores_the_healthy_side_against_the_affected_one() -> None:
    wrong = score_session(palsy(), affected="right")
    assert (wrong.affected_side, wrong.affected_side_source) == ("right", "given")
    assert wrong.side_evidence == 0.0
    assert wrong.movement == 100.0  # "affected" right moves 3× the "healthy" left: capped


def test_a_too_weak_movement_gets_a_note_instead_of_a_score() -> None:
    frames = dict(healthy())
    frames["smile"] = session([], {"smile": syn.movement("smile", 0.6, 0.8)}, seed=13)["smile"]
    s = score_session(frames)
    smile = s.poses["smile"]
    assert smile.movement is None
    assert smile.excursions is not None and max(smile.excursions.values()) < 1.5
    assert smile.note is not None and "less than 2.5 mm" in smile.note and "retake" in smile.note
    assert s.poses["brow_raise"].note is None
    others = [s.poses[p].movement for p in ("brow_raise", "eyes_gentle", "pucker")]
    assert s.movement == pytest.approx(float(np.mean([m.score for m in others if m is not None])))


def test_missing_rest_scores_no_movement_and_says_why() -> None:
    frames = {p: f for p, f in palsy().items() if p != "rest"}
    s = score_session(frames)
    assert s.tonus is None and s.movement is None and s.synkinesis is None
    # Within-photo cues still name the side: the left corner sits 4 mm lower in the smile.
    assert (s.affected_side, s.affected_side_source) == ("left", "inferred")
    assert s.mm_per_unit == pytest.approx(10.0, rel=0.01)  # scale from all frames' iris
    for pose in frames:
        ps = s.poses[pose]
        assert ps.movement is None and ps.excursions is None
        assert ps.note is not None and "no rest" in ps.note
        assert ps.aggregate.frames_used == N  # no rest: no plateau selection


def test_rest_units_stand_in_for_a_missing_rest_pose() -> None:
    full = palsy()
    frames = {p: f for p, f in full.items() if p != "rest"}
    s = score_session(frames, rest_units=full["rest"], affected="left")
    reference = score_session(full, affected="left")
    assert "rest" not in s.poses
    assert s.tonus == pytest.approx(reference.tonus)
    assert s.movement == pytest.approx(reference.movement)
    assert s.mm_per_unit == pytest.approx(reference.mm_per_unit)
    for pose in frames:
        assert s.poses[pose].note is None


def test_the_rest_pose_wins_over_rest_units() -> None:
    s = score_session(palsy(), rest_units=healthy()["rest"], affected="left")
    assert s.tonus == pytest.approx(score_session(palsy(), affected="left").tonus)


def test_a_frozen_scale_is_honoured() -> None:
    free = score_session(palsy(), affected="left")
    frozen = score_session(palsy(), affected="left", scale=12.0)
    assert frozen.mm_per_unit == 12.0
    for pose in PALSY_MOVES:
        exc_free, exc_frozen = free.poses[pose].excursions, frozen.poses[pose].excursions
        assert exc_free is not None and exc_frozen is not None
        assert exc_frozen["left"] == pytest.approx(exc_free["left"] * 12.0 / free.mm_per_unit)
        assert exc_frozen["right"] == pytest.approx(exc_free["right"] * 12.0 / free.mm_per_unit)
    np.testing.assert_allclose(
        frozen.poses["rest"].aggregate.measures_mm,
        free.poses["rest"].aggregate.measures_mm * 12.0 / free.mm_per_unit,
    )
    assert frozen.movement == pytest.approx(free.movement, abs=0.5)  # ratios do not depend on the scale
    assert (
        frozen.tonus is not None and free.tonus is not None and frozen.tonus < free.tonus
    )  # mm asymmetries grow


def test_the_iris_scale_comes_from_the_rest_frames() -> None:
    frames = dict(palsy())
    frames["smile"] = frames["smile"].copy()
    frames["smile"][..., F["iris"]] *= 2  # a wild iris in another pose does not move the scale
    assert score_session(frames).mm_per_unit == pytest.approx(score_session(palsy()).mm_per_unit)


def test_intervals_need_three_frames_and_contain_the_estimate() -> None:
    s = score_session(palsy(), affected="left")
    for pose, ps in s.poses.items():
        agg = ps.aggregate
        assert agg.symmetry_interval is not None, pose
        lo, hi = agg.symmetry_interval
        assert lo <= agg.symmetry <= hi, pose
    rest = s.poses["rest"].aggregate.symmetry_interval
    assert rest is not None and rest[1] - rest[0] > 0.05  # frame noise shows up in the interval
    two = score_session({p: f[:2] for p, f in palsy().items()}, affected="left")
    assert all(ps.aggregate.symmetry_interval is None for ps in two.poses.values())
    assert all(ps.aggregate.frames_used == 2 for ps in two.poses.values())


def test_aggregate_is_the_median_and_refuses_no_frames() -> None:
    frames_mm = palsy()["rest"] * 10
    agg = aggregate("rest", frames_mm, None)
    np.testing.assert_allclose(agg.measures_mm, np.median(frames_mm, axis=0))
    assert agg.symmetry == pytest.approx(symmetry(agg.measures_mm))
    assert agg.frames_used == N
    with pytest.raises(ValueError, match="no usable frames"):
        aggregate("smile", frames_mm[:0], None)


def test_the_plateau_drops_frames_far_from_the_peak() -> None:
    """Onset and release frames (20–50 % of the movement) are left out; the hold is kept."""
    rng = np.random.default_rng(21)
    amps = [0.2, 0.5, 1.0, 1.0, 0.95, 1.0, 1.0, 0.5, 0.2]
    rest = syn.frames(rng, "rest", [], 5)
    smile = syn.frames(rng, "smile", syn.movement("smile", 2.0, 6.0), len(amps), amplitudes=amps)
    s = score_session({"rest": rest, "smile": smile}, affected="left")
    agg = s.poses["smile"].aggregate
    assert agg.frames_used == 5 < len(amps)
    exc = s.poses["smile"].excursions
    assert exc == pytest.approx({"left": 2.0, "right": 6.0}, abs=0.25)  # the hold, not the ramp median
    # plateau() directly: the kept frames are those within 80 % of the 95th-percentile peak.
    rest_mm = np.median(rest * 10, axis=0)
    kept = plateau("smile", smile * 10, rest_mm)
    tops = [max(excursions("smile", f, rest_mm).values()) for f in kept]
    assert min(tops) >= PLATEAU_FRACTION * 0.95 * 6.0
    assert plateau("rest", smile * 10, rest_mm).shape == smile.shape
    assert plateau("smile", smile[:2] * 10, rest_mm).shape[0] == 2


def test_a_pose_moved_only_the_wrong_way_keeps_every_frame() -> None:
    rest_mm = measure(syn.face()) * 10
    frames_mm = np.repeat(rest_mm[None], 4, axis=0)
    frames_mm[..., F["mouth_x"]] += np.array([1.0, 2.0, 3.0, 4.0])[:, None]  # corners out, not in
    assert all(max(excursions("pucker", f, rest_mm).values()) < 0 for f in frames_mm)
    assert len(plateau("pucker", frames_mm, rest_mm)) == 4  # no peak to hold: nothing dropped


def test_per_pose_order_follows_the_protocol() -> None:
    s = score_session(palsy())
    assert list(s.poses) == ["rest", "brow_raise", "eyes_gentle", "smile", "snarl"]


def test_synkinesis_in_a_session() -> None:
    moves = {"smile": [*syn.movement("smile", 2.0, 6.0), *syn.eye_opening("left", -2.0)]}
    s = score_session(session(PALSY_REST, moves, seed=14), affected="left")
    assert s.synkinesis == pytest.approx((2.0 - 0.5) / 0.77, abs=0.3)


def test_measure_of_frames_matches_the_session_input() -> None:
    """The session input is exactly `measure` of head-frame points: the mm scale is iris-based."""
    units = palsy()["rest"]
    assert units.shape == (N, 2, measure(syn.face()).shape[-1])
    assert np.median(units[..., F["iris"]]) * 10 == pytest.approx(11.77, abs=0.05)


@pytest.mark.parametrize("frames", [1, 2, 3, 10, 11, 20])
def test_medians_of_resamples_are_numpys_medians_exactly(frames: int) -> None:
    from journal.scoring.resample import median_of_resamples

    samples = np.random.default_rng(frames).normal(0.0, 3.0, (200, frames, 2, 11))
    assert np.array_equal(median_of_resamples(samples), np.median(samples, axis=1))
    samples[5, 0, 1, 3] = np.nan  # np.median's NaN where one is, nowhere else
    assert np.array_equal(median_of_resamples(samples), np.median(samples, axis=1), equal_nan=True)
