"""Time to score a one-minute 30 fps phone-sized video of the protocol, tracked at 10 frames a second.

The clip is built in a temporary folder from ../shared/faces/videos/p1a_protocol.mp4 (upscaled to
1280×720, slowed to 60 s at 30 fps: the same 9 poses, each held 6.7 s). The baseline, in the same
run, is every frame tracked (the old behaviour), timed on the first `--baseline-s` seconds and scaled
to the minute.
Last line: video_60s_s=<sampled, whole minute, wall> cpu_s=<its CPU seconds> every_frame_60s_s=<baseline
estimate, wall> ratio=<x>. On a busy machine compare CPU seconds: two cores share every frame's two
tracker runs (the frame and its mirror image), so a quiet machine's wall time is below the CPU time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.capture.landmarker import Landmarker, MediaPipeLandmarker  # noqa: E402
from journal.services.analysis import DEFAULT_SAMPLE_FPS, analyze_paths  # noqa: E402

SOURCE = ROOT.parent / "shared" / "faces" / "videos" / "p1a_protocol.mp4"


def build_clip(out: Path, seconds: float, fps: float = 30.0, size: tuple[int, int] = (1280, 720)) -> Path:
    """Write a `seconds`-long clip at `fps` from the protocol video, slowed down and upscaled."""
    import cv2

    cap = cv2.VideoCapture(str(SOURCE))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(frame, size))
    cap.release()
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    total = int(seconds * fps)
    for i in range(total):
        writer.write(frames[i * len(frames) // total])
    writer.release()
    return out


def timed(clip: Path, model: Path, sample_fps: float | None) -> tuple[float, float, int]:
    """Wall and CPU seconds of `analyze_paths` on `clip` (whole protocol), and poses found."""

    def make(stream: bool) -> Landmarker:
        return MediaPipeLandmarker(model, stream=stream)

    wall, cpu = time.perf_counter(), time.process_time()
    analysis = analyze_paths([clip], make, sample_fps=sample_fps)
    return time.perf_counter() - wall, time.process_time() - cpu, len(analysis.holds)


def main() -> int:
    """Build the clips, time both ways, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-s", type=float, default=6.0, help="seconds tracked frame by frame")
    args = parser.parse_args()
    model = Path(os.environ.get("TONUS_FACE_MODEL", ROOT.parent / "shared/models/face_landmarker.task"))
    if not SOURCE.exists() or not model.exists():
        print(f"bench: needs {SOURCE} and {model} (../shared)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        clip = build_clip(Path(tmp) / "minute.mp4", args.seconds)
        short = build_clip(Path(tmp) / "short.mp4", args.baseline_s)
        base_wall, base_cpu, _ = timed(short, model, None)
        wall, cpu, found = timed(clip, model, DEFAULT_SAMPLE_FPS)
    scale = args.seconds / args.baseline_s
    print(f"{os.cpu_count()} cores; clip {args.seconds:.0f} s at 30 fps, 1280x720")
    print(
        f"every frame: {base_wall:.1f} s wall / {base_cpu:.1f} s CPU for {args.baseline_s:.0f} s "
        f"-> {base_wall * scale:.1f} s for the clip"
    )
    print(f"sampled at {DEFAULT_SAMPLE_FPS:.0f}/s: {wall:.1f} s wall / {cpu:.1f} s CPU, {found} poses found")
    baseline = base_wall * scale
    print(
        f"video_60s_s={wall:.1f} cpu_s={cpu:.1f} every_frame_60s_s={baseline:.1f} ratio={wall / baseline:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
