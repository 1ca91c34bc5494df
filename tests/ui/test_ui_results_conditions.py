"""Results details show an imported test's photo capture conditions (EXIF time, camera, orientation)."""

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
    until,
)

pytestmark = pytest.mark.usefixtures("images_off")


def test_the_details_of_an_imported_test_say_how_its_photos_were_taken(home: Path) -> None:
    mark_first_run_done(home, side="right")
    base = fixed_session(datetime(2025, 5, 27, 8, 15), tonus=72.0, movement=45.0)
    taken = datetime(2025, 5, 27, 8, 14, 2)
    poses = [replace(base.poses[0], photo_taken_at=taken, orientation=1, camera="Apple [b]iPhone[/b] 13")]
    with open_store(home) as store:
        store.add_session(replace(base, poses=poses + base.poses[1:]))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await open_results(pilot)
            await pilot.press("m")
            details = app.screen.query_one("#details")
            await until(pilot, lambda: details.display, "the measurement details")
            text = screen_text(app, "#details")
            assert (
                "Photos taken 27 May 2025 08:14, with Apple [b]iPhone[/b] 13, orientation upright (EXIF 1)."
                in text
            )

    run(body())
