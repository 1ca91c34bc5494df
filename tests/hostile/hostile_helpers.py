"""Helpers for the hostile suite: run `tonus` in a child process as a person (or an attacker) would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tonus_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a child `tonus`: this checkout first on the path, the journal in `home`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("TONUS_HOME", None)
    if home is not None:
        env["TONUS_HOME"] = str(home)
    env.update(extra)
    return env


def tonus(
    *args: str,
    home: Path | None = None,
    timeout: float = 120,
    cwd: Path | None = None,
    prefix: tuple[str, ...] = (),
    input_text: str | None = None,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m journal ARGS` and return the finished process (text output captured)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "journal", *args],
        env=tonus_env(home, **extra),
        input=input_text,
        stdin=None if input_text is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )


def has_escape(text: str) -> bool:
    """True when `text` holds a raw terminal control character (ESC, BEL, CSI…), not shown as a sign."""
    return any(ch in text for ch in ("\x1b", "\x07", "\x9b", "\x9d", "\x08", "\r"))
