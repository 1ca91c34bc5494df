"""What the app does on ten years of journal and on 50,000 entries, against the demo journal, in one run.

Builds three journals in a temporary folder:
- the demo journal (`tonus demo`'s 14 sample weeks, with their drawn key photos);
- ten years, with `bench/store_scale.py`'s own code (daily entries, events, a weekly test of 10
  poses × 10 frames with full scores), except that each frame's landmarks are a real face's (the
  sample weeks' landmarks, slightly jittered, so re-scoring does real work) and each key photo is
  made the app's way (`encode_jpeg` of a real photo from ../shared when present, else of the
  demo's drawing of the face);
- 50,000 entries over ten years (the demo journal plus entries written in one statement).

Then it times what a person waits for: `tonus chart` (each kind, all weeks; a fresh process, median
of 3) on both ten years and the demo; the Journal screen on 50,000 entries (from the key on an
idle Home, the app already started, until the table shows rows, every worker is done and the screen
is painted; a second visit is shown too) and on the demo; History's mark (`m` on two tests,
the slower of the two, until the screen is idle, less Pilot's idle wait timed alone in the same run:
it sleeps in 20 ms steps, about 25 ms, whatever the app does) on ten years; the peak memory of `tonus export`
(csv, parquet and json with photos, each in a fresh process; the largest); `tonus rescore` on ten
years (needs the face model; a fresh process); and the file size per test after `tonus compact`
(the size straight after the build is shown too). Building ten years takes about 12 minutes on a
loaded 2-core machine: `--keep` keeps the journals and `--reuse DIR` measures them again (`--only
journal,mark` measures only those parts; the others show nan). Last line:
chart_ratio=<10y/demo> journal_screen_50k_s=<x> mark_s=<x> export_peak_mb=<x> rescore_s=<x> mb_per_test=<x>
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from store_scale import ROOT, Faker, build, sig3

from journal.capture.photos import encode_jpeg
from journal.chart_kinds import KINDS
from journal.protocol import POSE_NAMES
from journal.services.demo import load_samples, read_samples
from journal.store import NewFrame, NewPose, Store, journal_path

SAMPLES = ROOT / "sample_sessions"
SHARED = Path(os.environ.get("TONUS_SHARED", ROOT.parent / "shared"))
TARGETS = {
    "chart_ratio": 1.5,
    "journal_screen_50k_s": 0.5,
    "mark_s": 0.05,
    "export_peak_mb": 600.0,
    "rescore_s": 10.0,
    "mb_per_test": 0.6,
}
_TONUS = [sys.executable, "-m", "journal"]
#: What `--only` can choose.
PARTS = ("chart", "journal", "mark", "export", "rescore")


class AppFaker(Faker):
    """store_scale's Faker with real landmarks and key photos encoded as the app encodes them."""

    def __init__(self, seed: int, pictures: list[bytes]) -> None:
        super().__init__(seed)
        self.landmarks = read_samples(SAMPLES).landmarks  # (weeks, poses, frames, 478, 3)
        self.pictures = pictures
        self._pose = 0
        self._week = 0

    def pose(self, name: str) -> NewPose:
        self._pose = POSE_NAMES.index(name)
        self._week = int(self.rng.integers(self.landmarks.shape[0]))
        return super().pose(name)

    def frame(self, index: int, head: np.ndarray) -> NewFrame:
        frame = super().frame(index, head)
        real = self.landmarks[self._week, self._pose, index % self.landmarks.shape[2]]
        jitter = self.rng.normal(0.0, 0.0003, real.shape)  # about a third of a pixel at 1280 px
        return NewFrame(
            frame.index, (real + jitter).astype(np.float32), frame.blendshapes, frame.yaw, frame.pitch,
            frame.width, frame.height,
        )  # fmt: skip

    def photo(self) -> bytes:
        data = self.pictures[int(self.rng.integers(len(self.pictures)))]
        self.photo_bytes += len(data)
        self.photos += 1
        return data


