"""A synthetic, exactly left/right-symmetric face for the fast scoring tests (no MediaPipe, no model).

Head frame (as MediaPipe's canonical mesh): centimetres, +x = the subject's LEFT, y up, z toward the
camera, x = 0 the mid-sagittal plane. The landmarks that `journal.scoring.landmarks` uses sit at
plausible places; every other vertex is a random point with an exact mirror partner, so that
`mirror_permutation(canonical_mesh())` works. Edits are given in millimetres, per anatomical side.

Pipeline helpers mirror what the app does with a real frame: head-frame face → a similarity pose →
MediaPipe-normalised landmarks (the inverse of `FaceObservation.points_3d`) → `to_head_frame` →
`measure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from journal.models import N_LANDMARKS, FaceObservation
from journal.protocol import Side
from journal.scoring import landmarks as lm
from journal.scoring.headframe import anchors_for_pose, to_head_frame
from journal.scoring.measures import measure

N_MESH = 468
IRIS_DIAMETER_CM = 1.177
#: Height of the medial canthi above the head-frame origin (cm).
EYE_Y = 3.0
EYE_CENTRE_X = 3.2

# Subject's RIGHT side (x < 0): index → (x, height above the medial canthi) in cm, and its partner.
_RIGHT: dict[int, tuple[float, float]] = {
    133: (-1.8, 0.0),  # medial canthus
    33: (-4.6, 0.05),  # lateral canthus
    63: (-4.3, 2.0),  # brow, lateral
    105: (-3.3, 2.3),  # brow, middle
    66: (-2.3, 2.3),  # brow, medial
    160: (-3.7, 0.33),  # upper lid
    159: (-3.2, 0.37),
    158: (-2.7, 0.35),
    144: (-3.7, -0.33),  # lower lid
    145: (-3.2, -0.37),
    153: (-2.7, -0.35),
    64: (-1.3, -3.6),  # ala base
    61: (-2.5, -6.3),  # commissure
    37: (-0.5, -5.5),  # upper lip
    39: (-1.1, -5.6),
    40: (-1.7, -5.8),
    84: (-0.6, -7.2),  # lower lip
    181: (-1.3, -7.0),
    205: (-3.5, -3.8),  # cheek
    50: (-4.3, -2.8),
    187: (-4.6, -4.3),
    127: (-7.0, 0.6),  # temples
    234: (-7.2, -1.2),
}
PAIRS: dict[int, int] = {
    33: 263,
    133: 362,
    61: 291,
    64: 294,
    63: 293,
    105: 334,
    66: 296,
    160: 387,
    159: 386,
    158: 385,
    144: 373,
    145: 374,
    153: 380,
    37: 267,
    39: 269,
    40: 270,
    84: 314,
    181: 405,
    205: 425,
    50: 280,
    187: 411,
    127: 356,
    234: 454,
}
# Midline anchors: index → (height above the canthi, extra depth in front of the face surface).
_MIDLINE: dict[int, tuple[float, float]] = {
    10: (6.5, 0.0),  # forehead
    151: (5.0, 0.0),
    9: (3.0, 0.1),
    8: (1.8, 0.2),
    168: (0.4, 0.4),  # nasal dorsum to tip
    6: (-0.6, 0.8),
    197: (-1.5, 1.2),
    195: (-2.4, 1.6),
    5: (-3.2, 2.0),
    4: (-3.8, 2.3),
}
#: Further vertices put on the midline (MediaPipe's lips, chin, nose tip…), at random heights.
_EXTRA_MIDLINE = (0, 1, 2, 11, 12, 13, 14, 15, 16, 17, 18, 19, 94, 152, 164, 175, 199, 200)


def surface_z(x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """A smooth face-like depth (cm toward the camera) at head-frame (x, y)."""
    return np.asarray(5.5 - 0.1 * np.square(x) - 0.015 * np.square(np.asarray(y) - 1.0))


@lru_cache(maxsize=4)
def _canonical(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mesh = np.full((N_MESH, 3), np.nan)
    for i, (x, dy) in _RIGHT.items():
        y = EYE_Y + dy
        mesh[i] = (x, y, surface_z(x, y))
        mesh[PAIRS[i]] = (-x, y, mesh[i, 2])
    for i, (dy, bump) in _MIDLINE.items():
        y = EYE_Y + dy
        mesh[i] = (0.0, y, surface_z(0.0, y) + bump)
    for i in _EXTRA_MIDLINE:
        y = rng.uniform(-7.0, 9.5)
        mesh[i] = (0.0, y, surface_z(0.0, y) + rng.uniform(-0.3, 0.3))
    free = [i for i in range(N_MESH) if np.isnan(mesh[i, 0])]
    assert len(free) % 2 == 0
    for right, left in zip(free[0::2], free[1::2], strict=True):
        x, y = -rng.uniform(0.2, 7.0), rng.uniform(-7.0, 9.5)
        z = surface_z(x, y) + rng.uniform(-0.3, 0.3)
        mesh[right] = (x, y, z)
        mesh[left] = (-x, y, z)
    mesh.setflags(write=False)
    return mesh


def canonical_mesh(seed: int = 0) -> np.ndarray:
    """Return the synthetic canonical mesh (468×3, cm), exactly left/right symmetric."""
    return _canonical(seed).copy()


def mirror_partner_map(seed: int = 0) -> np.ndarray:
    """Return the 478-entry partner map built by construction (not by nearest neighbour)."""
    perm = np.arange(N_LANDMARKS)
    mesh = _canonical(seed)
    by_position = {tuple(p): i for i, p in enumerate(mesh)}
    for i, p in enumerate(mesh):
        perm[i] = by_position[(-p[0] + 0.0, p[1], p[2])]
    for a, b in {468: 473, 469: 476, 470: 475, 471: 474, 472: 477}.items():
        perm[a], perm[b] = b, a
    return perm


def iris_points(diameter_cm: float = IRIS_DIAMETER_CM) -> np.ndarray:
    """Return the 10 iris points 468–477 (centre, then rims) in the head frame.

    Right iris: 468 centre, 469/471 horizontal rim (469 toward the midline), 470/472 vertical
    (470 up). The left iris 473–477 is the mirror image (469↔476, 470↔475, 471↔474, 472↔477).
    """
    r = diameter_cm / 2
    cx, cy = -EYE_CENTRE_X, EYE_Y
    cz = float(surface_z(cx, cy)) + 0.2
    right = np.array([(cx, cy, cz), (cx + r, cy, cz), (cx, cy + r, cz), (cx - r, cy, cz), (cx, cy - r, cz)])
    left = right[[0, 3, 2, 1, 4]] * np.array([-1.0, 1.0, 1.0])
    return np.vstack([right, left])


def close_lips(points: np.ndarray) -> np.ndarray:
    """Return a copy of a face with the inner lip points 13 and 14 at mouth height, 0.2 mm apart.

    The canonical mesh puts them at random midline heights (the mouth reads open); a face that must
    pass the rest check needs closed lips. Kept out of `face()` so the golden inputs do not change.
    """
    out = np.array(points, dtype=np.float64)
    for i, dy in ((13, -6.3), (14, -6.32)):
        out[i] = (0.0, EYE_Y + dy, surface_z(0.0, EYE_Y + dy))
    return out


def face(seed: int = 0, iris_diameter_cm: float = IRIS_DIAMETER_CM) -> np.ndarray:
    """Return the symmetric neutral face: the canonical mesh plus the iris points (478×3, cm)."""
    return np.vstack([_canonical(seed), iris_points(iris_diameter_cm)])


# ---------------------------------------------------------------------------------------------
# Edits in the head frame (mm)

PARTS: dict[str, dict[Side, tuple[int, ...]]] = {
    "brow": lm.BROW,
    "upper_lid": lm.UPPER_LID,
    "lower_lid": lm.LOWER_LID,
    "ala": {s: (i,) for s, i in lm.ALA.items()},
    "commissure": {s: (i,) for s, i in lm.COMMISSURE.items()},
    "upper_lip": lm.UPPER_LIP,
    "lower_lip": lm.LOWER_LIP,
    "cheek": lm.CHEEK,
    "canthus": {s: (i,) for s, i in lm.CANTHUS.items()},
    "forehead": {"left": lm.FOREHEAD_ANCHORS, "right": lm.FOREHEAD_ANCHORS},
}


@dataclass(frozen=True)
class Edit:
    """Move one side's part: `up`, `out` (away from the midline) and `forward` (toward the camera), mm."""

    side: Side
    part: str
    up: float = 0.0
    out: float = 0.0
    forward: float = 0.0

    def scaled(self, factor: float) -> Edit:
        """The same edit, `factor` times as large."""
        return replace(self, up=self.up * factor, out=self.out * factor, forward=self.forward * factor)


