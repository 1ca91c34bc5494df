"""Frames per second of the full per-frame pipeline against bare FaceLandmarker.detect_for_video.

Both run in this process on the same pre-decoded 640×480 frames from ../shared/faces/videos, so the
ratio compares like with like on this machine. Last line:
analyze_fps=<x> bare_fps=<y> ratio=<our time per frame / bare time per frame>
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.capture.landmarker import MediaPipeLandmarker, quiet_stderr  # noqa: E402
from journal.capture.sources import VideoSource  # noqa: E402
from journal.services.analysis import PoseCapture, add_frame  # noqa: E402

DEFAULT_VIDEO = ROOT.parent / "shared" / "faces" / "videos" / "p1a_protocol.mp4"


def load_frames(path: Path, count: int) -> list[tuple[np.ndarray, int]]:
    """Decode `count` frames (RGB) and their timestamps up front, so decoding is not timed."""
    with VideoSource(path, max_frames=count) as source:
        return [(f.image, f.timestamp_ms) for f in source.frames()]


def bare_run(model: Path, frames: list[tuple[np.ndarray, int]]) -> float:
    """Seconds per frame of bare detect_for_video (VIDEO mode, same options as ours)."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.VIDEO,
        num_faces=1,
        output_face_blendshapes=True,
        output_facial_transformation_matrixes=False,
    )
    with quiet_stderr():
        task = vision.FaceLandmarker.create_from_options(options)
    try:
        start = time.perf_counter()
        for image, ts in frames:
            task.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=image), ts)
        return (time.perf_counter() - start) / len(frames)
    finally:
        task.close()


def pipeline_run(model: Path, frames: list[tuple[np.ndarray, int]]) -> tuple[float, int]:
    """Seconds per frame of landmarks with mirror averaging, gates, head frame and measures."""
    capture = PoseCapture("rest")
    with MediaPipeLandmarker(model, stream=True) as landmarker:
        start = time.perf_counter()
        for image, ts in frames:
            obs = landmarker.detect(image, ts)
            add_frame(capture, image, obs, landmarker.canonical)
        elapsed = time.perf_counter() - start
    return elapsed / len(frames), len(capture.measures)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best is kept")
    args = parser.parse_args()
    model = Path(os.environ.get("TONUS_FACE_MODEL", ROOT.parent / "shared/models/face_landmarker.task"))
    if not args.video.exists() or not model.exists():
        print(f"bench: needs {args.video} and {model} (../shared)", file=sys.stderr)
        return 2
    frames = load_frames(args.video, args.frames)
    h, w = frames[0][0].shape[:2]
    print(f"video {args.video.name}: {len(frames)} frames of {w}x{h}, {os.cpu_count()} cores")
    bare_best = ours_best = float("inf")
    for r in range(args.rounds):
        bare = bare_run(model, frames)
        ours, used = pipeline_run(model, frames)
        print(
            f"round {r + 1}: bare {bare * 1000:.2f} ms/frame, ours {ours * 1000:.2f} ms/frame "
            f"({used} frames passed the gates)"
        )
        bare_best, ours_best = min(bare_best, bare), min(ours_best, ours)
    print(f"analyze_fps={1 / ours_best:.1f} bare_fps={1 / bare_best:.1f} ratio={ours_best / bare_best:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
