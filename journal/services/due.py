"""When the next weekly test is due, in words (light: no numpy, so `tonus status` can say it fast)."""

from __future__ import annotations

from typing import Final

#: Days between weekly tests.
TEST_INTERVAL_DAYS: Final = 7


def due_text(days_since: int | None) -> tuple[bool, str]:
    """Return (due, a sentence) for the next weekly test."""
    if days_since is None:
        return True, "No test yet: take your first weekly test (press t)."
    ago = "today" if days_since == 0 else ("yesterday" if days_since == 1 else f"{days_since} days ago")
    if days_since >= TEST_INTERVAL_DAYS:
        return True, f"Last test {ago}: your weekly test is due (press t)."
    left = TEST_INTERVAL_DAYS - days_since
    return False, f"Last test {ago}: next one in {left} day{'s' if left != 1 else ''}."
