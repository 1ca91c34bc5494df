"""The steady footer: rebuilt when the keys it shows change, left alone when they are the same."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets._footer import FooterKey
from ui_helpers import run, until

from journal.ui.footer import TonusFooter


class Keys(Screen[None]):
    """Two keys; `save` is offered only while `can_save`; two inputs to move the focus between."""

    BINDINGS = [Binding("f2", "save", "Save"), Binding("f3", "close", "Close")]
    can_save = True

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield Input(id="other")
        yield TonusFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and not self.can_save else True  # None: shown greyed out

    def action_save(self) -> None:
        """Nothing to save in the test."""

    def action_close(self) -> None:
        """Nothing to close in the test."""


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def keys_shown(app: App[Any]) -> dict[str, bool]:
    """Each key the footer shows, and whether it is offered (not greyed out)."""
    return {k.key: not k.has_class("-disabled") for k in app.screen.query(FooterKey)}


def test_the_footer_keeps_its_keys_when_nothing_changed_and_redraws_a_change() -> None:
    async def body() -> None:
        app = KeysApp()
        async with app.run_test() as pilot:
            await until(pilot, lambda: keys_shown(app).get("f2") is True, "the keys")
            footer = app.screen.query_one(TonusFooter)
            first = list(app.screen.query(FooterKey))
            app.screen.query_one("#other", Input).focus()  # the bindings are refreshed, the keys the same
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
            assert list(app.screen.query(FooterKey)) == first  # the same widgets: nothing rebuilt
            assert all(k.is_attached for k in first)

            screen = app.screen
            assert isinstance(screen, Keys)
            screen.can_save = False
            screen.refresh_bindings()
            await until(pilot, lambda: keys_shown(app).get("f2") is False, "save greyed out")
            assert keys_shown(app)["f3"] is True
            assert footer.is_attached and not any(k.is_attached for k in first)  # rebuilt for the change

    run(body())
