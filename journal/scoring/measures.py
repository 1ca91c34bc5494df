"""Region measures per side in the head frame: brow, eye, midface, mouth, plus the iris scale."""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.protocol import SIDES, Side
from journal.scoring import landmarks as lm

IRIS_DIAMETER_MM: Final = 11.77

#: Per-side features, in this order along the last axis of a measures array.
FEATURES: Final[tuple[str, ...]] = (
    "brow",  # mean brow height above the same side's medial canthus
    "eye",  # palpebral fissure: mean upper lid minus mean lower lid
    "midface",  # ala-base height against mean(y133, y362)
    "mouth",  # commissure height against the same common reference
    "mouth_x",  # commissure distance from the mid-sagittal plane
    "upper_lip",  # upper-lip height against the common reference
    "lower_lip",  # lower-lip height against the common reference
    "cheek_x",  # cheek distance from the mid-sagittal plane
    "cheek_y",
    "cheek_z",  # cheek depth toward the camera
    "iris",  # horizontal iris diameter (for the mm scale)
)
F: Final = {name: i for i, name in enumerate(FEATURES)}
SIDE_INDEX: Final[dict[Side, int]] = {"left": 0, "right": 1}


def measure(aligned: np.ndarray) -> np.ndarray:
    """Measure head-frame points (…×478×3) into an array of shape …×2×len(FEATURES).

    Axis −2 is the side in the order of `journal.protocol.SIDES` (left, right). Units are those of
    the head frame (canonical-mesh units); multiply by a mm-per-unit factor for millimetres.
    """
    y = aligned[..., 1]
    ref = (y[..., lm.CANTHUS["right"]] + y[..., lm.CANTHUS["left"]]) / 2
    out = np.empty(aligned.shape[:-2] + (2, len(FEATURES)), dtype=np.float64)
    for s, side in enumerate(SIDES):
        v = out[..., s, :]
        v[..., F["brow"]] = y[..., list(lm.BROW[side])].mean(-1) - y[..., lm.CANTHUS[side]]
        v[..., F["eye"]] = y[..., list(lm.UPPER_LID[side])].mean(-1) - y[..., list(lm.LOWER_LID[side])].mean(
            -1
        )
        v[..., F["midface"]] = y[..., lm.ALA[side]] - ref
        v[..., F["mouth"]] = y[..., lm.COMMISSURE[side]] - ref
        v[..., F["mouth_x"]] = np.abs(aligned[..., lm.COMMISSURE[side], 0])
        v[..., F["upper_lip"]] = y[..., list(lm.UPPER_LIP[side])].mean(-1) - ref
        v[..., F["lower_lip"]] = y[..., list(lm.LOWER_LIP[side])].mean(-1) - ref
        cheek = aligned[..., list(lm.CHEEK[side]), :].mean(-2)
        v[..., F["cheek_x"]] = np.abs(cheek[..., 0])
        v[..., F["cheek_y"]] = cheek[..., 1] - ref
        v[..., F["cheek_z"]] = cheek[..., 2]
        a, b = lm.IRIS_HORIZONTAL[side]
        v[..., F["iris"]] = np.linalg.norm(aligned[..., a, :] - aligned[..., b, :], axis=-1)
    return out


def mm_per_unit(measures: np.ndarray) -> float:
    """Return the mm-per-unit factor from the median horizontal iris diameter of both eyes."""
    iris = np.median(measures[..., F["iris"]])
    if not np.isfinite(iris) or iris <= 0:
        raise ValueError("cannot set the millimetre scale: no iris measured")
    return float(IRIS_DIAMETER_MM / iris)
