"""Refine the lower-lid and brow landmarks from the image, along the vertical through each iris centre.

MediaPipe's lid and brow points follow only part of a real shift (its face-shape prior pulls them
back). Here the image is sampled along the vertical through each iris centre (as Emotrics measures
MRD2). The lower lid: the margin (dark iris above, lid skin below) is found near the model's guess
(journal.scoring.edges.find_edge). The brow: the darkest band as thick as the model's brow, near the
model's brow band (find_band), so a soft upper edge (light hair) and a blurred lower edge both count
and the band moves with the whole brow. The model's points are moved by the difference, keeping
their shape. Sampling is symmetric about the iris centre, so a mirrored photo is refined as the mirror.

EXPERIMENTAL: not used by the landmarker or the scorer yet. bench/measurement.py (with
bench/measurement_refine.py) and tests/test_refine.py measure it on 8 shared faces, per true mm (the
model alone in brackets). Lower lid up 1.5 mm: median 0.85, lowest 0.64 (0.27, 0.12); 0.75 mm: 0.87,
lowest 0.49 on the smallest photo (an 11-pixel iris: 0.7 px). Healthy eye differences stay ≤ 0.41 mm
and JPEG q30 / blur move them no more than the model's (0.44 vs 0.45 mm): the lid is ready to be scored
at rest. Brow down 2 mm: 0.79, lowest 0.60 (0.45, 0.37); but healthy brows then differ by up to
1.73 mm (1.61), JPEG / blur move the difference twice as far as the model's (0.70 vs 0.32 mm), and
small changes of the band width or smoothing make single faces jump by 1–3 mm: not robust yet.
The upper lid is left to the model: along the iris vertical its margin is hidden in the lashes, and
taking that edge added up to 2.9 mm of false left−right eye difference on a healthy face.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.protocol import SIDES, Side
from journal.scoring import landmarks as lm
from journal.scoring.edges import SUBSAMPLE, find_band, find_edge

IRIS_CENTRE: Final[dict[Side, int]] = {"right": 468, "left": 473}
#: The lower edge of each brow (the model's lower brow contour).
BROW_LOWER: Final[dict[Side, tuple[int, ...]]] = {
    "right": (46, 53, 52, 65, 55),
    "left": (276, 283, 282, 295, 285),
}
#: Lower lid: the edge searched going down (iris, then the lid's skin) and its reach (iris diameters).
LID_POLARITY: Final = "dark_to_bright"
LID_REACH: Final = 0.2
#: Brow: how far (iris diameters) the darkest band is searched from the model's brow band.
BROW_REACH: Final = 0.4
ABOVE: Final = 3.5  # profile start, iris diameters above the iris centre
BELOW: Final = 1.5  # profile end, iris diameters below


def luma(image: np.ndarray) -> np.ndarray:
    """Grey levels (float32) of an RGB or grey image."""
    if image.ndim == 2:
        return image.astype(np.float32)
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    grey: np.ndarray = image[..., :3].astype(np.float32) @ weights
    return grey


def vertical_profile(grey: np.ndarray, cx: float, top: float, bottom: float, half_width: float) -> np.ndarray:
    """Mean grey level along x = cx from `top` to `bottom` (pixels), over a window ±half_width wide."""
    import cv2

    ys = np.arange(top, bottom, 1.0 / SUBSAMPLE, dtype=np.float32)
    xs = cx + np.linspace(-half_width, half_width, 9, dtype=np.float32)
    mx, my = np.meshgrid(xs, ys)
    samples = cv2.remap(
        grey, mx.astype(np.float32), my.astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    profile: np.ndarray = samples.mean(axis=1)
    return profile


def _line_y(points: np.ndarray, x: float) -> float:
    """The y of a polyline through `points` (pixels) at `x`, extended flat beyond its ends."""
    order = np.argsort(points[:, 0])
    return float(np.interp(x, points[order, 0], points[order, 1]))


def refine(image: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Return a copy of normalised landmarks (478×3) with the lower-lid and brow points moved onto the
    image along each iris' vertical; points stay where they are when no clear edge or band is found."""
    h, w = image.shape[:2]
    grey = luma(image)
    out = np.array(landmarks, dtype=np.float64)
    px = out[:, :2] * (w, h) - 0.5  # pixel centres
    for side in SIDES:
        a, b = lm.IRIS_HORIZONTAL[side]
        diameter = float(np.linalg.norm(px[a] - px[b]))
        if not np.isfinite(diameter) or diameter < 4.0:
            continue
        cx, cy = px[IRIS_CENTRE[side]]
        top = cy - ABOVE * diameter
        profile = vertical_profile(grey, cx, top, cy + BELOW * diameter, 0.15 * diameter)
        sigma = max(1.0, diameter / 25.0) * SUBSAMPLE
        guess = (_line_y(px[list(lm.LOWER_LID[side])], cx) - top) * SUBSAMPLE
        edge = find_edge(profile, LID_POLARITY, guess, LID_REACH * diameter * SUBSAMPLE, sigma)
        if edge is not None:
            out[list(lm.LOWER_LID[side]), 1] += (edge.position - guess) / SUBSAMPLE / h
        upper = _line_y(px[list(lm.BROW[side])], cx)
        lower = _line_y(px[list(BROW_LOWER[side])], cx)
        centre = ((upper + lower) / 2 - top) * SUBSAMPLE
        band = find_band(
            profile, centre, (lower - upper) * SUBSAMPLE, BROW_REACH * diameter * SUBSAMPLE, sigma
        )
        if band is not None:
            out[list(lm.BROW[side]), 1] += (band.position - centre) / SUBSAMPLE / h
    return out