def apply_edits(points: np.ndarray, edits: Iterable[Edit]) -> np.ndarray:
    """Return a copy of head-frame points (478×3, cm) with the edits applied."""
    out = np.array(points, dtype=np.float64)
    for e in edits:
        lateral = -1.0 if e.side == "right" else 1.0
        out[list(PARTS[e.part][e.side])] += np.array([lateral * e.out, e.up, e.forward]) / 10.0
    return out


def eye_opening(side: Side, mm: float) -> list[Edit]:
    """Widen (mm > 0) or narrow (mm < 0) one palpebral fissure by `mm`, split between both lids."""
    return [Edit(side, "upper_lid", up=mm / 2), Edit(side, "lower_lid", up=-mm / 2)]


def movement(pose: str, left_mm: float, right_mm: float) -> list[Edit]:
    """Edits that make each side move `mm` in `pose`'s direction (what `excursions` measures)."""
    edits: list[Edit] = []
    sides: tuple[tuple[Side, float], ...] = (("left", left_mm), ("right", right_mm))
    for s, mm in sides:
        if pose == "brow_raise":
            edits.append(Edit(s, "brow", up=mm))
        elif pose in ("eyes_gentle", "eyes_tight"):
            edits.append(Edit(s, "upper_lid", up=-mm))
        elif pose in ("smile", "smile_teeth"):
            edits.append(Edit(s, "commissure", up=0.6 * mm, out=0.8 * mm))
        elif pose == "snarl":
            edits += [Edit(s, "ala", up=mm), Edit(s, "upper_lip", up=mm)]
        elif pose == "pucker":
            edits.append(Edit(s, "commissure", out=-mm))
        elif pose == "lower_teeth":
            edits.append(Edit(s, "lower_lip", up=-mm))
        elif pose == "cheek_puff":
            edits.append(Edit(s, "cheek", out=0.6 * mm, forward=0.8 * mm))
        else:
            raise ValueError(f"no synthetic movement for {pose!r}")
    return edits


