"""Words a person types on the command line: dates like "yesterday 21:30", names in any case."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from journal.errors import UsageError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^(?P<day>[a-z]+)(?:\s+(?:at\s+)?(?P<time>.+))?$")
WHEN_HELP = '"today 21:30", "yesterday", "monday 9:00" or "YYYY-MM-DD HH:MM"'


def _day_word(word: str, today: date) -> date | None:
    """The day a word names: today, yesterday, or the latest such weekday (today included)."""
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today - timedelta(days=(today.weekday() - index) % 7)
    return None


def _clock(text: str) -> time | None:
    """A time of day such as 21:30, 9:00, 9pm or 9.30, else None."""
    from dateutil import parser

    cleaned = text.strip().replace(".", ":")
    if not re.fullmatch(r"\d{1,2}(:\d{2})?\s*(am|pm)?", cleaned):
        return None
    try:
        parsed: datetime = parser.parse(cleaned, default=datetime(2000, 1, 1))
        return parsed.time()
    except (ValueError, OverflowError):
        return None


def parse_when(text: str, what: str = "date", *, now: datetime | None = None) -> datetime:
    """Parse a date and time as a person writes it, else a usage error saying how to write it.

    Accepted: "today", "yesterday" or a weekday (the latest one, today included), each with an
    optional time ("today 21:30", "monday 9:00"); ISO dates ("2026-11-03", "2026-11-03 21:30");
    and written-out dates such as "3 Nov 2026 21:30". Times are local, to the minute.
    """
    now = now or datetime.now()
    if not text.strip():
        raise UsageError(f"The {what} is empty: write it like {WHEN_HELP}, or leave the option out.")
    if not text.isascii():  # full-width or other scripts' digits would otherwise parse as a date
        raise UsageError(
            f"The {what} {text!r} has characters other than plain ones: write it like {WHEN_HELP}."
        )
    cleaned = " ".join(text.strip().lower().split())
    match = _RELATIVE.match(cleaned)
    if match:
        day = _day_word(match["day"], now.date())
        if day is not None:
            clock = _clock(match["time"]) if match["time"] else time(0, 0)
            if clock is not None:
                return datetime.combine(day, clock)
    if re.search(r"\d", cleaned) and "/" not in cleaned:  # 01/11/2026: which is the month?
        from dateutil import parser

        try:
            when: datetime = parser.parse(cleaned, default=datetime(now.year, 1, 1), dayfirst=False)
        except (ValueError, OverflowError):
            pass
        else:
            if re.search(r"\d{4}|[a-z]{3}", cleaned):  # a year or a month name: not a bare number
                return when.replace(second=0, microsecond=0, tzinfo=None)
    raise UsageError(f"The {what} {text!r} does not parse: write it like {WHEN_HELP}.")


def choice_word(text: str) -> str:
    """A name as stored: lower case, with - and spaces read as _ ("Dry-eye" → "dry_eye")."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def friendly_time(at: datetime, now: datetime) -> str:
    """A time said the way a person says it: "today 21:30", "yesterday 08:00", "Mon 3 Nov 09:00"."""
    if at.date() == now.date():
        return f"today {at:%H:%M}"
    if at.date() == now.date() - timedelta(days=1):
        return f"yesterday {at:%H:%M}"
    if at.year == now.year:
        return f"{at:%a %d %b %H:%M}"
    return f"{at:%a %d %b %Y %H:%M}"
