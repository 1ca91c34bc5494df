"""Safety prompts and the lead-lag line on Home, red flags in Help and on first run, the Report key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static
from ui_helpers import NOW, SIZE, make_services, mark_first_run_done, new_app, open_store, run, settle, until

from journal.services.demo import load_samples
from journal.ui.screens.first_run import FirstRunScreen
from journal.ui.screens.help import HELP

pytestmark = pytest.mark.usefixtures("images_off")
SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_sessions"


def _sample_home(home: Path) -> Path:
    with open_store(home) as store:
        load_samples(store, SAMPLES, None, today=NOW.date(), photos=True)
    return home


def _shown(app: object, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.visual.plain) if widget.display else ""


def test_home_shows_the_eye_prompt_and_what_the_sensations_foretold(home: Path) -> None:
    _sample_home(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot, lambda: "Your left eye does not fully close" in _shown(app, "#safety"), "safety"
            )
            assert "moisture chamber" in _shown(app, "#safety")
            assert "Twitching rose about 3 weeks before movement" in _shown(app, "#leadlag")

    run(body())


def test_home_is_silent_without_tests(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot, lambda: "No test yet" in str(app.screen.query_one("#due", Static).visual), "due"
            )
            await settle(pilot)
            assert _shown(app, "#safety") == "" and _shown(app, "#leadlag") == ""

    run(body())


def test_help_and_first_run_name_the_red_flags(home: Path) -> None:
    assert "not a diagnosis" in HELP and "arm or leg" in HELP and "`p`" in HELP

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run questions")

            def flags() -> str:
                return str(app.screen.query_one("#red-flags", Static).visual)

            await until(pilot, lambda: "swallowing" in flags(), "the red flags")  # once composed
            assert "not a diagnosis" in flags()
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, FirstRunScreen), "first run closed")
            await pilot.press("question_mark")
            await until(pilot, lambda: bool(app.screen.query(Markdown)), "help")

    run(body())


def test_the_report_key_writes_a_private_report_and_says_where(home: Path) -> None:
    _sample_home(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("p")
            report = home / "reports" / f"tonus-report-{NOW:%Y-%m-%d}.html"
            said = lambda: any(str(report) in str(n.message) for n in app._notifications)  # noqa: E731
            await until(pilot, said, "the report's path", timeout=30)
            assert report.is_file() and stat.S_IMODE(report.stat().st_mode) == 0o600
            assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
            assert "Your left eye does not fully close" in report.read_text()

    run(body())
