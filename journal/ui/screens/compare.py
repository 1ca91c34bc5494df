"""Two tests side by side: rest photos, scores, resting regions and movement per pose."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from journal.protocol import POSE_NAMES, REGIONS
from journal.ui.images import image_widget_class, images_enabled
from journal.ui.screens.base import error_text, services_of, with_store

if TYPE_CHECKING:
    from journal.store import Scores, Store, TestSession


@dataclass(frozen=True)
class Side:
    """One test's column."""

    session: TestSession
    scores: Scores | None
    photo: bytes | None


def _read(store: Store, ids: tuple[int, int]) -> tuple[Side, Side]:
    by_id = {s.id: s for s in store.sessions()}
    first, second = sorted(ids, key=lambda i: by_id[i].taken_at)
    a, b = (Side(by_id[i], store.session_scores(i), store.key_photo(i, "rest")) for i in (first, second))
    return a, b


def column_text(side: Side, other: Side | None) -> str:
    """The numbers of one test, with the change from the other column when given."""
    s = side.scores
    lines = [f"[b]Test of {side.session.taken_at:%d %b %Y %H:%M} [/b]"]
    if s is None:
        return lines[0] + "\nnot scored"
    o = other.scores if other else None

    def change(now: float | None, then: float | None, unit: str = "") -> str:
        return f"  ({now - then:+.1f}{unit})" if now is not None and then is not None else ""

    lines.append(
        f"tonus {s.tonus:.1f}" + change(s.tonus, o.tonus if o else None) if s.tonus is not None else "tonus –"
    )
    lines.append(
        f"movement {s.movement:.1f}" + change(s.movement, o.movement if o else None)
        if s.movement is not None
        else "movement –"
    )
    rest = s.poses.get("rest")
    orest = o.poses.get("rest") if o else None
    lines.append("\n[b]At rest, left − right (mm) [/b]")
    for r in REGIONS:
        if rest and r in rest.regions:
            d = rest.regions[r][0] - rest.regions[r][1]
            od = orest.regions[r][0] - orest.regions[r][1] if orest and r in orest.regions else None
            lines.append(
                f"  {r:<9}{d:>+6.1f}" + change(abs(d), abs(od) if od is not None else None, " mm asym.")
            )
    lines.append("\n[b]Movement by pose [/b]")
    for pose in POSE_NAMES:
        ps = s.poses.get(pose)
        if ps is None or pose == "rest":
            continue
        ops = o.poses.get(pose) if o else None
        value = f"{ps.movement:>5.0f}" if ps.movement is not None else "    –"
        lines.append(f"  {pose:<12}{value}" + change(ps.movement, ops.movement if ops else None))
    return "\n".join(lines)


class CompareScreen(Screen[None]):
    """Compare two tests; the earlier one on the left."""

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, ids: tuple[int, int]) -> None:
        super().__init__()
        self.ids = ids

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with VerticalScroll(), Horizontal(id="compare"):
            for name in ("a", "b"):
                with Vertical(classes="photo"):
                    yield self._image(f"photo-{name}")
                    yield Static("Loading…", id=f"text-{name}", classes="card")
        yield Footer()

    def _image(self, widget_id: str) -> Widget:
        if images_enabled():
            widget: Widget = image_widget_class()(id=widget_id, classes="compare-image")
            return widget
        return Static("(photos hidden)", id=widget_id)

    def on_mount(self) -> None:
        """Read both tests."""
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read in a thread."""
        try:
            a, b = with_store(services_of(self), lambda s: _read(s, self.ids))
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.show, a, b)

    def show(self, a: Side, b: Side) -> None:
        """Fill both columns."""
        self.query_one("#text-a", Static).update(column_text(a, None))
        self.query_one("#text-b", Static).update(column_text(b, a))
        for name, side in (("a", a), ("b", b)):
            widget: Any = self.query_one(f"#photo-{name}")
            if hasattr(widget, "image"):
                if side.photo is None:
                    widget.display = False
                else:
                    from PIL import Image

                    widget.image = Image.open(io.BytesIO(side.photo))

    def action_close(self) -> None:
        """Back to the history."""
        self.app.pop_screen()
