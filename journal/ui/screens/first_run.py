"""First run: the affected side and onset date (both skippable), the face model, the camera."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, RadioButton, RadioSet, Static

from journal.signals.safety import NOT_A_DIAGNOSIS, RED_FLAGS
from journal.ui.screens.base import error_text, services_of, with_store

_URL = re.compile(r"https?://\S+")


def without_urls(text: str) -> str:
    """The text with each web address shortened to its host ("storage.googleapis.com").

    A download URL is longer than the dialog is wide at 80 columns and would break mid-word; the host says
    where from, and `tonus model install` in the CLI prints the whole address.
    """
    return _URL.sub(lambda m: urlsplit(m.group(0)).hostname or m.group(0), text)


class FirstRunScreen(ModalScreen[None]):
    """A few questions before the first test. Everything can be skipped and changed later."""

    BINDINGS = [Binding("escape", "skip", "Skip for now"), Binding("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(classes="dialog wide", id="first-run"):
            yield Label("[b]Welcome to Tonus[/b]: a few questions, all skippable (Esc).")
            yield Static(f"{NOT_A_DIAGNOSIS} {RED_FLAGS}", id="red-flags", classes="hint", markup=False)
            yield Label("Which side of your face is affected? (your own left/right)")
            with RadioSet(id="side"):
                yield RadioButton("Left", id="side-left")
                yield RadioButton("Right", id="side-right")
                yield RadioButton("Not sure / skip", id="side-skip", value=True)
            yield Label("When did the palsy begin? (YYYY-MM-DD, optional)")
            yield Input(placeholder="e.g. 2026-10-01", id="onset")
            yield Static("Face model: checking…", id="model")
            with Horizontal(classes="buttons"):
                yield Button("Download the model (3.8 MB)", id="download", disabled=True)
                yield Button("Check the camera", id="camera")
            yield ProgressBar(total=100, id="progress", show_eta=False)
            yield Static("", id="camera-status")
            yield Label("", id="problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Save and continue", id="save", variant="primary")
                yield Button("Skip", id="skip")

    def on_mount(self) -> None:
        """Check the model in the background."""
        self.query_one("#progress", ProgressBar).display = False
        self.check_model()

    @work(thread=True, group="model")
    def check_model(self) -> None:
        """Look for the model and verify it (hashing takes a moment)."""
        status = services_of(self).model_status()
        if status.ok:
            text, can_download = f"Face model: ready ({status.path}).", False
        else:
            text = (
                "Face model: not installed. Download it here (from Google, checked by its SHA-256), "
                "or run `tonus model install --from FILE` with a copy you have."
            )
            can_download = True
        self.app.call_from_thread(self._show_model, text, can_download)

    def _show_model(self, text: str, can_download: bool) -> None:
        self.query_one("#model", Static).update(escape(without_urls(text)))
        button = self.query_one("#download", Button)
        button.disabled = not can_download
        button.display = can_download  # no greyed download button once the model is ready
        if can_download:  # a failed download leaves no half-filled bar behind
            self.query_one("#progress", ProgressBar).display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Route the buttons."""
        if event.button.id == "download":
            event.button.disabled = True
            self.query_one("#progress", ProgressBar).display = True
            self.download()
        elif event.button.id == "camera":
            self.query_one("#camera-status", Static).update("Camera: checking…")
            self.check_camera()
        elif event.button.id == "save":
            self.action_save()
        elif event.button.id == "skip":
            self.action_skip()

    @work(thread=True, exclusive=True, group="model")
    def download(self) -> None:
        """Download the model with a progress bar."""
        bar = self.query_one("#progress", ProgressBar)

        def progress(done: int, total: int | None) -> None:
            if total:
                self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            path = services_of(self).install_model(progress)
        except Exception as exc:
            self.app.call_from_thread(self._show_model, f"Face model: {error_text(exc)}", True)
            return
        self.app.call_from_thread(self._show_model, f"Face model: installed ({path}).", False)

    @work(thread=True, exclusive=True, group="camera")
    def check_camera(self) -> None:
        """Try to open the camera once and release it."""
        from journal.services.weekly import camera_problem, describe_source

        spec = services_of(self).camera or "0"
        problem = camera_problem(spec)
        text = f"Camera ({describe_source(spec)}): " + (problem or "works.")
        if problem:
            text += "\nYou can still test with a video or a folder of photos: `tonus --camera PATH`."
        self.app.call_from_thread(self.query_one("#camera-status", Static).update, text)

    def action_save(self) -> None:
        """Check the answers and save them."""
        self.query_one("#problem", Label).update("")  # an earlier refusal no longer applies
        pressed = self.query_one("#side", RadioSet).pressed_button
        side = {"side-left": "left", "side-right": "right"}.get(pressed.id or "") if pressed else None
        text = self.query_one("#onset", Input).value.strip()
        onset: date | None = None
        if text:
            try:
                onset = datetime.strptime(text, "%Y-%m-%d").date()
            except ValueError:
                self.query_one("#problem", Label).update(f"{text!r} is not a date: write it as YYYY-MM-DD.")
                return
        self.save(side, onset)

    def action_skip(self) -> None:
        """Remember that the questions were seen, change nothing else."""
        self.save(None, None)

    @work(thread=True, exclusive=True, group="journal")
    def save(self, side: str | None, onset: date | None) -> None:
        """Write the profile (marking the first run done) and close."""
        changes: dict[str, object] = {}
        if side:
            changes["affected_side"] = side
        if onset:
            changes["onset"] = onset
        try:
            with_store(services_of(self), lambda s: s.set_profile(**changes))  # type: ignore[arg-type]
        except Exception as exc:
            self.app.call_from_thread(self.query_one("#problem", Label).update, escape(error_text(exc)))
            return
        self.app.call_from_thread(self.dismiss, None)
