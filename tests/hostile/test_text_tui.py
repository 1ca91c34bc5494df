"""The TUI shows stored control characters as signs and a note's trailing backslash as written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from hostile_helpers import has_escape  # noqa: E402
from store_like import add_raw_entry_and_event  # noqa: E402
from ui_helpers import NOW, SIZE, make_services, mark_first_run_done, new_app, run, screen_text, settle, until  # noqa: E402

from journal.ui.rowtable import RowTable  # noqa: E402
from journal.ui.screens.charts import ChartsScreen  # noqa: E402
from journal.ui.screens.home import HomeScreen  # noqa: E402
from journal.ui.screens.journal import JournalScreen  # noqa: E402

NOTE = "felt \x1b]0;pwned\x07 odd \x1b[2J\\"
LABEL = "physio \x1b]52;c;eA==\x07"


@pytest.fixture(autouse=True)
def images_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_IMAGES", "off")


def test_home_journal_and_charts_show_signs_not_escapes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mark_first_run_done(home, side="right")
    add_raw_entry_and_event(home, NOTE, LABEL, at=NOW.replace(hour=7, minute=0))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "odd" in screen_text(app, "#today"), "the note on Home")
            today = screen_text(app, "#today")
            assert not has_escape(today)
            assert "[/dim]" not in today and today.rstrip().replace("\u200b", "").endswith("\\")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
            await settle(pilot)
            await pilot.press("j")
            await until(pilot, lambda: isinstance(app.screen, JournalScreen), "Journal")
            await settle(pilot)
            entries = app.screen.query_one("#entries", RowTable)
            await until(pilot, lambda: "odd" in entries.render_line(1).text, "the note in the table")
            assert not has_escape(entries.render_line(1).text)
            events = app.screen.query_one("#events", RowTable)
            assert "physio" in events.render_line(1).text and not has_escape(events.render_line(1).text)
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, ChartsScreen), "Charts")
            await until(pilot, lambda: "physio" in screen_text(app, "#chart-legend"), "the legend")
            assert not has_escape(screen_text(app, "#chart-legend"))

    run(body())
