"""The guided weekly test: camera preview with a verdict in words, each pose in turn, then save."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, Static
from textual.worker import get_current_worker

from journal.protocol import POSE_NAMES, POSES_BY_NAME
from journal.ui.footer import TonusFooter
from journal.ui.images import image_widget_class, images_enabled
from journal.ui.messages import CameraFailed, FrameAnalysed, PoseCaptured
from journal.ui.screens.base import error_text, services_of
from journal.ui.screens.prompts import Confirm
from journal.ui.screens.weekly_parts import CANNOT_TAKE, DigitsInput, SavingTest, pose_line

if TYPE_CHECKING:
    from journal.services.weekly import WeeklyTest

COUNTDOWN_S = 3
PREVIEW_INTERVAL_S = 0.2


class WeeklyTestScreen(SavingTest):
    """One screen for the whole test. The camera and the landmarker run in a worker it owns."""

    AUTO_FOCUS = ""  # keys drive the test; the camera field is focused with k
    OWNS_CAMERA = True  # the app keeps the other sections closed while this screen is shown
    BINDINGS = [
        Binding("space", "capture", "Capture pose"),
        Binding("k", "camera_field", "Camera"),
        Binding("r", "retake", "Retake"),
        Binding("s", "skip", "Skip pose"),
        Binding("ctrl+s", "save", "Save test", show=False),
        Binding("escape", "cancel", "Cancel test"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.test: WeeklyTest | None = None
        self.pose: str | None = None
        self.phase = "setup"  # setup, preview, countdown, capturing, failed, conditions, saving
        self._capture_request: str | None = None
        self._stills = False  # a photo folder: each pose is taken at once, without a countdown
        self._failed = False  # the camera worker stopped on an error: nothing can be taken
        self._fitted: tuple[int, int] | None = None  # the preview's size in cells
        self._has_pose: Callable[[str], bool] = lambda _pose: True
        self._countdown = 0
        self._skipped: set[str] = set()

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Horizontal(id="test"):
            with Vertical(id="camera-pane"):
                yield Input(placeholder="camera number, video file or folder of photos", id="camera-spec")
                yield self._preview_widget()
                yield Static("Starting the camera…", id="verdict")
            with Vertical(id="pose-pane"):
                yield Static("", id="instruction", classes="banner")
                yield Static("", id="poses")
                with Vertical(id="conditions"):
                    yield Label("How tired are you today, 0 (rested) – 10 (exhausted)? Optional.")
                    yield DigitsInput(placeholder="0–10", id="tiredness", type="integer", max_length=2)
                    yield Label("A note for this week (optional)")
                    yield Input(placeholder="e.g. slept badly, started physiotherapy", id="note")
                    yield Button("Save this test", id="save", variant="primary")
                    yield Label("", id="problem", classes="problem")
        yield TonusFooter()

    def _preview_widget(self) -> Widget:
        if images_enabled():
            widget: Widget = image_widget_class()(id="preview")
            return widget
        return Static("(photos hidden: TONUS_IMAGES=off)", id="preview")

    def on_mount(self) -> None:
        """Fill the camera field and start the camera."""
        services = services_of(self)
        spec = services.camera or "0"
        self.query_one("#camera-spec", Input).value = spec
        self.query_one("#conditions").display = False
        self.show_poses()
        self.start_camera(spec)

    def on_unmount(self) -> None:
        """Leaving the screen stops the camera worker (it releases the camera)."""
        self.workers.cancel_group(self, "camera")

    # Camera

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the camera field restarts the camera with the new choice."""
        if event.input.id == "camera-spec":
            self.set_focus(None)
            self.workers.cancel_group(self, "camera")
            self.start_camera(event.value.strip() or "0")
        elif event.input.id in ("tiredness", "note"):
            self.action_save()

    def action_camera_field(self) -> None:
        """Focus the camera field to choose another webcam, video or folder."""
        if self.phase in ("setup", "preview", "failed"):
            self.query_one("#camera-spec", Input).focus()

    def start_camera(self, spec: str) -> None:
        """Begin the test on a camera, video or folder."""
        from journal.services.weekly import describe_source

        self.phase = "setup"
        self._failed = False
        self.query_one("#verdict", Static).update(f"Opening {escape(describe_source(spec))}…")
        self.run_camera(spec)

    @work(thread=True, exclusive=True, group="camera")
    def run_camera(self, spec: str) -> None:
        """Read frames, analyse them, feed bursts; release the camera when cancelled."""
        from journal.services.weekly import Camera, WeeklyTest, preview_image

        worker = get_current_worker()
        try:
            camera = Camera(spec)
        except Exception as exc:
            self.post_message(CameraFailed(error_text(exc)))
            return
        services = services_of(self)
        if spec != services.camera:  # a camera that opens is remembered for next time
            services.camera = spec
            self.app.call_from_thread(self.app.remember, camera=spec)  # type: ignore[attr-defined]
        test = self.test or WeeklyTest(services.make_landmarker, stream=camera.is_stream)
        test.stream = camera.is_stream
        test.source = camera.kind  # the camera of the last poses taken, if the person changes it
        self.test = test
        self.app.call_from_thread(self._camera_ready, not camera.is_stream, camera.has_pose)
        last_preview = 0.0
        try:
            while not worker.is_cancelled:
                pose = self.pose
                if pose is None:
                    time.sleep(0.05)
                    continue
                if not camera.has_pose(pose):
                    self.post_message(CameraFailed(f"{spec} has no photo for {pose}: press s to skip it."))
                    while self.pose == pose and not worker.is_cancelled:
                        time.sleep(0.05)
                    continue
                frame = camera.read(pose)
                if frame is None:
                    continue
                verdict = test.look(frame, pose)
                if self._capture_request == pose:
                    test.start(pose)
                    self._capture_request = None
                    self.phase = "capturing"
                if self.phase == "capturing" and pose in test.captures:
                    result = test.feed(frame, pose, verdict)
                    if result is not None:
                        self.phase = "preview"
                        self.post_message(PoseCaptured(result))
                now = time.monotonic()
                if now - last_preview >= PREVIEW_INTERVAL_S:
                    last_preview = now
                    picture = preview_image(frame.image[:, ::-1])  # mirrored for display only
                    self.post_message(
                        FrameAnalysed(picture, verdict.advice, verdict.reason is None, camera.position_s)
                    )
                if not camera.is_stream:
                    time.sleep(0.05)  # a still does not change: do not spin
        except Exception as exc:
            self.post_message(CameraFailed(error_text(exc)))
        finally:
            camera.close()
            test.close()

    def _camera_ready(self, stills: bool, has_pose: Callable[[str], bool]) -> None:
        self._stills = stills
        self._has_pose = has_pose
        if self.phase == "setup":
            self.phase = "preview"
            self.next_pose()

    def on_camera_failed(self, message: CameraFailed) -> None:
        """Say what is wrong with the camera, without leaving the screen; s still skips a pose."""
        if self.pose is not None and not self._has_pose(self.pose):
            self.query_one("#verdict", Static).update(f"[b]{escape(message.text)}[/b]")
            return
        self._failed = True
        if self.phase not in ("conditions", "saving"):
            self.phase = "failed"
            self._capture_request = None
            if self.pose is not None:
                self.show_instruction(CANNOT_TAKE)
        self.query_one("#verdict", Static).update(
            f"[b]{escape(message.text)}[/b]\nChange the camera above and press Enter, or Esc to go back."
        )

    def on_frame_analysed(self, message: FrameAnalysed) -> None:
        """Show the newest preview and the verdict in words."""
        from PIL import Image

        preview = self.query_one("#preview")
        if hasattr(preview, "image"):
            height, width = message.image.shape[:2]
            self._fit_preview(preview, width, height)
            preview.image = Image.fromarray(message.image)
        colour = "green" if message.ok else "yellow"
        text = f"[{colour}]{message.advice}[/{colour}]"
        if message.video_at_s is not None:
            text += f"\n[dim]video at {message.video_at_s:.1f} s[/dim]"
        self.query_one("#verdict", Static).update(text)

    def _fit_preview(self, preview: Widget, width: int, height: int) -> None:
        """Size the preview to the frame's aspect ratio inside the space left in the camera pane.

        A cell is about twice as tall as it is wide: a W×H frame needs W cells for every H/2 rows.
        """
        pane = self.query_one("#camera-pane")
        used = sum(w.outer_size.height for w in pane.children if w is not preview and w.display)
        box_w, box_h = pane.content_size.width, max(4, pane.content_size.height - used)
        if box_w <= 0 or width <= 0 or height <= 0:
            return
        cells_w = max(8, min(box_w, round(box_h * 2 * width / height)))
        cells_h = max(4, round(cells_w * height / width / 2))
        if self._fitted != (cells_w, cells_h):
            self._fitted = (cells_w, cells_h)
            preview.styles.width = cells_w
            preview.styles.height = cells_h
            self.call_after_refresh(self.show_poses)  # the relayout can drop a pose-list update

    # Poses

    def show_poses(self) -> None:
        """Redraw the pose list."""
        results = self.test.results if self.test else {}
        lines = [
            pose_line(p, results.get(p), p == self.pose)
            + ("  [dim]skipped[/dim]" if p in self._skipped else "")
            for p in POSE_NAMES
        ]
        self.query_one("#poses", Static).update("\n".join(lines))

    def next_pose(self) -> None:
        """Move to the first pose not yet done or skipped, or to the conditions form."""
        results = self.test.results if self.test else {}
        self.pose = next(
            (p for p in POSE_NAMES if p not in self._skipped and not (p in results and results[p].ok)),
            None,
        )
        if self.pose is None:
            self.show_conditions()
        else:
            if self.phase in ("countdown", "capturing"):
                self.phase = "preview"
            self.show_instruction()
        self.show_poses()

    def show_instruction(self, extra: str = "") -> None:
        """Show what to do for the current pose."""
        assert self.pose is not None
        text = POSES_BY_NAME[self.pose].instruction
        if not extra and not self._has_pose(self.pose):
            extra = "There is no photo of this pose in the folder: press s to skip it."
        elif not extra and self.phase == "failed":
            extra = CANNOT_TAKE
        elif not extra:
            extra = (
                "Press space to take the photo."
                if self._stills
                else "Press space when ready (a 3-second countdown)."
            )
        self.query_one("#instruction", Static).update(f"[b]{self.pose}[/b]: {text}.\n{extra}")

    def action_capture(self) -> None:
        """Count down, then capture a burst of the current pose."""
        if self.phase != "preview" or self.pose is None or not self._has_pose(self.pose):
            return
        if self._stills:  # a photo is taken as it is, at once
            self.phase = "capturing"
            self.show_instruction("[b]Reading the photo…[/b]")
            self._capture_request = self.pose
            return
        self.phase = "countdown"
        self._countdown = COUNTDOWN_S
        self.show_instruction(f"[b]{self._countdown}…[/b]")
        self.set_timer(1.0, self._tick)

    def _tick(self) -> None:
        if self.phase != "countdown" or self.pose is None:
            return
        self._countdown -= 1
        if self._countdown > 0:
            self.show_instruction(f"[b]{self._countdown}…[/b]")
            self.set_timer(1.0, self._tick)
        else:
            self.show_instruction("[b]Hold it…[/b]")
            self._capture_request = self.pose

    def on_pose_captured(self, message: PoseCaptured) -> None:
        """Show the pose's result and go on (or stay for a retake when it failed)."""
        result = message.result
        if result.pose != self.pose or result.pose in self._skipped:
            if self.test is not None:  # the pose was skipped while its take ran: leave it out
                self.test.forget(result.pose)
            return
        if result.ok:
            used = "1 photo used" if self._stills else f"{result.frames_used} frames used"
            self.notify(f"{result.pose}: {used}.", timeout=2)
            self.next_pose()
        else:
            self.show_instruction(f"[red]{result.note}[/red]")
            self.show_poses()

    def action_retake(self) -> None:
        """Try the current pose again after a failed burst, or go back to the last pose taken."""
        if self.test is None or self.phase not in ("preview", "conditions"):
            return
        results = self.test.results
        if self.pose is not None and self.pose in results and not results[self.pose].ok:
            results.pop(self.pose)
        else:
            done = [p for p in POSE_NAMES if p in results and results[p].ok]
            if not done and self._skipped:  # everything was skipped: take the last one after all
                self._skipped.discard([p for p in POSE_NAMES if p in self._skipped][-1])
                self.query_one("#conditions").display = False
                self.phase = "failed" if self._failed else "preview"
                self.next_pose()
                return
            if not done:
                return
            before = [
                p for p in done if self.pose is None or POSE_NAMES.index(p) < POSE_NAMES.index(self.pose)
            ]
            results.pop((before or done)[-1])
        self.query_one("#conditions").display = False
        self.phase = "failed" if self._failed else "preview"
        self.next_pose()

    def action_skip(self) -> None:
        """Leave this pose out of this week's test: works before, during and after a take."""
        if self.pose is None or self.phase in ("conditions", "saving"):
            return
        self._capture_request = None
        self._skipped.add(self.pose)
        if self.test is not None:
            self.test.forget(self.pose)
        self.next_pose()

    # Saving

    def action_cancel(self, then: Callable[[], object] | None = None) -> None:
        """Leave the test, asking first when poses were taken; nothing is saved. Then call `then`."""
        if self.phase == "saving":
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.workers.cancel_group(self, "camera")
                self.app.pop_screen()
                if then is not None:
                    then()

        taken = self.test is not None and any(r.ok for r in self.test.results.values())
        if taken:
            self.app.push_screen(Confirm("Discard this test? Nothing has been saved yet."), answered)
        else:
            answered(True)
