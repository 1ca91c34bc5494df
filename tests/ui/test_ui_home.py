"""Home: the first-run questions on a new journal, the due text, latest scores, quick logging."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fakes import fixed_session
from textual.widgets import Label
from ui_helpers import (
    NOW,
    SIZE,
    make_services,
    mark_first_run_done,
    new_app,
    open_store,
    run,
    screen_text,
    settle,
    text,
    until,
)

from journal.ui.screens.first_run import FirstRunScreen
from journal.ui.screens.home import HomeScreen
from journal.ui.screens.prompts import IntensityPrompt

pytestmark = pytest.mark.usefixtures("images_off")


def test_first_run_appears_on_a_new_journal(home: Path) -> None:
    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run questions")
            await settle(pilot)
            assert "Welcome to Tonus" in text(app.screen.query(Label).first())
            assert isinstance(app.screen_stack[0], HomeScreen)

    run(body())


def test_first_run_is_shown_once_and_escape_returns_to_home(home: Path) -> None:
    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run questions")
            await settle(pilot)
            await pilot.pause(0.1)
            assert [type(s) for s in app.screen_stack] == [HomeScreen, FirstRunScreen]
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after Esc", timeout=2)

    run(body())


def test_escape_skips_the_first_run_for_good(home: Path) -> None:
    def profile_seen() -> bool:
        with open_store(home) as store:
            return store.get_profile().updated_at is not None

    async def skip() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run questions")
            await settle(pilot)
            assert not profile_seen()
            await pilot.press("escape")
            await until(pilot, profile_seen, "the skip to be saved")
            await settle(pilot)

    async def again() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home's due text")
            await settle(pilot)
            await pilot.pause(0.1)
            assert [type(s) for s in app.screen_stack] == [HomeScreen]
            assert "Affected side not set" in screen_text(app, "#due")

    run(skip())
    with open_store(home) as store:
        profile = store.get_profile()
    assert (profile.affected_side, profile.onset) == (None, None)  # Esc changed nothing else
    run(again())


def test_due_text_and_latest_scores_follow_the_stored_tests(home: Path) -> None:
    mark_first_run_done(home, side="right")

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "the due text")
            assert "Affected side: right." in screen_text(app, "#due")
            assert "no score yet" in screen_text(app, "#tonus")
            assert "no score yet" in screen_text(app, "#movement")
            assert "Nothing logged today." in screen_text(app, "#today")

            with open_store(home) as store:
                store.add_session(fixed_session(NOW - timedelta(days=10), tonus=70.0, movement=40.0))
                store.add_session(fixed_session(NOW - timedelta(days=3, hours=2), tonus=85.0, movement=60.0))
            await pilot.press("r")  # Home's refresh key
            await until(pilot, lambda: "Last test 3 days ago" in screen_text(app, "#due"), "the new due text")
            assert "next one in 4 days" in screen_text(app, "#due")
            tonus, movement = screen_text(app, "#tonus"), screen_text(app, "#movement")
            assert "85.0 / 100" in tonus
            # Two tests: no noise of the person's own yet, so the typical figure, said to be typical.
            assert "+15.0 since 31 May, beyond noise" in tonus
            assert "typical noise ±4.2" in tonus
            assert "60.0 / 100" in movement
            assert "+20.0 since 31 May, beyond noise" in movement
            assert "typical noise ±11.1" in movement

    run(body())


def test_a_test_eight_days_ago_is_due(home: Path) -> None:
    mark_first_run_done(home)
    with open_store(home) as store:
        store.add_session(fixed_session(NOW - timedelta(days=8), tonus=80.0, movement=50.0))

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "Last test" in screen_text(app, "#due"), "the due text")
            assert "Last test 8 days ago: your weekly test is due (press t)." in screen_text(app, "#due")
            assert "80.0 / 100" in screen_text(app, "#tonus")

    run(body())


def test_quick_log_v_5_enter_stores_an_entry_and_shows_it_under_today(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home")
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, IntensityPrompt), "the intensity prompt")
            assert "Vibration" in text(app.screen.query(Label).first())
            await pilot.press("5", "enter")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home again")
            await until(
                pilot, lambda: "vibration 5/10" in screen_text(app, "#today"), "the entry under Today"
            )
            assert "09:00  vibration 5/10" in screen_text(app, "#today")
            await settle(pilot)

        with open_store(home) as store:
            entries = store.entries()
        assert [(e.at, e.sensation, e.intensity) for e in entries] == [(NOW, "vibration", 5)]

    run(body())


def test_quick_log_refuses_intensity_12_and_escape_cancels(home: Path) -> None:
    mark_first_run_done(home)

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "No test yet" in screen_text(app, "#due"), "Home")
            await pilot.press("w")
            await until(pilot, lambda: isinstance(app.screen, IntensityPrompt), "the intensity prompt")
            await pilot.press("1", "2", "enter")
            await until(pilot, lambda: "12 is not 0–10" in screen_text(app, "#problem"), "the problem")
            assert isinstance(app.screen, IntensityPrompt)  # still asking
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after Esc")
            await settle(pilot)
            assert "Nothing logged today." in screen_text(app, "#today")

            await pilot.press("i")  # Esc straight away cancels too
            await until(pilot, lambda: isinstance(app.screen, IntensityPrompt), "the prompt again")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home after Esc")
            await settle(pilot)

        with open_store(home) as store:
            assert store.entries() == []

    run(body())


def test_home_says_how_many_weeks_since_onset(home: Path) -> None:
    mark_first_run_done(home, side="left")
    with open_store(home) as store:
        store.set_profile(onset=(NOW - timedelta(days=45)).date())

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "since onset" in screen_text(app, "#due"), "the weeks since onset")
            assert "Affected side: left. 6 weeks since onset (26 Apr 2025)." in screen_text(app, "#due")

    run(body())