def pictures(demo: Path) -> list[bytes]:
    """Key photos as the app stores them: real photos from ../shared if there, else the demo's drawings."""
    from PIL import Image

    photos = sorted((SHARED / "faces" / "protocol").glob("*/*.jpg"))
    if photos:
        out = [encode_jpeg(np.asarray(Image.open(p).convert("RGB"))) for p in photos]
        print(f"key photos: {len(photos)} real photos from {SHARED}, encoded as the app does")
    else:
        with Store.open(journal_path(demo), read_only=True) as store:
            out = [p for s in store.sessions() if (p := store.key_photo(s.id, "rest")) is not None]
        print("key photos: ../shared is absent, so the demo's drawings of the face (smaller than photos)")
    print(f"  averaging {sum(map(len, out)) / len(out) / 1000:.1f} KB")
    return out


def tonus(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `tonus --home HOME ARGS` in a fresh process."""
    done = subprocess.run(
        [*_TONUS, "--home", str(home), *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"tonus {' '.join(args)} failed: {done.stderr.strip()}")
    return done


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_chart(home: Path, reps: int) -> tuple[float, float]:
    """Mean over the three kinds of the median wall seconds of `tonus chart` (all weeks), and of CPU."""
    wall, cpu = 0.0, 0.0
    for kind in KINDS:
        runs, cpus = [], []
        for _ in range(reps):
            t, c = time.perf_counter(), children_cpu()
            tonus(home, "chart", "--kind", kind, "--width", "120", "--height", "40")
            runs.append(time.perf_counter() - t)
            cpus.append(children_cpu() - c)
        wall += statistics.median(runs)
        cpu += statistics.median(cpus)
    return wall / 3, cpu / 3


def peak_mb(home: Path, *args: str) -> float:
    """Peak resident memory (MB) of a fresh process running `tonus ARGS`."""
    program = (
        "import resource, sys\nfrom journal.cli import main\ncode = main(sys.argv[1:])\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nraise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, "--home", str(home), *args],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"tonus {' '.join(args)} failed: {done.stderr.strip()}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("PEAK_KB"))
    return int(line.split()[1]) * 1024 / 1e6


async def _section(home: Path, key: str, table: str, then: Any = None) -> tuple[float, ...]:
    """Seconds from `key` on an idle Home (the app started and settled before) until the section's
    table has rows, every worker is done and the screen is painted, with the process's CPU seconds
    (this process runs the app and its workers), which other work on the machine does not inflate;
    then the same for a second visit (Home, then `key` again: the screen exists, the rows are read
    again). With `then`, what `then(app, pilot)` returns once the first visit is there."""
    from journal.cli.tui import real_services
    from journal.ui.app import build_app
    from journal.ui.screens.home import HomeScreen

    app = build_app(real_services(home))
    async with app.run_test(size=(120, 40)) as pilot:
        figures: list[float] = []
        for _visit in (1, 2):
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen) and _idle(app))
            await pilot.pause()
            t, c = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await _until(pilot, lambda: app.screen.query_one(f"#{table}").row_count > 0 and _idle(app))
            await pilot.pause()  # ends with the screen's update: the table is painted
            figures += [time.perf_counter() - t, time.process_time() - c]
            if then is not None:
                return tuple(await then(app, pilot))
            await pilot.press("h")
        return tuple(figures)


def _idle(app: Any) -> bool:
    return all(w.is_finished for w in app.workers)


async def _until(pilot: Any, condition: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # a widget not mounted yet
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there in time")
        await pilot.pause(0.005)


def journal_screen_s(home: Path) -> tuple[float, ...]:
    """Seconds (and CPU) from `j` on Home until the Journal shows its entries; first and second visit."""
    return asyncio.run(_section(home, "j", "entries"))


def mark_s(home: Path) -> tuple[float, float, float]:
    """History: the slower of two marks (`m` on the last two tests), until the screen is idle; its CPU;
    and how long Pilot's idle wait takes alone on that screen (the median of three, no key).

    The idle wait sleeps in 20 ms steps until a step uses under 1 ms of CPU, so it adds at least one
    step to anything timed "until idle"; measured alone in the same run, it is taken off the mark.
    """

    async def marks(app: Any, pilot: Any) -> tuple[float, float, float]:
        table = app.screen.query_one("#sessions")
        runs, cpus, idle = [], [], []
        for row in (table.row_count - 1, table.row_count - 2):
            table.move_cursor(row=row)
            await pilot.pause()
            t, c = time.perf_counter(), time.process_time()
            app.screen.action_mark()  # what `m` runs (Pilot's own key handling waits add ~0.1 s)
            await pilot.pause()  # the table's update and the next refresh are done
            runs.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        for _ in range(3):
            t = time.perf_counter()
            await pilot.pause()
            idle.append(time.perf_counter() - t)
        return max(runs), max(cpus), statistics.median(idle)

    wall, cpu, idle = asyncio.run(_section(home, "y", "sessions", marks))
    return wall, cpu, idle


def measure_mark(demo: Path, ten: Path, tests: int, figures: dict[str, float]) -> None:
    """History's mark on the demo journal and on ten years (mark_s: without Pilot's idle wait)."""
    (demo_wall, demo_cpu, demo_idle), (wall, cpu, idle) = mark_s(demo), mark_s(ten)
    figures["mark_s"] = wall - idle
    print(
        f"History mark (slower of two presses, until idle): demo {demo_wall * 1000:.1f} ms (CPU "
        f"{demo_cpu * 1000:.1f} ms), {tests} tests {wall * 1000:.1f} ms (CPU {cpu * 1000:.1f} ms); "
        f"Pilot's idle wait alone {demo_idle * 1000:.1f} / {idle * 1000:.1f} ms, so the mark itself "
        f"{(demo_wall - demo_idle) * 1000:.1f} / {figures['mark_s'] * 1000:.1f} ms; "
        f"load {os.getloadavg()[0]:.1f}"
    )


def demo_journal(home: Path) -> None:
    """The demo journal as `tonus demo` makes it (stored scores, drawn photos)."""
    with Store.open(journal_path(home)) as store:
        load_samples(store, SAMPLES, None, today=date.today(), photos=True)


def add_entries(home: Path, count: int) -> None:
    """`count` entries spread over ten years, in one statement."""
    with Store.open(journal_path(home)) as store:
        store.cursor().execute(
            "INSERT INTO entries (occurred_at, sensation, intensity, side, region, note) "
            "SELECT now()::TIMESTAMP - to_minutes(i * 105), "
            "['vibration', 'itching', 'twitching', 'tingling', 'pain'][1 + i % 5], i % 11, "
            "CASE WHEN i % 3 = 0 THEN 'left' END, CASE WHEN i % 4 = 0 THEN 'cheek' END, "
            "CASE WHEN i % 7 = 0 THEN 'worse after a cold day' END FROM range(?) t(i)",
            [count],
        )


def size_mb(home: Path) -> float:
    path = journal_path(home)
    wal = path.with_name(path.name + ".wal")
    return (path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) / 1e6


def build_journals(
    args: argparse.Namespace, demo: Path, ten: Path, many: Path, figures: dict[str, float]
) -> int:
    """Build the demo journal, the one with many entries and ten years; return the ten years' tests."""
    demo_journal(demo)
    shutil.copytree(demo, many)
    add_entries(many, args.entries)
    print(
        f"demo journal: {size_mb(demo):.1f} MB; the same plus {args.entries} entries: {size_mb(many):.1f} MB"
    )

    print(f"building {args.years:g} years in {ten}", flush=True)
    with Store.open(journal_path(ten)) as store:
        faker = AppFaker(args.seed, pictures(demo))
        counts = build(store, faker, args.years, datetime.now().replace(microsecond=0))
    tests = counts["sessions"]
    built = size_mb(ten)
    tonus(ten, "compact")
    compacted = size_mb(ten)
    figures["mb_per_test"] = compacted / tests
    print(
        f"ten years: {tests} tests, {counts['entries']} entries, {counts['events']} events; "
        f"{built:.0f} MB after the build ({built / tests:.2f} MB a test), {compacted:.0f} MB after "
        f"`tonus compact` ({figures['mb_per_test']:.3f} MB a test)"
    )
    return tests


