"""Helpers every screen shares: reaching the services and running journal work off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from journal.ui.services import Services

if TYPE_CHECKING:
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


def error_text(exc: BaseException) -> str:
    """One sentence for a person from an exception (the app's own errors already are one)."""
    from journal.errors import TonusError

    if isinstance(exc, TonusError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}: {exc})."
