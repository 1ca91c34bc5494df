"""Results of the first refined test (tonus-scorer/5) do not compare brow and eye with an earlier test
measured by the face model alone, and say from when they are counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from fakes import fixed_session
from ui_helpers import (
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_results,
    open_store,
    run,
    screen_text,
)

from journal.scoring.version import LANDMARKS_MODEL

pytestmark = pytest.mark.usefixtures("images_off")


def test_results_restart_brow_and_eye_at_the_first_refined_test(home: Path) -> None:
    mark_first_run_done(home, side="left")
    with open_store(home) as store:
        old = fixed_session(datetime(2026, 11, 23, 8, 15), tonus=72.0, movement=45.0)
        store.add_session(replace(old, landmarks=LANDMARKS_MODEL))
        store.add_session(fixed_session(datetime(2026, 11, 30, 8, 15), tonus=74.0, movement=46.0))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await open_results(pilot, row=1)  # the newer test (the table lists oldest first)
            summary = screen_text(app, "#summary")
            assert "Tonus: 74 of 100 (how even your face is at rest)." in summary, summary  # not compared
            assert "Movement: 46 of 100" in summary and "than last week" in summary  # compared
            regions = screen_text(app, "#regions")
            assert "measured more finely from 30 Nov 2026" in regions, regions
            lines = {ln.split(" sits")[0].split(" opens")[0]: ln for ln in regions.splitlines()}
            assert "(last week" in lines["Your right mouth corner"]  # the mouth keeps its history
            assert (
                "(last week" not in lines["Your right eyebrow"]
                and "(last week" not in lines["Your right eye"]
            )

    run(body())
