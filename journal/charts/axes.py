"""Axes shared by the charts: days on a date axis, weeks since onset, sizes and empty-chart messages."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final

from journal.charts.data import ChartData

MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def x_of(when: date | datetime) -> float:
    """Place a time on the x axis: days (proleptic ordinal), with the time of day as a fraction."""
    if isinstance(when, datetime):
        seconds = when.hour * 3600 + when.minute * 60 + when.second
        return when.toordinal() + seconds / 86400
    return when.toordinal() + 0.5


#: The shortest label day_label writes ("1 Jan").
MIN_LABEL = 5


def day_label(day: date, with_year: bool = False) -> str:
    """Return "3 Feb" (with the year, "3 Feb 25")."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day:%y}" if with_year else text


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _candidate_ticks(first: date, last: date) -> Iterable[list[date]]:
    """Tick days from dense to sparse: every day, every 2 days, Mondays every 1, 2 or 4 weeks, month
    starts every 1, 2, 3, 6 or 12 months, then years."""
    yield [first + timedelta(days=i) for i in range((last - first).days + 1)]
    yield [first + timedelta(days=i) for i in range(0, (last - first).days + 1, 2)]
    monday = first + timedelta(days=-first.weekday() % 7)
    for weeks in (1, 2, 4):
        yield [monday + timedelta(days=i) for i in range(0, (last - monday).days + 1, 7 * weeks)]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        day = first if first.day == 1 else _add_months(first, 1)
        if months >= 12:
            day = date(first.year + (first.month > 1 or first.day > 1), 1, 1)
        ticks = []
        while day <= last:
            ticks.append(day)
            day = _add_months(day, months)
        yield ticks


def date_ticks(first: date, last: date, plot_width: int) -> tuple[list[float], list[str]]:
    """Return x positions and labels for a readable date axis from `first` to `last` (whole days).

    The densest of day, Monday or month-start ticks whose labels fit `plot_width` with room between
    them; labels are "3 Feb" (with the year, "3 Feb 25", where a year begins on a multi-year axis).
    """
    multi_year = first.year != last.year
    for ticks in _candidate_ticks(first, last):
        # Every label is at least "1 Jan" plus two spaces: skip, unlabelled, what cannot fit (ten
        # years of daily ticks took a quarter of a second to label).
        if not ticks or len(ticks) * (MIN_LABEL + 2) > plot_width:
            continue
        labels = [
            day_label(d, multi_year and (i == 0 or d.year != ticks[i - 1].year)) for i, d in enumerate(ticks)
        ]
        span = (last - first).days + 1
        # Each label needs its length plus two spaces, at its own place on the axis.
        gap = min((b - a).days for a, b in zip(ticks, ticks[1:], strict=False)) if len(ticks) > 1 else span
        widest = max(len(label) for label in labels) + 2
        if gap * plot_width / span >= widest and len(ticks) * widest <= plot_width:
            return [d.toordinal() + 0.0 for d in ticks], labels
    return [first.toordinal() + 0.0], [day_label(first, multi_year)]


def x_axis(plt: Any, data: ChartData, plot_width: int) -> bool:
    """Set the date axis of `plt` from the data's span; False when there is nothing to place."""
    span = data.span()
    if span is None:
        return False
    first, last = span
    ticks, labels = date_ticks(first, last, plot_width)
    plt.xlim(first.toordinal() + 0.0, last.toordinal() + 1.0)
    plt.xticks(ticks, labels)
    return True


def begin(plt: Any, width: int | None) -> int:
    """Clear the figure and return the width to lay the chart out for.

    That is `width` when given, else the figure's own width (a `PlotextPlot` sets it on each render),
    else 80.
    """
    width = int(width or getattr(plt, "_width", None) or 80)
    plt.clear_figure()
    return max(20, width)


def range_text(data: ChartData) -> str:
    """Return "all weeks" or "last 4 weeks"."""
    if data.weeks is None:
        return "all weeks"
    return f"last {data.weeks} week" + ("" if data.weeks == 1 else "s")


def no_tests_text(data: ChartData) -> str:
    """Return what an empty chart says (no tests at all, or none in the range)."""
    if data.weeks is None:
        return "No tests yet: take a weekly test to start the charts"
    return f"No tests in the {range_text(data)}: choose a longer range"


def message(plt: Any, text: str) -> None:
    """Draw a frame holding only a centred message (a chart with nothing to show)."""
    plt.xlim(0, 1)
    plt.ylim(0, 1)
    plt.xticks([], [])
    plt.yticks([], [])
    plt.text(text, 0.5, 0.5, alignment="center", background="default")


#: Week steps for the weeks-since-onset axis, dense to sparse.
_WEEK_STEPS: Final = (1, 2, 4, 8, 13, 26, 52, 104, 260, 520)


def week_ticks(first: float, last: float, columns: int, label_width: int) -> list[int]:
    """Return the week numbers to label between `first` and `last` on `columns` columns.

    The densest step (1, 2, 4, 8, 13 … weeks) whose labels of `label_width` characters fit with two
    spaces between them; ticks fall on multiples of the step, and on week 1 when it is shown.
    """
    per_week = columns / max(last - first, 1e-9)
    for step in _WEEK_STEPS:
        if step * per_week < label_width + 2:
            continue
        weeks = [w for w in range(math.ceil(first), math.floor(last) + 1) if w % step == 0]
        if step > 1 and first <= 1 <= last and (not weeks or (weeks[0] - 1) * per_week >= label_width + 2):
            weeks.insert(0, 1)
        if weeks:
            return weeks
    return [max(1, math.ceil(first))] if math.ceil(first) <= last else []