def swap_sides(edits: Iterable[Edit]) -> list[Edit]:
    """The same edits on the other side of the face."""
    return [replace(e, side="left" if e.side == "right" else "right") for e in edits]


# ---------------------------------------------------------------------------------------------
# Projection into MediaPipe-normalised landmarks


def rotation(yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0) -> np.ndarray:
    """Head rotation (degrees): positive yaw faces the image's right, positive pitch lifts the chin."""
    a, b, c = np.radians([yaw, -pitch, roll])
    ry = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    rot: np.ndarray = rz @ rx @ ry
    return rot


@dataclass(frozen=True)
class Camera:
    """A similarity pose of the head in an image: pixel point = scale · R @ P + offset (y up)."""

    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))
    scale: float = 15.0  # px per cm: a 14.4 cm face is ~216 px wide
    offset: tuple[float, float, float] = (320.0, -240.0, 0.0)
    width: int = 640
    height: int = 480

    def to_pixels(self, points_cm: np.ndarray) -> np.ndarray:
        """Head-frame cm → pixels with y up (what `FaceObservation.points_3d` returns)."""
        px: np.ndarray = self.scale * points_cm @ self.rotation.T + np.asarray(self.offset)
        return px

    def normalise(self, points_cm: np.ndarray) -> np.ndarray:
        """Head-frame cm → MediaPipe-normalised (x/W, −y/H, −z/W)."""
        px = self.to_pixels(points_cm)
        return px / np.array([self.width, -self.height, -self.width], dtype=np.float64)


