"""Refine the lower-lid and brow landmarks from the image, along the vertical through each iris centre.

MediaPipe's lid and brow points follow only part of a real shift (its face-shape prior pulls them
back). Here the image is sampled along the vertical through each iris centre (as Emotrics measures
MRD2); the lower-lid margin and the lower edge of the brow are found near the model's guess
(journal.scoring.edges) and the model's points are moved by the difference, keeping their shape.
Sampling is symmetric about the iris centre, so a mirrored photo is refined as the mirror.

EXPERIMENTAL: not used by the landmarker or the scorer yet. bench/measurement.py measures it: it lifts
the brow and lower-lid gains (median 0.45 → ~0.64 for the brow, 0.08 → ~0.4 for the lower lid, per
true mm on 8 faces) but not to 0.6 on every face. The upper lid is left to the model: along the iris
vertical its margin is hidden in the lashes, and taking that edge added up to 2.9 mm of false
left−right eye difference on a healthy face.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.protocol import SIDES, Side
from journal.scoring import landmarks as lm
from journal.scoring.edges import SUBSAMPLE, Polarity, find_edge

IRIS_CENTRE: Final[dict[Side, int]] = {"right": 468, "left": 473}
#: The lower edge of each brow (the model's lower brow contour).
BROW_LOWER: Final[dict[Side, tuple[int, ...]]] = {
    "right": (46, 53, 52, 65, 55),
    "left": (276, 283, 282, 295, 285),
}
#: part → (points moved, points whose line gives the guess, edge polarity going down, reach in iris
#: diameters, where the profile runs: iris diameters above and below the iris centre).
PARTS: Final[dict[str, tuple[dict[Side, tuple[int, ...]], dict[Side, tuple[int, ...]], Polarity, float]]] = {
    "lower_lid": (lm.LOWER_LID, lm.LOWER_LID, "dark_to_bright", 0.2),
    "brow": (lm.BROW, BROW_LOWER, "dark_to_bright", 0.25),
}
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
    """Return a copy of normalised landmarks (478×3) with lid and brow points moved onto the image's
    edges along each iris' vertical; points stay where they are when no clear edge is found."""
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
        for moved, guide, polarity, reach in PARTS.values():
            guess = (_line_y(px[list(guide[side])], cx) - top) * SUBSAMPLE
            edge = find_edge(profile, polarity, guess, reach * diameter * SUBSAMPLE, sigma)
            if edge is None:
                continue
            shift_px = (edge.position - guess) / SUBSAMPLE
            out[list(moved[side]), 1] += shift_px / h
    return out
