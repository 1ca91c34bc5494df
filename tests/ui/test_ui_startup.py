"""Home paints before DuckDB, MediaPipe or OpenCV load; those load in workers, when they are needed.

Run in a fresh interpreter (this test process has long imported them all): the real app, on the
real services and a temp journal, records which heavy modules are loaded when Home is composed (the
first paint follows at once), and again once Home shows the journal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from journal.cli.tui import real_services
from journal.ui.app import build_app
from journal.ui.screens.home import HomeScreen

HEAVY = ("duckdb", "mediapipe", "cv2", "textual_image", "numpy")
seen = {}
real_compose = HomeScreen.compose

def compose(self):
    seen["composed"] = sorted(m for m in HEAVY if m in sys.modules)
    return real_compose(self)

HomeScreen.compose = compose

async def main():
    app = build_app(real_services(Path(sys.argv[1])))
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen_stack[0]  # a new journal: the first-run questions open above Home
        for _ in range(200):
            await pilot.pause(0.05)
            if "No test yet" in str(home.query_one("#due").render()):
                break
        await pilot.pause(0.2)
        seen["loaded"] = sorted(m for m in HEAVY if m in sys.modules)
        seen["due"] = str(home.query_one("#due").render())
        seen["screen"] = type(app.screen).__name__

asyncio.run(main())
print(json.dumps(seen))
"""


def test_home_paints_before_the_heavy_modules_load(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "home")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"TONUS_IMAGES": "auto", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["composed"] == [], seen  # nothing heavy before the first paint
    assert "No test yet" in seen["due"]  # the journal was read (in a worker, with DuckDB) ...
    assert "duckdb" in seen["loaded"]
    assert seen["screen"] == "FirstRunScreen"  # which checked the model: still no MediaPipe
    assert not {"mediapipe", "cv2", "textual_image"} & set(seen["loaded"]), seen  # ... and no camera
