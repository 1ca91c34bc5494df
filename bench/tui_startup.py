"""Time to first paint of the TUI (`tonus` on an existing journal) against `python -c "import textual"`.

Both are measured from outside, as wall time from spawning the process, with the same interpreter:

* first paint: `tonus --home DIR` runs on the slave side of a pseudo-terminal (120x40, TERM=xterm-256color)
  that is its controlling terminal; this script reads the master side as the bytes arrive and stops the
  clock at the first moment the output, with escape sequences removed, holds the Home screen's header
  ("Tonus — tone returns before movement") and its body ("Quick log:"). Textual draws a whole screen
  per frame, so that is the first frame of Home. A pty rather than tmux: reading the pty sees each write
  as it happens, where polling `tmux capture-pane` adds its polling interval and tmux's own redraw delay.
  Also reported, not part of the ratio: the first bytes on the terminal (Textual taking it over: by then
  the imports are done), when the footer's keys appear and when the journal's contents (today's entry)
  replace "Opening your journal…".
* import textual: `python -c "import textual"` run to completion (subprocess wall time).

The journal is made first with `tonus log` and `tonus profile`, so it exists and has a profile (a journal
with entries but no profile and no test still gets the first-run questions). Runs alternate between the two
commands after one untimed warm-up of each; medians are reported. Target: ratio <= 2.5.

Bytecode: both commands run with PYTHONPYCACHEPREFIX in the benchmark's temporary folder (and without
PYTHONDONTWRITEBYTECODE), so the warm-up compiles every module once and the timed runs load cached
bytecode, as an installed copy does. Without that, a source checkout run with PYTHONDONTWRITEBYTECODE=1
recompiles all of `journal` at every start (about 60-80 ms here), which textual, installed with its .pyc
files, never pays. The load average is printed: other work on the machine moves these figures.

`--demo` times `tonus demo` instead (it builds a temporary journal of 14 sample tests, then opens Home):
the first paint of Home, Home's scores drawn ("/ 100" in a score card), and the recovery signal drawn
(its sentence, "Tone returning", computed after the scores since Home paints them first). No ratio.

    .venv/bin/python bench/tui_startup.py [--runs 7]
    .venv/bin/python bench/tui_startup.py --demo [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_RATIO = 2.5
COLS, ROWS = 120, 40
TIMEOUT_S = 30.0
HEADER = "Tonus — tone returns before movement"
BODY = "Quick log:"
FOOTER = "q Quit"
JOURNAL = "vibration 1/10"  # today's entry, once the journal is read (a worker after the first paint)
SCORES = "/ 100"  # a score card with a score: the demo's Home has its tests read
SIGNAL = "Tone returning"  # the demo's recovery signal sentence

# CSI (colours, cursor moves, private modes), OSC (titles) and two-character escapes.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def tonus_command() -> list[str]:
    """The venv's `tonus` console script, else `python -m journal` with this interpreter."""
    script = Path(sys.executable).with_name("tonus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "journal"]


def make_journal(home: Path) -> None:
    """An existing journal: one entry today and a profile, so no first-run dialog."""
    env = {**os.environ, "TONUS_HOME": str(home)}
    for args in (["log", "vibration", "1"], ["profile", "--affected", "left"]):
        command = [*tonus_command(), *args, "--home", str(home)]
        subprocess.run(command, check=True, capture_output=True, env=env)


@dataclass
class Paint:
    """Seconds from spawning `tonus` to each milestone seen on its terminal."""

    first_paint: float
    first_output: float | None
    footer: float | None
    journal: float | None
    scores: float | None = None
    signal: float | None = None


def _controlling_tty() -> None:  # runs in the child after setsid: the pty becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def time_first_paint(home: Path | None, settle: float = 3.0) -> Paint:
    """Start `tonus` on a pty, read its output until Home is drawn, then quit it with q.

    `home` None: start `tonus demo` and wait for its scores and recovery signal as well.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)}
    env.pop("TMUX", None)
    env.pop("TONUS_HOME", None)
    start = time.perf_counter()
    if home is None:
        settle = 3 * TIMEOUT_S  # the demo's scores follow its first paint by seconds (its tests load)
    args = ["demo"] if home is None else ["--home", str(home)]
    wanted = {"scores": SCORES, "signal": SIGNAL} if home is None else {"journal": JOURNAL}
    proc = subprocess.Popen(
        [*tonus_command(), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=_controlling_tty,
    )
    os.close(slave)
    seen: dict[str, float] = {}
    raw = b""
    text = ""
    try:
        end = start + (3 * TIMEOUT_S if home is None else TIMEOUT_S)
        while any(k not in seen for k in ("footer", *wanted)):
            now = time.perf_counter()
            if now > end or ("paint" in seen and now > seen["paint"] + start + settle):
                break
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            now = time.perf_counter() - start
            seen.setdefault("output", now)
            # Decode and strip the whole output so far: a character or an escape may straddle two reads.
            raw += chunk
            text = ANSI.sub("", raw.decode("utf-8", "replace"))
            if "paint" not in seen and HEADER in text and BODY in text:
                seen["paint"] = now
            if "paint" in seen:
                if "footer" not in seen and FOOTER in text:
                    seen["footer"] = now
                for key, marker in wanted.items():
                    if key not in seen and marker in text:
                        seen[key] = now
        if "paint" not in seen:
            raise RuntimeError(f"no first paint within {TIMEOUT_S:.0f} s; last output:\n{text[-3000:]}")
        os.write(master, b"q")
        _drain_until_exit(master, proc, 10.0)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        os.close(master)
    return Paint(
        seen["paint"],
        seen.get("output"),
        seen.get("footer"),
        seen.get("journal"),
        seen.get("scores"),
        seen.get("signal"),
    )


def _drain_until_exit(master: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Keep reading (so the child never blocks on a full pty) until it exits."""
    end = time.perf_counter() + timeout
    while proc.poll() is None and time.perf_counter() < end:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 1 << 16)
            except OSError:
                break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(max(0.1, end - time.perf_counter()))