def measure_charts(demo: Path, ten: Path, reps: int, figures: dict[str, float]) -> None:
    """`tonus chart` on ten years against the demo journal."""
    (chart_demo, cpu_demo), (chart_ten, cpu_ten) = time_chart(demo, reps), time_chart(ten, reps)
    figures["chart_ratio"] = chart_ten / chart_demo
    print(
        f"tonus chart (mean of the kinds' medians): demo {chart_demo:.2f} s, ten years {chart_ten:.2f} s "
        f"(CPU {cpu_demo:.2f} / {cpu_ten:.2f} s, ratio {cpu_ten / cpu_demo:.2f})"
    )


def measure_journal_screen(demo: Path, many: Path, entries: int, figures: dict[str, float]) -> None:
    """The Journal screen on the demo journal and on the one with many entries."""
    screen_demo, screen_many = journal_screen_s(demo), journal_screen_s(many)
    figures["journal_screen_50k_s"] = screen_many[0]
    for name, (wall, cpu, again, cpu_again) in (("demo", screen_demo), (f"{entries} entries", screen_many)):
        print(
            f"Journal screen, {name}: {wall:.2f} s (CPU {cpu:.2f} s) from the key to the table painted; "
            f"again after Home {again:.2f} s (CPU {cpu_again:.2f} s); load {os.getloadavg()[0]:.1f}"
        )


