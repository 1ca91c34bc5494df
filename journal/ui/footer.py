"""A footer that rebuilds its keys only when the keys it shows change.

Textual's Footer throws away and re-mounts every key widget whenever the screen's bindings are
refreshed (each screen resume and each focus change, several times while a section opens), and
styling those widgets was about half of the CPU time of opening the Journal (0.6 of 1.2 s).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual's Footer, which skips a rebuild that would show exactly the keys already shown."""

    _shown: tuple[Any, ...] | None = None

    def keys_shown(self) -> tuple[Any, ...] | None:
        """What the footer would draw: each shown key with its state, and the palette key (None before)."""
        if not self._bindings_ready:
            return None
        app = self.app
        bindings = self.screen.active_bindings
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        return (
            self.show_command_palette and app.ENABLE_COMMAND_PALETTE,
            palette and (palette[1].key, palette[1].description, palette[2], palette[3]),
            *(
                (b.key, app.get_key_display(b), b.action, b.description, b.group, enabled, tooltip)
                for _node, b, enabled, tooltip in bindings.values()
                if b.show
            ),
        )

    async def recompose(self) -> None:
        """Rebuild the keys, unless they would come out the same as those shown."""
        shown = self.keys_shown()
        if shown is not None and shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
