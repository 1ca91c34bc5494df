"""Landmarks as stored: scaled int16, half the bytes of float32, read back exactly to 1/16384.

MediaPipe gives x and y as fractions of the image width and height and z on the scale of x. A
stored coordinate is round(value × 16384) as a little-endian int16, so the step is 6.1e-5 of the
image (0.08 px across a 1280 px frame, far below the landmarker's own jitter of ~1-2 px) and the
rounding is at most half that. The range is ±2 image widths; a frame with a point beyond it (a
face far outside the picture, which the quality gates reject anyway) is kept as float32, exactly.
The two forms have different lengths (2,868 and 5,736 bytes for 478×3), so the reader tells them
apart and journals written before version 3 (all float32) stay readable until `tonus compact`.
tests/store/test_store_compact.py shows that the rounding moves no score by more than 0.01.

numpy is imported here only, so commands that never touch frames (`tonus log`, `history`) skip it.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.models import N_LANDMARKS

SCALE: Final[float] = 16384.0
_INT16: Final = np.dtype("<i2")
_FLOAT32: Final = np.dtype("<f4")
INT16_BYTES: Final[int] = N_LANDMARKS * 3 * _INT16.itemsize
FLOAT32_BYTES: Final[int] = N_LANDMARKS * 3 * _FLOAT32.itemsize
_LIMIT: Final[int] = int(np.iinfo(_INT16).max)


def shape_of(landmarks: object) -> tuple[int, ...] | None:
    """Return the array's shape (None for something that is not an array)."""
    shape = getattr(landmarks, "shape", None)
    return tuple(shape) if shape is not None else None


def all_finite(landmarks: object) -> bool:
    """Whether every coordinate is a finite number."""
    return bool(np.isfinite(np.asarray(landmarks, dtype=np.float64)).all())


def encode(landmarks: object) -> bytes:
    """Return the stored form of a 478×3 array: scaled int16, or float32 when a point is out of range."""
    values = np.asarray(landmarks, dtype=np.float64)
    scaled = np.rint(values * SCALE)
    if scaled.size and np.abs(scaled).max() > _LIMIT:
        return np.ascontiguousarray(values, dtype=_FLOAT32).tobytes()
    return scaled.astype(_INT16).tobytes()


def decode(blob: bytes) -> np.ndarray:
    """Return stored landmarks as an N×3 float32 array (either stored form)."""
    if len(blob) == INT16_BYTES:
        return (np.frombuffer(blob, dtype=_INT16).astype(np.float32) / np.float32(SCALE)).reshape(-1, 3)
    return np.frombuffer(blob, dtype=_FLOAT32).reshape(-1, 3).copy()


def compacted(blob: bytes) -> bytes | None:
    """Return the int16 form of a float32 blob, or None when it is already compact (or must stay)."""
    if len(blob) != FLOAT32_BYTES:
        return None
    smaller = encode(decode(blob))
    return smaller if len(smaller) < len(blob) else None
