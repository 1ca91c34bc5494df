"""`tonus demo`: open the app on a temporary journal holding the sample sessions (a simulated recovery)."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.errors import UsageError

if TYPE_CHECKING:
    import numpy as np

_NO_SAMPLES = (
    "The sample sessions are missing from this installation: reinstall Tonus, "
    "or give a sample_sessions folder with --samples DIR."
)


def register(sub: Any) -> None:
    """Add `tonus demo`."""
    demo = sub.add_parser(
        "demo",
        help="try Tonus on a temporary journal of sample tests (a simulated recovery)",
        description=(
            "Open Tonus on a temporary journal loaded from the sample sessions: 14 weekly tests of a "
            "simulated left facial palsy with journal entries and events. Your own journal is not "
            "touched, and the temporary one is deleted when you quit."
        ),
    )
    demo.add_argument(
        "--print",
        dest="print_only",
        action="store_true",
        help="print the sample tests (like `tonus history`) instead of opening the app",
    )
    demo.add_argument("--samples", metavar="DIR", help="folder of sample sessions (default: the checkout's)")
    demo.set_defaults(handler=run_demo)


def _samples_folder(spec: str | None) -> Path:
    from journal.services.demo import SAMPLE_FILES, find_samples

    if spec is None:
        found = find_samples()
        if found is None:
            raise UsageError(_NO_SAMPLES)
        return found
    folder = Path(spec)
    if not all((folder / name).is_file() for name in SAMPLE_FILES):
        raise UsageError(f"{folder} holds no sample sessions: give the sample_sessions folder of a checkout.")
    return folder


def _canonical(folder: Path, home: str | None) -> np.ndarray | None:
    """Return the canonical mesh when the samples need re-scoring and the face model is installed."""
    from journal.scoring.version import SCORER_VERSION
    from journal.services.demo import stored_scorer_version

    version = stored_scorer_version(folder)
    if version == SCORER_VERSION:
        return None
    from journal.capture.bundle import load_canonical_mesh
    from journal.capture.model_file import model_status

    status = model_status(home)
    if status.ok:
        with contextlib.suppress(Exception):  # a damaged model: fall back to the stored scores
            return load_canonical_mesh(status.path)
    print(
        f"tonus: the sample scores come from {version}; install the face model (`tonus model install`) "
        f"to see them scored by {SCORER_VERSION}.",
        file=sys.stderr,
    )
    return None


def _lend_model(demo: Path, home: str | None) -> None:
    """Let the demo's weekly test use the installed face model (a link, never a download)."""
    from journal.capture.model_file import find_model
    from journal.paths import default_model_path

    model = find_model(home)
    if model is None or not model.is_file():
        return
    target = default_model_path(demo)
    with contextlib.suppress(OSError):
        target.parent.mkdir(mode=0o700, exist_ok=True)
        target.symlink_to(model.resolve())


def run_demo(args: argparse.Namespace) -> int:
    """Build the temporary demo journal, then open the app on it (or print its history)."""
    from journal.cli.journal_cmd import run_history
    from journal.services.demo import demo_home, load_samples
    from journal.store import Store, journal_path

    folder = _samples_folder(args.samples)
    canonical = _canonical(folder, args.home)
    home = demo_home()
    restore = _exit_on_signals()
    try:
        if args.print_only:
            with Store.open(journal_path(home)) as store:
                loaded = load_samples(store, folder, canonical, today=date.today(), photos=False)
                profile = store.get_profile()
            onset = f", onset {profile.onset:%Y-%m-%d}" if profile.onset else ""
            print(
                f"Sample journal (simulated {profile.affected_side} facial palsy{onset}): "
                f"{len(loaded.sessions)} tests, {loaded.entries} journal entries, {loaded.events} events; "
                f"scores by {loaded.scorer_version}."
            )
            return run_history(argparse.Namespace(home=str(home), json=False))
        from journal.cli.tui import run_tui
        from journal.services.demo import read_samples

        read_samples(folder)  # damaged samples are refused here, in one sentence, before the app opens
        with Store.open(journal_path(home)):
            pass  # the journal exists from the start; its tests load after Home's first paint
        today = date.today()

        def prepare(store: Store) -> None:
            load_samples(store, folder, canonical, today=today, photos=True)

        _lend_model(home, args.home)
        return run_tui(home, camera=getattr(args, "camera", None), demo=True, prepare=prepare)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        restore()


def _exit_on_signals() -> Callable[[], None]:
    """Turn SIGTERM and SIGHUP into a normal exit, so the temporary journal is removed; return the undo.

    A closed terminal (SIGHUP) or `kill` (SIGTERM) would otherwise end the process at once and leave
    the demo's temporary journal (about 11 MB) behind.
    """
    import signal

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    saved = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
                saved[number] = signal.signal(number, leave)

    def restore() -> None:
        for number, handler in saved.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, handler)

    return restore
