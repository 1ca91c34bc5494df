"""A person's words are data: control characters are refused at input and never reach a terminal raw."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hostile_helpers import has_escape, tonus, tonus_env
from textual.markup import to_content

from journal.errors import UsageError
from journal.store import Store, journal_path
from journal.text import check_plain, markup_safe, one_line, printable

#: What an attacker puts in a note: a window title, clear screen, a clipboard write (OSC 52), CSI.
HOSTILE = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x9b31m", "a\rb", "\x08\x08"]


@pytest.mark.parametrize("text", HOSTILE)
def test_printable_shows_every_control_character_as_a_sign(text: str) -> None:
    shown = printable(text)
    assert not has_escape(shown)
    assert len(shown) >= len(text)


def test_newlines_and_tabs_are_kept_and_one_line_flattens_them() -> None:
    assert printable("a\nb\tc") == "a\nb\tc"
    assert one_line("a\nb\tc\x1b") == "a b c␛"


@pytest.mark.parametrize("note", ["ends in \\", "x\\[/dim]", "[/b] felt", "two \\\\", "[bold]y"])
def test_markup_safe_shows_the_words_exactly(note: str) -> None:
    content = to_content(f"  [dim]{markup_safe(note)}[/dim]")
    assert content.plain.replace("\u200b", "") == f"  {note}"


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_at_input(text: str) -> None:
    with pytest.raises(UsageError, match="control character"):
        check_plain(f"note {text}", "note")
    assert check_plain("fine\n\tnote", "note") == "fine\n\tnote"


def test_the_store_refuses_a_note_with_escapes_and_writes_nothing(tmp_path: Path) -> None:
    with Store.open(journal_path(tmp_path / "home")) as store:
        with pytest.raises(UsageError, match="control character"):
            store.add_entry(datetime(2025, 1, 1, 9, 0), "pain", 3, note="\x1b]0;x\x07")
        with pytest.raises(UsageError, match="control character"):
            store.add_event(datetime(2025, 1, 1, 9, 0), "therapy", "\x1b[2J")
        assert store.entries() == [] and store.events() == []


@pytest.mark.parametrize(
    "args",
    [
        ("log", "pain", "3", "--note", "\x1b]52;c;cm0=\x07"),
        ("event", "therapy", "\x1b[2Jphysio"),
    ],
)
def test_the_cli_refuses_escapes_with_a_sentence_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = tonus(*args, home=tmp_path / "home")
    assert result.returncode == 2
    assert "control character" in result.stderr
    assert not has_escape(result.stderr + result.stdout)
    assert not (tmp_path / "home" / "journal.duckdb").exists()


def test_invalid_utf8_in_a_note_gets_a_sentence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    argv = [sys.executable, "-m", "journal", "log", "pain", "3", "--note"]
    result = subprocess.run(
        [*[os.fsencode(a) for a in argv], b"bad \xff\xfe bytes"],
        env=tonus_env(home),
        capture_output=True,
        check=False,
        timeout=60,
    )
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert "not valid UTF-8" in err
    assert "Traceback" not in err


def hostile_journal(home: Path) -> None:
    """A journal written by an older Tonus that let control characters in (bypassing the checks)."""
    from store_like import add_raw_entry_and_event

    add_raw_entry_and_event(home, "felt \x1b]0;pwned\x07 odd \x1b[2J\\", "physio \x1b]52;c;eA==\x07")


def test_tonus_chart_never_writes_a_stored_escape(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_journal(home)
    result = tonus("chart", "--width", "100", "--height", "30", home=home, NO_COLOR="1")
    assert result.returncode == 0, result.stderr
    assert "physio" in result.stdout
    assert not has_escape(result.stdout + result.stderr)
