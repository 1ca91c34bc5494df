"""Results of a saved test: scores against last week and the first test, photos, notes in words."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from journal.protocol import REGIONS
from journal.ui.footer import TonusFooter
from journal.ui.images import image_widget_class, images_enabled
from journal.ui.messages import JournalFailed
from journal.ui.screens.base import error_text, hidden, services_of, show_if_attached, with_store

if TYPE_CHECKING:
    from journal.store import Scores, Store, TestSession


@dataclass
class ResultsLoaded:
    """What the results screen shows, read in a worker."""

    session: TestSession
    scores: Scores | None
    previous: tuple[TestSession, Scores | None] | None
    first: tuple[TestSession, Scores | None] | None
    photo_now: bytes | None
    photo_before: bytes | None
    noise: dict[str, Any] = field(default_factory=dict)  # the recovery signal's, by score
    safety: list[str] = field(default_factory=list)  # safety prompts for this test
    capture: str = ""  # an imported test's photo EXIF conditions, in words


def _read(store: Store, session_id: int) -> ResultsLoaded:
    from journal.services.dashboard import noise_of, recovery_from_store
    from journal.signals.safety import safety_from_store

    noise = noise_of(recovery_from_store(store))
    safety = [n.line() for n in safety_from_store(store, session_id, noise)]
    sessions = store.sessions()
    index = next(i for i, s in enumerate(sessions) if s.id == session_id)
    session = sessions[index]
    prev = sessions[index - 1] if index > 0 else None
    first = sessions[0] if index > 1 else None
    capture = store.capture_conditions(session_id).get(session_id)
    return ResultsLoaded(
        session=session,
        scores=store.session_scores(session_id),
        previous=(prev, store.session_scores(prev.id)) if prev else None,
        first=(first, store.session_scores(first.id)) if first else None,
        photo_now=store.key_photo(session_id, "rest"),
        photo_before=store.key_photo(prev.id, "rest") if prev else None,
        noise=noise,
        safety=safety,
        capture=capture.describe() if capture else "",
    )


def _delta(now: float | None, then: float | None) -> str:
    if now is None or then is None:
        return "–"
    return f"{round(now, 1) - round(then, 1):+.1f}"  # from the rounded values shown beside it


def _noted(tiredness: int | None, note: str | None) -> str:
    """What the person noted with the test, shown as written."""
    parts = []
    if tiredness is not None:
        parts.append(f"tiredness {tiredness} of 10")
    if note:
        parts.append(f"“{escape(note)}”")
    return f"\nYou noted: {', '.join(parts)}." if parts else ""


def _side_words(side: str | None, source: str) -> str:
    """The affected side in words, and where it comes from."""
    if side not in ("left", "right"):
        return "Affected side: not clear from this test."
    why = "as you told Tonus" if source == "given" else "Tonus's guess from this test"
    return f"Affected side: your {side} ({why})."


def _details(s: Scores, before: Scores | None) -> str:
    """The numbers behind the sentences: millimetres per side, scores per pose, the scorer."""
    rest = s.poses.get("rest")
    rows = [
        "[b]Measurement details[/b] (m hides them)",
        f"{'At rest, mm (your sides)':<26}{'left':>8}{'right':>8}{'left − right':>14}",
    ]
    names = {"brow": "brow height", "eye": "eye opening", "midface": "cheek height", "mouth": "mouth corner"}
    if rest is not None:
        for r in REGIONS:
            if r in rest.regions:
                left, right = (round(v, 1) for v in rest.regions[r])
                rows.append(f"  {names[r]:<24}{left:>8.1f}{right:>8.1f}{left - right:>+14.1f}")
    rows.append("")
    rows.append(f"{'Per pose':<16}{'evenness':>9}{'movement':>10}{'mm left/right':>16}{'vs last':>9}")
    for pose, ps in s.poses.items():
        sym = f"{ps.symmetry:>9.0f}" if ps.symmetry is not None else f"{'–':>9}"
        move = f"{ps.movement:>10.0f}" if ps.movement is not None else f"{'–':>10}"
        travel = (
            f"{ps.movement_left:.1f} / {ps.movement_right:.1f}"
            if ps.movement_left is not None and ps.movement_right is not None
            else "–"
        )
        old = before.poses.get(pose) if before else None
        change = _delta(ps.movement, old.movement) if old else "–"
        rows.append(f"  {pose:<14}{sym}{move}{travel:>16}{change:>9}")
    rows.append("– means not measured: no rest photo to compare with, or too little movement.")
    rows.append(f"Scored by {s.scorer_version}; the affected side is {s.affected_side_source}.")
    return "\n".join(rows)


class ResultsScreen(Screen[None]):
    """Shown after a test is saved, and from History."""

    BINDINGS = [
        Binding("escape,enter", "close", "Done"),
        Binding("m", "details", "Measurement details"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with VerticalScroll(id="results"):
            yield Static("Loading results…", id="summary", classes="banner")
            yield hidden(Static("", id="safety", classes="card"))
            with Horizontal(id="photos"):
                with Vertical(classes="photo"):
                    yield Static("[b]Rest, this test[/b]", id="photo-now-title")
                    yield self._image("photo-now")
                with Vertical(classes="photo"):
                    yield Static("[b]Rest, previous test[/b]", id="photo-before-title")
                    yield self._image("photo-before")
            yield Static("", id="regions", classes="card")
            yield Static("", id="poses-table", classes="card")
            yield Static("", id="notes", classes="card")
            yield Static("", id="details", classes="card")
        yield TonusFooter()

    def _image(self, widget_id: str) -> Widget:
        if images_enabled():
            widget: Widget = image_widget_class()(id=widget_id, classes="photo-image")
            return widget
        return Static("(photos hidden)", id=widget_id)

    def on_mount(self) -> None:
        """Read the session in a worker; the measurement details stay hidden until m."""
        self.query_one("#details").display = False
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read this test, the previous and the first one."""
        try:
            data = with_store(services_of(self), lambda s: _read(s, self.session_id))
        except Exception as exc:
            self.post_message(JournalFailed(error_text(exc)))
            return
        self.app.call_from_thread(show_if_attached, self, self.show, data)

    def on_journal_failed(self, message: JournalFailed) -> None:
        """Say why the results could not be read."""
        if not self.is_attached:
            return
        self.query_one("#summary", Static).update(
            f"[b]Could not read the results. [/b]{escape(message.text)}"
        )

    def show(self, data: ResultsLoaded) -> None:
        """Fill the screen: sentences first, the measurement details behind m."""
        from journal.services.results_words import (
            all_pose_lines,
            finer_sentence,
            measured_apart,
            rest_sentences,
            score_sentence,
            when_words,
        )
        from journal.signals.noise import DEFAULT_SEM, smallest_detectable_change

        s, session = data.scores, data.session
        when = f"{session.taken_at:%a %d %b %Y %H:%M}"
        noted = _noted(session.tiredness, session.note)
        if s is None:
            self.query_one("#summary", Static).update(
                f"[b]Test of {when}[/b]\nThis test was not scored.{noted}"
            )
            return
        prev = data.previous if data.previous and data.previous[1] is not None else None
        prev_when = when_words(prev[0].taken_at, session.taken_at) if prev else ""
        lines = [f"[b]Test of {when}[/b]"]
        # Landmarks measured another way before (tonus-scorer/5): brow, eye and tonus are not compared.
        apart = measured_apart(prev[0].landmarks, session.landmarks) if prev else ()
        for name, key, meaning in (
            ("Tonus", "tonus", "how even your face is at rest"),
            ("Movement", "movement", "how far your affected side moves, against your other side"),
        ):
            then = getattr(prev[1], key) if prev and not (apart and key == "tonus") else None
            own = data.noise.get(key)  # one noise figure per score, as on Home
            sdc = own.sdc if own else smallest_detectable_change(DEFAULT_SEM[key])
            lines.append(escape(score_sentence(name, meaning, getattr(s, key), then, prev_when, sdc)))
        lines.append(_side_words(s.affected_side, s.affected_side_source) + noted)
        self.query_one("#summary", Static).update("\n".join(lines))
        safety = self.query_one("#safety", Static)
        safety.display = bool(data.safety)
        safety.update(Text("\n".join(data.safety)))

        rest = s.poses.get("rest")
        before = prev[1].poses.get("rest") if prev and prev[1] is not None else None
        at_rest = ["[b]Your face at rest[/b]"]
        if rest is not None and rest.regions:
            sentences = rest_sentences(rest.regions, before.regions if before else None, prev_when, apart)
            at_rest.extend(escape(x) for x in sentences)
            if apart:
                at_rest.append(escape(finer_sentence(session.taken_at)))
        else:
            at_rest.append("No rest photo in this test, so nothing was measured at rest.")
        self.query_one("#regions", Static).update("\n".join(at_rest))

        stored = {
            pose: (ps.movement, ps.movement_left, ps.movement_right, ps.note) for pose, ps in s.poses.items()
        }
        pose_lines = all_pose_lines(stored, s.affected_side)
        self.query_one("#poses-table", Static).update(
            "[b]Each movement[/b]\n" + "\n".join(escape(x) for x in pose_lines)
        )
        self.query_one("#notes", Static).update(self._comparison(data, rest is not None))
        capture = f"\n{escape(data.capture)}" if data.capture else ""
        self.query_one("#details", Static).update(_details(s, prev[1] if prev else None) + capture)
        self._photo("#photo-now", data.photo_now)
        self._photo("#photo-before", data.photo_before)
        if data.photo_now is None:
            self.query_one("#photo-now-title", Static).update(
                "[b]Rest, this test[/b]\n[dim]no rest photo in this test[/dim]"
            )
        if data.photo_before is None:
            why = "none: this is your first test" if data.previous is None else "no rest photo in that test"
            self.query_one("#photo-before-title", Static).update(
                f"[b]Rest, previous test[/b]\n[dim]{why}[/dim]"
            )

    @staticmethod
    def _comparison(data: ResultsLoaded, has_rest: bool) -> str:
        """Since the first test, in sentences; or why there is nothing to compare with."""
        from journal.services.results_words import measured_apart, rest_sentences

        if data.previous is None:
            return "This is your first test: next week's will be compared with it."
        first = data.first
        if first is None or first[1] is None or "rest" not in first[1].poses or data.scores is None:
            if has_rest and (data.previous[1] is None or "rest" not in data.previous[1].poses):
                return "Your earlier test had no rest photo, so this one is compared with nothing yet."
            return "Press m for the measurement details."
        rest = data.scores.poses.get("rest")
        if rest is None:
            return "This test has no rest photo: take one next week to see how your face changes."
        then = f"{first[0].taken_at:%d %b %Y}"
        apart = measured_apart(first[0].landmarks, data.session.landmarks)
        regions = {k: v for k, v in first[1].poses["rest"].regions.items() if k not in apart}
        sentences = rest_sentences(regions, None)
        if apart:  # measured another way then: not comparable with this test's
            sentences.append("Your brow and eye were measured another way then, so they are not shown here.")
        return "\n".join([f"[b]At your first test ({then})[/b]", *(escape(x) for x in sentences)])

    def _photo(self, selector: str, jpeg: bytes | None) -> None:
        widget: Any = self.query_one(selector)
        if jpeg is None or not hasattr(widget, "image"):
            if not hasattr(widget, "image"):
                return
            widget.display = False
            return
        from PIL import Image

        widget.image = Image.open(io.BytesIO(jpeg))

    def action_details(self) -> None:
        """Show or hide the measurement details (millimetres per side, scores per pose)."""
        details = self.query_one("#details")
        details.display = not details.display
        if details.display:
            details.scroll_visible()

    def action_close(self) -> None:
        """Back to where the person came from."""
        self.app.pop_screen()
