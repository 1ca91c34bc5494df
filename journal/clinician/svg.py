"""Charts for the report as inline SVG, drawn from the same chart data the terminal charts use.

Every label that may hold a person's words goes through `esc`; the SVG has no script, no external
reference and no font file, so the report stays one self-contained file that prints in black and white
(each series also differs by its dash or marker, not only its colour).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from journal.charts import ChartData, date_ticks, recovery_view
from journal.clinician.text import esc

WIDTH: Final = 720
_LEFT: Final = 92
_RIGHT: Final = 16
_TONUS: Final = "#1f4e9c"
_MOVEMENT: Final = "#2e7d32"
_EVENT: Final = "#b3261e"
_SENSATION: Final = "#6a3d9a"


def _x_of(first: date, last: date, width: int = WIDTH) -> tuple[float, float, float]:
    """Return (x0, scale per day, ordinal of the first day) for the date axis."""
    days = max((last - first).days, 1)
    return _LEFT, (width - _LEFT - _RIGHT) / days, float(first.toordinal())


def _ordinal(when: date | datetime) -> float:
    if isinstance(when, datetime):
        return when.toordinal() + (when.hour * 60 + when.minute) / 1440
    return when.toordinal() + 0.5


def _svg(height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">'
        f"<title>{esc(title)}</title>{''.join(body)}</svg>"
    )


def _axis(first: date, last: date, y: float, height: float) -> list[str]:
    x0, k, o = _x_of(first, last)
    positions, labels = date_ticks(first, last, (WIDTH - _LEFT - _RIGHT) // 9)
    out = []
    for pos, label in zip(positions, labels, strict=True):
        x = x0 + (pos - o) * k
        out.append(f'<line x1="{x:.1f}" y1="{y - height:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle">{esc(label)}</text>')
    return out


def timeline_svg(data: ChartData) -> str:
    """Tonus and movement (0–100) over the dates, sensation strips beneath, events as numbered lines."""
    span = data.span()
    if span is None:
        return _svg(40, ['<text x="10" y="24">Nothing recorded in this period.</text>'], "Timeline")
    first, last = span
    x0, k, o = _x_of(first, last)
    sensations = sorted({s.sensation for s in data.sensations})
    top, plot_h, strip_h = 14, 170, 14
    strips_y = top + plot_h + 40
    height = strips_y + strip_h * len(sensations) + 8
    body = _axis(first, last, top + plot_h, plot_h)
    for value in (0, 25, 50, 75, 100):
        y = top + plot_h - value / 100 * plot_h
        body.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    for key, colour, dash in (("tonus", _TONUS, ""), ("movement", _MOVEMENT, ' stroke-dasharray="6 3"')):
        points = [
            (x0 + (_ordinal(t.at) - o) * k, top + plot_h - v / 100 * plot_h)
            for t in data.tests
            if (v := getattr(t, key)) is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
            body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points)
    labelled = -1e9  # numbers closer than a label's width would overprint: the list below names them all
    for number, event in enumerate(data.events, 1):
        x = x0 + (_ordinal(event.at) - o) * k
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 8}" stroke="{_EVENT}" '
            f'stroke-dasharray="2 2"><title>{esc(event.label)}</title></line>'
        )
        if x - labelled >= 7 * len(str(number)) + 4:
            body.append(f'<text x="{x + 2:.1f}" y="{top - 3}" fill="{_EVENT}">{number}</text>')
            labelled = x
    day_w = max(k, 1.0)
    for row, sensation in enumerate(sensations):
        y = strips_y + row * strip_h
        body.append(
            f'<text x="{x0 - 6}" y="{y + 10}" text-anchor="end">{esc(sensation.replace("_", " "))}</text>'
        )
        strip = f'x="{x0}" y="{y + 1}" width="{WIDTH - _RIGHT - x0}" height="{strip_h - 2}"'
        body.append(f'<rect {strip} fill="#f6f6f6"/>')
        for s in data.sensations:
            if s.sensation == sensation and s.intensity > 0:
                x = x0 + (s.day.toordinal() - o) * k
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 1}" width="{day_w:.1f}" height="{strip_h - 2}" '
                    f'fill="{_SENSATION}" fill-opacity="{s.intensity / 10:.2f}"/>'
                )
    body.append(f'<text x="{x0}" y="{strips_y - 5}">Sensations: darker = stronger (0–10)</text>')
    return _svg(height, body, "Tonus, movement, sensations and events over time")


def regions_svg(
    series: dict[str, list[tuple[datetime, float]]], noise: dict[str, float], first: date, last: date
) -> str:
    """Oriented resting asymmetry per region (mm) over time, with the noise band around the first test."""
    panel_h, gap = 90, 26
    regions = [r for r in series if series[r]]
    height = max(len(regions), 1) * (panel_h + gap) + 10
    x0, k, o = _x_of(first, last)
    body: list[str] = []
    values = [v for r in regions for _, v in series[r]]
    limit = max([3.0, *[abs(v) + 0.5 for v in values]])
    for i, region in enumerate(regions):
        top = 10 + i * (panel_h + gap)

        def y_of(v: float, top: float = top) -> float:
            return top + panel_h / 2 - v / limit * panel_h / 2

        body.extend(_axis(first, last, top + panel_h, panel_h))
        start = series[region][0][1]
        band = noise.get(region, 0.0)
        body.append(
            f'<rect x="{x0}" y="{y_of(start + band):.1f}" width="{WIDTH - _RIGHT - x0}" '
            f'height="{y_of(start - band) - y_of(start + band):.1f}" fill="#e3ecf7"/>'
        )
        body.append(
            f'<line x1="{x0}" y1="{y_of(0):.1f}" x2="{WIDTH - _RIGHT}" y2="{y_of(0):.1f}" stroke="#999"/>'
        )
        body.append(
            f'<text x="{x0 - 6}" y="{top + 12}" text-anchor="end" font-weight="bold">{esc(region)}</text>'
        )
        body.append(f'<text x="{x0 - 6}" y="{top + 26}" text-anchor="end">{limit:+.0f} mm</text>')
        body.append(f'<text x="{x0 - 6}" y="{top + panel_h}" text-anchor="end">{-limit:+.0f} mm</text>')
        points = [(x0 + (_ordinal(t) - o) * k, y_of(v)) for t, v in series[region]]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{_TONUS}" stroke-width="2"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{_TONUS}"/>' for x, y in points)
    return _svg(height, body, "Resting asymmetry per region over time, in mm")


def poses_svg(rows: Sequence[tuple[str, float | None, float | None]]) -> str:
    """Movement per pose (0–100): the first test as a light bar, the latest as a dark bar beneath it."""
    bar, gap = 9, 8
    height = len(rows) * (2 * bar + gap) + 24
    x0 = 110
    scale = (WIDTH - x0 - 60) / 100
    body = []
    for value in (0, 50, 100):
        x = x0 + value * scale
        body.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#ddd"/>')
        body.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{value}</text>')
    for i, (pose, first, latest) in enumerate(rows):
        y = 6 + i * (2 * bar + gap)
        body.append(
            f'<text x="{x0 - 6}" y="{y + bar + 3}" text-anchor="end">{esc(pose.replace("_", " "))}</text>'
        )
        for j, (score, colour) in enumerate(((first, "#b0bec5"), (latest, _MOVEMENT))):
            if score is None:
                continue
            body.append(
                f'<rect x="{x0}" y="{y + j * bar}" width="{max(score, 0) * scale:.1f}" height="{bar - 1}" '
                f'fill="{colour}"/><text x="{x0 + max(score, 0) * scale + 4:.1f}" y="{y + j * bar + 8}">'
                f"{score:.0f}</text>"
            )
    return _svg(height, body, "Movement per pose: first test (light) and latest (dark)")


def recovery_svg(data: ChartData) -> str:
    """The recovery chart of the terminal, as SVG: tone and movement in % of recovery over weeks.

    Drawn from the same `recovery_view` as `tonus chart`: 0 % is the person's worst test, 100 %
    symmetric at rest / full movement; each line's noise band shaded; the recovery signal's onsets as
    labelled vertical lines; the x axis in weeks since onset (since the first test without an onset).
    """
    view = recovery_view(data)
    if view is None or not view.points:
        return _svg(40, ['<text x="10" y="24">No test in this period.</text>'], "Recovery")
    top, plot_h = 14, 190
    lo, hi = min(view.first, 1.0), max(view.last, view.first + 1.0)
    k = (WIDTH - _LEFT - _RIGHT) / (hi - lo)

    def x_of(week: float) -> float:
        return _LEFT + (week - lo) * k

    def y_of(value: float) -> float:
        return top + plot_h - value / 100 * plot_h

    body: list[str] = []
    for value in (0, 25, 50, 75, 100):
        y = y_of(value)
        body.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value} %</text>')
    step = max(1, round((hi - lo) / 10))
    for week in range(max(1, math.ceil(lo)), math.floor(hi) + 1, step):
        x = x_of(week)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#f0f0f0"/>')
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 13}" text-anchor="middle">{week}</text>')
    unit = "weeks since onset" if view.from_onset else "weeks since the first test"
    body.append(f'<text x="{_LEFT}" y="{top + plot_h + 28}">{esc(unit)}</text>')
    bands = ((view.scale.tone_band, _TONUS), (view.scale.movement_band, _MOVEMENT))
    for band, colour in bands:
        if band is not None:
            y1, y2 = y_of(band.high), y_of(band.low)
            size = f'width="{WIDTH - _RIGHT - _LEFT}" height="{max(y2 - y1, 0.5):.1f}"'
            body.append(f'<rect x="{_LEFT}" y="{y1:.1f}" {size} fill="{colour}" fill-opacity="0.10"/>')
    for key, colour, dash in (("tone", _TONUS, ""), ("movement", _MOVEMENT, ' stroke-dasharray="6 3"')):
        points = [(x_of(p.week), y_of(v)) for p in view.points if (v := getattr(p, key)) is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
            body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points)
    for row, (mark, at) in enumerate(view.marks):
        x = x_of(at)
        colour = _TONUS if mark.what == "tone" else _MOVEMENT
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{colour}"/>')
        body.append(
            f'<text x="{x + 3:.1f}" y="{top + 10 + 12 * row}" fill="{colour}">'
            f"{esc(mark.what)} returns, week {mark.week}</text>"
        )
    return _svg(top + plot_h + 36, body, "Recovery of tone and movement over the weeks")
