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
from textual.widgets import Footer, Header, Static

from journal.protocol import REGIONS
from journal.ui.images import image_widget_class, images_enabled
from journal.ui.messages import JournalFailed
from journal.ui.screens.base import error_text, hidden, services_of, with_store

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


def _read(store: Store, session_id: int) -> ResultsLoaded:
    from journal.dashboard import noise_of, recovery_from_store
    from journal.safety import safety_from_store

    noise = noise_of(recovery_from_store(store))
    safety = [n.line() for n in safety_from_store(store, session_id, noise)]
    sessions = store.sessions()
    index = next(i for i, s in enumerate(sessions) if s.id == session_id)
    session = sessions[index]
    prev = sessions[index - 1] if index > 0 else None
    first = sessions[0] if index > 1 else None
    return ResultsLoaded(
        session=session,
        scores=store.session_scores(session_id),
        previous=(prev, store.session_scores(prev.id)) if prev else None,
        first=(first, store.session_scores(first.id)) if first else None,
        photo_now=store.key_photo(session_id, "rest"),
        photo_before=store.key_photo(prev.id, "rest") if prev else None,
        noise=noise,
        safety=safety,
    )


def _delta(now: float | None, then: float | None) -> str:
    if now is None or then is None:
        return "–"
    return f"{now - then:+.1f}"


class ResultsScreen(Screen[None]):
    """Shown after a test is saved, and from History."""

    BINDINGS = [Binding("escape,enter", "close", "Done")]

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
        yield Footer()

    def _image(self, widget_id: str) -> Widget:
        if images_enabled():
            widget: Widget = image_widget_class()(id=widget_id, classes="photo-image")
            return widget
        return Static("(photos hidden)", id=widget_id)

    def on_mount(self) -> None:
        """Read the session in a worker."""
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read this test, the previous and the first one."""
        try:
            data = with_store(services_of(self), lambda s: _read(s, self.session_id))
        except Exception as exc:
            self.post_message(JournalFailed(error_text(exc)))
            return
        self.app.call_from_thread(self.show, data)

    def on_journal_failed(self, message: JournalFailed) -> None:
        """Say why the results could not be read."""
        self.query_one("#summary", Static).update(
            f"[b]Could not read the results. [/b]{escape(message.text)}"
        )

    def show(self, data: ResultsLoaded) -> None:
        """Fill the screen."""
        from journal.dashboard import region_notes
        from journal.recovery import DEFAULT_SEM, smallest_detectable_change

        s = data.scores
        when = f"{data.session.taken_at:%d %b %Y %H:%M}"
        if s is None:
            self.query_one("#summary", Static).update(f"Test of {when}: not scored.")
            return
        lines = [f"[b]Test of {when}   [/b]scorer {s.scorer_version}"]
        for name, now, key in (("Tonus", s.tonus, "tonus"), ("Movement", s.movement, "movement")):
            text = f"{name}: [b]{now:.1f} [/b]of 100" if now is not None else f"{name}: –"
            own = data.noise.get(key)  # one noise figure per score, as on Home
            sdc = own.sdc if own else smallest_detectable_change(DEFAULT_SEM[key])
            kind = "noise" if own and own.sources != ("default",) else "typical noise"
            for label, other in (("last test", data.previous), ("first test", data.first)):
                if other and other[1] is not None and now is not None:
                    then = getattr(other[1], key)
                    if then is not None:
                        verdict = "beyond" if abs(now - then) > sdc else "within"
                        noise = f"{verdict} {kind} ±{sdc:.1f}"
                        text += f"   {_delta(now, then)} since {label} ({noise})"
            lines.append(text)
        side = s.affected_side or "not clear"
        lines.append(f"Affected side: {side} ({s.affected_side_source})")
        self.query_one("#summary", Static).update("\n".join(lines))
        safety = self.query_one("#safety", Static)
        safety.display = bool(data.safety)
        safety.update(Text("\n".join(data.safety)))
        rest = s.poses.get("rest")
        rows = [f"[b]{'At rest (mm, your sides)':<26}[/b]{'left':>9}{'right':>9}{'difference':>12}"]
        if rest is not None:
            for r in REGIONS:
                if r in rest.regions:
                    left, right = rest.regions[r]
                    rows.append(f"  {r:<24}{left:>9.1f}{right:>9.1f}{left - right:>+12.1f}")
        self.query_one("#regions", Static).update("\n".join(rows))
        prev_scores = data.previous[1] if data.previous else None
        table = [f"[b]{'Per pose':<18}[/b]symmetry  movement   L/R travel mm   vs last test"]
        for pose, ps in s.poses.items():
            move = f"{ps.movement:>8.0f}" if ps.movement is not None else f"{'–':>8}"
            travel = (
                f"{ps.movement_left:>5.1f}/{ps.movement_right:<5.1f}"
                if ps.movement_left is not None
                else " " * 11
            )
            before = prev_scores.poses.get(pose) if prev_scores else None
            change = _delta(ps.movement, before.movement) if before else "–"
            sym = f"{ps.symmetry:>8.0f}" if ps.symmetry is not None else f"{'–':>8}"
            table.append(f"  {pose:<16}{sym}  {move}   {travel}     {change}")
        self.query_one("#poses-table", Static).update("\n".join(table))
        notes: list[str] = []
        for label, other in (("previous", data.previous), ("first", data.first)):
            if other and other[1] is not None and rest is not None and "rest" in other[1].poses:
                notes.append(f"[b]Compared with the {label} test[/b]")
                notes.extend(region_notes(rest.regions, other[1].poses["rest"].regions, other[0].taken_at))
        if not notes:
            notes.append("This is your first test: next week's will be compared with it.")
        self.query_one("#notes", Static).update("\n".join(notes))
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

    def _photo(self, selector: str, jpeg: bytes | None) -> None:
        widget: Any = self.query_one(selector)
        if jpeg is None or not hasattr(widget, "image"):
            if not hasattr(widget, "image"):
                return
            widget.display = False
            return
        from PIL import Image

        widget.image = Image.open(io.BytesIO(jpeg))

    def action_close(self) -> None:
        """Back to where the person came from."""
        self.app.pop_screen()
