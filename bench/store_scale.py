"""Ten years of journal: file size, time to import one test, and time of the dashboard's queries.

Builds, in a temporary folder, a journal as ten years of use would leave it: a log entry or two most
days, an event now and then, and one weekly test of 10 poses × 10 frames (478×3 float32 landmarks
around a face shape, 52 MediaPipe blendshapes, head angles) with a ~60 KB JPEG key photo per pose
and full scores (per pose and per region). Everything goes in through `Store`, one transaction per
entry, event and test, as the app writes it, so the file has the layout real use gives it.

Then, on the journal reopened from disk, each figure is the median of several runs after a warm-up:
importing one more test (`add_session`, frames and photos included; building the `NewSession` is
not timed), `history()`, and the timeline the charts draw: `sensations_by_day()` + `events()` +
weekly scores. The Store has no per-week score query; tests are weekly, so the weekly scores are the
`history()` rows, and the timeline times `history()` again as part of it. Also shown: the time of
closing the store after the imports, when DuckDB checkpoints them into the file (it does so on every
close and inside whichever commit takes the WAL past 16 MB). The size is that of the ten-year
journal, closed (DuckDB folds the write-ahead log in) and CHECKPOINTed, before the timed imports,
with a breakdown of where its bytes are. Last line:
session_import_s=<x> history_ms=<y> timeline_ms=<z> size_mb=<w>    (MB = 10^6 bytes)
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.models import N_LANDMARKS  # noqa: E402
from journal.protocol import POSE_NAMES, REGIONS  # noqa: E402
from journal.scoring.version import SCORER_VERSION  # noqa: E402
from journal.store import (  # noqa: E402
    ENTRY_SIDES,
    EVENT_KINDS,
    REGIONS_WHERE,
    SENSATIONS,
    NewFrame,
    NewPose,
    NewSession,
    PoseScores,
    Scores,
    Store,
)
from journal.store.connect import CONFIG  # noqa: E402

#: MediaPipe FaceLandmarker's 52 blendshape categories, in its order (the journal keeps no list).
BLENDSHAPES: tuple[str, ...] = (
    "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight",
    "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft",
    "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight",
    "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose",
    "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel",
    "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight",
    "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper", "mouthShrugLower",
    "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight",
    "mouthUpperUpLeft", "mouthUpperUpRight", "noseSneerLeft", "noseSneerRight",
)  # fmt: skip
assert len(BLENDSHAPES) == 52

FRAMES_PER_POSE = 10
#: Side of the uniform-noise square that PIL encodes (quality 85) to about 60 KB.
PHOTO_SIDE = 280
REJECT_REASONS = ("eyes_closed", "head_turned", "head_tilted", "too_dark", "no_face")
EVENT_LABELS = {
    "medication": ("prednisolone 50 mg", "valaciclovir", "eye drops", "artificial tears at night"),
    "therapy": ("physiotherapy", "mirror exercises", "facial massage", "neuromuscular retraining"),
    "milestone": ("first full blink", "can whistle again", "smile feels even", "drank without spilling"),
    "appointment": ("neurologist", "ENT follow-up", "ophthalmologist", "GP check"),
}
TARGETS = {"session_import_s": 1.0, "history_ms": 50.0, "timeline_ms": 50.0}


def sig3(x: float) -> str:
    """Format `x` with 3 significant digits and no exponent (642, 4.56, 0.123)."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    x = float(f"{x:.3g}")
    digits = 2 - math.floor(math.log10(abs(x)))
    return f"{x:.{digits}f}" if digits >= 0 else f"{x:.0f}"


