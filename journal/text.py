"""A person's words are data: control characters are refused on the way in and shown, never obeyed.

Any code that writes text a person typed (a note, an event label) or a path or value they gave
to a terminal, a file meant for reading or markup, passes it through `printable` (plain output)
or `markup_safe` (Textual/Rich markup). `check_plain` is the input rule: newline and tab are the
only control characters a note may hold.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from journal.errors import UsageError

#: Unicode controls that reorder what follows them (the "Trojan Source" characters): shown, not obeyed.
_BIDI: Final[frozenset[str]] = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEEP: Final[frozenset[str]] = frozenset("\n\t")
_BACKSLASH_BEFORE_TAG = re.compile(r"\\(?=\[|$)")


def is_control(char: str) -> bool:
    """True for a character a terminal may obey (C0/C1 controls, DEL, bidi overrides) or cannot print."""
    return char in _BIDI or unicodedata.category(char) in ("Cc", "Cs")


def visible(char: str) -> str:
    """Return a harmless visible stand-in for one control character (ESC → ␛, others → \\xNN)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ ␇ ␍ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Return `text` with every control character (but newline and tab) replaced by a visible sign."""
    keep = _KEEP if keep_newlines else frozenset()
    if not any(is_control(ch) and ch not in keep for ch in text):
        return text
    return "".join(visible(ch) if is_control(ch) and ch not in keep else ch for ch in text)


def one_line(text: str) -> str:
    """Return `text` made printable on a single line (newlines and tabs shown as spaces)."""
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def markup_safe(text: str) -> str:
    """Return `text` made printable and escaped for Textual markup, to be shown exactly as written.

    Every `[` is escaped. Textual reads a backslash before `[` as an escape whatever precedes it, so
    a backslash that ends the text or stands before `[` gets an invisible zero-width space after it:
    a note ending in `\\` inside `[dim]…[/dim]` shows its backslash, not a literal `[/dim]`.
    """
    out = _BACKSLASH_BEFORE_TAG.sub("\\\u200b", printable(text))
    return out.replace("[", "\\[")


def check_plain(value: str, what: str) -> str:
    """Return `value` when it is valid UTF-8 holding no control character but newline and tab.

    Otherwise refuse it with a sentence (exit 2). Bytes that are not UTF-8 reach Python from the
    command line as lone surrogates, and are refused here too.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(
            f"The {what} is not valid UTF-8 text (character {exc.start + 1}): write it again as plain text."
        ) from None
    for index, ch in enumerate(value):
        if is_control(ch) and ch not in _KEEP:
            raise UsageError(
                f"The {what} holds a control character ({visible(ch)} at position {index + 1}), which "
                "could act on a terminal: write it as plain text (newlines and tabs are fine)."
            )
    return value


def decode_utf8(data: bytes, what: str) -> str:
    """Decode bytes as UTF-8 or refuse them with a sentence naming `what` (exit 2)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"The {what} is not valid UTF-8 text (byte {exc.start + 1}): write it again as plain text."
        ) from None
