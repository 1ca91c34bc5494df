"""Where Tonus keeps its files: one data directory (platformdirs), overridable by TONUS_HOME."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from journal.errors import UsageError

APP_NAME = "tonus"
HOME_ENV = "TONUS_HOME"
MODEL_ENV = "TONUS_FACE_MODEL"
MODEL_FILENAME = "face_landmarker.task"
#: The journal file in the data directory.
JOURNAL_FILENAME = "journal.duckdb"


def data_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """Return the journal directory: `home`, else $TONUS_HOME, else the user data dir.

    An empty `home` or $TONUS_HOME is refused: it would mean the current directory.
    """
    if home is not None:
        if not str(home).strip():
            raise UsageError(
                "--home is empty, which would put your journal in the current folder: "
                "give a folder, or leave --home out."
            )
        return Path(home).expanduser()
    env = os.environ.get(HOME_ENV)
    if env is not None:
        if not env.strip():
            raise UsageError(
                f"{HOME_ENV} is set but empty, which would put your journal in the current folder: "
                f"set it to a folder, or unset it."
            )
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents, each private to the user (0700); return `path`.

    A folder that already exists keeps its mode: it may be shared on purpose (see `loose_dir_warning`).
    """
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    return path


def loose_dir_warning(path: Path) -> str | None:
    """Return a warning when others may read or write the folder `path` (which Tonus leaves as it is)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    who = "write to" if mode & 0o022 else "read"
    return (
        f"others can {who} the folder {path} (mode {mode:04o}), which holds your journal: "
        f"`chmod 700 {path}` makes it private, or choose another folder with --home."
    )


def default_model_path(home: str | os.PathLike[str] | None = None) -> Path:
    """Return where `tonus model install` puts the face model."""
    return data_dir(home) / "models" / MODEL_FILENAME
