"""MediaPipe FaceLandmarker behind a small protocol, with mirror averaging, head pose, and the lower
lid and brow refined from the image (journal/capture/refine.py) so every path stores refined points."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np

from journal.capture.bundle import load_canonical_mesh
from journal.capture.refine import refine
from journal.models import FaceObservation
from journal.protocol import SIDES, Side
from journal.scoring.headframe import anchor_angles
from journal.scoring.landmarks import mirror_permutation
from journal.scoring.mirror import average_blendshapes, average_landmarks

#: A side whose eyeBlink blendshape reaches this is closing: its lower lid is left as the model put it
#: (refined on a closing eye, 3 of the 5 Yale winks lost their side; with this gate all 5 keep it).
CLOSING_EYE_BLINK: Final = 0.35


def closing_eyes(blendshapes: dict[str, float]) -> tuple[Side, ...]:
    """The sides (subject's) whose eye is closing, by the eyeBlink blendshapes."""
    return tuple(s for s in SIDES if blendshapes.get(f"eyeBlink{s.title()}", 0.0) >= CLOSING_EYE_BLINK)


class Landmarker(Protocol):
    """Finds one face in an RGB frame and returns what it saw, or None."""

    canonical: np.ndarray

    def detect(self, image: np.ndarray, timestamp_ms: int = 0) -> FaceObservation | None:
        """Analyse one un-mirrored RGB frame (H×W×3 uint8)."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2 (MediaPipe's C++ logging), which would corrupt a TUI."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def face_brightness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Mean luma (0–255) inside the face's bounding box, sampled on a coarse grid."""
    h, w = image.shape[:2]
    x0, y0 = np.clip(landmarks[:, :2].min(axis=0) * (w, h), 0, (w - 1, h - 1)).astype(int)
    x1, y1 = np.clip(landmarks[:, :2].max(axis=0) * (w, h), 1, (w, h)).astype(int)
    box = image[y0 : max(y1, y0 + 1) : 4, x0 : max(x1, x0 + 1) : 4]
    if box.size == 0:
        return 0.0
    luma = box[..., 0] * 0.299 + box[..., 1] * 0.587 + box[..., 2] * 0.114
    return float(luma.mean())


class _Raw:
    """One MediaPipe result reduced to arrays."""

    __slots__ = ("landmarks", "blendshapes")

    def __init__(self, result: Any) -> None:
        face = result.face_landmarks[0]
        self.landmarks = np.array([(p.x, p.y, p.z) for p in face], dtype=np.float64)
        shapes = result.face_blendshapes[0] if result.face_blendshapes else []
        self.blendshapes = {c.category_name: float(c.score) for c in shapes}


class MediaPipeLandmarker:
    """FaceLandmarker (Tasks API) run on a frame and on its horizontal flip, averaged; then the lower
    lid (except on a closing eye) and the brows refined from the image (journal/capture/refine.py).

    `stream=True` uses VIDEO mode (tracking, monotonic timestamps) with one landmarker per
    direction; stills use IMAGE mode. The two directions run in parallel threads.
    """

    def __init__(self, model_path: Path, *, stream: bool, mirror: bool = True, refined: bool = True) -> None:
        self.canonical = load_canonical_mesh(model_path)
        self._refined = refined  # False only to measure the model alone (bench/measurement_refine.py)
        self._perm = mirror_permutation(self.canonical)
        self._stream = stream
        self._mirror = mirror
        self._last_ts = -1
        self._direct = self._create(model_path)
        self._flipped = self._create(model_path) if (mirror and stream) else self._direct
        self._pool = ThreadPoolExecutor(max_workers=1) if mirror else None

    def _create(self, model_path: Path) -> Any:
        from journal.capture.offline import prepare_mediapipe

        prepare_mediapipe()  # before MediaPipe loads: no packets leave, no child processes start
        from mediapipe.tasks.python import BaseOptions, vision

        mode = vision.RunningMode.VIDEO if self._stream else vision.RunningMode.IMAGE
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=mode,
            num_faces=1,
            output_face_blendshapes=True,
            # Head pose comes from the rigid anchors (`anchor_angles`), not the whole-face matrix.
            output_facial_transformation_matrixes=False,
        )
        with quiet_stderr():
            return vision.FaceLandmarker.create_from_options(options)

    def _run(self, task: Any, image: np.ndarray, timestamp_ms: int) -> _Raw | None:
        import mediapipe as mp

        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=image)
        result = task.detect_for_video(mp_image, timestamp_ms) if self._stream else task.detect(mp_image)
        return _Raw(result) if result.face_landmarks else None

    def detect(self, image: np.ndarray, timestamp_ms: int = 0) -> FaceObservation | None:
        """Analyse one un-mirrored RGB frame; None when no face is found in either direction."""
        image = np.ascontiguousarray(image)
        if self._stream:  # VIDEO mode needs strictly increasing timestamps
            timestamp_ms = max(int(timestamp_ms), self._last_ts + 1)
            self._last_ts = timestamp_ms
        if not self._mirror or self._pool is None:
            raw = self._run(self._direct, image, timestamp_ms)
            return None if raw is None else self._observe(image, raw, None)
        flipped_image = np.ascontiguousarray(image[:, ::-1])
        if self._stream:
            future = self._pool.submit(self._run, self._flipped, flipped_image, timestamp_ms)
            direct = self._run(self._direct, image, timestamp_ms)
            flipped = future.result()
        else:  # one IMAGE-mode task: run sequentially
            direct = self._run(self._direct, image, timestamp_ms)
            flipped = self._run(self._direct, flipped_image, timestamp_ms)
        if direct is None or flipped is None:
            return None
        return self._observe(image, direct, flipped)

    def _observe(self, image: np.ndarray, direct: _Raw, flipped: _Raw | None) -> FaceObservation:
        h, w = image.shape[:2]
        landmarks, shapes = direct.landmarks, direct.blendshapes
        if flipped is not None:
            landmarks = average_landmarks(direct.landmarks, flipped.landmarks, self._perm)
            shapes = average_blendshapes(direct.blendshapes, flipped.blendshapes)
        # After averaging: the averaged points and blendshapes are mirror-exact, and so is refine.
        if self._refined:
            landmarks = refine(image, landmarks, keep_lower_lid=closing_eyes(shapes))
        # Head pose from the rigid anchors, not the whole-face matrix that moves with the expression.
        points = landmarks * np.array([w, -h, -w], dtype=np.float64)
        turn, yaw, pitch = anchor_angles(points, self.canonical)
        return FaceObservation(
            landmarks=landmarks,
            width=w,
            height=h,
            blendshapes=shapes,
            head_turn_deg=turn,
            yaw_deg=yaw,
            pitch_deg=pitch,
            brightness=face_brightness(image, landmarks),
        )

    def close(self) -> None:
        """Release both MediaPipe tasks and the worker thread."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        tasks = {id(self._direct): self._direct, id(self._flipped): self._flipped}
        for task in tasks.values():
            with contextlib.suppress(Exception):
                task.close()

    def __enter__(self) -> MediaPipeLandmarker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
