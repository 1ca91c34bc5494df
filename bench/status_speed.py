"""`tonus status --json` on a ten-year journal: from the status cache against the full read (target: 0.3 s).

Builds, in temporary folders, the ten-year journal of bench/store_scale.py (its own `Faker` and
`build`: weekly tests of 10 poses × 10 frames with photos and full scores, daily entries, events) and
the demo journal (the 14 sample tests), then runs the real command in fresh processes on each, in the
same run:

- *cold*: the status cache removed before every run, so the command opens the journal with DuckDB,
  computes the scores, recovery state and safety prompts with numpy, and writes the cache (the baseline,
  what every run cost before the cache);
- *cached*: the cache current, as it is after any `tonus` command that wrote to the journal: no DuckDB,
  no numpy;
- *after a log*: `tonus log` then `tonus status`, checking that the log kept the cache current (the
  status is answered from it and holds the new entry).

Also shown: `tonus --version`, the cost of starting the command at all, and the status read alone in
this process. Each figure is the median of `--reps` runs after a warm-up. Last line:
status_cold_s=<a> status_cached_s=<b> ratio=<b/a> demo_cold_s=<c> demo_cached_s=<d> startup_s=<s>
in_process_ten_years_s=<r> cold_cpu_s=<x> cached_cpu_s=<y> startup_cpu_s=<z> meets_target=<true|false>
(all on one line; CPU seconds are user + system of the child, steadier than wall time under load)
"""

from __future__ import annotations

import argparse
import json
import resource
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
from journal.services.status_cache import cache_path  # noqa: E402
from journal.store import Store, journal_path  # noqa: E402

TONUS = ROOT / ".venv" / "bin" / "tonus"
TARGET_S = 0.3


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tonus(*args: str, cpu: list[float] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run tonus; return its wall seconds (and append its CPU seconds, user + system, to `cpu`)."""
    c, t = _cpu(), time.perf_counter()
    done = subprocess.run([str(TONUS), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if cpu is not None:
        cpu.append(_cpu() - c)
    return elapsed, done


def run_status(home: Path | None, reps: int, cold: bool = False) -> tuple[float, float, str]:
    """Median seconds of `tonus --home HOME status --json` in fresh processes after a warm-up; its output.

    `cold` removes the status cache before each run. With no home, `tonus --version`: the same
    interpreter start and CLI import, nothing read. Returns (median wall s, median CPU s, output).
    """
    command = ["--home", str(home), "status", "--json"] if home else ["--version"]
    runs: list[float] = []
    cpu: list[float] = []
    out = ""
    for i in range(reps + 1):
        if cold and home:
            cache_path(journal_path(home)).unlink(missing_ok=True)
        elapsed, done = _tonus(*command, cpu=cpu)
        if done.returncode not in (0, 10):
            raise SystemExit(f"tonus status failed on {home}: {done.stderr.strip()}")
        out = done.stdout
        if i:
            runs.append(elapsed)
    return statistics.median(runs), statistics.median(cpu[1:]), out


def after_log(home: Path) -> float:
    """Log a sensation, then time `tonus status --json`; fail unless the cache answered with the new entry."""
    _, done = _tonus("--home", str(home), "log", "tingling", "7")
    if done.returncode != 0:
        raise SystemExit(f"tonus log failed on {home}: {done.stderr.strip()}")
    before = cache_path(journal_path(home)).stat().st_mtime_ns
    elapsed, done = _tonus("--home", str(home), "status", "--json")
    today = json.loads(done.stdout)["today"]
    if not any(e["sensation"] == "tingling" and e["intensity"] == 7 for e in today):
        raise SystemExit(f"the status after a log misses the new entry: {today}")
    if cache_path(journal_path(home)).stat().st_mtime_ns != before:
        raise SystemExit("the status after a log read the journal again: the log left the cache stale")
    return elapsed


def main() -> int:
    """Build both journals, time the command cold and cached on each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10.0, help="years of journal (default 10)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each kind (after a warm-up)")
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
        start_s, start_cpu, _ = run_status(None, args.reps)
        demo_cold, _, demo_out = run_status(demo, args.reps, cold=True)
        demo_cached, _, demo_cached_out = run_status(demo, args.reps)
        cold, cold_cpu, cold_out = run_status(big, args.reps, cold=True)
        cached, cached_cpu, cached_out = run_status(big, args.reps)
        if cold_out != cached_out or demo_out != demo_cached_out:
            raise SystemExit("the cached status differs from the full read")
        logged = after_log(big)
        meets = cached < TARGET_S
        print(
            f"tonus status --json, medians of {args.reps}: ten years cold {cold:.3f} s, "
            f"cached {cached:.3f} s "
            f"(ratio {cached / cold:.2f}); demo cold {demo_cold:.3f} s, cached {demo_cached:.3f} s; "
            f"after a tonus log {logged:.3f} s (one run); tonus --version (start-up alone) {start_s:.3f} s"
        )
        print(
            f"ten years {'meets' if meets else 'misses'} the target of {TARGET_S} s from the cache; "
            f"the full read alone takes {in_process:.3f} s in this process"
        )
        print(
            f"CPU seconds (user + system, medians; steadier than wall time on a busy machine): ten years "
            f"cold {cold_cpu:.3f}, cached {cached_cpu:.3f}, tonus --version {start_cpu:.3f}"
        )
        print(
            f"status_cold_s={cold:.3f} status_cached_s={cached:.3f} ratio={cached / cold:.2f} "
            f"demo_cold_s={demo_cold:.3f} demo_cached_s={demo_cached:.3f} startup_s={start_s:.3f} "
            f"in_process_ten_years_s={in_process:.3f} cold_cpu_s={cold_cpu:.3f} "
            f"cached_cpu_s={cached_cpu:.3f} "
            f"startup_cpu_s={start_cpu:.3f} meets_target={str(meets).lower()}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
