"""The app's journal workers overlap; they share one opening of the journal.

Every screen opens the journal briefly in a worker thread (`base.with_store`), and DuckDB refuses a
second opening of a file in one process ("already open in this program"). Journal, History and
Charts load whenever they are shown, and Home's quick log saves while the prompt's dismissal
resumes Home, whose reload reads the journal at the same time. The real services therefore share
one opening between overlapping workers (`journal.store.shared.SharedJournal`).

Here every opening holds the journal for 0.3 s (a slow disk, a long journal), which makes the
overlap certain. The other UI tests serialise journal access in the test services
(`ui_helpers.make_services`) so that their own direct reads never meet the app's workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from ui_helpers import (
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    settle,
    until,
)

from journal.store import Store, journal_path
from journal.ui.screens.charts import ChartsScreen
from journal.ui.screens.history import HistoryScreen
from journal.ui.screens.home import HomeScreen
from journal.ui.screens.journal import JournalScreen
from journal.ui.screens.prompts import IntensityPrompt
from journal.ui.services import Services

pytestmark = pytest.mark.usefixtures("images_off")

HOLD_S = 0.3


class SlowJournal:
    """Wraps `Services.open_store`: each opening holds the journal for HOLD_S; failures are kept."""

    def __init__(self, services: Services) -> None:
        self._open = services.open_store
        self.failures: list[str] = []
        self.opened = 0
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        try:
            context = self._open()
            store = context.__enter__()
        except Exception as exc:
            with self._lock:
                self.failures.append(str(exc))
            raise
        with self._lock:
            self.opened += 1
        try:
            time.sleep(HOLD_S)
            yield store
        finally:
            context.__exit__(None, None, None)


def slow_services(home: Path) -> tuple[Services, SlowJournal]:
    services = make_services(home, serialize=False)
    slow = SlowJournal(services)
    services.open_store = slow
    return services, slow


def test_two_threads_share_one_opening_and_the_last_one_out_closes_it(home: Path) -> None:
    """Without the UI: the Store refuses a second opening; the services share the first one."""
    services = make_services(home, serialize=False)
    entered = threading.Event()
    release = threading.Event()
    held: list[Store] = []

    def holder() -> None:
        with services.open_store() as store:
            held.append(store)
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert entered.wait(5)
        with pytest.raises(Exception, match="already open in this program"):
            Store.open(journal_path(home))
        with services.open_store() as store:
            assert store is held[0]
            store.add_entry(datetime(2025, 6, 1, 9, 0), "itching", 2)
    finally:
        release.set()
        thread.join()
    with Store.open(journal_path(home)) as store:  # closed once both were done
        assert [(e.sensation, e.intensity) for e in store.entries()] == [("itching", 2)]


@pytest.mark.parametrize(("key", "kind"), [("j", JournalScreen), ("y", HistoryScreen), ("c", ChartsScreen)])
def test_opening_a_section_shows_no_journal_error(home: Path, key: str, kind: type) -> None:
    mark_first_run_done(home)
    services, slow = slow_services(home)

    async def body() -> None:
        app = new_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            slow.failures.clear()  # (Home's own double load is the same bug; see the report)
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, kind), kind.__name__)
            await settle(pilot)
            await pilot.pause(HOLD_S)
            errors = [n.message for n in app._notifications]
            assert errors == [], errors
            assert slow.failures == []

    run(body())


def test_a_quick_log_entry_is_saved_while_home_reloads(home: Path) -> None:
    mark_first_run_done(home)
    services, slow = slow_services(home)

    async def body() -> None:
        app = new_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home")
            await settle(pilot)
            await pilot.pause(HOLD_S)
            slow.failures.clear()
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, IntensityPrompt), "the prompt")
            await pilot.press("5", "enter")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            await pilot.pause(HOLD_S)
            await settle(pilot)
            assert "Could not open the journal" not in screen_text(app, "#due")
            assert slow.failures == []

        with open_store(home) as store:
            assert [(e.sensation, e.intensity) for e in store.entries()] == [("vibration", 5)]

    run(body())
