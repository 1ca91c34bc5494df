"""The expression check, head pose and protocol holds on the shared photos and the protocol video.

Real MediaPipe; skipped with a reason when ../shared is absent (TONUS_REQUIRE_SHARED=1 fails instead).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journal.capture.landmarker import Landmarker, MediaPipeLandmarker
from journal.protocol import POSE_NAMES
from journal.services.analysis import DEFAULT_SAMPLE_FPS, Analysis, analyze_paths

pytestmark = pytest.mark.shared
pytest.importorskip("cv2")

#: The protocol video's poses, in order, each held 4 s (../shared/faces/README.md).
VIDEO_POSES = POSE_NAMES[:9]
HOLD_S = 4.0
#: Frames tracked in one hold, and in the whole 36-s video.
PER_HOLD = round(HOLD_S * DEFAULT_SAMPLE_FPS)
IN_VIDEO = round(36 * DEFAULT_SAMPLE_FPS)
HEALTHY = ("p1a", "p1b", "p2", "p3", "p4")


@pytest.fixture(scope="module")
def factory(model_path: Path) -> Iterator[Callable[[bool], Landmarker]]:
    """A landmarker factory: one shared stills landmarker, a fresh one per video."""
    still = MediaPipeLandmarker(model_path, stream=False)

    class _Borrowed:
        canonical = still.canonical

        def detect(self, image, timestamp_ms=0):  # type: ignore[no-untyped-def]
            return still.detect(image, timestamp_ms)

        def close(self) -> None:
            """The shared landmarker is closed at the end of the module."""

    def make(stream: bool) -> Landmarker:
        return MediaPipeLandmarker(model_path, stream=True) if stream else _Borrowed()  # type: ignore[return-value]

    yield make
    still.close()


@pytest.fixture(scope="module")
def video(faces_dir: Path) -> Path:
    path = faces_dir / "videos" / "p1a_protocol.mp4"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def protocol(video: Path, factory: Callable[[bool], Landmarker]) -> Analysis:
    return analyze_paths([video], factory)


def test_every_pose_of_the_protocol_video_is_found_within_half_a_second(protocol: Analysis) -> None:
    found = {h.pose: h for h in protocol.holds}
    assert list(found) == list(VIDEO_POSES), [h.describe() for h in protocol.holds]
    for i, pose in enumerate(VIDEO_POSES):
        hold = found[pose]
        assert hold.start_s == pytest.approx(i * HOLD_S, abs=0.5), hold.describe()
        assert hold.end_s == pytest.approx((i + 1) * HOLD_S, abs=0.5), hold.describe()
    assert protocol.scores is not None and set(protocol.scores.poses) == set(VIDEO_POSES)
    assert "smile 16." in found["smile"].describe()


def test_rest_from_the_protocol_video_uses_only_the_rest_hold(
    video: Path, factory: Callable[[bool], Landmarker]
) -> None:
    analysis = analyze_paths([video], factory, pose="rest")
    assert [h.pose for h in analysis.holds] == ["rest"]
    hold = analysis.holds[0]
    assert hold.start_s == pytest.approx(0.0, abs=0.5) and hold.end_s == pytest.approx(HOLD_S, abs=0.5)
    capture = analysis.captures["rest"]
    # A steady rate over 36 s; only the 4-s rest hold's frames are used.
    assert capture.frames == pytest.approx(IN_VIDEO, abs=2)
    assert 0.75 * PER_HOLD <= len(capture.measures) <= PER_HOLD + 1
    assert capture.rejected["wrong_expression"] >= capture.frames - PER_HOLD - 1


@pytest.mark.parametrize("person", HEALTHY + ("pt1",))
def test_every_protocol_photo_shows_its_pose(
    faces_dir: Path, factory: Callable[[bool], Landmarker], person: str
) -> None:
    analysis = analyze_paths([faces_dir / "protocol" / person], factory)
    wrong = {p: dict(c.rejected) for p, c in analysis.captures.items() if c.rejected}
    assert not wrong, wrong


@pytest.mark.parametrize("person", HEALTHY)
@pytest.mark.parametrize("pose", ["brow_raise", "eyes_gentle", "smile", "pucker", "lower_teeth"])
def test_a_rest_photo_is_not_another_pose(
    faces_dir: Path, factory: Callable[[bool], Landmarker], person: str, pose: str
) -> None:
    analysis = analyze_paths([faces_dir / "protocol" / person / "rest.jpg"], factory, pose=pose)
    assert dict(analysis.captures[pose].rejected) == {"wrong_expression": 1}


@pytest.mark.parametrize("person", HEALTHY)
@pytest.mark.parametrize("pose", ["brow_raise", "smile_teeth", "pucker", "lower_teeth"])
def test_an_expression_is_not_rest(
    faces_dir: Path, factory: Callable[[bool], Landmarker], person: str, pose: str
) -> None:
    analysis = analyze_paths([faces_dir / "protocol" / person / f"{pose}.jpg"], factory, pose="rest")
    assert dict(analysis.captures["rest"].rejected) == {"wrong_expression": 1}


#: Shared palsy photos (labelled by eye): one side paralysed, the expression must still pass.
PALSY = {
    "case02": "smile",  # half smile
    "case07": "smile",  # one-sided grimace: reads mouthSmile 0.00, mouthStretch 0.89
    "case08": "smile",  # one-sided closed smile
    "case12": "smile",
    "case06": "eyes_gentle",  # one eye stays open
    "case10": "eyes_gentle",
    "case09": "rest",  # resting droop
    "case13": "rest",  # low-set brows read browDown 0.74
    "case14": "rest",
}


@pytest.mark.parametrize(("case", "pose"), PALSY.items())
def test_a_palsy_expression_passes_with_one_side_still(
    faces_dir: Path, factory: Callable[[bool], Landmarker], case: str, pose: str
) -> None:
    analysis = analyze_paths([faces_dir / "palsy" / f"{case}.jpg"], factory, pose=pose)
    assert analysis.captures[pose].rejected.get("wrong_expression", 0) == 0, analysis.failures


@pytest.mark.parametrize("subject", ("s03", "s08", "s10", "s12", "s14"))
def test_yale_rest_and_wink_pass_and_the_head_reads_the_same(
    faces_dir: Path, factory: Callable[[bool], Landmarker], subject: str
) -> None:
    yale = faces_dir / "expressions" / "yale"
    normal = analyze_paths([yale / f"{subject}_normal.jpg"], factory, pose="rest")
    wink = analyze_paths([yale / f"{subject}_wink.jpg"], factory, pose="eyes_gentle")
    assert not normal.failures and not wink.failures, normal.failures + wink.failures
    yaw = [a.captures[p].observations[0].yaw_deg for a, p in ((normal, "rest"), (wink, "eyes_gentle"))]
    # Rest vs wink, whole-face matrix: 1.6, 4.1, 1.3, 2.7, 2.7° apart (s14's wink read −11.3°,
    # rejected); rigid anchors: 1.5, 2.8, 1.6, 1.9, 2.0° (the heads themselves move a little).
    assert abs(yaw[0] - yaw[1]) <= 3.0, yaw
    assert max(abs(y) for y in yaw) < 10.0, yaw


def test_a_video_of_the_whole_test_imports_as_one_session(
    video: Path, factory: Callable[[bool], Landmarker], tmp_path: Path
) -> None:
    from datetime import datetime

    from journal.services.importer import import_video
    from journal.store import Store

    store = Store.open(tmp_path / "journal.duckdb")
    try:
        session_id, analysis = import_video(store, video, factory, when=datetime(2026, 11, 2, 9, 0))
        frames = store.frames(session_id)
        assert set(frames) == set(VIDEO_POSES)
        for pose in VIDEO_POSES:  # a steady rate over a 4-s hold
            assert 0.75 * PER_HOLD <= len(frames[pose]) <= PER_HOLD + 1, (pose, len(frames[pose]))
        assert [h.pose for h in analysis.holds] == list(VIDEO_POSES)
    finally:
        store.close()
