"""Forms for the journal: a sensation entry (add or edit) and an event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from journal.ui.screens.base import error_text, scale_0_to_10, services_of, with_store

if TYPE_CHECKING:
    from journal.store import Store

#: What a form does with its values in the journal (runs in a worker; raises to refuse them).
Writer = Callable[[Any], Callable[["Store"], object]]

SENSATIONS = (
    "vibration", "itching", "twitching", "tingling", "tightness", "pain", "tearing", "dry_eye", "taste",
    "sound_sensitivity", "other",
)  # fmt: skip
SIDES = ("left", "right", "both")
WHERE = ("brow", "eye", "cheek", "mouth", "ear", "other")
EVENT_KINDS = ("medication", "therapy", "milestone", "appointment")


@dataclass(frozen=True)
class EntryValues:
    """What the entry form returns."""

    at: datetime
    sensation: str
    intensity: int
    side: str | None
    where: str | None
    note: str | None


@dataclass(frozen=True)
class EventValues:
    """What the event form returns."""

    at: datetime
    kind: str
    label: str


def parse_time(text: str) -> datetime | None:
    """Parse "YYYY-MM-DD HH:MM" or "YYYY-MM-DD"; None when it does not parse."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def _options(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v.replace("_", " "), v) for v in values]


class _Form(ModalScreen[Any]):
    """Shared behaviour: ctrl+s or the Save button submits, Escape cancels.

    With a `writer`, the form saves its values itself and closes only once they are stored: when the
    journal refuses them (a time in the future, say) the sentence shows and the typed input stays.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Save")]
    writer: Writer | None = None
    _saving = False

    def commit(self, values: Any) -> None:
        """Close with `values`, after storing them when the form has a writer."""
        if self.writer is None:
            self.dismiss(values)
        elif not self._saving:
            self._saving = True
            self.problem("Saving…")
            self._write(values)

    @work(thread=True, exclusive=True, group="form-write")
    def _write(self, values: Any) -> None:
        assert self.writer is not None
        action = self.writer(values)
        try:
            with_store(services_of(self), action)
        except Exception as exc:
            self.app.call_from_thread(self._refused, error_text(exc))
            return
        self.app.call_from_thread(self.dismiss, values)

    def _refused(self, text: str) -> None:
        self._saving = False
        self.problem(f"Not saved: {text}")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def problem(self, text: str) -> None:
        """Say what is wrong in one sentence (shown as written, never as markup)."""
        self.query_one("#problem", Label).update(Text(text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or cancel."""
        if event.button.id == "save":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        """Enter in any field saves."""
        self.action_submit()

    def action_submit(self) -> None:
        """Check the fields and close with the values."""
        raise NotImplementedError

    def buttons(self) -> ComposeResult:
        """The problem line and the buttons."""
        yield Label("", id="problem", classes="problem")
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary")
            yield Button("Cancel", id="cancel")


class EntryForm(_Form):
    """Add or edit a sensation: what, how strong (0–10), where, when, a note."""

    def __init__(self, now: datetime, entry: Any | None = None, writer: Writer | None = None) -> None:
        super().__init__()
        self.now = now
        self.entry = entry
        self.writer = writer

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        e = self.entry
        with Vertical(classes="dialog wide"):
            yield Label("[b]Edit the entry [/b]" if e else "[b]New entry [/b](Esc cancels)")
            yield Select(_options(SENSATIONS), value=e.sensation if e else "twitching", id="sensation",
                         allow_blank=False)  # fmt: skip
            yield Input(str(e.intensity) if e else "", placeholder="intensity 0–10", id="intensity")
            yield Select(_options(SIDES), value=e.side if e and e.side else Select.NULL, id="side",
                         prompt="side (optional)")  # fmt: skip
            yield Select(_options(WHERE), value=e.where if e and e.where else Select.NULL, id="where",
                         prompt="where (optional)")  # fmt: skip
            when = (e.at if e else self.now).strftime("%Y-%m-%d %H:%M")
            yield Input(when, placeholder="YYYY-MM-DD HH:MM", id="at")
            yield Input(e.note or "" if e else "", placeholder="note (optional)", id="note")
            yield from self.buttons()

    def action_submit(self) -> None:
        """Check and return the entry's values."""
        text = self.query_one("#intensity", Input).value.strip()
        intensity = scale_0_to_10(text)
        if intensity is None:
            self.problem(f"Intensity {text or '(empty)'} is not a whole number from 0 to 10.")
            return
        at = parse_time(self.query_one("#at", Input).value)
        if at is None:
            self.problem("The time does not parse: write it as YYYY-MM-DD HH:MM.")
            return

        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        sensation = chosen("#sensation") or "other"
        note = self.query_one("#note", Input).value.strip() or None
        self.commit(EntryValues(at, sensation, intensity, chosen("#side"), chosen("#where"), note))


class EventForm(_Form):
    """Add or edit an event that marks the charts."""

    def __init__(self, now: datetime, event: Any | None = None, writer: Writer | None = None) -> None:
        super().__init__()
        self.now = now
        self.event = event
        self.writer = writer

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        e = self.event
        with Vertical(classes="dialog wide"):
            yield Label("[b]Edit the event [/b]" if e else "[b]New event [/b](marks the charts; Esc cancels)")
            yield Select(_options(EVENT_KINDS), value=e.kind if e else "milestone", id="kind",
                         allow_blank=False)  # fmt: skip
            yield Input(e.label if e else "", placeholder='e.g. "first movement of the mouth corner"',
                        id="label")  # fmt: skip
            yield Input((e.at if e else self.now).strftime("%Y-%m-%d"), placeholder="YYYY-MM-DD", id="at")
            yield from self.buttons()

    def action_submit(self) -> None:
        """Check and return the event's values."""
        label = self.query_one("#label", Input).value.strip()
        if not label:
            self.problem("Give the event a label, e.g. physiotherapy starts.")
            return
        at = parse_time(self.query_one("#at", Input).value)
        if at is None:
            self.problem("The date does not parse: write it as YYYY-MM-DD.")
            return
        kind = self.query_one("#kind", Select).value
        self.commit(EventValues(at, kind if isinstance(kind, str) else "milestone", label))
