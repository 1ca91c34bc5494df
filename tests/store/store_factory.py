"""Builders of realistic test data for the store tests (also used by the subprocess worker)."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from journal.protocol import POSE_NAMES
from journal.store import NewFrame, NewPose, NewSession, PoseScores, Scores

NOW = datetime(2025, 6, 1, 12, 0)
BLENDSHAPES = ("browInnerUp", "eyeBlinkLeft", "eyeBlinkRight", "mouthSmileLeft", "mouthSmileRight")


def clock() -> datetime:
    """A fixed 'now' so future-date checks are deterministic."""
    return NOW


def jpeg(size: int = 2_000, seed: int = 0) -> bytes:
    """Bytes that start like a JPEG (the store only checks the magic)."""
    return b"\xff\xd8\xff\xe0" + np.random.default_rng(seed).bytes(size - 4)


def frame(index: int, seed: int) -> NewFrame:
    """One frame with random landmarks and a few named blendshapes."""
    rng = np.random.default_rng(seed)
    shapes = {name: float(np.float32(rng.random())) for name in BLENDSHAPES}
    return NewFrame(index, rng.random((478, 3)), shapes, yaw=1.5, pitch=-2.0, width=640, height=480)


def scores(
    version: str = "tonus-scorer/1", tonus: float = 80.0, poses: tuple[str, ...] = POSE_NAMES
) -> Scores:
    """Scores for the given poses, with region measures."""
    return Scores(
        scorer_version=version,
        tonus=tonus,
        movement=70.0,
        synkinesis=2.5,
        affected_side="left",
        affected_side_source="given",
        mm_per_unit=0.42,
        side_evidence=0.9,
        poses={
            p: PoseScores(
                symmetry=90.0 + i,
                symmetry_interval=(85.0, 95.0) if i % 2 else None,
                movement=None if p == "rest" else 50.0 + i,
                movement_left=None if p == "rest" else 3.0,
                movement_right=None if p == "rest" else 4.5,
                regions={"brow": (1.0, 1.5), "mouth": (2.0 + i, 2.5)},
                note="retake" if p == "snarl" else None,
            )
            for i, p in enumerate(poses)
        },
    )


def session(
    taken_at: datetime = datetime(2025, 5, 1, 9, 30),
    poses: tuple[str, ...] = POSE_NAMES,
    frames: int = 3,
    photo_size: int = 2_000,
    seed: int = 0,
    with_scores: bool = True,
    source: str = "camera",
) -> NewSession:
    """A whole test: every pose with frames and a key photo, and scores."""
    return NewSession(
        taken_at=taken_at,
        protocol="weekly/1",
        scorer_version="tonus-scorer/1",
        source=source,
        poses=[
            NewPose(
                pose=p,
                frames_seen=frames + 2,
                frames_used=frames,
                rejected={"yaw": 1, "blur": 1},
                key_photo_jpeg=jpeg(photo_size, seed + i),
                frames=[frame(k, seed * 1000 + i * 100 + k) for k in range(frames)],
            )
            for i, p in enumerate(poses)
        ],
        scores=scores(poses=poses) if with_scores else None,
        tiredness=4,
        note="after lunch",
    )
