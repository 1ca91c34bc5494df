"""One opening of the journal shared by the threads of one program, closed when the last one is done.

DuckDB lets a process open a database file once: a second opening in the same program fails
("already open in this program"). A program whose threads each need the journal for a moment (the
TUI's workers) shares one `Store` through `SharedJournal`: the first user opens it, later users get
the same Store (each thread with its own cursor), and the last user to leave closes it, so other
`tonus` commands can open the journal between uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from journal.store.store import Store


class SharedJournal:
    """A context-manager factory: `with shared() as store:` in any thread, one opening at a time."""

    def __init__(self, path: Path, opener: Callable[[Path], Store] = Store.open) -> None:
        self.path = path
        self._opener = opener
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._users = 0

    @property
    def users(self) -> int:
        """How many `with` blocks are using the journal now."""
        return self._users

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        """Open the journal (or join the opening already there) for the length of the block."""
        with self._lock:
            if self._store is None:
                self._store = self._opener(self.path)
            self._users += 1
            store = self._store
        try:
            yield store
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._store is not None:
                    closing = self._store
                    self._store = None
                    closing.close()
