"""Home paints its scores before the recovery signal is worked out (issue 11, item 10)."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import fixed_session
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    until,
)

import journal.dashboard

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
    real = journal.dashboard.recovery_from_store

    def slow_signal(store: Any, rows: Any = None) -> Any:
        release.wait(10)  # the signal takes as long as the test says
        return real(store, rows)

    monkeypatch.setattr(journal.dashboard, "recovery_from_store", slow_signal)

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
