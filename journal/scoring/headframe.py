"""The head frame: a similarity fit of observed landmarks onto the canonical mesh, and head pose."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journal.scoring import landmarks as lm


@dataclass(frozen=True, slots=True)
class Similarity:
    """x' = scale · R @ x + t."""

    scale: float
    rotation: np.ndarray
    translation: np.ndarray

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Transform an N×3 array of points."""
        moved: np.ndarray = self.scale * points @ self.rotation.T + self.translation
        return moved


def umeyama(source: np.ndarray, target: np.ndarray) -> Similarity:
    """Least-squares similarity transform (no reflection) taking `source` onto `target` (Umeyama 1991)."""
    mu_s, mu_t = source.mean(axis=0), target.mean(axis=0)
    src, tgt = source - mu_s, target - mu_t
    var_s = (src**2).sum() / len(src)
    cov = tgt.T @ src / len(src)
    u, d, vt = np.linalg.svd(cov)
    sign = np.ones(3)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        sign[-1] = -1.0
    rotation = u @ np.diag(sign) @ vt
    scale = float((d * sign).sum() / var_s)
    return Similarity(scale, rotation, mu_t - scale * rotation @ mu_s)


def anchors_for_pose(pose: str) -> tuple[int, ...]:
    """Return the anchor landmarks that `pose` does not move."""
    if pose in ("brow_raise", "eyes_gentle", "eyes_tight"):
        return lm.UPPER_FACE_MOVING_ANCHORS
    return lm.ALL_ANCHORS


def to_head_frame(points: np.ndarray, canonical: np.ndarray, anchors: tuple[int, ...]) -> np.ndarray:
    """Express 478 observed 3-D points in the canonical head frame (x = 0 is the mid-sagittal plane)."""
    idx = np.asarray(anchors)
    fit = umeyama(points[idx], canonical[idx])
    return fit.apply(points)


def to_head_frame_many(points: np.ndarray, canonical: np.ndarray, anchors: tuple[int, ...]) -> np.ndarray:
    """`to_head_frame` of many frames at once: N×478×3 observed points in, N×478×3 head-frame points out.

    The same Umeyama fit as `umeyama`, done for every frame in stacked array operations (re-scoring
    ten years of tests fits 52,000 frames).
    """
    idx = np.asarray(anchors)
    source, target = points[:, idx], canonical[idx]
    mu_s, mu_t = source.mean(axis=1), target.mean(axis=0)
    src, tgt = source - mu_s[:, None], target - mu_t
    var_s = (src**2).sum(axis=(1, 2)) / len(idx)
    cov = np.einsum("kj,nki->nji", tgt, src) / len(idx)
    u, d, vt = np.linalg.svd(cov)
    sign = np.ones((len(points), 3))
    sign[np.linalg.det(u) * np.linalg.det(vt) < 0, -1] = -1.0
    rotation = u @ (sign[:, :, None] * vt)
    scale = (d * sign).sum(axis=1) / var_s
    translation = mu_t - scale[:, None] * np.einsum("nij,nj->ni", rotation, mu_s)
    moved: np.ndarray = scale[:, None, None] * points @ rotation.transpose(0, 2, 1) + translation[:, None]
    return moved


#: Rigid points that no expression moves: the nasal dorsum and the upper temples. Head pose is read
#: from these alone, so a smile or a wink does not turn the head (the whole-face matrix moved up to 6°;
#: these move ≤ 0.63° under one-sided expression warps of real photos, bench/measurement_headpose.py).
#: The temples are the wide lever a turn needs: the most expression-stable points (around the nose
#: and under the eyes) sit too close together, and x,y-only or reweighted fits read worse (docs/method.md).
HEAD_POSE_ANCHORS: tuple[int, ...] = lm.NOSE_ANCHORS + (127, 356)


def anchor_angles(
    points: np.ndarray, canonical: np.ndarray, anchors: tuple[int, ...] = HEAD_POSE_ANCHORS
) -> tuple[float, float, float]:
    """Return (turn, yaw, pitch) in degrees from the rigid anchors of 3-D points (y up, z to camera).

    The anchors are fitted onto the canonical mesh; the face's forward axis is the canonical +z
    carried back into the picture. The landmarks are the face as the camera sees it along its own
    ray, so the angles are already relative to that ray. Positive yaw: the face points toward the
    image's right (the subject's left); positive pitch: chin up.
    """
    idx = np.asarray(anchors)
    fit = umeyama(points[idx], canonical[idx])
    forward = fit.rotation.T @ np.array([0.0, 0.0, 1.0])
    turn = float(np.degrees(np.arccos(np.clip(forward[2], -1.0, 1.0))))
    yaw = float(np.degrees(np.arctan2(forward[0], forward[2])))
    pitch = float(np.degrees(np.arcsin(np.clip(forward[1], -1.0, 1.0))))
    return turn, yaw, pitch


def head_angles(matrix: np.ndarray) -> tuple[float, float, float]:
    """Return (turn from the camera ray, yaw, pitch) in degrees from a facial transformation matrix.

    The turn is the angle between the face's forward axis and the ray from the face to the camera,
    not the optical axis, so a face off-centre in the image is not penalised. Positive yaw means the
    face points toward the image's right (the subject's left).
    """
    rotation, t = matrix[:3, :3], matrix[:3, 3]
    forward = rotation @ np.array([0.0, 0.0, 1.0])
    norm = float(np.linalg.norm(t))
    to_camera = -t / norm if norm > 1e-9 else np.array([0.0, 0.0, 1.0])
    cos_turn = float(np.clip(forward @ to_camera, -1.0, 1.0))
    turn = float(np.degrees(np.arccos(cos_turn)))
    # Yaw and pitch relative to the camera ray, in the ray's own frame.
    yaw = float(np.degrees(np.arctan2(forward[0], forward[2]) - np.arctan2(to_camera[0], to_camera[2])))
    pitch = float(np.degrees(np.arcsin(np.clip(forward[1], -1, 1)) - np.arcsin(np.clip(to_camera[1], -1, 1))))
    return turn, yaw, pitch
