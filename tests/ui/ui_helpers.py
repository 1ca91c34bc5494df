"""Helpers for the Pilot tests: services on a temp journal, waiting without long sleeps, screen text."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from fakes import FakeLandmarkers, FakeModel
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled

from journal.cli.tui import real_services
from journal.store import Store, journal_path
from journal.ui.app import TonusApp, build_app
from journal.ui.services import Services

NOW = datetime(2025, 6, 10, 9, 0)
SIZE = (120, 40)
#: Every table a stored test writes rows into.
SESSION_TABLES = (
    "sessions",
    "poses",
    "key_photos",
    "frames",
    "session_scores",
    "pose_scores",
    "region_scores",
)


def fixed_now() -> datetime:
    """The app's clock in these tests."""
    return NOW


#: Serialises every opening of the test journal: the app's own workers (see `make_services`) and
#: the tests' direct reads and writes (`open_store`).
JOURNAL_LOCK = threading.RLock()


def make_services(
    home: Path,
    *,
    camera: str | None = None,
    landmarkers: FakeLandmarkers | None = None,
    model: FakeModel | None = None,
    now: Callable[[], datetime] = fixed_now,
    serialize: bool = True,
) -> Services:
    """The real services on a temp journal, with the fake landmarker, model and a fixed clock.

    With `serialize` (the default), the journal is opened under `JOURNAL_LOCK`: the app opens it
    from several worker threads at once, and a second opening in one process fails ("already open
    in this program", see test_ui_concurrency.py, which runs without the lock). The lock keeps the
    other tests about what they test; remove it once the app serialises its own journal access.
    """
    services = real_services(home, camera=camera)
    model = model or FakeModel(home / "face_landmarker.task", ok=True)
    replaced = dataclasses.replace(
        services,
        make_landmarker=landmarkers or FakeLandmarkers(),
        model_status=model.status,
        install_model=model.install,
        now=now,
        config_file=home / "config.toml",
    )
    if serialize:
        real_open = services.open_store

        @contextmanager
        def serialized() -> Iterator[Store]:
            with JOURNAL_LOCK, real_open() as store:
                yield store

        replaced.open_store = serialized
    return replaced


@contextmanager
def open_store(home: Path) -> Iterator[Store]:
    """Open the test journal directly, never while one of the app's workers has it open."""
    with JOURNAL_LOCK, Store.open(journal_path(home)) as store:
        yield store


def mark_first_run_done(home: Path, side: str | None = "right") -> None:
    """Save a profile so Home does not open the first-run questions."""
    with open_store(home) as store:
        store.set_profile(affected_side=side)


def row_counts(home: Path) -> dict[str, int]:
    """Rows in every table a test session writes."""
    with open_store(home) as store:
        cur = store.cursor()
        return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in SESSION_TABLES}


def run(coro: Coroutine[Any, Any, None]) -> None:
    """Run one async test body (the suite has no asyncio plugin)."""
    asyncio.run(coro)


def text(widget: Widget) -> str:
    """The plain text a Static or Label shows (markup removed)."""
    visual = widget.visual  # type: ignore[attr-defined]
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(widget.content)  # type: ignore[attr-defined]


def screen_text(app: App[Any], selector: str) -> str:
    """The plain text of the widget `selector` on the current screen."""
    return text(app.screen.query_one(selector))


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Pause in short steps until `condition()` holds; fail saying `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # a widget not mounted yet: keep waiting
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the running workers; a load replaced by a newer one (exclusive) counts as done."""
    for worker in list(pilot.app.workers):
        with suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()


def new_app(services: Services) -> TonusApp:
    """The app as the CLI builds it."""
    return build_app(services)


async def open_results(pilot: Pilot[Any], row: int = 0) -> None:
    """From Home, open History and the results of its `row`-th test (oldest first), once scored."""
    from journal.ui.screens.history import HistoryScreen
    from journal.ui.screens.home import HomeScreen
    from journal.ui.screens.results import ResultsScreen

    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
    await settle(pilot)
    await pilot.press("y")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
    await settle(pilot)
    await pilot.press(*["down"] * row, "enter")
    await until(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
    await until(pilot, lambda: "Tonus:" in screen_text(app, "#summary"), "the scores")
