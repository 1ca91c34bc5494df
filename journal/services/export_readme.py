"""The README written into every export: what each file holds, and whether photos are included."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from journal.scoring.version import SCORER_VERSION
from journal.text import printable

README_NAME = "README.txt"
_TABLES = {
    "meta": "journal format version",
    "profile": "affected side, onset date, camera, frozen mm-per-unit scale",
    "sessions": "weekly tests: when, protocol, scorer version, source, tiredness 0–10, note",
    "poses": "per test and pose: frames seen and used, rejections by reason, and for an imported photo its "
    "EXIF time, orientation (1–8) and camera",
    "key_photos": "which photo file (in photos/) belongs to which test and pose",
    "blendshape_names": "names of the MediaPipe blendshape scores, in stored order",
    "frames": "per frame used: 478 face landmarks x y z (3,848 bytes: 6 little-endian float32, the lowest "
    "then highest x y z, then per point a little-endian uint64 holding x, y, z in 21 bits each, steps "
    "of 1/2097151 from lowest to highest; 5,736 bytes, older tests: little-endian float32), blendshapes, "
    "head angles",
    "session_scores": "tonus, movement, synkinesis, affected side, per scorer version",
    "pose_scores": "per pose: symmetry and movement (0–100), movement of each side (mm)",
    "region_scores": "per pose and region: left and right measures in mm (your anatomical sides)",
    "entries": "journal entries: time, sensation, intensity 0–10, side, region, note",
    "events": "chart markers: medication, therapy, milestones, appointments",
}


def write_readme(out: Path, fmt: str, photos: bool, files: list[str]) -> Path:
    """Write README.txt into the export folder and return its path (private, 0600)."""
    lines = [
        "Tonus export",
        f"Written {datetime.now():%Y-%m-%d %H:%M} by Tonus (scorer {SCORER_VERSION}), format {fmt}.",
        "",
        "PHOTOS: "
        + (
            "INCLUDED. key_photos holds photos of your face: share this folder with care."
            if photos
            else "NOT included (exported with --no-photos). Face landmarks (numbers) are included."
        ),
        "",
        "This export holds health information about you. Sides are your own anatomical left/right;",
        "scores are 0–100 (100 = symmetric / full movement); measures are millimetres.",
        "",
        "Files:",
    ]
    for name in files:
        table = name.rsplit(".", 1)[0]
        lines.append(f"  {name:<24} {_TABLES.get(table, '')}")
    if photos and (out / "photos").is_dir():
        lines.append(f"  {'photos/':<24} one JPEG photo of your face per test and pose, named after both")
    if fmt != "parquet":
        lines.append("")
        lines.append("In text formats, landmarks are base64-encoded bytes (little-endian float32).")
    path = out / README_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(printable("\n".join(lines) + "\n"))
    return path
