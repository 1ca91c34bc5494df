"""A quick-log entry the journal refuses says it was not saved and keeps the intensity typed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from textual.widgets import Input, Label  # noqa: E402
from ui_helpers import SIZE, make_services, mark_first_run_done, new_app, open_store, run, settle, until  # noqa: E402

from journal.store import JournalLockedError, Store  # noqa: E402
from journal.ui.screens.prompts import IntensityPrompt  # noqa: E402


def test_a_refused_quick_log_says_not_saved_and_keeps_what_was_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    mark_first_run_done(home)

    def held(self: Store, *args: object, **kwargs: object) -> int:
        raise JournalLockedError(
            "Cannot save the entry: the journal is open in another tonus (PID 4242): close that Tonus "
            "window or wait for it to finish, then try again.",
            4242,
        )

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            monkeypatch.setattr(Store, "add_entry", held)
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, IntensityPrompt), "the intensity prompt")
            await pilot.press("7", "enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, IntensityPrompt) and app.screen.typed == "7",
                "the prompt again, with 7 in it",
            )
            await settle(pilot)
            assert app.screen.query_one("#intensity", Input).value == "7"
            problem = str(app.screen.query_one("#problem", Label).render())
            assert "Not saved" in problem and "PID 4242" in problem
            monkeypatch.undo()
            await pilot.press("enter")  # the journal is free again: Enter saves what was kept
            await until(pilot, lambda: not isinstance(app.screen, IntensityPrompt), "Home again")
            await settle(pilot)

    run(body())
    with open_store(home) as store:
        assert [(e.sensation, e.intensity) for e in store.entries()] == [("vibration", 7)]