def random_camera(rng: np.random.Generator, max_deg: float = 8.0) -> Camera:
    """A plausible webcam pose: a few degrees of turn, 12–18 px/cm, face near the image centre."""
    yaw, pitch, roll = rng.uniform(-max_deg, max_deg, size=3)
    return Camera(
        rotation=rotation(yaw, pitch, roll),
        scale=float(rng.uniform(12.0, 18.0)),
        offset=(float(rng.uniform(280, 360)), float(rng.uniform(-270, -210)), float(rng.uniform(-50, 50))),
    )


def observe(points_cm: np.ndarray, camera: Camera | None = None, **fields: Any) -> FaceObservation:
    """Build the `FaceObservation` a perfect landmarker would return for this head-frame face."""
    cam = camera or Camera()
    return FaceObservation(landmarks=cam.normalise(points_cm), width=cam.width, height=cam.height, **fields)


def mirror_landmarks(landmarks: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """What a perfect landmarker finds on the horizontally flipped image: x → 1 − x, roles swapped."""
    src = np.asarray(landmarks, dtype=np.float64)
    out = np.empty_like(src)
    for i in range(len(src)):
        j = perm[i]
        out[i] = (1.0 - src[j, 0], src[j, 1], src[j, 2])
    return out


def mirror_observation(obs: FaceObservation, perm: np.ndarray) -> FaceObservation:
    """The observation of the mirror-image photo (blendshape sides swapped)."""
    swap = {"Left": "Right", "Right": "Left"}
    shapes = {}
    for k, v in obs.blendshapes.items():
        tail = next((t for t in swap if k.endswith(t)), None)
        shapes[k[: -len(tail)] + swap[tail] if tail else k] = v
    return replace(
        obs, landmarks=mirror_landmarks(obs.landmarks, perm), blendshapes=shapes, yaw_deg=-obs.yaw_deg
    )


def measure_observation(obs: FaceObservation, pose: str, canonical: np.ndarray) -> np.ndarray:
    """Head frame and measures (2×features, head-frame units), as `services.analysis.add_frame` does."""
    return measure(to_head_frame(obs.points_3d(), canonical, anchors_for_pose(pose)))


def frames(
    rng: np.random.Generator,
    pose: str,
    edits: Sequence[Edit],
    n: int,
    *,
    amplitudes: Sequence[float] | None = None,
    noise_mm: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """N noisy frames of one pose through the whole pipeline: an N×2×features array (units).

    Frame k applies `edits` scaled by `amplitudes[k]` (default: `n` frames at 1), adds landmark noise
    (`noise_mm` standard deviation) and a random camera pose.
    """
    canonical = _canonical(seed)
    base = face(seed)
    amps = list(amplitudes) if amplitudes is not None else [1.0] * n
    out = []
    for amp in amps:
        pts = apply_edits(base, [e.scaled(amp) for e in edits])
        pts = pts + rng.normal(0.0, noise_mm / 10.0, pts.shape)
        out.append(measure_observation(observe(pts, random_camera(rng)), pose, canonical))
    return np.stack(out)


#: Blendshapes of a frame that shows each pose (about the weakest healthy shared photo of each).
EXPRESSION_SHAPES: dict[str, dict[str, float]] = {
    "rest": {},
    "brow_raise": {"browInnerUp": 0.7, "browOuterUpLeft": 0.7, "browOuterUpRight": 0.7},
    "eyes_gentle": {"eyeBlinkLeft": 0.6, "eyeBlinkRight": 0.6},
    "eyes_tight": {"eyeBlinkLeft": 0.6, "eyeBlinkRight": 0.6, "browDownLeft": 0.9, "browDownRight": 0.9},
    "smile": {"mouthSmileLeft": 0.5, "mouthSmileRight": 0.5},
    "smile_teeth": {"mouthSmileLeft": 0.9, "mouthSmileRight": 0.9, "mouthUpperUpLeft": 0.7},
    "snarl": {"browDownLeft": 0.7, "browDownRight": 0.7},
    "pucker": {"mouthPucker": 0.9},
    "lower_teeth": {"mouthStretchLeft": 0.5, "mouthStretchRight": 0.5},
    "cheek_puff": {"cheekPuff": 0.5},
}
