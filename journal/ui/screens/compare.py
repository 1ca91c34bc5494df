"""Two tests side by side: each pose's photos (paged with ← →), scores, resting regions, movement."""

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
from textual.widgets import Header, Static

from journal.protocol import POSE_NAMES, REGIONS
from journal.ui.footer import TonusFooter
from journal.ui.images import image_widget_class, images_enabled
from journal.ui.screens.base import error_text, services_of, with_store

if TYPE_CHECKING:
    from journal.store import Scores, Store, TestSession


@dataclass(frozen=True)
class Side:
    """One test's column."""

    session: TestSession
    scores: Scores | None
    photos: dict[str, bytes]

    @property
    def photo(self) -> bytes | None:
        """The rest photo."""
        return self.photos.get("rest")


def _photos(store: Store, session_id: int) -> dict[str, bytes]:
    found = {pose: store.key_photo(session_id, pose) for pose in POSE_NAMES}
    return {pose: jpeg for pose, jpeg in found.items() if jpeg is not None}


def _read(store: Store, ids: tuple[int, int]) -> tuple[Side, Side]:
    by_id = {s.id: s for s in store.sessions()}
    first, second = sorted(ids, key=lambda i: by_id[i].taken_at)
    a, b = (Side(by_id[i], store.session_scores(i), _photos(store, i)) for i in (first, second))
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

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("left,p", "page(-1)", "Previous pose", priority=True),
        Binding("right,n", "page(1)", "Next pose", priority=True),
    ]

    def __init__(self, ids: tuple[int, int]) -> None:
        super().__init__()
        self.ids = ids
        self.pose = POSE_NAMES[0]
        self.sides: tuple[Side, Side] | None = None

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("", id="pose-title", classes="title")
        with VerticalScroll(), Horizontal(id="compare"):
            for name in ("a", "b"):
                with Vertical(classes="photo"):
                    yield Static("", id=f"caption-{name}")
                    yield self._image(f"photo-{name}")
                    yield Static("Loading…", id=f"text-{name}", classes="card")
        yield TonusFooter()

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
        self.sides = (a, b)
        self.query_one("#text-a", Static).update(column_text(a, None))
        self.query_one("#text-b", Static).update(column_text(b, a))
        self.show_pose()

    def show_pose(self) -> None:
        """Show both tests' photos of the current pose, or say which test has none."""
        from journal.services.results_words import POSE_WORDS

        if self.sides is None:
            return
        index = POSE_NAMES.index(self.pose)
        self.query_one("#pose-title", Static).update(
            f"[b]{POSE_WORDS[self.pose]}[/b]  pose {index + 1} of {len(POSE_NAMES)} · ← → other poses"
        )
        for name, side in zip("ab", self.sides, strict=True):
            jpeg = side.photos.get(self.pose)
            when = f"{side.session.taken_at:%d %b %Y}"
            caption = when if jpeg is not None else f"{when}: no photo of this pose in that test"
            self.query_one(f"#caption-{name}", Static).update(caption)
            widget: Any = self.query_one(f"#photo-{name}")
            if hasattr(widget, "image"):
                widget.display = jpeg is not None
                if jpeg is not None:
                    from PIL import Image

                    widget.image = Image.open(io.BytesIO(jpeg))

    def action_page(self, step: int) -> None:
        """Show the next (1) or previous (-1) pose."""
        index = (POSE_NAMES.index(self.pose) + step) % len(POSE_NAMES)
        self.pose = POSE_NAMES[index]
        self.show_pose()

    def action_close(self) -> None:
        """Back to the history."""
        self.app.pop_screen()
