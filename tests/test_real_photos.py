"""The scorer's required properties (design/scoring.md, "Properties every implementation must show") on
real photos from ../shared/faces.

The photos are read from ../shared and never copied into the repository; derived images (mirrors,
rotations, synthetic droops) exist only in memory. protocol/p1a was used while tuning the scorer, so
the properties are checked on the other photos wherever possible.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest

from journal.capture.landmarker import Landmarker, MediaPipeLandmarker
from journal.capture.sources import load_image
from journal.protocol import REGIONS, Side
from journal.scoring import quality
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.scores import DEAD_BAND, signed_differences
from journal.scoring.session import SessionScores
from journal.services.analysis import (
    DEFAULT_SAMPLE_FPS,
    Analysis,
    PoseCapture,
    add_frame,
    analyze_paths,
    score_captures,
)

cv2 = pytest.importorskip("cv2")

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parent.parent
TONUS = ROOT / ".venv" / "bin" / "tonus"

HEALTHY_RESTS = (
    "protocol/p1b/rest.jpg",
    "protocol/p2/rest.jpg",
    "protocol/p3/rest.jpg",
    "protocol/p4/rest.jpg",
)
PALSY = tuple(f"palsy/case{i:02d}.jpg" for i in range(1, 15))
#: Palsy photos with a clear one-sided asymmetry at rest (tonus 53–80), 300–800 px tall.
PALSY_CLEAR = (
    "palsy/case02.jpg",
    "palsy/case04.jpg",
    "palsy/case08.jpg",
    "palsy/case09.jpg",
    "palsy/case12.jpg",
)


# --- helpers --------------------------------------------------------------------------------------


class _Borrowed:
    """The session landmarker lent to `analyze_paths`, whose Analyzer would otherwise close it."""

    def __init__(self, inner: MediaPipeLandmarker) -> None:
        self._inner = inner
        self.canonical = inner.canonical

    def detect(self, image: np.ndarray, timestamp_ms: int = 0) -> Any:
        return self._inner.detect(image, timestamp_ms)

    def close(self) -> None:
        """Keep the shared landmarker open."""


@pytest.fixture(scope="session")
def make_landmarker(landmarker: MediaPipeLandmarker) -> Callable[[bool], Landmarker]:
    """A factory for `analyze_paths` that always hands out the session landmarker."""

    def make(stream: bool) -> Landmarker:
        assert not stream, "these tests analyse stills only"
        return _Borrowed(landmarker)

    return make


def score_images(
    landmarker: MediaPipeLandmarker, images: dict[str, np.ndarray], affected: Side | None = None
) -> tuple[dict[str, PoseCapture], SessionScores | None]:
    """Score {pose: RGB array} the way `tonus analyze` does, without writing files."""
    captures: dict[str, PoseCapture] = {}
    for pose, image in images.items():
        image = np.ascontiguousarray(image)
        capture = captures.setdefault(pose, PoseCapture(pose))
        add_frame(capture, image, landmarker.detect(image), landmarker.canonical)
    return captures, score_captures(captures.values(), None, affected)


def score_rest(
    landmarker: MediaPipeLandmarker, image: np.ndarray, any_expression: bool = False
) -> SessionScores:
    """Score one photo as `rest`; fail with the gate's reason when it is rejected.

    `any_expression` scores a photo of any expression (the palsy photos show smiles, closures…)
    with the rest geometry: the mirror and robustness properties are about the geometry, and the
    expression check is tested on its own in test_expression_real.py.
    """
    if any_expression:
        with mock.patch.object(quality.expression, "check", return_value=None):
            captures, scores = score_images(landmarker, {"rest": image})
    else:
        captures, scores = score_images(landmarker, {"rest": image})
    assert scores is not None, f"rest photo rejected: {dict(captures['rest'].rejected)}"
    assert scores.tonus is not None
    return scores


def rest_regions(scores: SessionScores) -> dict[str, dict[Side, float]]:
    """Region values (mm) per subject side at rest."""
    mm = scores.poses["rest"].aggregate.measures_mm
    return {r: {s: float(mm[i, F[r]]) for s, i in SIDE_INDEX.items()} for r in REGIONS}


def rest_differences(scores: SessionScores) -> dict[str, float]:
    """Signed differences left − right (mm) per region at rest."""
    return dict(signed_differences(scores.poses["rest"].aggregate.measures_mm))


def mirror(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(image[:, ::-1])


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def rescale(image: np.ndarray, factor: float) -> np.ndarray:
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interp)


def brighten(image: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(image.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def jpeg(image: np.ndarray, quality_: int) -> np.ndarray:
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality_]
    )
    assert ok
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def droop(image: np.ndarray, centre: np.ndarray, k: float, sigma: float) -> np.ndarray:
    """Push pixels down by up to `k` px with a Gaussian weight (σ px) around `centre` (x, y)."""
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    weight = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * sigma**2))
    map_y = (yy - k * weight).astype(np.float32)  # dst(x, y) = src(x, y − k·g): content moves down
    return cv2.remap(image, xx, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# --- a photo and its mirror -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ("protocol/pt1/rest.jpg", *HEALTHY_RESTS, *PALSY))
def test_mirror_gives_same_scores_with_sides_swapped(
    faces_dir: Path, landmarker: MediaPipeLandmarker, name: str
) -> None:
    image = load_image(faces_dir / name)
    direct = score_rest(landmarker, image, any_expression=name in PALSY)
    mirrored = score_rest(landmarker, mirror(image), any_expression=name in PALSY)

    assert direct.tonus == pytest.approx(mirrored.tonus, abs=0.01)
    assert direct.poses["rest"].aggregate.symmetry == pytest.approx(
        mirrored.poses["rest"].aggregate.symmetry, abs=0.01
    )
    a, b = rest_regions(direct), rest_regions(mirrored)
    for region in REGIONS:
        assert a[region]["left"] == pytest.approx(b[region]["right"], abs=0.01), region
        assert a[region]["right"] == pytest.approx(b[region]["left"], abs=0.01), region
    assert direct.side_evidence == pytest.approx(-mirrored.side_evidence, abs=0.01)
    swapped = {"left": "right", "right": "left", None: None}
    assert mirrored.affected_side == swapped[direct.affected_side]


def test_mirror_swaps_an_inferred_affected_side(faces_dir: Path, landmarker: MediaPipeLandmarker) -> None:
    """The mirror property is not vacuous: most clear palsy photos name a side, and the mirror the other."""
    named = 0
    for name in PALSY_CLEAR:
        image = load_image(faces_dir / name)
        direct = score_rest(landmarker, image, any_expression=True)
        mirrored = score_rest(landmarker, mirror(image), any_expression=True)
        if direct.affected_side is not None:
            named += 1
            assert mirrored.affected_side == ("left" if direct.affected_side == "right" else "right"), name
    assert named >= 4, f"only {named} of {len(PALSY_CLEAR)} clear palsy photos named an affected side"


# --- robustness to rotation, scale, light and compression ---------------------------------------------

TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "rotate+15": lambda im: rotate(im, 15),
    "rotate-15": lambda im: rotate(im, -15),
    "scale0.6": lambda im: rescale(im, 0.6),
    "scale1.5": lambda im: rescale(im, 1.5),
    "bright0.6": lambda im: brighten(im, 0.6),
    "bright1.3": lambda im: brighten(im, 1.3),
    "jpeg40": lambda im: jpeg(im, 40),
}

# Tolerances set from measurement on these nine photos (scorer tonus-scorer/1, mediapipe 1.2):
# healthy tonus moved ≤ 0.85 points; palsy tonus ≤ 2.2 points (scale, light, JPEG) and ≤ 4.9 points
# (±15° rotation: the landmarks themselves shift ~0.5–0.8 mm, and the eye's slope is 5 points/mm);
# signed left−right differences ≤ 0.82 mm; per-side values ≤ 1.3 mm (≤ 2.4 mm rotated, mostly a
# common-mode change of the iris mm scale of up to 3 %).
TONUS_TOL_HEALTHY = 3.0
TONUS_TOL_PALSY = 3.5
TONUS_TOL_PALSY_ROTATED = 6.5
DIFF_TOL_MM = 1.0
REGION_TOL_MM = 2.0
REGION_TOL_ROTATED_MM = 3.0


@pytest.mark.parametrize("name", (*HEALTHY_RESTS, *PALSY_CLEAR))
def test_rotation_scale_light_and_jpeg_barely_move_the_scores(
    faces_dir: Path, landmarker: MediaPipeLandmarker, name: str
) -> None:
    image = load_image(faces_dir / name)
    base = score_rest(landmarker, image, any_expression=name in PALSY)
    base_regions, base_diffs = rest_regions(base), rest_differences(base)
    healthy = name in HEALTHY_RESTS
    problems: list[str] = []
    for label, transform in TRANSFORMS.items():
        scores = score_rest(landmarker, transform(image), any_expression=name in PALSY)
        rotated = label.startswith("rotate")
        d_tonus = abs(scores.tonus - base.tonus)  # type: ignore[operator]
        regions, diffs = rest_regions(scores), rest_differences(scores)
        d_region = max(abs(regions[r][s] - base_regions[r][s]) for r in REGIONS for s in ("left", "right"))
        d_diff = max(abs(diffs[r] - base_diffs[r]) for r in REGIONS)
        print(
            f"{name} {label}: Δtonus {d_tonus:.2f}  Δregion {d_region:.2f} mm  Δ(left−right) {d_diff:.2f} mm"
        )
        tonus_tol = TONUS_TOL_HEALTHY if healthy else TONUS_TOL_PALSY_ROTATED if rotated else TONUS_TOL_PALSY
        region_tol = REGION_TOL_ROTATED_MM if rotated else REGION_TOL_MM
        if d_tonus > tonus_tol:
            problems.append(f"{label}: tonus {base.tonus:.2f} → {scores.tonus:.2f} (tolerance {tonus_tol})")
        if d_diff > DIFF_TOL_MM:
            problems.append(f"{label}: a left−right difference moved {d_diff:.2f} mm")
        if d_region > region_tol:
            problems.append(f"{label}: a region value moved {d_region:.2f} mm")
        named = base.affected_side and scores.affected_side
        if named and scores.affected_side != base.affected_side:
            problems.append(f"{label}: affected side {base.affected_side} → {scores.affected_side}")
    assert not problems, "\n".join(problems)


# --- a synthetic one-sided droop of the mouth corner --------------------------------------------------

DROOP_PX = (0, 4, 8, 12, 16)
#: A larger droop (≈ 6–9 mm of mouth-corner asymmetry on these photos) at which the side must be named.
#: At 16 px (≈ 3.5–5.7 mm) only 2 of the 8 cases pass the inference threshold; at 32 px all do
#: (|evidence| 0.31–0.54 against the threshold 0.25).
NAMED_AT_PX = 32
#: Tonus may rise this much while the mouth difference is still inside its dead band (the droop can
#: first cancel the person's own slight asymmetry; other regions jitter by a few tenths of a point).
DEAD_BAND_SLACK = 1.0


@pytest.mark.parametrize("name", HEALTHY_RESTS)
@pytest.mark.parametrize(
    ("corner", "side"), ((291, "left"), (61, "right")), ids=("subject-left", "subject-right")
)
def test_one_sided_mouth_droop_lowers_tonus_and_names_the_side(
    faces_dir: Path, landmarker: MediaPipeLandmarker, name: str, corner: int, side: Side
) -> None:
    image = load_image(faces_dir / name)
    h, w = image.shape[:2]
    first = landmarker.detect(image)
    assert first is not None
    points = first.landmarks[:, :2] * (w, h)
    # 291 is the subject's left mouth corner, on the image's right; 61 the subject's right.
    assert points[291, 0] > points[61, 0]
    sigma = 0.3 * float(np.linalg.norm(points[291] - points[61]))
    sign = -1.0 if side == "left" else 1.0  # d = left − right falls when the left corner drops

    rows = []
    for k in (*DROOP_PX, NAMED_AT_PX):
        scores = score_rest(landmarker, droop(image, points[corner], k, sigma))
        mouth = rest_differences(scores)["mouth"]
        rows.append((k, scores.tonus, mouth, scores.affected_side, scores.side_evidence))
    print(name, side, [(k, round(t, 2), round(d, 2), s, round(e, 2)) for k, t, d, s, e in rows])

    for (k0, t0, d0, _, _), (k1, t1, d1, _, _) in itertools.pairwise(rows):
        assert sign * d1 > sign * d0, f"mouth difference did not follow the droop from {k0} to {k1} px"
        if abs(d0) <= DEAD_BAND["mouth"]:
            assert t1 <= t0 + DEAD_BAND_SLACK, f"tonus rose from {t0:.2f} to {t1:.2f} at {k1} px"
        else:
            assert t1 < t0, f"tonus did not fall from {t0:.2f} at {k0} px to {t1:.2f} at {k1} px"
    at16 = rows[len(DROOP_PX) - 1]
    assert at16[1] <= rows[0][1] - 5.0, "a 16 px droop should cost tonus clearly"
    assert sign * at16[2] > 2.0, "the drooped corner should be lower by more than 2 mm at 16 px"
    assert -sign * at16[4] > 0.05, "at 16 px the side evidence should point to the drooped side"
    for k, _, _, inferred, evidence in rows:
        assert inferred in (None, side), f"{k} px droop of the {side} corner inferred {inferred}"
        if k >= 8:
            assert -sign * evidence >= 0, f"side evidence points away from the droop at {k} px"
    assert rows[-1][3] == side, f"a {NAMED_AT_PX} px droop should name the {side} side"


# --- a wink: the eye that stayed open scores low movement ---------------------------------------------

YALE_SUBJECTS = ("s03", "s08", "s10", "s12", "s14")


@pytest.fixture(scope="module")
def winks(faces_dir: Path, make_landmarker: Callable[[bool], Landmarker]) -> dict[str, Analysis]:
    yale = faces_dir / "expressions" / "yale"
    return {
        s: analyze_paths(
            [yale / f"{s}_wink.jpg"], make_landmarker, pose="eyes_gentle", rest=yale / f"{s}_normal.jpg"
        )
        for s in YALE_SUBJECTS
    }


def _wink_usable(analysis: Analysis) -> bool:
    return not analysis.failures and analysis.scores is not None and "eyes_gentle" in analysis.scores.poses


@pytest.mark.parametrize("subject", YALE_SUBJECTS)
def test_wink_scores_low_movement_for_the_open_eye(winks: dict[str, Analysis], subject: str) -> None:
    analysis = winks[subject]
    assert _wink_usable(analysis), f"{subject}: rejected by the quality gates: {'; '.join(analysis.failures)}"
    assert analysis.scores is not None
    pose = analysis.scores.poses["eyes_gentle"]
    assert pose.movement is not None, pose.note
    assert pose.movement.score < 60
    closed: Side = "left" if pose.movement.left > pose.movement.right else "right"
    opened: Side = "right" if closed == "left" else "left"
    shapes = analysis.captures["eyes_gentle"].observations[0].blendshapes
    blink = {"left": shapes["eyeBlinkLeft"], "right": shapes["eyeBlinkRight"]}
    assert blink[closed] > blink[opened], f"blink {blink}, excursions {pose.movement}"
    # The eye that stays more open is a cue for the affected side: if a side is named, it is that one.
    assert analysis.scores.affected_side in (None, opened)


def test_wink_works_for_at_least_three_yale_subjects(winks: dict[str, Analysis]) -> None:
    usable = [s for s, a in winks.items() if _wink_usable(a)]
    assert len(usable) >= 3, {s: a.failures for s, a in winks.items()}


# --- healthy people and a patient, whole protocol folders ---------------------------------------------


@pytest.mark.parametrize("person", ("p1a", "p1b", "p2", "p3", "p4"))
def test_healthy_people_score_high(
    faces_dir: Path, make_landmarker: Callable[[bool], Landmarker], person: str
) -> None:
    analysis = analyze_paths([faces_dir / "protocol" / person], make_landmarker)
    assert not analysis.failures
    scores = analysis.scores
    assert scores is not None and scores.tonus is not None and scores.movement is not None
    assert scores.tonus >= 90
    assert scores.movement >= 70
    assert scores.affected_side_source in ("unknown", "inferred")
    assert abs(scores.side_evidence) < 0.5, "a healthy face should not show a strong affected side"


def test_patient_folder_is_analysed(faces_dir: Path, make_landmarker: Callable[[bool], Landmarker]) -> None:
    folder = faces_dir / "protocol" / "pt1"
    analysis = analyze_paths([folder], make_landmarker)
    assert not analysis.failures
    assert analysis.scores is not None and analysis.scores.tonus is not None
    assert set(analysis.scores.poses) == {p.stem for p in folder.glob("*.jpg")}


def test_given_affected_side_is_reported_as_given(
    faces_dir: Path, make_landmarker: Callable[[bool], Landmarker]
) -> None:
    analysis = analyze_paths([faces_dir / "protocol" / "p2"], make_landmarker, affected="right")
    assert analysis.scores is not None
    assert (analysis.scores.affected_side, analysis.scores.affected_side_source) == ("right", "given")


# --- the `tonus analyze --json` contract ----------------------------------------------------------------

TOP_KEYS = {
    "scorer_version",
    "affected_side",
    "affected_side_source",
    "tonus",
    "movement",
    "synkinesis",
    "rest_asymmetry",
    "poses",
    "holds",  # where each pose was found in a video: [{"pose", "source", "start_s", "end_s"}]
}
POSE_KEYS = {"frames", "frames_used", "symmetry", "regions", "movement", "rejected"}


def _run_tonus(
    model_path: Path, tmp_path: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TONUS_FACE_MODEL": str(model_path), "TONUS_HOME": str(tmp_path / "home")}
    cmd = [str(TONUS)] if TONUS.exists() else [sys.executable, "-m", "journal"]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def _score(value: Any) -> None:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    assert 0.0 <= value <= 100.0, value


def check_contract(data: dict[str, Any]) -> None:
    """Check the shape of one `tonus analyze --json` object."""
    assert set(data) == TOP_KEYS
    for hold in data["holds"]:
        assert set(hold) == {"pose", "source", "start_s", "end_s"} and hold["start_s"] < hold["end_s"]
    assert isinstance(data["scorer_version"], str) and data["scorer_version"]
    assert data["affected_side"] in (None, "left", "right")
    assert data["affected_side_source"] in ("given", "inferred", "unknown")
    assert (data["affected_side"] is None) == (data["affected_side_source"] == "unknown")
    for key in ("tonus", "movement"):
        if data[key] is not None:
            _score(data[key])
    if data["synkinesis"] is not None:
        assert data["synkinesis"] >= 0
    asym = data["rest_asymmetry"]
    if data["affected_side"] is None or "rest" not in data["poses"]:
        assert asym is None
    else:
        assert set(asym) == set(REGIONS)
        for region, value in asym.items():
            assert isinstance(value["mm"], int | float), region
            assert value["interval"] is None or value["interval"][0] <= value["interval"][1], region
    for name, pose in data["poses"].items():
        assert set(pose) == POSE_KEYS, name
        assert isinstance(pose["frames"], int) and isinstance(pose["frames_used"], int)
        assert 0 < pose["frames_used"] <= pose["frames"]
        _score(pose["symmetry"])
        assert set(pose["regions"]) == set(REGIONS)
        for region, sides in pose["regions"].items():
            assert set(sides) == {"left", "right"}, region
            for value in sides.values():
                assert isinstance(value, int | float) and np.isfinite(value), (name, region)
        if name == "rest":
            assert pose["movement"] is None
        if pose["movement"] is not None:
            assert set(pose["movement"]) == {"score", "left", "right", "sdc"}
            _score(pose["movement"]["score"])
        assert isinstance(pose["rejected"], dict)
        assert set(pose["rejected"]) <= set(quality.REASONS), pose["rejected"]
        assert all(isinstance(n, int) and n > 0 for n in pose["rejected"].values())


def test_json_contract_on_a_protocol_folder(faces_dir: Path, model_path: Path, tmp_path: Path) -> None:
    folder = faces_dir / "protocol" / "p1a"
    done = _run_tonus(model_path, tmp_path, "analyze", "--json", str(folder))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    check_contract(data)
    assert set(data["poses"]) == {p.stem for p in folder.glob("*.jpg")}
    for name, pose in data["poses"].items():
        assert (pose["movement"] is None) == (name == "rest"), name
        assert pose["frames"] == pose["frames_used"] == 1
    _score(data["tonus"])
    _score(data["movement"])


@pytest.mark.slow
def test_json_contract_on_a_video(faces_dir: Path, model_path: Path, tmp_path: Path) -> None:
    """The 36 s protocol video (15 fps, 540 frames) analysed as rest: only the rest hold is used."""
    video = faces_dir / "videos" / "p1a_protocol.mp4"
    done = _run_tonus(model_path, tmp_path, "analyze", "--json", "--pose", "rest", str(video), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    check_contract(data)
    assert set(data["poses"]) == {"rest"}
    rest = data["poses"]["rest"]
    per_second = DEFAULT_SAMPLE_FPS  # frames are taken at a steady rate, not all 15 a second
    assert rest["frames"] == pytest.approx(36 * per_second, abs=2)
    assert rest["frames_used"] + sum(rest["rejected"].values()) == rest["frames"]
    # Only the 4-s rest hold is used; every other frame shows another expression.
    assert 0.75 * 4 * per_second <= rest["frames_used"] <= 4 * per_second + 1
    assert set(rest["rejected"]) <= {"wrong_expression", "eyes_closed"}, rest["rejected"]
    assert [(h["pose"], round(h["start_s"]), round(h["end_s"])) for h in data["holds"]] == [("rest", 0, 4)]
    assert data["tonus"] >= 90
