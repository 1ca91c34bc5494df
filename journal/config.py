"""A person's settings that are not journal data: the camera and the colour theme, in a small TOML file.

The file lives in the user config directory (`~/.config/tonus/config.toml` on Linux). When the
journal directory is chosen explicitly (`--home` or $TONUS_HOME), the file sits beside that journal
instead, so a test journal or a second person's journal keeps its own settings.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from journal.paths import APP_NAME, HOME_ENV

CONFIG_FILENAME = "config.toml"
_KEYS = ("camera", "theme")


@dataclass(frozen=True, slots=True)
class Config:
    """The settings Tonus remembers between runs (None: not chosen yet)."""

    camera: str | None = None
    theme: str | None = None


def config_path(home: str | os.PathLike[str] | None = None) -> Path:
    """Where the settings file is: beside an explicitly chosen journal, else the user config dir."""
    chosen = home if home is not None else os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser() / CONFIG_FILENAME
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILENAME


def load_config(path: Path) -> Config:
    """Read the settings; a missing or unreadable file gives the defaults (settings are never vital)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Config()
    values = {k: v for k, v in data.items() if k in _KEYS and isinstance(v, str) and v.strip()}
    return Config(**values)


def _quote(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def save_config(path: Path, **changes: str | None) -> Config:
    """Change the given settings and write the file atomically; return the new settings."""
    unknown = set(changes) - set(_KEYS)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    config = replace(load_config(path), **changes)
    lines = ["# Tonus settings (written by Tonus; safe to edit or delete)"]
    lines += [f"{key} = {_quote(value)}" for key in _KEYS if (value := getattr(config, key))]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return config
