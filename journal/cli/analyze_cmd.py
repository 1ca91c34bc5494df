"""`tonus analyze`: measure photos, folders of pose photos or videos and print scores."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from journal.errors import EXIT_NO_FACE
from journal.protocol import POSE_NAMES
from journal.text import printable


def register(sub: Any) -> None:
    """Add the `analyze` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "analyze",
        help="score photos, a folder of pose photos, or a video",
        description=(
            "Measure resting symmetry (tonus) and movement from photos or videos. PATH is a photo "
            "(its pose is --pose, else the file name: rest.jpg, smile.jpg, …), a folder of photos "
            "named after poses, or a video: of one pose (--pose), or of the whole protocol in order, "
            "whose poses are found in it. Sides are the subject's own."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="photo, folder or video")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pose", metavar="POSE", help="pose shown: " + ", ".join(POSE_NAMES))
    parser.add_argument("--rest", metavar="IMAGE", help="rest photo to measure movement against")
    parser.add_argument("--affected", choices=("left", "right"), help="your affected side, if known")
    parser.set_defaults(handler=run)


def _warn(message: str) -> None:
    print(f"tonus: warning: {printable(message)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run `tonus analyze` and return the exit code (0 done, 2 bad input, 3 no usable face)."""
    from journal.capture.landmarker import Landmarker, MediaPipeLandmarker
    from journal.capture.model_file import require_model
    from journal.services.analysis import analyze_paths
    from journal.services.report import analysis_table, analysis_to_json

    def make_landmarker(stream: bool) -> Landmarker:
        # Looked up on first use, so usage errors in the inputs are reported first.
        return MediaPipeLandmarker(require_model(args.home), stream=stream)

    from pathlib import Path

    from journal.errors import UsageError

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(
                f"cannot find {path}: check its name; "
                "analyze takes a photo, a folder of pose photos or a video"
            )
    analysis = analyze_paths(
        args.paths,
        make_landmarker,
        pose=args.pose,
        rest=args.rest,
        affected=args.affected,
        warn=_warn,
    )
    for source in dict.fromkeys(h.source for h in analysis.holds):
        found = ", ".join(h.describe() for h in analysis.holds if h.source == source)
        print(f"Found in {source}: {found}", file=sys.stderr if args.json else sys.stdout)
    for failure in analysis.failures:
        print(f"tonus: {printable(failure)}", file=sys.stderr)
    if analysis.scores is not None:
        if args.json:
            data = analysis_to_json(analysis)
            data["holds"] = [
                {
                    "pose": h.pose,
                    "source": h.source,
                    "start_s": round(h.start_s, 2),
                    "end_s": round(h.end_s, 2),
                }
                for h in analysis.holds
            ]
            print(json.dumps(data, indent=2))
        else:
            print(analysis_table(analysis))
        for name, pose in analysis.scores.poses.items():
            if pose.note and name != "rest":
                _warn(f"{name}: {pose.note}")
    return EXIT_NO_FACE if analysis.failures else 0
