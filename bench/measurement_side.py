"""Why a 3 mm resting mouth-corner droop names its side on only some faces (issue 8 item 5).

Informational, run alone (`.venv/bin/python bench/measurement_side.py`, about a minute; needs
../shared and the face model). For each healthy rest photo it prints the face's own mouth-corner
difference and what the scorer reads after a smooth 3 mm droop (tests/warps.py) of the left and of the
right corner, signed toward the drooped side, through the scorer's own path (`score_session` on the
rest photo alone). Then, per cue:

- `model`: the scorer's rest cue, the model's commissure height (right − left, mm);
- `fissure_probe`: an EXPERIMENT, not used by the scorer: the mouth corner moved onto the dark line
  between the lips as the image shows it 1.5–4.5 mm medial of the corner (median of four columns),
  to see whether reading the image can separate a droop from a face's own tilt better than the model.

For each: the largest value on the healthy rest photos (protocol, Yale, and the shared stills that
pass the rest check), the droop readings (smallest, median), and how many droops a threshold 8 %
above the healthy maximum would name (the scorer's REST_CUES mouth threshold, 2.2 mm, is 8 % above
2.04 mm). A droop against the face's own opposite tilt (Yale s03 and s10: their left corners sit
1.75–2.04 mm lower) leaves the mouth nearly level, so no threshold that spares the healthy photos
can name it from one rest photo.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Final

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import warps  # noqa: E402

# The same shared faces and model as bench/measurement.py's droop line.
from measurement import FACES, MODEL  # noqa: E402
from measurement import HEALTHY_RESTS as BENCH_FACES  # noqa: E402

from journal.capture.landmarker import MediaPipeLandmarker  # noqa: E402
from journal.capture.sources import load_image  # noqa: E402
from journal.models import FaceObservation  # noqa: E402
from journal.protocol import Side  # noqa: E402
from journal.scoring import quality  # noqa: E402
from journal.scoring.headframe import anchors_for_pose, to_head_frame  # noqa: E402
from journal.scoring.measures import IRIS_DIAMETER_MM, F, measure, mm_per_unit  # noqa: E402
from journal.scoring.session import score_session  # noqa: E402
from journal.scoring.side import REST_CUES  # noqa: E402

DROOP_MM: Final = 3.0
MARGIN: Final = 1.08
#: Per side: the corner, the inner corner, and the inner upper and lower lip points next to it.
FISSURE: Final[dict[Side, tuple[int, int, tuple[int, ...], tuple[int, ...]]]] = {
    "left": (291, 308, (415, 310, 311), (324, 318, 402)),
    "right": (61, 78, (191, 80, 81), (95, 88, 178)),
}
FISSURE_OFFSETS_MM: Final = (1.5, 2.5, 3.5, 4.5)


def fissure_probe(image: np.ndarray, obs: FaceObservation) -> FaceObservation:
    """Move each mouth corner vertically by how far the image's lip line sits from the model's."""
    import cv2

    grey = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32), (0, 0), 1.0)
    h = grey.shape[0]
    px = obs.landmarks[:, :2] * (obs.width, obs.height)
    mm = warps.iris_px(obs) / IRIS_DIAMETER_MM
    out = obs.landmarks.copy()
    for corner, inner, upper, lower in FISSURE.values():
        medial = np.sign(px[[*upper, *lower], 0].mean() - px[corner, 0])
        line = np.vstack([px[[corner, inner, *upper]], px[[corner, inner, *lower]]])
        order = np.argsort(line[:, 0])
        shifts = []
        for off in FISSURE_OFFSETS_MM:
            x = px[corner, 0] + medial * off * mm
            model_y = float(np.interp(x, line[order, 0], line[order, 1]))
            y0, y1 = max(int(model_y - 2.5 * mm), 0), min(int(model_y + 2.5 * mm) + 1, h)
            xi = int(round(x))
            column = grey[y0:y1, max(xi - 1, 0) : xi + 2].mean(axis=1)
            k = float(np.argmin(column))
            i = int(k)
            if 0 < i < len(column) - 1:
                a, b, c = column[i - 1], column[i], column[i + 1]
                if a - 2 * b + c > 0:
                    k += 0.5 * (a - c) / (a - 2 * b + c)
            shifts.append(y0 + k - model_y)
        out[corner, 1] += float(np.median(shifts)) / obs.height
    return replace(obs, landmarks=out)


def corner_diff(lm: MediaPipeLandmarker, obs: FaceObservation) -> float:
    """Right − left commissure height (mm): positive when the left corner sits lower."""
    m = measure(to_head_frame(obs.points_3d(), lm.canonical, anchors_for_pose("rest")))
    return float((m[1, F["mouth"]] - m[0, F["mouth"]]) * mm_per_unit(m))


def main() -> int:
    """Print the per-face table and the per-cue figures."""
    if not FACES.exists() or not MODEL.exists():
        print(f"measurement_side: skipped, ../shared faces or the model not found ({FACES}, {MODEL})")
        return 0
    stills = [
        str(p.relative_to(FACES)) for p in sorted((FACES / "stills").glob("*.jpg"))
    ]  # only those that pass the rest check are healthy rest photos
    lm = MediaPipeLandmarker(MODEL, stream=False)
    healthy: dict[str, list[float]] = {"model": [], "fissure_probe": []}
    droops: dict[str, list[float]] = {"model": [], "fissure_probe": []}
    named = wrong = 0
    try:
        for name in (*BENCH_FACES, *stills):
            image = load_image(FACES / name)
            obs = lm.detect(image)
            if obs is None or (name not in BENCH_FACES and quality.check(obs, "rest") is not None):
                continue
            own = corner_diff(lm, obs)
            healthy["model"].append(own)
            healthy["fissure_probe"].append(corner_diff(lm, fissure_probe(image, obs)))
            row = f"{name:34s} own {own:+.2f} mm"
            for side in ("left", "right"):
                warped = warps.shift(image, obs, "mouth", side, DROOP_MM).image  # type: ignore[arg-type]
                after = lm.detect(warped)
                assert after is not None
                sign = 1.0 if side == "left" else -1.0
                read = sign * corner_diff(lm, after)
                found = score_session(
                    {
                        "rest": measure(
                            to_head_frame(after.points_3d(), lm.canonical, anchors_for_pose("rest"))
                        )[None]
                    }
                ).affected_side
                row += f" | {side} droop reads {read:.2f} named {found}"
                if name in BENCH_FACES:
                    named += found == side
                    wrong += found not in (None, side)
                    droops["model"].append(read)
                    droops["fissure_probe"].append(sign * corner_diff(lm, fissure_probe(warped, after)))
            print(row)
    finally:
        lm.close()
    print(
        f"scorer: droop3mm_side_named={named}/{2 * len(BENCH_FACES)} wrong={wrong} "
        f"rest thresholds {REST_CUES} mm"
    )
    for cue in ("model", "fissure_probe"):
        top = max(abs(v) for v in healthy[cue])
        d = np.array(droops[cue])
        print(
            f"cue {cue}: healthy_max={top:.2f} mm (rest photos={len(healthy[cue])}) droop_min={d.min():.2f} "
            f"median={np.median(d):.2f} "
            f"named_at_{MARGIN:.2f}x_healthy_max={int((d >= MARGIN * top).sum())}/{len(d)} "
            f"named_at_healthy_max={int((d > top).sum())}/{len(d)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
