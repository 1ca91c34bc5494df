"""Measurement v4 (issue 8) on the shared photos: millimetres that see a 1 mm change, sides named from
one photo and never on a healthy one, and movement that repeats between two sessions of one person.

The photos are read from ../shared and never copied; warped images exist only in memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import warps

from journal.capture.landmarker import MediaPipeLandmarker
from journal.capture.sources import load_image
from journal.models import FaceObservation
from journal.protocol import Side
from journal.scoring.headframe import anchors_for_pose, to_head_frame
from journal.scoring.measures import measure
from journal.scoring.session import SessionScores, score_session
from journal.services.analysis import PoseCapture, add_frame, score_captures
from journal.services.dashboard import rest_changes
from journal.signals.points import WeekPoint

pytest.importorskip("cv2")
pytestmark = pytest.mark.shared

HEALTHY_RESTS = (
    *(f"protocol/{p}/rest.jpg" for p in ("p1a", "p1b", "p2", "p3", "p4")),
    *(f"expressions/yale/{s}_normal.jpg" for s in ("s03", "s08", "s10", "s12", "s14")),
)
YALE = ("s03", "s08", "s10", "s12", "s14")
#: Yale expressions and the protocol pose each one is.
YALE_POSES = {"normal": "rest", "happy": "smile_teeth", "surprised": "brow_raise", "sleepy": "eyes_gentle"}
HEALTHY_FOLDERS = ("p1a", "p1b", "p2", "p3", "p4")


def units(landmarker: MediaPipeLandmarker, obs: FaceObservation | None, pose: str) -> np.ndarray:
    """One photo's measures (1×2×features, head-frame units), without the quality gates."""
    assert obs is not None, "no face found"
    return measure(to_head_frame(obs.points_3d(), landmarker.canonical, anchors_for_pose(pose)))[None]


def score_rest(
    landmarker: MediaPipeLandmarker, image: np.ndarray, affected: Side, scale: float | None = None
) -> SessionScores:
    """Score one photo as rest, through the quality gates, with the side given."""
    capture = PoseCapture("rest")
    reason = add_frame(capture, image, landmarker.detect(image), landmarker.canonical)
    assert reason is None, reason
    scores = score_captures([capture], None, affected, scale)
    assert scores is not None
    return scores


def oriented_mouth(scores: SessionScores) -> float:
    asym = scores.rest_asymmetry()
    assert asym is not None
    return asym["mouth"][0]


# --- item 3: a 1 mm change of the affected mouth corner is beyond noise ---------------------------


@pytest.mark.parametrize("name", HEALTHY_RESTS)
@pytest.mark.parametrize("side", ("left", "right"))
def test_one_mm_of_mouth_corner_droop_between_two_tests_is_beyond_noise(
    faces_dir: Path, landmarker: MediaPipeLandmarker, name: str, side: Side
) -> None:
    image = load_image(faces_dir / name)
    first = score_rest(landmarker, image, side)
    assert first.tonus is not None and first.tonus >= 95.0, "tonus stays the 0–100 summary"
    warp = warps.shift(image, landmarker.detect(image), "mouth", side, 1.0)  # type: ignore[arg-type]
    assert warp.true_mm == pytest.approx(1.0, abs=0.02)
    second = score_rest(landmarker, warp.image, side, first.mm_per_unit)
    t0 = datetime(2026, 11, 2, 10)
    points = [
        WeekPoint(t0, first.tonus, None, rest_oriented_mm=dict(_oriented(first))),
        WeekPoint(t0 + timedelta(weeks=1), second.tonus, None, rest_oriented_mm=dict(_oriented(second))),
    ]
    mouth = rest_changes(points, side)["mouth"]
    assert mouth.since_last is not None
    print(f"{name} {side}: {mouth.describe()}")
    assert mouth.since_last.delta > 0, "the drooped corner moves the oriented asymmetry up"
    assert mouth.since_last.beyond_noise, f"{mouth.since_last.delta:.2f} mm within ±{mouth.noise.sdc:.2f}"


def _oriented(scores: SessionScores) -> dict[str, float]:
    asym = scores.rest_asymmetry()
    assert asym is not None
    return {r: v for r, (v, _) in asym.items()}


def test_two_days_of_one_healthy_face_change_within_noise(
    faces_dir: Path, landmarker: MediaPipeLandmarker
) -> None:
    """p1a and p1b are one healthy person on two days: no region may claim a change."""
    days = [
        score_rest(landmarker, load_image(faces_dir / f"protocol/{d}/rest.jpg"), "left")
        for d in ("p1a", "p1b")
    ]
    t0 = datetime(2026, 11, 2, 10)
    points = [
        WeekPoint(t0 + timedelta(weeks=i), s.tonus, None, rest_oriented_mm=_oriented(s))
        for i, s in enumerate(days)
    ]
    for region, change in rest_changes(points, "left").items():
        assert change.since_last is not None and not change.since_last.beyond_noise, (region, change)


# --- item 5: the side from one photo ---------------------------------------------------------------


def _healthy_photos() -> list[tuple[str, str]]:
    photos = [(f"expressions/yale/{s}_{e}.jpg", pose) for s in YALE for e, pose in YALE_POSES.items()]
    for folder in HEALTHY_FOLDERS:
        for pose in ("rest", "brow_raise", "eyes_gentle", "smile_teeth", "lower_teeth", "snarl", "pucker"):
            photos.append((f"protocol/{folder}/{pose}.jpg", pose))
    photos += [("protocol/p1a/smile.jpg", "smile"), ("protocol/p1a/eyes_tight.jpg", "eyes_tight")]
    return photos


