"""The lid and brow refinement the landmarker applies (journal/capture/refine.py), against the model alone.

Informational lines for bench/measurement.py (issue 8 item 4), never part of its verdict: the scorer's
gains with half the bench's shifts (brow 1 mm, lower lid 0.75 mm: about one pixel on the small Yale
photos), the frame-to-frame noise of the left−right brow and eye differences over the rest hold of
the protocol video, and how far those differences move when the same healthy rest photo is saved as
a JPEG of quality 30 or blurred (σ 1 px): model alone against refined. A measure worth scoring must
gain more than it loses to capture. Run alone, it prints them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import warps  # noqa: E402

from journal.capture.landmarker import MediaPipeLandmarker  # noqa: E402
from journal.capture.sources import load_image  # noqa: E402
from journal.scoring.headframe import anchors_for_pose, to_head_frame  # noqa: E402
from journal.scoring.measures import F, measure, mm_per_unit  # noqa: E402

FACES = ROOT.parent / "shared" / "faces"
WARP_FACES = (
    *(f"protocol/{p}/rest.jpg" for p in ("p1a", "p1b", "p2", "p3", "p4")),
    *(f"expressions/yale/{s}_normal.jpg" for s in ("s08", "s12", "s14")),
)
HEALTHY_RESTS = (*WARP_FACES, "expressions/yale/s03_normal.jpg", "expressions/yale/s10_normal.jpg")
#: The rest hold of the protocol video (../shared/faces/README.md), away from its ends.
REST_HOLD_S = (0.3, 3.8)


#: The two landmarkers, set by `lines`: refined (True, what the scorer uses) and the model alone (False).
READERS: dict[bool, MediaPipeLandmarker] = {}


def _measures(lm: MediaPipeLandmarker, image: np.ndarray, refined: bool) -> np.ndarray:
    obs = READERS.get(refined, lm).detect(image)
    assert obs is not None, "no face found"
    return measure(to_head_frame(obs.points_3d(), lm.canonical, anchors_for_pose("rest")))


def small_gains(lm: MediaPipeLandmarker, feature: str, warp: Callable[..., warps.Warp]) -> list[float]:
    """Refined gain per face (left side warped: brow lower / eye narrower, per true mm)."""
    out = []
    for name in WARP_FACES:
        image = load_image(FACES / name)
        before = _measures(lm, image, True)
        moved = warp(image, lm.detect(image))
        d = (_measures(lm, moved.image, True) - before)[:, F[feature]] * mm_per_unit(before)
        out.append(-(d[0] - d[1]) / moved.true_mm)
    return out


def rest_noise(lm: MediaPipeLandmarker) -> dict[bool, np.ndarray]:
    """Left−right brow and eye differences (mm) of every third frame of the video's rest hold."""
    import cv2

    capture = cv2.VideoCapture(str(FACES / "videos" / "p1a_protocol.mp4"))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    rows: dict[bool, list[np.ndarray]] = {False: [], True: []}
    index = 0
    try:
        while index / fps <= REST_HOLD_S[1]:
            ok, frame = capture.read()
            if not ok:
                break
            if index / fps >= REST_HOLD_S[0] and index % 3 == 0:
                image = np.ascontiguousarray(frame[..., ::-1])
                for refined in (False, True):
                    m = _measures(lm, image, refined)
                    rows[refined].append(((m[0] - m[1]) * mm_per_unit(m))[[F["brow"], F["eye"]]])
            index += 1
    finally:
        capture.release()
    return {k: np.array(v) for k, v in rows.items()}


def _differences(lm: MediaPipeLandmarker, image: np.ndarray, refined: bool) -> np.ndarray:
    m = _measures(lm, image, refined)
    return np.asarray(((m[0] - m[1]) * mm_per_unit(m))[[F["brow"], F["eye"]]])


def capture_sensitivity(lm: MediaPipeLandmarker) -> dict[bool, np.ndarray]:
    """Largest change (mm) of the brow and eye left−right differences over the healthy rests when
    the photo is saved as JPEG quality 30 or blurred by σ = 1 px; per model alone / refined."""
    import cv2

    def jpeg(image: np.ndarray) -> np.ndarray:
        ok, data = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 30])
        assert ok
        return np.ascontiguousarray(cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1])

    worst = {False: np.zeros(2), True: np.zeros(2)}
    for name in HEALTHY_RESTS:
        image = load_image(FACES / name)
        for changed in (jpeg(image), np.ascontiguousarray(cv2.GaussianBlur(image, (0, 0), 1.0))):
            for refined in (False, True):
                delta = _differences(lm, changed, refined) - _differences(lm, image, refined)
                worst[refined] = np.maximum(worst[refined], np.abs(delta))
    return worst


def lines(lm: MediaPipeLandmarker, model_alone: MediaPipeLandmarker) -> list[str]:
    """The informational lines (empty when ../shared is absent): `lm` refines, `model_alone` does not."""
    if not FACES.exists():
        return []
    READERS.update({True: lm, False: model_alone})
    out = []
    for label, feature, warp in (
        ("brow_1mm", "brow", lambda im, o: warps.shift(im, o, "brow", "left", 1.0)),
        ("lid_0.75mm", "eye", lambda im, o: warps.raise_lower_lid(im, o, "left", 0.75)),
    ):
        g = small_gains(lm, feature, warp)
        out.append(
            f"gain_{label}={np.median(g):.2f} min={min(g):.2f} "
            f"faces_below_0.6={sum(x < 0.6 for x in g)}/{len(g)} (half the shift above)"
        )
    noise = rest_noise(lm)
    sd = {k: v.std(axis=0, ddof=1) for k, v in noise.items()}
    out.append(
        f"rest_hold_sd_mm brow model={sd[False][0]:.2f} refined={sd[True][0]:.2f} "
        f"eye model={sd[False][1]:.2f} refined={sd[True][1]:.2f} frames={len(noise[True])} "
        "(p1a_protocol.mp4 rest hold, left−right differences)"
    )
    worst = capture_sensitivity(lm)
    out.append(
        f"capture_change_max_mm brow model={worst[False][0]:.2f} refined={worst[True][0]:.2f} "
        f"eye model={worst[False][1]:.2f} refined={worst[True][1]:.2f} faces={len(HEALTHY_RESTS)} "
        "(healthy rests saved as JPEG q30 or blurred σ 1 px, left−right differences)"
    )
    return out


if __name__ == "__main__":
    model = Path(
        os.environ.get("TONUS_FACE_MODEL", ROOT.parent / "shared" / "models" / "face_landmarker.task")
    )
    with (
        MediaPipeLandmarker(model, stream=False) as landmarker,
        MediaPipeLandmarker(model, stream=False, refined=False) as alone,
    ):
        print("\n".join(lines(landmarker, alone)))
