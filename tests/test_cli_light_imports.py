"""Journal commands that only read or write rows load no numpy, images, TUI or charts (fresh interpreters)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Packages these commands never use: each costs start-up time (numpy alone ~0.1 CPU s).
HEAVY = ("numpy", "PIL", "textual", "rich", "plotext", "mediapipe", "cv2", "pyarrow", "pandas", "scipy")

_PROGRAM = """
import json, sys
{preload}
from journal.cli import main
code = main(sys.argv[1:])
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set(json.loads(sys.stdin.read())))
print("LOADED=" + json.dumps({{"code": code, "heavy": loaded}}))
"""


def _run(home: Path, *args: str, preload: str = "") -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM.format(preload=preload), "--home", str(home), *args],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("LOADED="))
    result: dict[str, object] = json.loads(line.removeprefix("LOADED="))
    return result


def test_journal_commands_load_nothing_heavy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    commands = [
        ("log", "itching", "3", "--side", "left", "--note", "after lunch"),
        ("event", "therapy", "physiotherapy", "--at", "2024-05-01"),
        ("profile", "--affected", "left", "--onset", "2024-04-20"),
        ("profile", "--json"),
        ("history",),
        ("history", "--json"),
    ]
    for args in commands:
        result = _run(home, *args)
        assert result == {"code": 0, "heavy": []}, args


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    """The same probe catches a package that was loaded, so the check above can fail."""
    result = _run(tmp_path / "home", "log", "pain", "2", preload="import numpy, PIL.Image")
    assert result == {"code": 0, "heavy": ["PIL", "numpy"]}
