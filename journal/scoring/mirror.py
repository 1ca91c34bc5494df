"""Mirror averaging: combine a frame's landmarks with those of its horizontal flip."""

from __future__ import annotations

import numpy as np


def unflip(flipped: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Bring normalised landmarks found on a horizontally flipped image back to the original frame.

    The flip moves x to 1 − x and swaps the roles of left and right landmarks (`perm`).
    """
    back = np.array(flipped, dtype=np.float64)
    back[:, 0] = 1.0 - back[:, 0]
    unflipped: np.ndarray = back[perm]
    return unflipped


def average_landmarks(direct: np.ndarray, flipped: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Average landmarks of a frame with those of its flip, so a mirrored photo gives mirrored results."""
    averaged: np.ndarray = (np.asarray(direct, dtype=np.float64) + unflip(flipped, perm)) / 2.0
    return averaged


def swap_side_name(name: str) -> str:
    """Swap a trailing Left/Right in a blendshape name (e.g. eyeBlinkLeft -> eyeBlinkRight)."""
    if name.endswith("Left"):
        return name[:-4] + "Right"
    if name.endswith("Right"):
        return name[:-5] + "Left"
    return name


def average_blendshapes(direct: dict[str, float], flipped: dict[str, float]) -> dict[str, float]:
    """Average blendshape scores with the flipped frame's, swapping its left and right names."""
    swapped = {swap_side_name(k): v for k, v in flipped.items()}
    return {k: (v + swapped.get(k, v)) / 2.0 for k, v in direct.items()}