def measure_export(folder: Path, ten: Path, figures: dict[str, float]) -> None:
    """The peak memory of `tonus export` in each format, with photos."""
    peaks = {}
    for fmt in ("csv", "parquet", "json"):
        peaks[fmt] = peak_mb(ten, "export", "--out", str(folder / f"export-{fmt}"), "--format", fmt)
        shutil.rmtree(folder / f"export-{fmt}", ignore_errors=True)
    figures["export_peak_mb"] = max(peaks.values())
    print("tonus export peak memory (with photos): " + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()))


def main() -> int:
    """Build the journals, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0, help="years of journal to build (default 10)")
    parser.add_argument("--entries", type=int, default=50_000, help="entries of the large Journal screen")
    parser.add_argument("--reps", type=int, default=3, help="runs of each `tonus chart` (median)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--keep", action="store_true", help="keep the journals and print where")
    parser.add_argument(
        "--reuse", type=Path, metavar="DIR", help="measure the journals a `--keep` run left in DIR (no build)"
    )
    parser.add_argument(
        "--only", default=",".join(PARTS), metavar="PARTS",
        help=f"measure only these parts, comma-separated, of {','.join(PARTS)} (the others show nan)",
    )  # fmt: skip
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if parts - set(PARTS):
        unknown = sorted(parts - set(PARTS))[0]
        parser.error(f"--only: unknown part {unknown!r}; the parts are {', '.join(PARTS)}")
    os.environ.setdefault("TONUS_FACE_MODEL", str(SHARED / "models" / "face_landmarker.task"))
    os.environ["NO_COLOR"] = "1"

    folder = args.reuse or Path(tempfile.mkdtemp(prefix="tonus-journal-scale-"))
    demo, ten, many = folder / "demo", folder / "ten-years", folder / "many-entries"
    figures: dict[str, float] = dict.fromkeys(TARGETS, float("nan"))
    try:
        if args.reuse:
            with Store.open(journal_path(ten), read_only=True) as store:
                tests = len(store.sessions())
            figures["mb_per_test"] = size_mb(ten) / tests
            print(f"reusing {folder}: ten years of {tests} tests, {figures['mb_per_test']:.3f} MB a test")
        else:
            tests = build_journals(args, demo, ten, many, figures)

        if "chart" in parts:
            measure_charts(demo, ten, args.reps, figures)
        if "journal" in parts:
            measure_journal_screen(demo, many, args.entries, figures)
        if "mark" in parts:
            measure_mark(demo, ten, tests, figures)
        if "export" in parts:
            measure_export(folder, ten, figures)
        if "rescore" not in parts:
            print("tonus rescore: not measured (--only)")
        elif Path(os.environ["TONUS_FACE_MODEL"]).is_file():
            t, c = time.perf_counter(), children_cpu()
            done = tonus(ten, "rescore", timeout=3600)
            figures["rescore_s"] = time.perf_counter() - t
            print(
                f"tonus rescore: {figures['rescore_s']:.1f} s (CPU {children_cpu() - c:.1f} s); "
                f"{done.stdout.strip()}"
            )
        else:
            figures["rescore_s"] = float("nan")
            print("tonus rescore: not measured (no face model; set TONUS_FACE_MODEL)")

        for name, limit in TARGETS.items():
            verdict = (
                "PASS"
                if figures[name] <= limit
                else "not measured"
                if figures[name] != figures[name]
                else "FAIL"
            )
            print(f"target {name} <= {limit:g}: {sig3(figures[name])} {verdict}")
        if args.keep:
            print(f"kept {folder}")
        print(" ".join(f"{name}={sig3(figures[name])}" for name in TARGETS))
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
