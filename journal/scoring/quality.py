"""Quality gates: reject frames that cannot be measured well, with a reason a person can act on."""

from __future__ import annotations

from typing import Final

import numpy as np

from journal.models import FaceObservation
from journal.scoring import expression
from journal.scoring.expression import RestReference

MAX_TURN_DEG: Final = 10.0
#: Nodding changes both sides alike, so pitch gets a looser limit than a left/right turn.
MAX_PITCH_DEG: Final = 25.0
MIN_FACE_PX: Final = 90.0
MIN_BRIGHTNESS: Final = 35.0
BLINK_THRESHOLD: Final = 0.55
ONE_EYE_BLINK_THRESHOLD: Final = 0.8
#: Poses in which both eyes must be open.
EYES_OPEN_POSES: Final = frozenset({"rest", "brow_raise", "smile", "smile_teeth", "lower_teeth"})

REASONS: Final[dict[str, str]] = {
    "no_face": "no face found: face the camera, in good light, at arm's length",
    "head_turned": "head turned away from the camera: look straight at the lens",
    "head_tilted": "chin too far up or down: look straight at the lens",
    "too_small": "face too small in the picture: come closer",
    "too_dark": "too dark: put a light in front of you",
    "eyes_closed": "eyes closed on a pose that needs them open: keep your eyes open",
    "wrong_expression": "the face did not show the pose asked for: follow the instruction",
}


def check(
    obs: FaceObservation, pose: str, measures: np.ndarray | None = None, rest: RestReference | None = None
) -> str | None:
    """Return the reason to reject this frame for `pose`, or None when it can be measured.

    Last comes the expression check: is this `pose` at all? `measures` (the frame's, 2×features)
    and `rest` (the rest reference) let it use the stronger side's travel too.
    """
    if obs.face_width_px() < MIN_FACE_PX:
        return "too_small"
    if abs(obs.yaw_deg) > MAX_TURN_DEG:
        return "head_turned"
    if abs(obs.pitch_deg) > MAX_PITCH_DEG:
        return "head_tilted"
    if obs.brightness < MIN_BRIGHTNESS:
        return "too_dark"
    if pose in EYES_OPEN_POSES:
        blinks = (obs.blendshapes.get("eyeBlinkLeft", 0.0), obs.blendshapes.get("eyeBlinkRight", 0.0))
        # Both eyes half shut, or one clearly shut (in palsy the healthy eye blinks alone).
        if min(blinks) > BLINK_THRESHOLD or max(blinks) > ONE_EYE_BLINK_THRESHOLD:
            return "eyes_closed"
    return expression.check(pose, obs.blendshapes, expression.lip_gap_mm(obs.points_3d()), measures, rest)


def advice(obs: FaceObservation | None, reason: str | None, pose: str | None = None) -> str:
    """Say in words what the camera sees, for a live preview ("turn a little to your left").

    With `pose`, a wrong expression gets words for that pose ("relax your face", "smile wider").
    """
    if reason is None:
        return "good: hold still"
    if reason == "head_turned" and obs is not None:
        # Positive yaw: the face points to the image's right, which is the subject's left.
        return "turn a little to your right" if obs.yaw_deg > 0 else "turn a little to your left"
    if reason == "head_tilted" and obs is not None:
        return "lower your chin a little" if obs.pitch_deg > 0 else "raise your chin a little"
    if reason == expression.REASON and obs is not None and pose is not None:
        return expression.advice(pose, obs.blendshapes, expression.lip_gap_mm(obs.points_3d()))
    return REASONS.get(reason, reason)
