"""Landmarks as stored: 21 bits a coordinate within the face's own box, two thirds of float32's bytes.

A frame is stored as 6 little-endian float32 (the lowest and highest x, y, z of its 478 points)
followed by one little-endian uint64 a point holding x, y and z as 21-bit steps between those
bounds (x in the low bits): 3,848 bytes instead of 5,736. The step is 1/2,097,151 of the face's
extent, about 1.5e-7 of the image, a few times float32's own spacing there.

Why not int16 (half the bytes): movement scores are ratios of small displacements of single frames,
so they magnify rounding. On the real protocol photos in ../shared, int16 (a step of 1/16384 of the
image) moved movement scores by up to 0.48 points and float16 by 1.5; 16 bits within the face's box
by 0.04, 18 bits by 0.02, 20 bits by 0.002 and 21 bits by at most 0.002 (see
tests/store/test_store_compact.py, which holds every score to 0.01).

Journals written before schema version 3 hold float32 frames (5,736 bytes); the reader tells the two
forms apart by length, and `tonus compact` rewrites the old ones. numpy is imported here only, so
commands that never touch frames (`tonus log`, `history`) never load it.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.models import N_LANDMARKS

BITS: Final[int] = 21
TOP: Final[int] = (1 << BITS) - 1
_FLOAT32: Final = np.dtype("<f4")
_UINT64: Final = np.dtype("<u8")
_HEADER: Final[int] = 6 * _FLOAT32.itemsize
PACKED_BYTES: Final[int] = _HEADER + N_LANDMARKS * _UINT64.itemsize
FLOAT32_BYTES: Final[int] = N_LANDMARKS * 3 * _FLOAT32.itemsize


def shape_of(landmarks: object) -> tuple[int, ...] | None:
    """Return the array's shape (None for something that is not an array)."""
    shape = getattr(landmarks, "shape", None)
    return tuple(shape) if shape is not None else None


def all_finite(landmarks: object) -> bool:
    """Whether every coordinate is a finite number."""
    return bool(np.isfinite(np.asarray(landmarks, dtype=np.float64)).all())


def _bounds(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low = values.min(axis=0).astype(_FLOAT32)
    high = values.max(axis=0).astype(_FLOAT32)
    return low, high


def encode(landmarks: object) -> bytes:
    """Return the stored form of an N×3 array of finite numbers (N = 478)."""
    values = np.asarray(landmarks, dtype=np.float32).astype(np.float64)
    low, high = _bounds(values)
    span = np.where(high > low, high.astype(np.float64) - low, 1.0)
    steps = np.clip(np.rint((values - low) / span * TOP), 0, TOP).astype(np.uint64)
    packed = steps[:, 0] | (steps[:, 1] << np.uint64(BITS)) | (steps[:, 2] << np.uint64(2 * BITS))
    header: bytes = np.concatenate([low, high]).tobytes()
    body: bytes = packed.astype(_UINT64).tobytes()
    return header + body


def decode(blob: bytes) -> np.ndarray:
    """Return stored landmarks as an N×3 float32 array (either stored form)."""
    if len(blob) == FLOAT32_BYTES:
        return np.frombuffer(blob, dtype=_FLOAT32).reshape(-1, 3).copy()
    bounds = np.frombuffer(blob[:_HEADER], dtype=_FLOAT32).astype(np.float64)
    low, high = bounds[:3], bounds[3:]
    packed = np.frombuffer(blob[_HEADER:], dtype=_UINT64)
    mask = np.uint64(TOP)
    steps = np.column_stack(
        [packed & mask, (packed >> np.uint64(BITS)) & mask, (packed >> np.uint64(2 * BITS)) & mask]
    ).astype(np.float64)
    return (low + steps / TOP * (high - low)).astype(np.float32)


def compacted(blob: bytes) -> bytes | None:
    """Return the packed form of an old float32 blob, or None when it is packed already."""
    if len(blob) != FLOAT32_BYTES:
        return None
    return encode(decode(blob))
