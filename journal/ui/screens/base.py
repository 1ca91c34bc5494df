"""Helpers every screen shares: reaching the services and running journal work off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.screen import Screen

from journal.ui.services import Services

if TYPE_CHECKING:
    from textual.widget import Widget

    from journal.store import Store

T = TypeVar("T")


def services_of(screen: Screen[Any]) -> Services:
    """Return the app's services."""
    services: Services = screen.app.services  # type: ignore[attr-defined]
    return services


def with_store(services: Services, action: Callable[[Store], T]) -> T:
    """Open the journal briefly, run `action` and close it, so other `tonus` commands can use it too."""
    with services.open_store() as store:
        return action(store)


def scale_0_to_10(text: str) -> int | None:
    """The whole number 0–10 that `text` holds, else None (isdecimal, not isdigit: "²" is no number)."""
    text = text.strip()
    return int(text) if text.isdecimal() and int(text) <= 10 else None


W = TypeVar("W", bound="Widget")


def hidden(widget: W) -> W:
    """Return `widget` not displayed (for a line shown only when it has something to say)."""
    widget.display = False
    return widget


def error_text(exc: BaseException) -> str:
    """One sentence for a person from an exception (the app's own errors already are one)."""
    from journal.errors import TonusError

    if isinstance(exc, TonusError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}: {exc})."


def current_styles(screen: Screen[Any]) -> None:
    """Mark a new screen as styled with the app's current stylesheet, which it is once mounted.

    Textual re-parses the whole stylesheet and restyles every widget of the current screen (twice)
    when a section's screen is first shown, in case the screen brought CSS of its own; these
    screens bring none (their widgets' default CSS is added as they mount), and that restyling
    was a fifth of the CPU time of opening the Journal. Call it in the screen's `__init__`.
    """
    # Textual's private counter: when it is missing (made outside an app, or another Textual
    # version), the screen is simply restyled as usual.
    try:
        count = screen.app._css_update_count
    except Exception:
        return
    if not type(screen).CSS and not type(screen).CSS_PATH:
        screen._css_update_count = count


def show_if_attached(screen: Screen[Any], show: Callable[[Any], None], data: Any) -> None:
    """Call `show(data)` unless the person has already left `screen` (its widgets are gone then)."""
    if screen.is_attached:
        show(data)


class JournalView(Screen[None]):
    """A section that shows something read from the journal: read in a thread, shown on the UI thread.

    Subclasses implement `read(store)` and `show(data)`; the view refreshes whenever it is shown.
    Subclasses set up their widgets in `on_mount`, which runs before the first screen-resume.
    """

    def on_screen_resume(self) -> None:
        """Read the journal whenever the view is shown (the first time too)."""
        self.load()

    def read(self, store: Store) -> Any:
        """Return what `show` needs (runs in a worker thread)."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Display what `read` returned (runs on the UI thread)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read in a thread; show the result, or the reason it failed."""
        try:
            data = with_store(services_of(self), self.read)
        except Exception as exc:
            self.app.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(show_if_attached, self, self.show, data)
