"""Start the terminal interface: the composition root picks the real journal, model and camera."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journal.capture.landmarker import Landmarker
    from journal.capture.model_file import ModelStatus
    from journal.store import Store
    from journal.ui.services import Progress, Services


def real_services(home: Path, camera: str | None = None, demo: bool = False) -> Services:
    """Build the real services for the journal in `home` (nothing heavy is imported here)."""
    from journal.ui.services import Services

    @contextmanager
    def open_store() -> Iterator[Store]:
        from journal.store import Store, journal_path

        store = Store.open(journal_path(home))
        try:
            yield store
        finally:
            store.close()

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


def run_tui(home: Path, camera: str | None = None, demo: bool = False) -> int:
    """Run the app until the person quits; return the exit code."""
    from journal.ui.images import probe_before_start

    probe_before_start()
    from journal.ui.app import build_app

    app = build_app(real_services(home, camera, demo))
    app.run()
    return app.return_code or 0
