"""Smooth synthetic warps of real photos that move one side's mouth corner, brow or lower lid.

Used by the measurement tests and by bench/measurement.py. `shift` pushes pixels vertically with a
Gaussian weight around one landmark and is exactly zero on and near both irises, so the iris (the mm
scale) stays round and in place. The lower lid covers the bottom of the iris, so it cannot move down
without drawing iris that is not there: `raise_lower_lid` moves it *up* over the iris instead (the
lid's pixels slide up and cover the iris below the new margin; the visible iris is untouched). The
*true* shift of the measured points is the field's value at their positions, so a gain (measured mm /
true mm) compares like with like. Images only live in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from journal.models import FaceObservation
from journal.protocol import Side
from journal.scoring import landmarks as lm
from journal.scoring.measures import IRIS_DIAMETER_MM

IRIS_CENTRE: Final[dict[Side, int]] = {"right": 468, "left": 473}
#: How far above the model's lower-lid line `raise_lower_lid` cuts, in iris diameters.
LID_ALLOWANCE: Final = 0.15

#: part → (landmarks whose mean the scorer measures, Gaussian σ as a fraction of the iris diameter).
PARTS: Final[dict[str, tuple[dict[Side, tuple[int, ...]], float, float]]] = {
    "mouth": ({s: (i,) for s, i in lm.COMMISSURE.items()}, 1.2, 1.2),
    "brow": (lm.BROW, 1.6, 0.9),
    "lower_lid": (lm.LOWER_LID, 0.9, 0.6),
}


@dataclass(frozen=True)
class Warp:
    """A warped image and the true downward shift (mm) of the warped part's measured points."""

    image: np.ndarray
    true_mm: float


def _pixels(obs: FaceObservation) -> np.ndarray:
    return np.asarray(obs.landmarks[:, :2], dtype=np.float64) * (obs.width, obs.height)


def iris_px(obs: FaceObservation) -> float:
    """Mean horizontal iris diameter in pixels."""
    px = _pixels(obs)
    return float(np.mean([np.linalg.norm(px[a] - px[b]) for a, b in lm.IRIS_HORIZONTAL.values()]))


def field(obs: FaceObservation, part: str, side: Side, shape: tuple[int, int]) -> np.ndarray:
    """The unit displacement weight (0–1) over the image for `part` on `side`, zero on both irises."""
    px = _pixels(obs)
    iris = iris_px(obs)
    points, sx, sy = PARTS[part]
    centre = px[list(points[side])].mean(axis=0)
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    weight = np.exp(-(((xx - centre[0]) / (sx * iris)) ** 2 + ((yy - centre[1]) / (sy * iris)) ** 2) / 2)
    for s in ("left", "right"):
        c = px[IRIS_CENTRE[s]]  # type: ignore[index]
        r = np.hypot(xx - c[0], yy - c[1]) / (iris / 2)
        weight *= np.clip((r - 1.0) / 0.3, 0.0, 1.0) ** 2  # 0 on the iris, 1 beyond 1.3 iris radii
    return weight


def shift(image: np.ndarray, obs: FaceObservation, part: str, side: Side, mm: float) -> Warp:
    """Move `part` on `side` down by `mm` (negative: up) with a smooth field that leaves the irises."""
    import cv2

    h, w = image.shape[:2]
    px_per_mm = iris_px(obs) / IRIS_DIAMETER_MM
    weight = field(obs, part, side, (h, w))
    k = mm * px_per_mm
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    map_y = (yy - k * weight).astype(np.float32)  # dst(x, y) = src(x, y − k·g): content moves down
    warped = cv2.remap(image, xx, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    points = _pixels(obs)[list(PARTS[part][0][side])]
    ix = np.clip(np.round(points).astype(int), 0, (w - 1, h - 1))
    true_mm = mm * float(weight[ix[:, 1], ix[:, 0]].mean())
    return Warp(np.ascontiguousarray(warped), true_mm)


def raise_lower_lid(image: np.ndarray, obs: FaceObservation, side: Side, mm: float) -> Warp:
    """Raise one lower lid by up to `mm` over the iris (the eye narrows); the iris is covered, not bent."""
    import cv2

    h, w = image.shape[:2]
    px = _pixels(obs)
    iris = iris_px(obs)
    k = mm * iris / IRIS_DIAMETER_MM
    lid = px[list(lm.LOWER_LID[side])]
    order = np.argsort(lid[:, 0])
    centre = lid.mean(axis=0)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    along = np.exp(-(((xx - centre[0]) / (0.9 * iris)) ** 2) / 2)  # smooth along the lid
    # The model's lid points sit up to ~0.09 iris diameters below the visible margin; cutting there
    # would delete the strip between and move the visible margin by less than `mm`. Cut a little
    # above (LID_ALLOWANCE) so the whole visible margin slides up by the stated amount.
    margin = np.interp(xx, lid[order, 0], lid[order, 1]) - LID_ALLOWANCE * iris
    new_margin = margin - k * along
    below = np.clip((yy - new_margin) / 1.0, 0.0, 1.0)  # 0 above the new margin: the iris stays
    fade = np.exp(-((np.maximum(yy - margin, 0.0) / (0.8 * iris)) ** 2) / 2)  # nothing moves far below
    map_y = (yy + k * along * below * fade).astype(np.float32)  # dst(x, y) = src(x, y + shift): up
    warped = cv2.remap(image, xx.astype(np.float32), map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    ix = np.clip(np.round(lid).astype(int), 0, (w - 1, h - 1))
    true_mm = mm * float(along[ix[:, 1], ix[:, 0]].mean())
    return Warp(np.ascontiguousarray(warped), true_mm)
