"""A person's text made safe for the HTML report: control characters removed, then HTML-escaped.

A tiny local sanitiser for the report (issue 10); issue 9 adds a shared one (e.g. `journal/text.py`)
that this can defer to once merged.
"""

from __future__ import annotations

import html
import re
import unicodedata

#: Bidirectional overrides and isolates: they can make text read differently from what was written.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_SPACES = re.compile(r"[\t\r\n]+")


def strip_controls(text: str) -> str:
    """Drop control characters (C0, DEL, C1, bidi overrides); tabs and line breaks become one space."""
    text = _SPACES.sub(" ", text)
    return "".join(ch for ch in text if ch not in _BIDI and unicodedata.category(ch) != "Cc")


def esc(text: object) -> str:
    """Return `text` as plain HTML text: control characters stripped, `& < > " '` escaped."""
    return html.escape(strip_controls(str(text)), quote=True)
