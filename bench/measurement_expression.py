"""Expression check, protocol holds and head pose on the shared data: lines for bench/measurement.py.

`lines()` returns (text, ok) pairs: frames accepted as rest in the protocol video, each pose's hold
against the truth (9 poses × 4 s, ../shared/faces/README.md), and the head-pose lines of
measurement_headpose.py. Run alone, it prints them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.capture.landmarker import Landmarker, MediaPipeLandmarker  # noqa: E402
from journal.protocol import POSE_NAMES  # noqa: E402
from journal.services.analysis import analyze_paths  # noqa: E402

FACES = ROOT.parent / "shared" / "faces"
HOLD_S = 4.0
TOLERANCE_S = 0.5


def _factory(model: Path) -> Callable[[bool], Landmarker]:
    def make(stream: bool) -> Landmarker:
        return MediaPipeLandmarker(model, stream=stream)

    return make


def lines() -> list[tuple[str, bool]]:
    """Printable property lines with ok flags (empty when ../shared or the model is absent)."""
    model = Path(os.environ.get("TONUS_FACE_MODEL", ROOT.parent / "shared/models/face_landmarker.task"))
    video = FACES / "videos" / "p1a_protocol.mp4"
    if not video.exists() or not model.exists():
        return [(f"expression: needs {video} and {model}", False)]
    make = _factory(model)
    out: list[tuple[str, bool]] = []
    rest = analyze_paths([video], make, pose="rest")
    cap = rest.captures["rest"]
    hold = rest.holds[0] if rest.holds else None
    in_hold = (
        hold is not None and abs(hold.start_s) <= TOLERANCE_S and abs(hold.end_s - HOLD_S) <= TOLERANCE_S
    )
    out.append(
        (
            f"rest frames accepted in the protocol video: {len(cap.measures)}/{cap.frames} "
            f"(the rest hold is 0–4 s; found {hold.describe() if hold else 'none'})",
            in_hold and len(cap.measures) <= cap.frames * HOLD_S / 36.0 + 1,
        )
    )
    found = {h.pose: h for h in analyze_paths([video], make).holds}
    for i, pose in enumerate(POSE_NAMES[:9]):
        h = found.get(pose)
        if h is None:
            out.append((f"hold {pose}: not found (truth {i * HOLD_S:.1f}–{(i + 1) * HOLD_S:.1f} s)", False))
            continue
        err = max(abs(h.start_s - i * HOLD_S), abs(h.end_s - (i + 1) * HOLD_S))
        out.append(
            (
                f"hold {h.describe()} (truth {i * HOLD_S:.1f}–{(i + 1) * HOLD_S:.1f} s, off {err:.2f} s)",
                err <= TOLERANCE_S,
            )
        )
    sys.path.insert(0, str(ROOT / "bench"))
    from measurement_headpose import lines as headpose_lines  # type: ignore[import-not-found]

    with MediaPipeLandmarker(model, stream=False) as stills:
        out.extend(headpose_lines(stills))
    return out


if __name__ == "__main__":
    for text, ok in lines():
        print(f"{'ok ' if ok else 'BAD'} {text}")
