"""Shared fixtures: where ../shared is, and skipping (or failing, in CI) when it is absent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TONUS_SHARED", ROOT.parent / "shared"))


def _require(path: Path, what: str) -> Path:
    """Return `path` if it exists; otherwise skip, or fail when TONUS_REQUIRE_SHARED=1."""
    if path.exists():
        return path
    reason = f"{what} not found at {path} (../shared is absent)"
    if os.environ.get("TONUS_REQUIRE_SHARED") == "1":
        pytest.fail(f"TONUS_REQUIRE_SHARED=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with the real photos and videos."""
    return _require(SHARED, "shared test data")


@pytest.fixture(scope="session")
def faces_dir(shared_dir: Path) -> Path:
    """../shared/faces."""
    return _require(shared_dir / "faces", "shared faces")


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The face model: $TONUS_FACE_MODEL, else ../shared/models/face_landmarker.task."""
    env = os.environ.get("TONUS_FACE_MODEL")
    path = Path(env) if env else SHARED / "models" / "face_landmarker.task"
    return _require(path, "the face model")


@pytest.fixture(scope="session")
def landmarker(model_path: Path) -> Iterator[Any]:
    """One IMAGE-mode MediaPipeLandmarker (mirror-averaged, refined, as the app runs it) for the session."""
    from journal.capture.landmarker import MediaPipeLandmarker

    lm = MediaPipeLandmarker(model_path, stream=False)
    try:
        yield lm
    finally:
        lm.close()