def time_import_textual() -> float:
    """Wall time of `python -c "import textual"` with this interpreter."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual"], check=True)
    return time.perf_counter() - start


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--demo", action="store_true", help="time `tonus demo` to Home, scores and signal")
    args = parser.parse_args()
    if args.demo:
        return demo(args.runs)

    with tempfile.TemporaryDirectory(prefix="tonus-bench-") as tmp:
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")  # inherited by every child
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        home = Path(tmp) / "journal"
        make_journal(home)
        time_first_paint(home)  # warm-up: page cache, __pycache__
        time_import_textual()
        paints: list[Paint] = []
        imports: list[float] = []
        for _ in range(args.runs):
            paints.append(time_first_paint(home))
            imports.append(time_import_textual())

    x = statistics.median(p.first_paint for p in paints)
    y = statistics.median(imports)
    output = _median([p.first_output for p in paints])
    footer = _median([p.footer for p in paints])
    journal = _median([p.journal for p in paints])
    ratio = x / y

    def ms(values: list[float]) -> str:
        return " ".join(f"{v * 1000:.0f}" for v in values)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"python {sys.version.split()[0]}: {args.runs} runs each, median, after a warm-up")
    print(f"load average {load} on {os.cpu_count()} CPUs")
    if output is not None:
        print(f"tui takes the terminal:         {output * 1000:7.0f} ms   (imports done, app starting)")
    print(f"tui first paint (Home drawn):   {x * 1000:7.0f} ms   runs: {ms([p.first_paint for p in paints])}")
    if footer is not None:
        print(f"  footer keys drawn:            {footer * 1000:7.0f} ms")
    if journal is not None:
        print(f"  journal contents drawn:       {journal * 1000:7.0f} ms")
    print(f"python -c 'import textual':     {y * 1000:7.0f} ms   runs: {ms(imports)}")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio {ratio:.2f} {verdict} the target <= {TARGET_RATIO}")
    print(f"tui_first_paint_s={x:.3f} textual_import_s={y:.3f} ratio={ratio:.2f}")
    return 0


def demo(runs: int) -> int:
    """Time `tonus demo` from spawning it to Home's first paint, its scores and its recovery signal."""
    with tempfile.TemporaryDirectory(prefix="tonus-bench-") as tmp:
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        time_first_paint(None)  # warm-up
        paints = [time_first_paint(None) for _ in range(runs)]

    def line(label: str, values: list[float | None]) -> str:
        median = _median(values)
        shown = " ".join("-" if v is None else f"{v * 1000:.0f}" for v in values)
        figure = "missing" if median is None else f"{median * 1000:7.0f} ms"
        return f"{label:<32}{figure}   runs: {shown}"

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"python {sys.version.split()[0]}: tonus demo, {runs} runs, median, after a warm-up")
    print(f"load average {load} on {os.cpu_count()} CPUs")
    print(line("demo: Home drawn:", [p.first_paint for p in paints]))
    print(line("demo: Home's scores drawn:", [p.scores for p in paints]))
    print(line("demo: recovery signal drawn:", [p.signal for p in paints]))
    paint = _median([p.first_paint for p in paints])
    scores, signal = _median([p.scores for p in paints]), _median([p.signal for p in paints])
    print(f"demo_home_s={paint or 0:.3f} demo_scores_s={scores or 0:.3f} demo_signal_s={signal or 0:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
