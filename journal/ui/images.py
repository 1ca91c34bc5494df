"""Photos in the terminal with textual-image: kitty/sixel where the terminal has them, else half-blocks.

textual-image probes the terminal when imported, which is only possible before Textual starts and
costs time. So Tonus probes only in terminals known for graphics (`probe_before_start`), and
everywhere else loads the half-block renderer later without probing.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

_GRAPHICS_TERMS = ("kitty", "wezterm", "foot", "mlterm", "contour", "iterm", "konsole", "ghostty")
MODE_ENV = "TONUS_IMAGES"  # auto | halfcell | off
_probed = False  # True once textual-image probed a real terminal before the app started


def _graphics_terminal() -> bool:
    hints = " ".join(
        os.environ.get(k, "") for k in ("TERM", "TERM_PROGRAM", "LC_TERMINAL", "KITTY_WINDOW_ID")
    ).lower()
    if os.environ.get("TMUX"):
        return False  # tmux passes neither protocol through reliably
    return any(t in hints for t in _GRAPHICS_TERMS) or bool(os.environ.get("KITTY_WINDOW_ID"))


def probe_before_start() -> None:
    """Import textual-image before the app starts when the terminal may show real pixels."""
    global _probed
    mode = os.environ.get(MODE_ENV, "auto")
    if mode == "auto" and _graphics_terminal() and sys.stdout.isatty():
        import textual_image.widget  # noqa: F401  (probes the terminal once, caches the result)

        _probed = True


def image_widget_class() -> Any:
    """Return the best image widget class available without probing a running terminal.

    Without a probe before the start, every photo uses colour half-blocks: textual-image's own
    `Image` would pick its grey ░▒▓ fallback, having been imported with a stand-in stdout.
    """
    if _probed:
        from textual_image.widget import Image

        return Image
    # Import with a stand-in stdout so the package does not query the terminal Textual now owns.
    real = sys.__stdout__
    sys.__stdout__ = io.StringIO()  # type: ignore[misc,assignment]
    try:
        from textual_image.widget import HalfcellImage
    finally:
        sys.__stdout__ = real  # type: ignore[misc]
    return HalfcellImage


def images_enabled() -> bool:
    """Whether photos are shown at all (TONUS_IMAGES=off hides them)."""
    return os.environ.get(MODE_ENV, "auto") != "off"
