"""Start the terminal interface: the composition root picks the real journal, model and camera."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from journal.capture.landmarker import Landmarker
    from journal.capture.model_file import ModelStatus
    from journal.store import Store
    from journal.store.shared import SharedJournal
    from journal.ui.services import Progress, Services

    Prepare = Callable[[Store], object]


def _open_keeping_status(path: Path) -> Store:
    """Open the journal so that closing it brings `tonus status`'s cache up to date (see status_cmd)."""
    from journal.cli.status_cmd import refresh_cache
    from journal.store import Store

    store = Store.open(path)
    store.on_close.append(refresh_cache)
    return store


def real_services(
    home: Path, camera: str | None = None, demo: bool = False, prepare: Prepare | None = None
) -> Services:
    """Build the real services for the journal in `home` (nothing heavy is imported here).

    `prepare` fills the journal on its first opening, in the first worker that reads it, while every
    other reader waits: the demo's sample tests load after Home's first paint, not before it.
    """
    from journal.ui.services import Services

    shared: list[SharedJournal] = []
    creating = threading.Lock()
    pending = [prepare] if prepare is not None else []
    preparing = threading.Lock()

    @contextmanager
    def open_store() -> Iterator[Store]:
        # The screens' workers overlap; they share one opening (a second one in a process fails).
        # Made on first use, in a worker, so DuckDB loads after the first paint.
        with creating:
            if not shared:
                from journal.store import journal_path
                from journal.store.shared import SharedJournal

                shared.append(SharedJournal(journal_path(home), opener=_open_keeping_status))
        with shared[0]() as store:
            if pending:
                with preparing:
                    if pending:
                        pending[0](store)  # raises (nothing half-done is kept as prepared): said on Home
                        pending.clear()
            yield store

    def make_landmarker(stream: bool) -> Landmarker:
        from journal.capture.landmarker import MediaPipeLandmarker
        from journal.capture.model_file import require_model

        return MediaPipeLandmarker(require_model(home), stream=stream)

    def model_status() -> ModelStatus:
        from journal.capture.model_file import model_status as status

        return status(home)

    def install_model(progress: Progress) -> Path:
        from journal.capture.model_file import download

        return download(home=home, progress=progress)

    return Services(home, open_store, make_landmarker, model_status, install_model, camera, demo)


def run_tui(home: Path, camera: str | None = None, demo: bool = False, prepare: Prepare | None = None) -> int:
    """Run the app until the person quits; return the exit code.

    Without --camera, the camera chosen last time is used; the theme chosen last time too.
    """
    import dataclasses

    from journal.config import config_path, load_config
    from journal.paths import data_dir
    from journal.ui.images import probe_before_start

    path = config_path(None if home == data_dir(None) else home)
    config = load_config(path)
    probe_before_start()
    from journal.ui.app import build_app

    services = real_services(home, camera or config.camera, demo, prepare)
    services = dataclasses.replace(services, config_file=None if demo else path, theme=config.theme)
    app = build_app(services)
    app.run()
    return app.return_code or 0
