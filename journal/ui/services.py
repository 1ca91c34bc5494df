"""What the interface needs from the rest of Tonus, passed in by the CLI (or by tests)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journal.capture.landmarker import Landmarker
    from journal.capture.model_file import ModelStatus
    from journal.store import Store

Progress = Callable[[int, "int | None"], None]


@dataclass
class Services:
    """Everything the screens use to reach the journal, the model and the camera.

    Heavy modules (DuckDB, MediaPipe, OpenCV) load inside these callables, in worker threads,
    so the first screen paints before any of them.
    """

    home: Path
    open_store: Callable[[], AbstractContextManager[Store]]
    make_landmarker: Callable[[bool], Landmarker]
    model_status: Callable[[], ModelStatus]
    install_model: Callable[[Progress], Path]
    camera: str | None = None
    demo: bool = False
    now: Callable[[], datetime] = field(default=datetime.now)
    config_file: Path | None = None  # where the camera and theme are remembered (None: not kept)
    theme: str | None = None  # the colour theme chosen last time
