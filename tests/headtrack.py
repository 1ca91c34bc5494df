"""The head's own turn between photos of one person, followed through the pixels (not the landmarker).

Rigid points found on the first photo (nose, forehead, face outline) are followed into each other
photo by optical flow, and the yaw of the head is fitted to where they went, from their x and y
alone. That tells a head that really turned from a reading that the expression moved. It works
when the photos differ little (the public Yale set's s14); a wide-open mouth can break the flow.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.capture.landmarker import MediaPipeLandmarker
from journal.scoring.headframe import umeyama

#: Nose, forehead and face outline: points whose pixels an expression leaves where the head puts them.
RIGID_PIXELS: Final = (
    6,
    197,
    195,
    5,
    4,
    1,
    168,
    127,
    356,
    234,
    454,
    93,
    323,
    10,
    151,
    109,
    338,
    103,
    332,
    67,
    297,
)


def yaw_2d(points_xy: np.ndarray, model: np.ndarray) -> float:
    """Yaw (°) of the head whose `model` points (N×3) project orthographically onto `points_xy` (y down)."""
    observed = np.column_stack([points_xy[:, 0], -points_xy[:, 1], np.zeros(len(points_xy))])
    fit = umeyama(observed, model)
    for _ in range(50):  # fill in the unseen depth from the model and refit: converges to the 2-D fit
        observed[:, 2] = (((model - fit.translation) @ fit.rotation) / fit.scale)[:, 2]
        fit = umeyama(observed, model)
    forward = fit.rotation.T @ np.array([0.0, 0.0, 1.0])
    return float(np.degrees(np.arctan2(forward[0], forward[2])))


def readings_and_tracked(
    lm: MediaPipeLandmarker, images: list[np.ndarray]
) -> tuple[list[float], list[float]]:
    """(the landmarker's yaw, the head's yaw followed from `images[0]`) per image, in degrees.

    Raises ValueError when no face is found or the flow loses a point, rather than guess.
    """
    import cv2

    first = lm.detect(images[0])
    if first is None:
        raise ValueError("no face in the first photo")
    idx = list(RIGID_PIXELS)
    start = (first.landmarks[idx, :2] * (first.width, first.height)).astype(np.float32).reshape(-1, 1, 2)
    model = lm.canonical[idx]
    gray = cv2.cvtColor(images[0], cv2.COLOR_RGB2GRAY)
    readings, tracked = [], []
    for n, image in enumerate(images):
        seen = lm.detect(image)
        if seen is None:
            raise ValueError(f"no face in photo {n}")
        other = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        end, status, _ = cv2.calcOpticalFlowPyrLK(gray, other, start, None, winSize=(31, 31), maxLevel=3)
        if not status.all():
            raise ValueError(f"the optical flow lost a point in photo {n}")
        readings.append(seen.yaw_deg)
        tracked.append(yaw_2d(end.reshape(-1, 2), model))
    return readings, tracked
