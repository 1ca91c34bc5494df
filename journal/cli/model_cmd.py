"""`tonus model`: show and install the face model."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from journal.capture import model_file
from journal.errors import UsageError
from journal.paths import MODEL_ENV, default_model_path

_BAR_WIDTH = 30


def _mb(n: int) -> str:
    """Format a byte count in megabytes with one decimal."""
    return f"{n / 1e6:.1f} MB"


class ProgressBar:
    """A text progress bar on a stream: redrawn in place on a tty, else one final line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.done = 0
        self.total: int | None = None
        self._last: int | None = None

    def __call__(self, done: int, total: int | None) -> None:
        """Record progress and redraw the bar when it changed visibly (tty only)."""
        self.done, self.total = done, total
        if not self.tty:
            return
        step = done * 100 // total if total else done // (1 << 18)
        if step == self._last:
            return
        self._last = step
        self.stream.write("\r" + self.render())
        self.stream.flush()

    def render(self) -> str:
        """Return the bar as text: `[#####-----]  42%  1.6/3.8 MB`, or just MB without a total."""
        if not self.total:
            return f"{_mb(self.done)}"
        frac = min(self.done / self.total, 1.0)
        filled = int(frac * _BAR_WIDTH)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        return f"[{bar}] {frac * 100:3.0f}%  {self.done / 1e6:.1f}/{_mb(self.total)}"

    def finish(self, ok: bool) -> None:
        """End the bar line on a tty, or write the one final line elsewhere."""
        if self.tty:
            if self._last is not None:
                self.stream.write("\n")
        elif ok:
            self.stream.write(f"Downloaded {_mb(self.done)}.\n")
        self.stream.flush()


def _status(args: argparse.Namespace) -> int:
    """Print where the model is and whether it verifies; exit 0 if it does, else 1."""
    status = model_file.model_status(args.home)
    message = model_file.problem(status)
    if args.json:
        record = {
            "path": str(status.path),
            "source": status.source,
            "exists": status.exists,
            "size": status.size,
            "sha256": status.sha256,
            "expected_sha256": model_file.MODEL_SHA256,
            "ok": status.ok,
            "problem": message,
        }
        print(json.dumps(record, indent=2))
    else:
        source = {"env": f"${MODEL_ENV}", "data dir": "data dir", "none": "none"}[status.source]
        size = f"{status.size} bytes ({_mb(status.size)})" if status.size is not None else "-"
        if status.sha256 is None:
            sha = "-"
        elif status.sha256 == model_file.MODEL_SHA256:
            sha = f"{status.sha256} (ok)"
        else:
            sha = f"{status.sha256} (expected {model_file.MODEL_SHA256})"
        print(f"path:    {status.path}")
        print(f"source:  {source}")
        print(f"size:    {size}")
        print(f"sha256:  {sha}")
        print(f"status:  {'ok' if status.ok else 'not ok'}")
    if message is not None:
        print(f"tonus: {message}", file=sys.stderr)
        return 1
    return 0


def _install(args: argparse.Namespace) -> int:
    """Install the model from a local file or by downloading it, verifying its sha256."""
    if args.source and args.url:
        raise UsageError("Use either --from FILE or --url URL, not both.")
    if args.source:
        path = model_file.install_from_file(args.source, args.home)
    elif not args.force and model_file.is_installed(args.home):
        path = default_model_path(args.home)
        print(f"The face model is already installed at {path} (sha256 verified).")
        _note_env(path)
        return 0
    else:
        url = model_file.resolve_url(args.url)
        print(f"Downloading the face model ({_mb(model_file.MODEL_SIZE)}) from {url}", file=sys.stderr)
        bar = ProgressBar(sys.stderr)
        ok = False
        try:
            path = model_file.download(url, args.home, progress=bar)
            ok = True
        finally:
            bar.finish(ok)
    print(f"Installed the face model at {path} (sha256 verified).")
    _note_env(path)
    return 0


def _note_env(installed: Path) -> None:
    """Warn when $TONUS_FACE_MODEL points elsewhere, since it takes precedence."""
    env = os.environ.get(MODEL_ENV)
    if env and Path(env).expanduser() != installed:
        print(
            f"tonus: note: {MODEL_ENV} is set to {env} and takes precedence over this copy.",
            file=sys.stderr,
        )


def register(sub: Any) -> None:
    """Add the `model` subcommand with `status` and `install`."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "model",
        help="show or install the face model",
        description="Show or install the MediaPipe face model Tonus needs (sha256-checked).",
    )

    def show_help(args: argparse.Namespace) -> int:
        """Print the `tonus model` help when no action is given (exit 2)."""
        parser.print_help()
        return 2

    parser.set_defaults(handler=show_help)
    model_sub = parser.add_subparsers(dest="model_command", metavar="ACTION")

    status = model_sub.add_parser(
        "status", help="show where the model is and whether it verifies (exit 1 if not)"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_status)

    install = model_sub.add_parser(
        "install",
        help="download the model from Google, or copy it from a file",
        description=(
            "Install the face model into the journal directory, checking its sha256. "
            f"Without --from it downloads {model_file.MODEL_URL} "
            f"(or ${model_file.URL_ENV})."
        ),
    )
    install.add_argument("--from", dest="source", metavar="FILE", help="copy the model from a local file")
    install.add_argument("--url", metavar="URL", help="download from this URL instead")
    install.add_argument(
        "--force", action="store_true", help="download again even if a good copy is installed"
    )
    install.set_defaults(handler=_install)
