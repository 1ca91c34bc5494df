"""Home paints before the slow parts: its scores before the recovery signal, the demo before its tests."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from textual.widgets._footer import FooterKey
from ui_helpers import (
    NOW,
    SIZE,
    fixed_now,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    until,
)

import journal.services.dashboard
from journal.cli.tui import real_services

pytestmark = pytest.mark.usefixtures("images_off")


def test_the_scores_show_while_the_recovery_signal_is_still_being_worked_out(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark_first_run_done(home)
    with open_store(home) as store:
        for week in range(4):
            when = NOW - timedelta(days=7 * (4 - week) - 1)
            store.add_session(fixed_session(when, tonus=70.0 + 5 * week, movement=40.0 + 10 * week))
    release = threading.Event()
    real = journal.services.dashboard.recovery_from_store

    def slow_signal(store: Any, rows: Any = None) -> Any:
        release.wait(10)  # the signal takes as long as the test says
        return real(store, rows)

    monkeypatch.setattr(journal.services.dashboard, "recovery_from_store", slow_signal)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot, lambda: "85.0 / 100" in screen_text(app, "#tonus"), "the scores, before the signal"
            )
            tonus = screen_text(app, "#tonus")
            assert "+5.0 since" in tonus and "noise: working it out" in tonus  # no verdict before the noise
            assert "beyond noise" not in tonus and "within noise" not in tonus
            assert "working it out" in screen_text(app, "#signal")
            assert "Last test" in screen_text(app, "#due")
            release.set()
            await until(pilot, lambda: "working it out" not in screen_text(app, "#signal"), "the signal")
            await until(pilot, lambda: "noise ±" in screen_text(app, "#tonus"), "the verdicts")
            assert "within noise" in screen_text(app, "#tonus") or "beyond noise" in screen_text(
                app, "#tonus"
            )

    try:
        run(body())
    finally:
        release.set()


def test_the_demo_paints_home_before_its_sample_tests_are_loaded(home: Path) -> None:
    """`tonus demo` fills its journal in the app's first reader (`prepare`), after Home's first paint."""
    release = threading.Event()
    readers: list[str] = []

    def prepare(store: Any) -> None:
        release.wait(10)
        store.set_profile(affected_side="left")
        for week in range(2):
            when = NOW - timedelta(days=7 * (2 - week) - 1)
            store.add_session(fixed_session(when, tonus=75.0 + 5 * week, movement=50.0))
        readers.append(threading.current_thread().name)

    services = dataclasses.replace(real_services(home, demo=True, prepare=prepare), now=fixed_now)

    async def body() -> None:
        app = new_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: bool(app.screen.query(FooterKey)), "Home's first paint")
            assert "Opening the sample journal" in screen_text(app, "#due")
            assert "/ 100" not in screen_text(app, "#tonus")
            release.set()
            await until(pilot, lambda: "80.0 / 100" in screen_text(app, "#tonus"), "the sample tests", 10)
            assert "Affected side: left." in screen_text(app, "#due")
            await pilot.press("y")  # another reader after the first: the tests are loaded once
            await pilot.pause(0.5)
        assert len(readers) == 1

    try:
        run(body())
    finally:
        release.set()
