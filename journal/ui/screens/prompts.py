"""Small dialogs: an intensity prompt and a yes/no confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from journal.ui.screens.base import scale_0_to_10


class IntensityPrompt(ModalScreen[int | None]):
    """Ask how strong a sensation is, 0–10; Enter logs it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, sensation: str, typed: str = "", problem: str = "") -> None:
        super().__init__()
        self.sensation = sensation
        self.typed = typed  # shown again after a failed save, so nothing typed is lost
        self.problem = problem  # markup: the caller escapes a person's words and error text

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(classes="dialog"):
            yield Label(f"[b]{self.sensation.replace('_', ' ').title()}[/b]: how strong, 0–10?")
            yield Input(
                self.typed, placeholder="0–10, then Enter", id="intensity", type="integer", max_length=2
            )
            yield Label(self.problem, id="problem", classes="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Accept a whole number from 0 to 10."""
        text = event.value.strip()
        intensity = scale_0_to_10(text)
        if intensity is not None:
            self.dismiss(intensity)
        else:
            problem = (
                f"{text} is not 0–10: type a number." if text else "Type a number from 0 to 10, then Enter."
            )
            self.query_one("#problem", Label).update(Text(problem))

    def action_cancel(self) -> None:
        """Close without logging."""
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Ask a yes/no question: y confirms, n or Escape declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(classes="dialog"):
            yield Label(self.question, markup=False)  # a label or note in it is shown as written
            yield Label("[b]y [/b]yes   [b]n [/b]no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
