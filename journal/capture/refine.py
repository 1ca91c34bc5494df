"""Refine the lower-lid and brow landmarks from the image, along the face's vertical through each iris.

MediaPipe's lid and brow points follow only part of a real shift (its face-shape prior pulls them
back). Here the image is sampled along the vertical through each iris centre (as Emotrics measures
MRD2), square to the line between the irises so a tilted head is sampled along the face. The lower
lid: the margin (dark iris above, lid skin below) is found near the model's guess
(journal.scoring.edges.find_edge) and the lid points are moved onto it, keeping their shape. The
brows: the two brows' profiles are matched against each other (edges.profile_offset, normalised
correlation over each brow and its surroundings), so the whole brow pattern counts rather than one
soft edge, and light from one side does not; the left−right offset the image shows replaces the
model's, half on each side. Sampling and matching are symmetric, so a mirrored photo is refined as
the mirror.

Used by the landmarker on every frame since tonus-scorer/5 (MediaPipeLandmarker._observe, after the
direct and flipped runs are averaged), so the weekly test, photos, videos and imports all store
refined points and `tonus rescore` reproduces their scores. The lower lid of a closing eye
(eyeBlink ≥ 0.35) is left alone: refined, 3 of 5 Yale winks lost their side; gated, 5 of 5 keep it.
bench/measurement.py (with bench/measurement_refine.py) and tests/test_refine.py measure it on 8
shared faces, per true mm (the model alone in brackets). Brow down 2 mm: median 0.79, lowest 0.72
(0.44, 0.37); 1 mm: lowest 0.70. Lower lid up 1.5 mm: 0.85, lowest 0.69 (0.28, 0.11); 0.75 mm:
lowest 0.74. Healthy rests differ by up to 1.81 mm at the brow (1.61) and 0.41 mm at the eye (0.25);
JPEG q30 or blur move those differences no more than the model's (brow 0.28 vs 0.32 mm, eye 0.47 vs
0.45) and frame-to-frame noise in a video hold is alike (brow SD 0.10 vs 0.14 mm, eye 0.06 vs 0.05).
Healthy brow raises differ by up to 3.80 mm refined (Yale s03 surprised; 1.53 mm with the model
alone), so the brow_raise "lower brow" side cue is 5.0 mm (journal/scoring/side.py). A test keeps
landmarks, not images, so tests stored before cannot be refined: each test records how its
landmarks were measured (`sessions.landmarks`), and brow and eye changes are compared only between
tests measured alike (journal/signals/points.py).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import numpy as np

from journal.protocol import SIDES, Side
from journal.scoring import landmarks as lm
from journal.scoring.edges import SUBSAMPLE, find_edge, profile_offset, smooth

IRIS_CENTRE: Final[dict[Side, int]] = {"right": 468, "left": 473}
#: The lower edge of each brow (the model's lower brow contour).
BROW_LOWER: Final[dict[Side, tuple[int, ...]]] = {
    "right": (46, 53, 52, 65, 55),
    "left": (276, 283, 282, 295, 285),
}
#: Lower lid: the edge searched going down (iris, then the lid's skin) and its reach (iris diameters).
LID_POLARITY: Final = "dark_to_bright"
LID_REACH: Final = 0.2
#: Brows: the two profiles are matched over each brow ± BROW_PAD and up to BROW_REACH apart (iris
#: diameters).
BROW_PAD: Final = 0.3
BROW_REACH: Final = 0.4
ABOVE: Final = 3.5  # profile start, iris diameters above the iris centre
BELOW: Final = 1.5  # profile end, iris diameters below


def luma(image: np.ndarray) -> np.ndarray:
    """Grey levels (float32) of an RGB or grey image."""
    if image.ndim == 2:
        return image.astype(np.float32)
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    grey: np.ndarray = image[..., :3].astype(np.float32) @ weights
    return grey


def vertical_profile(
    grey: np.ndarray, centre: np.ndarray, down: np.ndarray, top: float, bottom: float, half_width: float
) -> np.ndarray:
    """Mean grey level along the face's vertical through `centre` (pixels), from `top` to `bottom`
    (pixels along `down`, the unit vector square to the line between the irises), over a window
    ±half_width wide across it."""
    import cv2

    across = np.array([down[1], -down[0]])
    t = np.arange(top, bottom, 1.0 / SUBSAMPLE)
    s = np.linspace(-half_width, half_width, 9)
    mx = centre[0] + t[:, None] * down[0] + s[None, :] * across[0]
    my = centre[1] + t[:, None] * down[1] + s[None, :] * across[1]
    samples = cv2.remap(
        grey, mx.astype(np.float32), my.astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    profile: np.ndarray = samples.mean(axis=1)
    return profile


def _line_depth(points: np.ndarray, centre: np.ndarray, down: np.ndarray) -> float:
    """How far below `centre` (pixels along `down`) a polyline through `points` crosses the face's
    vertical through it, extended flat beyond its ends."""
    rel = points - centre
    along = rel @ np.array([-down[1], down[0]])
    depth = rel @ down
    order = np.argsort(along)
    return float(np.interp(0.0, along[order], depth[order]))


def face_down(px: np.ndarray) -> np.ndarray:
    """The unit vector (pixels) square to the line from the right iris centre to the left one, pointing
    down the face: profiles follow the face, not the image, when the head is tilted. It is mirror-exact:
    a mirrored photo gives the mirrored vector."""
    across = px[IRIS_CENTRE["left"]] - px[IRIS_CENTRE["right"]]
    norm = float(np.linalg.norm(across))
    if not np.isfinite(norm) or norm == 0.0:
        return np.array([0.0, 1.0])
    across = across / norm
    if across[0] < 0:  # the subject's left iris is on the image's right in an upright photo
        across = -across
    return np.array([-across[1], across[0]])


def refine(image: np.ndarray, landmarks: np.ndarray, keep_lower_lid: Collection[Side] = ()) -> np.ndarray:
    """Return a copy of normalised landmarks (478×3) with the lower-lid and brow points moved onto the
    image along the face's vertical through each iris; points stay where they are when no clear edge
    or match is found, and the lower lid of each side in `keep_lower_lid` (a closing eye) is left as
    the model put it."""
    h, w = image.shape[:2]
    out = np.array(landmarks, dtype=np.float64)
    px = out[:, :2] * (w, h) - 0.5  # pixel centres
    diameters = [float(np.linalg.norm(px[a] - px[b])) for a, b in lm.IRIS_HORIZONTAL.values()]
    if not all(np.isfinite(d) and d >= 4.0 for d in diameters):
        return out
    grey, origin = _eye_band(image, px, max(diameters))
    px = px - origin  # pixels of the band
    down = face_down(px)
    scale = down / (w, h)  # one pixel along the face's vertical, in normalised coordinates
    for side in SIDES:
        if side not in keep_lower_lid:
            out[list(lm.LOWER_LID[side]), :2] += _lower_lid_shift(grey, px, side, down) * scale
    # The brows are matched against each other: their left−right offset comes from the image.
    correction = _brow_offset_correction(grey, px, float(np.mean(diameters)), down)
    out[list(lm.BROW["right"]), :2] += correction / 2 * scale
    out[list(lm.BROW["left"]), :2] -= correction / 2 * scale
    return out


def _eye_band(image: np.ndarray, px: np.ndarray, diameter: float) -> tuple[np.ndarray, np.ndarray]:
    """The grey levels of the part of the image the profiles sample (around both irises, ABOVE iris
    diameters and a little more each way, whatever the tilt), and its top-left corner (x, y):
    converting the whole frame cost more than the refinement itself. The band ends at the image's
    edges, so edge replication samples the same values as on the whole image."""
    h, w = image.shape[:2]
    centres = px[list(IRIS_CENTRE.values())]
    reach = (ABOVE + 0.2) * diameter + 2
    x0 = int(np.clip(np.floor(centres[:, 0].min() - reach), 0, w - 1))
    x1 = int(np.clip(np.ceil(centres[:, 0].max() + reach) + 1, x0 + 1, w))
    y0 = int(np.clip(np.floor(centres[:, 1].min() - reach), 0, h - 1))
    y1 = int(np.clip(np.ceil(centres[:, 1].max() + reach) + 1, y0 + 1, h))
    return luma(image[y0:y1, x0:x1]), np.array([x0, y0], dtype=np.float64)


def _lower_lid_shift(grey: np.ndarray, px: np.ndarray, side: Side, down: np.ndarray) -> float:
    """How far (pixels along `down`) the lower-lid margin lies from the model's lid along the face's
    vertical through the iris; 0 when no clear edge."""
    a, b = lm.IRIS_HORIZONTAL[side]
    diameter = float(np.linalg.norm(px[a] - px[b]))
    centre = px[IRIS_CENTRE[side]]
    top = -ABOVE * diameter
    profile = vertical_profile(grey, centre, down, top, BELOW * diameter, 0.15 * diameter)
    sigma = max(1.0, diameter / 25.0) * SUBSAMPLE
    guess = (_line_depth(px[list(lm.LOWER_LID[side])], centre, down) - top) * SUBSAMPLE
    edge = find_edge(profile, LID_POLARITY, guess, LID_REACH * diameter * SUBSAMPLE, sigma)
    return 0.0 if edge is None else (edge.position - guess) / SUBSAMPLE


def _brow_offset_correction(grey: np.ndarray, px: np.ndarray, diameter: float, down: np.ndarray) -> float:
    """The right brow's depth below the left one (pixels along `down`, from each iris centre) as the
    image shows it, minus what the model's points say; 0 when the brows do not match.

    Each brow's profile along the face's vertical through its iris is matched against the other one's,
    both ways (so a mirrored photo gives the opposite correction exactly), by normalised correlation:
    the whole brow pattern counts, and light from one side does not.
    """
    profiles, model, windows = {}, {}, {}
    reach = int(BROW_REACH * diameter * SUBSAMPLE)
    top = -ABOVE * diameter
    for side in SIDES:
        centre = px[IRIS_CENTRE[side]]
        raw = vertical_profile(grey, centre, down, top, BELOW * diameter, 0.15 * diameter)
        profiles[side] = smooth(raw, max(1.0, diameter / 25.0) * SUBSAMPLE)
        upper = _line_depth(px[list(lm.BROW[side])], centre, down) - top
        lower = _line_depth(px[list(BROW_LOWER[side])], centre, down) - top
        model[side] = (upper + lower) / 2
        pad = BROW_PAD * diameter
        windows[side] = (int((upper - pad) * SUBSAMPLE), int((lower + pad) * SUBSAMPLE))
    there = profile_offset(profiles["left"], profiles["right"], *windows["left"], reach)
    back = profile_offset(profiles["right"], profiles["left"], *windows["right"], reach)
    if there is None or back is None:
        return 0.0
    image_offset = (there.shift - back.shift) / 2 / SUBSAMPLE
    return float(image_offset - (model["right"] - model["left"]))
