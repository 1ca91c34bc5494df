"""The footer: every key on one line when it fits; when it does not (80 columns), the screen's own keys.

Textual's footer cuts the line at the terminal's edge. Here the keys are chosen to fit: all of them, then
all of them in the compact style, then the screen's own keys with Home, Help and Quit (Help and the command
palette list the rest), then fewer of those, so no key is ever shown half.

It also rebuilds only when the keys it would show change. Textual's Footer throws away and re-mounts
every key widget whenever the screen's bindings are refreshed (each screen resume and each focus
change, several times while a section opens), and styling those widgets was about half of the CPU
time of opening the Journal (0.6 of 1.2 s).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The app's keys kept beside a screen's own keys when space is short, most important last to go.
KEPT: Final = ("h", "question_mark", "q")


@dataclass(frozen=True, slots=True)
class Key:
    """One key as the footer shows it."""

    binding: Binding
    display: str
    enabled: bool
    tooltip: str
    own: bool  # the screen's (or a focused widget's) key, not the app's

    def width(self, compact: bool) -> int:
        """Cells it takes: key, space, description and the gap after it."""
        text = cell_len(self.display) + 1 + cell_len(self.binding.description)
        return text + 1 if compact else text + 2


def plans(keys: list[Key], palette: Key | None) -> Iterator[tuple[bool, list[Key], Key | None]]:
    """The footers to try, widest first: (compact, keys, palette key)."""
    yield False, keys, palette
    yield True, keys, palette
    kept = [k for k in keys if k.own or k.binding.key in KEPT]
    yield True, kept, palette
    yield True, kept, None
    for drop in KEPT:
        kept = [k for k in kept if k.own or k.binding.key != drop]
        yield True, kept, None


def choose(keys: list[Key], palette: Key | None, width: int) -> tuple[bool, list[Key], Key | None]:
    """The first plan whose keys fit in `width` cells (the last one when none does)."""
    plan: tuple[bool, list[Key], Key | None] = (True, [k for k in keys if k.own], None)
    for plan in plans(keys, palette):
        compact, shown, pal = plan
        used = sum(k.width(compact) for k in shown) + (pal.width(compact) + 2 if pal else 0)
        if used <= width:
            return plan
    return plan


class TonusFooter(Footer):
    """A footer that never cuts a key in half (see the module docstring)."""

    _composed_width = 0
    _shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[list[Key], Key | None]:
        app = self.app
        keys: list[Key] = []
        seen: set[str] = set()
        palette: Key | None = None
        for key, (node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            shown = Key(binding, app.get_key_display(binding), enabled, tooltip, node is not app)
            if key == app.COMMAND_PALETTE_BINDING:
                palette = shown if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append(shown)
        return keys, palette

    def compose(self) -> ComposeResult:
        """Yield the keys of the widest plan that fits the terminal's width."""
        if not self._bindings_ready:
            return
        width = self.app.size.width
        self._composed_width = width
        compact, shown, palette = choose(*self._keys(), width)
        self.compact = compact
        yield from self._widgets(shown, palette)

    def _widgets(self, shown: Iterable[Key], palette: Key | None) -> Iterator[FooterKey]:
        for key in shown:
            b = key.binding
            widget = FooterKey(b.key, key.display, b.description, b.action, not key.enabled, key.tooltip)
            yield widget.data_bind(compact=Footer.compact)
        if palette is not None:
            b = palette.binding
            yield FooterKey(
                b.key,
                palette.display,
                b.description,
                b.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=b.tooltip or b.description,
            )

    def keys_shown(self) -> tuple[Any, ...] | None:
        """What the footer would draw now: the plan's style, keys with their state, the palette key."""
        if not self._bindings_ready:
            return None
        compact, shown, palette = choose(*self._keys(), self.app.size.width)
        return (
            compact,
            tuple(
                (k.binding.key, k.display, k.binding.action, k.binding.description, k.enabled, k.tooltip)
                for k in shown
            ),
            palette and (palette.binding.key, palette.display, palette.binding.description, palette.enabled),
        )

    async def recompose(self) -> None:
        """Rebuild the keys, unless they would come out the same as those shown."""
        if not self.is_attached:  # a refresh queued before the screen went away
            return
        shown = self.keys_shown()
        if shown is not None and shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()

    def on_resize(self, event: events.Resize) -> None:
        """Choose the keys again when the terminal's width changes."""
        if self._bindings_ready and self.app.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
