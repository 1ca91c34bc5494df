"""Checks on values before they reach the journal: each failure is one sentence saying what to do."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Final

from journal.errors import UsageError
from journal.text import check_plain

SENSATIONS: Final[tuple[str, ...]] = (
    "vibration",
    "itching",
    "twitching",
    "tingling",
    "tightness",
    "pain",
    "tearing",
    "dry_eye",
    "taste",
    "sound_sensitivity",
    "other",
)
EVENT_KINDS: Final[tuple[str, ...]] = ("medication", "therapy", "milestone", "appointment")
REGIONS_WHERE: Final[tuple[str, ...]] = ("brow", "eye", "cheek", "mouth", "ear", "other")
ENTRY_SIDES: Final[tuple[str, ...]] = ("left", "right", "both")
AFFECTED_SIDES: Final[tuple[str, ...]] = ("left", "right")
#: Where a test came from: `tonus import`, the weekly test on a webcam, a video or a photo folder, the demo.
#: A plain VARCHAR in the schema (no CHECK): tests from a video or photos before these existed say "camera".
SESSION_SOURCES: Final[tuple[str, ...]] = ("import", "camera", "video", "photos", "demo")
#: The same, in words for people (History's "source" column).
SOURCE_WORDS: Final[dict[str, str]] = {
    "import": "imported",
    "camera": "webcam",
    "video": "video",
    "photos": "photos",
    "demo": "demo",
}
SIDE_SOURCES: Final[tuple[str, ...]] = ("given", "inferred", "unknown")
#: How far ahead of the clock a time may be (clock skew, time zones) before it is taken as a typo.
FUTURE_SLACK: Final[timedelta] = timedelta(days=1)
MAX_TEXT: Final[int] = 10_000
#: No date before this is a date of anything Tonus records (typos such as 0202-05-01 land here).
EARLIEST: Final[datetime] = datetime(1900, 1, 1)

Clock = Callable[[], datetime]


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def check_choice(value: object, allowed: tuple[str, ...], what: str) -> str:
    """Return `value` if it is one of `allowed`, else raise a UsageError listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise UsageError(f"Unknown {what} {value!r}: use one of {_choices(allowed)}.")
    return value


def check_optional_choice(value: object, allowed: tuple[str, ...], what: str) -> str | None:
    """Like `check_choice`, but None (not given) passes."""
    return None if value is None else check_choice(value, allowed, what)


def check_scale(value: object, what: str, low: int = 0, high: int = 10) -> int:
    """Return an integer rating within low–high, else raise a UsageError."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(
            f"The {what} {value!r} is not a whole number from {low} to {high}: pick one in that range."
        )
    return value


def check_when(value: object, now: datetime, what: str = "time") -> datetime:
    """Return a naive local datetime not more than a day ahead of `now`, else raise a UsageError."""
    if not isinstance(value, datetime):
        raise UsageError(f"The {what} {value!r} is not a date and time: give one such as 2024-05-01 08:30.")
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    if value < EARLIEST:
        raise UsageError(f"The {what} {value:%Y-%m-%d} is before 1900: check the year.")
    if value > now + FUTURE_SLACK:
        raise UsageError(
            f"The {what} {value:%Y-%m-%d %H:%M} is more than a day in the future: check the date."
        )
    return value


def check_day(value: object, now: datetime, what: str = "date") -> date:
    """Return a calendar date not more than a day ahead of `now`, else raise a UsageError."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise UsageError(f"The {what} {value!r} is not a date: give one such as 2024-05-01.")
    if value < EARLIEST.date():
        raise UsageError(f"The {what} {value.isoformat()} is before 1900: check the year.")
    if value > (now + FUTURE_SLACK).date():
        raise UsageError(f"The {what} {value.isoformat()} is more than a day in the future: check the date.")
    return value


def check_text(value: object, what: str, *, required: bool = False) -> str | None:
    """Return a text (or None when optional and absent), refusing empty labels and huge texts."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise UsageError(f"The {what} {value!r} is not text: write it as plain text.")
    if required and not value.strip():
        raise UsageError(f"The {what} is empty: write a few words.")
    if len(value) > MAX_TEXT:
        raise UsageError(f"The {what} has {len(value)} characters: keep it under {MAX_TEXT}.")
    return check_plain(value, what)


def check_number(value: object, what: str, *, optional: bool = True, positive: bool = False) -> float | None:
    """Return a finite float (or None when allowed), else raise a UsageError."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"The {what} is {value!r}, not a finite number: check where it came from.")
    if positive and value <= 0:
        raise UsageError(f"The {what} is {value!r}, but it must be above zero: check where it came from.")
    return float(value)


def check_count(value: object, what: str) -> int:
    """Return a non-negative whole number, else raise a UsageError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"The {what} is {value!r}, not a count (a whole number, zero or more): check it.")
    return value


def check_id(value: object, what: str) -> int:
    """Return a positive integer id, else raise a UsageError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"The {what} number {value!r} is not valid: use a number from the list.")
    return value
