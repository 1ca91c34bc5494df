"""Where Tonus keeps its files: one data directory (platformdirs), overridable by TONUS_HOME."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tonus"
HOME_ENV = "TONUS_HOME"
MODEL_ENV = "TONUS_FACE_MODEL"
MODEL_FILENAME = "face_landmarker.task"


def data_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """Return the journal directory: `home`, else $TONUS_HOME, else the user data dir."""
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it private to the user (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def default_model_path(home: str | os.PathLike[str] | None = None) -> Path:
    """Return where `tonus model install` puts the face model."""
    return data_dir(home) / "models" / MODEL_FILENAME
