"""Pieces of the weekly test screen: its sentences, the pose list line, the tiredness field, saving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, work
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from journal.ui.messages import JournalFailed, SessionSaved
from journal.ui.screens.base import error_text, scale_0_to_10, services_of, with_store
from journal.ui.screens.prompts import Confirm

if TYPE_CHECKING:
    from journal.services.weekly import PoseResult, WeeklyTest

CANNOT_TAKE = (
    "No photo can be taken now (why is on the left): change the camera (k), skip this pose (s) or Esc."
)
NO_REST_QUESTION = (
    "This test has no rest photo, so its tonus and movement cannot be scored and it will not be "
    "compared with other weeks. Save it anyway? (n goes back: r retakes a pose)"
)


def pose_line(pose: str, result: PoseResult | None, current: bool) -> str:
    """One line of the pose list: a mark, the pose, its result."""
    mark = "▶" if current else " "
    if result is None:
        return f"{mark} {pose:<12} [dim]…[/dim]"
    if not result.ok:
        return f"{mark} {pose:<12} [red]✗[/red] {result.note or ''}"
    move = f"  movement {result.movement.score:.0f}" if result.movement else ""
    sym = f"symmetry {result.symmetry:.0f}" if result.symmetry is not None else ""
    return f"{mark} {pose:<12} [green]✓[/green] {sym}{move}"


class DigitsInput(Input):
    """A number field that lets letter keys through to the screen's bindings (r retakes a pose)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Only digits are typed into the field."""
        return character is not None and character.isdecimal()

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and not (event.character or "").isdecimal():
            event.prevent_default()  # Input's own handler would take it; it bubbles to the bindings
            return
        await super()._on_key(event)


class SavingTest(Screen[None]):
    """The end of the weekly test: the conditions form, the question when rest is missing, saving."""

    test: WeeklyTest | None
    phase: str

    def show_conditions(self) -> None:
        """All poses done: ask about the conditions, then save."""
        self.phase = "conditions"
        if self.test is None or not any(r.ok for r in self.test.results.values()):
            self.query_one("#instruction", Static).update(
                "[b]No pose was taken, so there is nothing to save. [/b]"
                "r goes back to a pose; Esc leaves the test."
            )
            return
        self.query_one("#instruction", Static).update(
            "[b]All poses done. [/b]A short check of conditions, then save (Enter or ctrl+s)."
        )
        self.query_one("#conditions").display = True
        tiredness = self.query_one("#tiredness", Input)
        tiredness.focus()
        self.call_after_refresh(tiredness.scroll_visible)  # at 80x24 the form starts below the fold

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The save button."""
        if event.button.id == "save":
            self.action_save()

    def action_save(self) -> None:
        """Check the conditions and save the whole test in one transaction."""
        if self.phase != "conditions" or self.test is None:
            return
        text = self.query_one("#tiredness", Input).value.strip()
        tiredness = scale_0_to_10(text) if text else None
        if text and tiredness is None:
            self.query_one("#problem", Label).update(f"Tiredness {text!r} is not 0–10.")
            return
        if not any(r.ok for r in self.test.results.values()):
            self.query_one("#problem", Label).update("No pose was captured: nothing to save.")
            return
        note = self.query_one("#note", Input).value.strip() or None
        if self.test.has_rest():
            self._save_now(tiredness, note)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_now(tiredness, note)

        self.app.push_screen(Confirm(NO_REST_QUESTION), answered)

    def _save_now(self, tiredness: int | None, note: str | None) -> None:
        if self.phase != "conditions":
            return
        self.phase = "saving"
        self.workers.cancel_group(self, "camera")
        self.save(tiredness, note)

    @work(thread=True, exclusive=True, group="journal")
    def save(self, tiredness: int | None, note: str | None) -> None:
        """Store the session, then open the results."""
        assert self.test is not None
        services = services_of(self)
        try:
            profile = with_store(services, lambda s: s.get_profile())
            side = profile.affected_side if profile.affected_side in ("left", "right") else None
            self.test.affected = side  # type: ignore[assignment]
            session = self.test.session(services.now().replace(microsecond=0), tiredness, note)
            session_id = with_store(services, lambda s: s.add_session(session))
            with_store(services, lambda s: s.auto_backup())  # a rolling backup; never fails the save
        except Exception as exc:
            self.phase = "conditions"
            self.post_message(JournalFailed(error_text(exc)))
            return
        self.post_message(SessionSaved(session_id))

    def on_journal_failed(self, message: JournalFailed) -> None:
        """Saving failed: say why; the test stays on screen to try again."""
        self.query_one("#problem", Label).update(f"Not saved: {escape(message.text)}")

    def on_session_saved(self, message: SessionSaved) -> None:
        """Replace this screen with the results."""
        from journal.ui.screens.results import ResultsScreen

        self.app.switch_screen(ResultsScreen(message.session_id))
