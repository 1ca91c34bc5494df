"""The experimental image refinement of the lower lid and brow (journal.capture.refine, issue 8 item 4).

Pure tests of the band finder, then the gains on warped shared rest photos (tests/warps.py, the same
warps and faces as bench/measurement.py): per true mm, the refined left−right brow and eye differences
move ≥ 0.6 mm on every face, while unwarped healthy faces keep a small false difference. The photos
are read from ../shared and never copied; warped images exist only in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from journal.scoring.edges import find_band

# --- the darkest band along a profile (the brow) --------------------------------------------------------


def _band(x: np.ndarray, centre: float, width: float, depth: float = 80.0) -> np.ndarray:
    """A bright profile with a dark band of `width` around `centre`, soft edges."""
    top = 1.0 / (1.0 + np.exp(-(x - (centre - width / 2)) / 1.5))
    bottom = 1.0 / (1.0 + np.exp(-(x - (centre + width / 2)) / 1.5))
    return 160.0 - depth * (top - bottom)


def test_find_band_locates_a_dark_band_to_a_fraction_of_a_sample() -> None:
    x = np.arange(300, dtype=np.float64)
    for true in (100.0, 100.3, 141.6):
        band = find_band(_band(x, true, 30.0), centre=true + 12, width=30.0, reach=40.0, sigma=2.0)
        assert band is not None and band.position == pytest.approx(true, abs=0.2)
        assert band.contrast > 40


def test_find_band_follows_a_band_that_is_wider_or_narrower_than_the_guess() -> None:
    x = np.arange(300, dtype=np.float64)
    for width in (20.0, 44.0):
        band = find_band(_band(x, 150.0, width), centre=158.0, width=30.0, reach=40.0, sigma=2.0)
        assert band is not None and band.position == pytest.approx(150.0, abs=1.0)


def test_find_band_needs_contrast_and_prefers_the_band_near_the_guess() -> None:
    x = np.arange(400, dtype=np.float64)
    assert find_band(np.full(400, 120.0), centre=200, width=30, reach=40, sigma=2.0) is None
    profile = _band(x, 150.0, 30.0, depth=50.0) + _band(x, 215.0, 30.0, depth=90.0) - 160.0
    band = find_band(profile, centre=158.0, width=30.0, reach=40.0, sigma=2.0)
    assert band is not None and band.position == pytest.approx(150.0, abs=1.0)


# --- gains on the shared faces ---------------------------------------------------------------------------

cv2 = pytest.importorskip("cv2")
WARP_FACES = (
    *(f"protocol/{p}/rest.jpg" for p in ("p1a", "p1b", "p2", "p3", "p4")),
    *(f"expressions/yale/{s}_normal.jpg" for s in ("s08", "s12", "s14")),
)
HEALTHY_RESTS = (*WARP_FACES, "expressions/yale/s03_normal.jpg", "expressions/yale/s10_normal.jpg")


@pytest.fixture(scope="module")
def landmarker(model_path: Path) -> Iterator[object]:
    """One IMAGE-mode landmarker for this module."""
    from journal.capture.landmarker import MediaPipeLandmarker

    lm = MediaPipeLandmarker(model_path, stream=False)
    try:
        yield lm
    finally:
        lm.close()


def _measures(landmarker: object, image: np.ndarray) -> np.ndarray:
    """The refined rest measures (2×features, head-frame units) of one photo."""
    from journal.capture.refine import refine
    from journal.scoring.headframe import anchors_for_pose, to_head_frame
    from journal.scoring.measures import measure

    obs = landmarker.detect(image)  # type: ignore[attr-defined]
    assert obs is not None, "no face found"
    obs = replace(obs, landmarks=refine(image, obs.landmarks))
    return measure(to_head_frame(obs.points_3d(), landmarker.canonical, anchors_for_pose("rest")))  # type: ignore[attr-defined]


@pytest.mark.shared
@pytest.mark.parametrize("part", ("brow", "lower_lid"))
def test_refined_brow_and_lower_lid_follow_a_real_shift_on_every_face(
    faces_dir: Path, landmarker: object, part: str
) -> None:
    """Brow down 2 mm, lower lid up 1.5 mm on the subject's left, per true mm. Measured: brow 0.60–1.02
    (median 0.78), lower lid 0.69–0.94 (0.85); the model alone reads 0.35–0.55 and 0.12–0.34. The
    target is 0.6 on every face; the lowest brow sits on it, so the check keeps a small margin for
    model versions (0.55 each, median ≥ 0.7) and the bench prints the exact figures."""
    import warps

    from journal.capture.sources import load_image
    from journal.scoring.measures import F, mm_per_unit

    feature = "brow" if part == "brow" else "eye"
    gains = {}
    for name in WARP_FACES:
        image = load_image(faces_dir / name)
        obs = landmarker.detect(image)  # type: ignore[attr-defined]
        if part == "brow":
            moved = warps.shift(image, obs, "brow", "left", 2.0)
        else:
            moved = warps.raise_lower_lid(image, obs, "left", 1.5)
        before = _measures(landmarker, image)
        after = _measures(landmarker, moved.image)
        d = (after - before)[:, F[feature]] * mm_per_unit(before)
        gains[name] = -(d[0] - d[1]) / moved.true_mm  # the left side went down (brow) / narrower (eye)
    print(part, {k: round(v, 2) for k, v in gains.items()})
    assert min(gains.values()) >= 0.55, gains
    assert float(np.median(list(gains.values()))) >= 0.7, gains


@pytest.mark.shared
def test_refinement_keeps_healthy_faces_nearly_symmetric_and_a_mirror_exact(
    faces_dir: Path, landmarker: object
) -> None:
    """Unwarped healthy rests: |left − right| ≤ 1.8 mm for the brow (model alone: up to 1.6) and
    ≤ 0.5 mm for the eye opening; a mirrored photo gives the mirrored differences."""
    from journal.capture.sources import load_image
    from journal.scoring.measures import F, mm_per_unit

    for name in HEALTHY_RESTS:
        image = load_image(faces_dir / name)
        diffs = []
        for im in (image, np.ascontiguousarray(image[:, ::-1])):
            m = _measures(landmarker, im)
            diffs.append((m[0] - m[1]) * mm_per_unit(m))
        brow, eye = diffs[0][F["brow"]], diffs[0][F["eye"]]
        assert abs(brow) <= 1.8 and abs(eye) <= 0.5, (name, brow, eye)
        assert diffs[1][F["brow"]] == pytest.approx(-brow, abs=0.05)
        assert diffs[1][F["eye"]] == pytest.approx(-eye, abs=0.05)
