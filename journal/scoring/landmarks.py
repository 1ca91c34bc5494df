"""Landmark indices by region and side (the subject's anatomical sides), and the mirror map."""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.protocol import Side

# Subject's RIGHT is on the image's left in an un-mirrored frame.
BROW: Final[dict[Side, tuple[int, ...]]] = {"right": (63, 105, 66), "left": (293, 334, 296)}
CANTHUS: Final[dict[Side, int]] = {"right": 133, "left": 362}
UPPER_LID: Final[dict[Side, tuple[int, ...]]] = {"right": (160, 159, 158), "left": (387, 386, 385)}
LOWER_LID: Final[dict[Side, tuple[int, ...]]] = {"right": (144, 145, 153), "left": (373, 374, 380)}
ALA: Final[dict[Side, int]] = {"right": 64, "left": 294}
COMMISSURE: Final[dict[Side, int]] = {"right": 61, "left": 291}
UPPER_LIP: Final[dict[Side, tuple[int, ...]]] = {"right": (37, 39, 40), "left": (267, 269, 270)}
LOWER_LIP: Final[dict[Side, tuple[int, ...]]] = {"right": (84, 181), "left": (314, 405)}
CHEEK: Final[dict[Side, tuple[int, ...]]] = {"right": (205, 50, 187), "left": (425, 280, 411)}
IRIS_HORIZONTAL: Final[dict[Side, tuple[int, int]]] = {"right": (469, 471), "left": (474, 476)}

# Points that most poses do not move: nasal dorsum, medial canthi, forehead midline, temples.
NOSE_ANCHORS: Final = (168, 6, 197, 195, 5, 4)
CANTHUS_ANCHORS: Final = (133, 362)
FOREHEAD_ANCHORS: Final = (10, 151, 9, 8)
TEMPLE_ANCHORS: Final = (127, 356, 234, 454)
ALL_ANCHORS: Final = NOSE_ANCHORS + CANTHUS_ANCHORS + FOREHEAD_ANCHORS + TEMPLE_ANCHORS
UPPER_FACE_MOVING_ANCHORS: Final = NOSE_ANCHORS + TEMPLE_ANCHORS

# Iris points (not in the 468-vertex canonical mesh): centre and four rim points per eye.
_IRIS_MIRROR: Final = {468: 473, 469: 476, 470: 475, 471: 474, 472: 477}


def mirror_permutation(canonical: np.ndarray) -> np.ndarray:
    """Map each of the 478 landmarks to its left/right partner, from the symmetric canonical mesh.

    `perm[i]` is the landmark that plays `i`'s role on the other side of the face.
    """
    mirrored = canonical * np.array([-1.0, 1.0, 1.0])
    dist = ((mirrored[:, None, :] - canonical[None, :, :]) ** 2).sum(axis=-1)
    perm = np.empty(478, dtype=np.intp)
    perm[: len(canonical)] = dist.argmin(axis=1)
    for a, b in _IRIS_MIRROR.items():
        perm[a], perm[b] = b, a
    if not np.array_equal(perm[perm], np.arange(478)):
        raise ValueError("the canonical mesh is not left/right symmetric")
    return perm
