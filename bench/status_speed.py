"""`tonus status --json` on a ten-year journal against the demo journal (target: under 0.3 s).

Builds, in temporary folders, the ten-year journal of bench/store_scale.py (its own `Faker` and
`build`: weekly tests of 10 poses × 10 frames with photos and full scores, daily entries, events) and
the demo journal (the 14 sample tests), then runs the real command in a fresh process on each, a
warm-up and then `--reps` times, and prints the medians. The ratio shows what ten years add to the
command's cost; the absolute time includes starting Python and importing DuckDB. Also shown: the
status read alone, in this process (no interpreter start), and `tonus --version` as the baseline of
starting the command at all, measured in the same run. Last line:
status_demo_s=<a> status_ten_years_s=<b> ratio=<b/a> startup_s=<s> over_startup=<b/s>
in_process_ten_years_s=<c>   (all on one line)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store_scale import Faker, build  # noqa: E402

from journal.services.demo import find_samples, load_samples  # noqa: E402
from journal.services.status import status_from_store  # noqa: E402
from journal.store import Store, journal_path  # noqa: E402

TONUS = ROOT / ".venv" / "bin" / "tonus"
TARGET_S = 0.3


def run_status(home: Path | None, reps: int) -> float:
    """Median seconds of `tonus --home HOME status --json` in a fresh process, after a warm-up.

    With no home, `tonus --version`: the same interpreter start and CLI import, nothing read.
    """
    command = [str(TONUS), "--home", str(home), "status", "--json"] if home else [str(TONUS), "--version"]
    runs = []
    for i in range(reps + 1):
        t = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        if done.returncode not in (0, 10):
            raise SystemExit(f"tonus status failed on {home}: {done.stderr.strip()}")
        if i:
            runs.append(elapsed)
    return statistics.median(runs)


def main() -> int:
    """Build both journals, time the command on each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0, help="years of journal (default 10)")
    parser.add_argument("--reps", type=int, default=7, help="timed runs on each journal (after a warm-up)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--keep", action="store_true", help="keep the ten-year journal and print its folder")
    parser.add_argument("--journal", metavar="DIR", help="use this ten-year journal folder (from --keep)")
    args = parser.parse_args()
    samples = find_samples()
    if samples is None:
        raise SystemExit("the sample sessions are missing: run from a Tonus checkout")
    folder = Path(tempfile.mkdtemp(prefix="tonus-status-speed-"))
    try:
        demo = folder / "demo"
        demo.mkdir()
        with Store.open(journal_path(demo)) as store:
            load_samples(store, samples, None, today=date.today(), photos=True)
        if args.journal:
            big = Path(args.journal)
        else:
            big = Path(tempfile.mkdtemp(prefix="tonus-ten-years-")) if args.keep else folder / "ten-years"
            big.mkdir(exist_ok=True)
            print(f"building {args.years:g} years of journal in {big}", flush=True)
            with Store.open(journal_path(big)) as store:
                counts = build(store, Faker(args.seed), args.years, datetime.now().replace(microsecond=0))
            made = f"{counts['sessions']} tests, {counts['entries']} entries, {counts['events']} events"
            print(f"built: {made}")
            if args.keep:
                print(f"kept the journal in {big} (use --journal {big}; delete it when done)")
        with Store.open(journal_path(big), read_only=True) as store:
            status_from_store(store, datetime.now())  # warm-up
            t = time.perf_counter()
            status_from_store(store, datetime.now())
            in_process = time.perf_counter() - t
        start_s = run_status(None, args.reps)
        demo_s = run_status(demo, args.reps)
        big_s = run_status(big, args.reps)
        verdict = "meets" if big_s < TARGET_S else "misses"
        print(
            f"tonus status --json: demo {demo_s:.3f} s, ten years {big_s:.3f} s; tonus --version "
            f"(start-up alone) {start_s:.3f} s (medians of {args.reps})"
        )
        print(f"ten years {verdict} the target of {TARGET_S} s; the read alone takes {in_process:.3f} s")
        print(
            f"status_demo_s={demo_s:.3f} status_ten_years_s={big_s:.3f} ratio={big_s / demo_s:.2f} "
            f"startup_s={start_s:.3f} over_startup={big_s / start_s:.2f} "
            f"in_process_ten_years_s={in_process:.3f}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