def test_no_single_healthy_photo_names_a_side(faces_dir: Path, landmarker: MediaPipeLandmarker) -> None:
    named = []
    for name, pose in _healthy_photos():
        obs = landmarker.detect(load_image(faces_dir / name))
        s = score_session({pose: units(landmarker, obs, pose)})
        if s.affected_side is not None:
            named.append((name, s.affected_side, round(s.side_evidence, 2)))
    assert not named, named


@pytest.mark.parametrize("folder", HEALTHY_FOLDERS)
def test_no_healthy_folder_names_a_side(
    faces_dir: Path, landmarker: MediaPipeLandmarker, folder: str
) -> None:
    frames = {}
    for photo in sorted((faces_dir / "protocol" / folder).glob("*.jpg")):
        frames[photo.stem] = units(landmarker, landmarker.detect(load_image(photo)), photo.stem)
    s = score_session(frames)
    assert (s.affected_side, s.affected_side_source) == (None, "unknown"), s.side_evidence


@pytest.mark.parametrize("subject", YALE)
def test_every_yale_wink_names_the_open_eye_alone_and_with_rest(
    faces_dir: Path, landmarker: MediaPipeLandmarker, subject: str
) -> None:
    yale = faces_dir / "expressions" / "yale"
    wink_obs = landmarker.detect(load_image(yale / f"{subject}_wink.jpg"))
    wink = units(landmarker, wink_obs, "eyes_gentle")
    assert wink_obs is not None
    blink = wink_obs.blendshapes
    opened = "left" if blink["eyeBlinkLeft"] < blink["eyeBlinkRight"] else "right"
    alone = score_session({"eyes_gentle": wink})
    rest = units(landmarker, landmarker.detect(load_image(yale / f"{subject}_normal.jpg")), "rest")
    both = score_session({"eyes_gentle": wink, "rest": rest})
    assert (alone.affected_side, alone.affected_side_source) == (opened, "inferred")
    assert (both.affected_side, both.affected_side_source) == (opened, "inferred")


def test_a_3mm_mouth_corner_droop_on_a_real_rest_photo_never_names_the_wrong_side(
    faces_dir: Path, landmarker: MediaPipeLandmarker
) -> None:
    """The face model reads a 3 mm droop as 2.0–2.9 mm of left−right difference, and healthy rest
    photos reach 2.0 mm on their own (Yale s03), so the rest cues (corner 2.2 mm, lower lip beside it
    0.8 mm) name the side on 12 of the bench's 20 warps, not where the droop works against the face's
    own tilt (tests/test_side_rest.py); the synthetic droop test covers the exact 3 mm. Never the wrong
    side."""
    named = 0
    for name in HEALTHY_RESTS:
        image = load_image(faces_dir / name)
        obs = landmarker.detect(image)
        for side in ("left", "right"):
            warp = warps.shift(image, obs, "mouth", side, 3.0)  # type: ignore[arg-type]
            after = score_session({"rest": units(landmarker, landmarker.detect(warp.image), "rest")})
            assert after.affected_side in (None, side), (name, side)
            named += after.affected_side == side
    assert named >= len(HEALTHY_RESTS), f"named on {named} of {2 * len(HEALTHY_RESTS)} warps"


# --- item 6: movement that repeats ---------------------------------------------------------------------


def folder_scores(faces_dir: Path, landmarker: MediaPipeLandmarker, folder: str) -> SessionScores:
    captures: dict[str, PoseCapture] = {}
    for photo in sorted((faces_dir / "protocol" / folder).glob("*.jpg")):
        image = load_image(photo)
        capture = captures.setdefault(photo.stem, PoseCapture(photo.stem))
        add_frame(capture, image, landmarker.detect(image), landmarker.canonical)
    scores = score_captures(captures.values(), None, None)
    assert scores is not None
    return scores


def test_one_person_on_two_days_moves_alike(faces_dir: Path, landmarker: MediaPipeLandmarker) -> None:
    a, b = (folder_scores(faces_dir, landmarker, d) for d in ("p1a", "p1b"))
    shared = [p for p in b.poses if p != "rest" and p in a.poses]
    diffs = {}
    for pose in shared:
        ma, mb = a.poses[pose].movement, b.poses[pose].movement
        assert ma is not None and mb is not None, pose
        diffs[pose] = ma.score - mb.score
    print("p1a − p1b per pose:", {p: round(d, 1) for p, d in diffs.items()})
    assert all(abs(d) <= 10.0 for d in diffs.values()), diffs
    assert a.movement is not None and b.movement is not None
    assert abs(a.movement - b.movement) <= 5.0


@pytest.mark.parametrize("folder", HEALTHY_FOLDERS)
def test_healthy_folders_score_at_least_80_on_every_scored_pose(
    faces_dir: Path, landmarker: MediaPipeLandmarker, folder: str
) -> None:
    s = folder_scores(faces_dir, landmarker, folder)
    scored = {p: ps.movement.score for p, ps in s.poses.items() if ps.movement is not None}
    assert len(scored) >= 4, {p: ps.note for p, ps in s.poses.items()}
    assert min(scored.values()) >= 80.0, scored
