"""Plain data passed between layers: one face observation per frame. Stdlib and numpy only."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

N_LANDMARKS = 478


@dataclass(frozen=True, slots=True)
class FaceObservation:
    """What the landmarker saw in one frame, already mirror-averaged, in un-mirrored image space.

    `landmarks` are MediaPipe's normalised (x, y, z), shape 478×3. `blendshapes` use MediaPipe's
    names, where `...Left`/`...Right` are the subject's sides. Angles are degrees.
    """

    landmarks: np.ndarray
    width: int
    height: int
    blendshapes: dict[str, float] = field(default_factory=dict)
    head_turn_deg: float = 0.0
    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    brightness: float = 128.0

    def points_3d(self) -> np.ndarray:
        """Return landmarks as 3-D points in pixels with y up: (x·W, −y·H, −z·W)."""
        scale = np.array([self.width, -self.height, -self.width], dtype=np.float64)
        return np.asarray(self.landmarks, dtype=np.float64) * scale

    def face_width_px(self) -> float:
        """Return the face width in pixels (cheek to cheek, landmarks 234 and 454)."""
        pts = self.landmarks[[234, 454], :2] * np.array([self.width, self.height])
        return float(np.hypot(*(pts[0] - pts[1])))