class Faker:
    """Synthetic but realistic test data: landmarks around a face, blendshapes, photos, scores."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        # A face-like cloud in MediaPipe's normalised image coordinates: an upright ellipse, the
        # middle (nose) nearer the camera (negative z), like the mesh of a face filling the frame.
        r = np.sqrt(self.rng.random(N_LANDMARKS))
        theta = self.rng.random(N_LANDMARKS) * 2 * np.pi
        self.face = np.column_stack(
            [0.5 + 0.17 * r * np.cos(theta), 0.48 + 0.24 * r * np.sin(theta), -0.07 * (1 - r**2)]
        )
        self.photo_bytes = 0
        self.photos = 0

    def photo(self) -> bytes:
        """Return a fresh JPEG of noise, about 60 KB and as incompressible as a real photo's data."""
        from PIL import Image

        pixels = self.rng.integers(0, 256, (PHOTO_SIDE, PHOTO_SIDE, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format="JPEG", quality=85)
        data = out.getvalue()
        self.photo_bytes += len(data)
        self.photos += 1
        return data

    def frame(self, index: int, head: np.ndarray) -> NewFrame:
        rng = self.rng
        landmarks = (head + rng.normal(0.0, 0.0015, head.shape)).astype(np.float32)
        values = rng.beta(0.6, 4.0, len(BLENDSHAPES))
        return NewFrame(
            index=index,
            landmarks=landmarks,
            blendshapes={n: float(x) for n, x in zip(BLENDSHAPES, values, strict=True)},
            yaw=float(rng.normal(0, 3)),
            pitch=float(rng.normal(0, 3)),
            width=1280,
            height=720,
        )

    def pose(self, name: str) -> NewPose:
        rng = self.rng
        head = self.face * rng.normal(1.0, 0.03) + rng.normal(0.0, 0.01, 3) * [1, 1, 0]
        rejected = {r: int(rng.integers(1, 4)) for r in REJECT_REASONS if rng.random() < 0.2}
        return NewPose(
            pose=name,
            frames_seen=FRAMES_PER_POSE + sum(rejected.values()),
            frames_used=FRAMES_PER_POSE,
            rejected=rejected,
            key_photo_jpeg=self.photo(),
            frames=[self.frame(i, head) for i in range(FRAMES_PER_POSE)],
        )

    def scores(self, recovery: float) -> Scores:
        """Scores of a test `recovery` (0 at onset, 1 fully recovered) of the way along."""
        rng = self.rng

        def pct(centre: float) -> float:
            return float(np.clip(rng.normal(centre, 5.0), 0.0, 100.0))

        poses = {}
        for name in POSE_NAMES:
            sym = pct(40 + 55 * recovery)
            left, right = (None, None) if name == "rest" else (pct(50 + 45 * recovery), pct(95))
            move = None if left is None else pct(40 + 55 * recovery)
            weak = move is not None and rng.random() < 0.03
            poses[name] = PoseScores(
                symmetry=sym,
                symmetry_interval=(sym - float(rng.uniform(2, 6)), sym + float(rng.uniform(2, 6))),
                movement=None if weak else move,
                movement_left=left,
                movement_right=right,
                regions={r: (float(rng.uniform(5, 40)), float(rng.uniform(5, 40))) for r in REGIONS},
                note="the stronger side moved less than 1.5 mm, too little to score: retake it with "
                "more effort"
                if weak
                else None,
            )
        scored = [p.movement for p in poses.values() if p.movement is not None]
        return Scores(
            scorer_version=SCORER_VERSION,
            tonus=poses["rest"].symmetry,
            movement=float(np.mean(scored)) if scored else None,
            synkinesis=float(np.clip(rng.normal(2 + 6 * recovery, 1.5), 0, 20)),
            affected_side="left",
            affected_side_source="given",
            mm_per_unit=float(rng.normal(155.0, 0.5)),
            side_evidence=None,
            poses=poses,
        )

    def session(self, taken_at: datetime, recovery: float) -> NewSession:
        rng = self.rng
        return NewSession(
            taken_at=taken_at,
            protocol="weekly-v1",
            scorer_version=SCORER_VERSION,
            source="camera" if rng.random() < 0.8 else "import",
            poses=[self.pose(name) for name in POSE_NAMES],
            scores=self.scores(recovery),
            tiredness=int(rng.integers(0, 11)) if rng.random() < 0.7 else None,
            note="slept badly" if rng.random() < 0.1 else None,
        )


def build(store: Store, faker: Faker, years: float, now: datetime) -> dict[str, int]:
    """Fill `store` with `years` of daily entries, occasional events and weekly tests."""
    rng = faker.rng
    days = round(years * 365.25)
    start = (now - timedelta(days=days + 1)).date()
    store.set_profile(affected_side="left", onset=start - timedelta(days=3), camera="FaceTime HD Camera")
    counts = {"entries": 0, "events": 0, "sessions": 0}
    began = time.perf_counter()
    spent = {"entries": 0.0, "events": 0.0, "sessions": 0.0}
    shown = 0
    for day_no in range(days):
        day = start + timedelta(days=day_no)
        recovery = min(1.0, day_no / (365 * 1.5))
        if rng.random() < 0.9:  # a log entry or two most days (about 5,500 in ten years)
            for _ in range(1 + int(rng.random() < 0.675)):
                at = _at(day, rng)
                if at >= now:
                    continue
                where = REGIONS_WHERE[int(rng.integers(len(REGIONS_WHERE)))] if rng.random() < 0.7 else None
                t = time.perf_counter()
                store.add_entry(
                    at,
                    SENSATIONS[int(rng.integers(len(SENSATIONS)))],
                    int(np.clip(rng.normal(6 - 4 * recovery, 2), 0, 10)),
                    side=ENTRY_SIDES[int(rng.integers(len(ENTRY_SIDES)))] if rng.random() < 0.6 else None,
                    where=where,
                    note="worse after a cold day" if rng.random() < 0.15 else None,
                )
                spent["entries"] += time.perf_counter() - t
                counts["entries"] += 1
        if rng.random() < 0.06:  # about two events a month
            kind = EVENT_KINDS[int(rng.integers(len(EVENT_KINDS)))]
            labels = EVENT_LABELS[kind]
            t = time.perf_counter()
            store.add_event(_at(day, rng), kind, labels[int(rng.integers(len(labels)))])
            spent["events"] += time.perf_counter() - t
            counts["events"] += 1
        if day_no % 7 == 3:  # the weekly test
            session = faker.session(datetime.combine(day, datetime.min.time()) + timedelta(hours=9), recovery)
            t = time.perf_counter()
            store.add_session(session)
            spent["sessions"] += time.perf_counter() - t
            counts["sessions"] += 1
        if int((day_no + 1) / 365.25) > shown or day_no == days - 1:
            shown = int((day_no + 1) / 365.25)
            print(
                f"  built {(day_no + 1) / 365.25:4.1f} years: {counts['sessions']} tests, "
                f"{counts['entries']} entries, {counts['events']} events "
                f"({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
    total = time.perf_counter() - began
    print(
        f"build: {total:.1f} s, of which add_session {spent['sessions']:.1f} s "
        f"({spent['sessions'] / max(counts['sessions'], 1) * 1000:.0f} ms a test), add_entry "
        f"{spent['entries']:.1f} s ({spent['entries'] / max(counts['entries'], 1) * 1000:.1f} ms an entry), "
        f"add_event {spent['events']:.1f} s; the rest is generating data"
    )
    counts["build_s"] = round(total)
    return counts


def _at(day: date, rng: np.random.Generator) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=int(rng.integers(7 * 60, 23 * 60)))


def timed(fn: Callable[[], Any], reps: int) -> tuple[float, list[float]]:
    """Run `fn` once to warm up, then `reps` times; return the median seconds and every run."""
    fn()
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs


def _written_bytes() -> int:
    """Bytes this process has written to storage so far (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/io") as fh:
            for line in fh:
                if line.startswith("write_bytes:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def file_report(path: Path) -> float:
    """CHECKPOINT the closed journal, print where its bytes are, and return its size in MB."""
    conn = duckdb.connect(str(path), config=CONFIG)
    try:
        conn.execute("CHECKPOINT")
        blocks = conn.execute(
            "SELECT block_size, total_blocks, used_blocks, free_blocks, wal_size FROM pragma_database_size()"
        ).fetchone()
        payload = {
            "frames.landmarks": "SELECT sum(octet_length(landmarks)), count(*) FROM frames",
            "key_photos.jpeg": "SELECT sum(octet_length(jpeg)), count(*) FROM key_photos",
            "frames.blendshapes": "SELECT sum(4 * len(blendshapes)), count(*) FROM frames",
        }
        sizes = {k: conn.execute(q).fetchone() for k, q in payload.items()}
    finally:
        conn.close()
    wal = path.with_name(path.name + ".wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    print(f"file: {size / 1e6:.1f} MB ({path.name}{', with its .wal' if wal.exists() else ''})")
    if blocks is not None:
        block_size, total, used, free, wal_size = blocks
        print(
            f"  blocks: {total} of {block_size // 1024} KiB, {used} used, {free} free "
            f"({free * block_size / 1e6:.1f} MB free inside the file), wal {wal_size}"
        )
    rest = size
    for name, (nbytes, rows) in sizes.items():
        rest -= nbytes or 0
        print(f"  raw {name}: {(nbytes or 0) / 1e6:.1f} MB in {rows} rows ({(nbytes or 0) / size:.0%})")
    if blocks is not None:
        free_bytes = blocks[3] * blocks[0]
        rest -= free_bytes
        print(f"  free blocks (left by checkpoints rewriting the last row groups): {free_bytes / 1e6:.1f} MB "
              f"({free_bytes / size:.0%})")  # fmt: skip
    print(f"  everything else (entries, scores, metadata, headers): {rest / 1e6:.1f} MB ({rest / size:.0%})")
    return size / 1e6


def main() -> int:
    """Build the journal, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0, help="years of data to build (default 10)")
    parser.add_argument("--reps", type=int, default=9, help="timed runs of each query (after a warm-up)")
    parser.add_argument("--imports", type=int, default=5, help="timed imports of one test (after a warm-up)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--keep", action="store_true", help="keep the temporary journal and print its path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tonus-store-scale-"))
    path = folder / "journal.duckdb"
    faker = Faker(args.seed)
    now = datetime.now().replace(microsecond=0)
    try:
        print(f"building {args.years:g} years of journal in {path} (duckdb {duckdb.__version__})", flush=True)
        with Store.open(path) as store:
            counts = build(store, faker, args.years, now)
        photo_kb = faker.photo_bytes / max(faker.photos, 1) / 1000
        print(
            f"built: {counts['sessions']} tests ({counts['sessions'] * len(POSE_NAMES) * FRAMES_PER_POSE} "
            f"frames, {faker.photos} photos averaging {photo_kb:.1f} KB), "
            f"{counts['entries']} entries, {counts['events']} events"
        )
        size_mb = file_report(path)

        store = Store.open(path)
        try:
            hist_s, _ = timed(store.history, args.reps)
            rows = store.history()
            sens_s, _ = timed(store.sensations_by_day, args.reps)
            days = store.sensations_by_day()
            ev_s, _ = timed(store.events, args.reps)

            def timeline() -> None:
                store.sensations_by_day()
                store.events()
                store.history()

            line_s, _ = timed(timeline, args.reps)
            print(f"history(): {hist_s * 1000:.1f} ms median for {len(rows)} rows")
            print(
                f"timeline: {line_s * 1000:.1f} ms median = sensations_by_day() {sens_s * 1000:.1f} ms "
                f"({len(days)} day×sensation rows) + events() {ev_s * 1000:.1f} ms + history() as the "
                "weekly scores (no per-week score query in Store)"
            )

            late = now - timedelta(hours=1)
            sessions = [faker.session(late - timedelta(minutes=i), 1.0) for i in range(args.imports + 1)]
            store.add_session(sessions[0])  # warm-up
            runs = []
            for session in sessions[1:]:
                t = time.perf_counter()
                store.add_session(session)
                runs.append(time.perf_counter() - t)
            import_s = statistics.median(runs)
            print(
                f"import one test (add_session, {len(POSE_NAMES)}×{FRAMES_PER_POSE} frames + "
                f"{len(POSE_NAMES)} photos): {import_s * 1000:.0f} ms median of {len(runs)} "
                f"(runs {', '.join(f'{r * 1000:.0f}' for r in runs)} ms)"
            )
            written = _written_bytes()
            t = time.perf_counter()
        finally:
            store.close()
        close_s = time.perf_counter() - t
        written = _written_bytes() - written
        print(
            f"close after the {len(sessions)} imports (DuckDB checkpoints them into the file, as on every "
            f"close and whenever the WAL passes 16 MB, about every 12 tests): {close_s * 1000:.0f} ms"
            + (f", {written / 1e6:.0f} MB written" if written > 0 else "")
        )

        figures = {"session_import_s": import_s, "history_ms": hist_s * 1000, "timeline_ms": line_s * 1000}
        for name, limit in TARGETS.items():
            unit = name.rsplit("_", 1)[1]
            verdict = "PASS" if figures[name] < limit else "FAIL"
            print(f"target {name} < {limit:g} {unit}: {sig3(figures[name])} {unit} {verdict}")
        if args.keep:
            print(f"kept {path}")
        print(
            f"session_import_s={sig3(import_s)} history_ms={sig3(hist_s * 1000)} "
            f"timeline_ms={sig3(line_s * 1000)} size_mb={sig3(size_mb)}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
