"""The settings file: camera and theme kept between runs, beside an explicit journal or in the config dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.config import Config, config_path, load_config, save_config


def test_settings_round_trip_and_keep_what_was_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    assert load_config(path) == Config()
    save_config(path, camera='/videos/my "week" 3.mp4')
    save_config(path, theme="textual-light")
    assert load_config(path) == Config(camera='/videos/my "week" 3.mp4', theme="textual-light")
    assert path.read_text().startswith("# Tonus settings")


def test_a_damaged_file_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("camera = [not toml")
    assert load_config(path) == Config()
    path.write_text("camera = 3\ntheme = 'nord'\nother = 'x'\n")
    assert load_config(path) == Config(camera=None, theme="nord")
    with pytest.raises(ValueError, match="unknown settings: colour"):
        save_config(path, colour="red")


def test_where_the_file_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TONUS_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "tonus" / "config.toml"
    assert config_path(tmp_path / "j") == tmp_path / "j" / "config.toml"
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "env"))
    assert config_path() == tmp_path / "env" / "config.toml"
