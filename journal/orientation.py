"""Oriented resting asymmetry: affected minus healthy, in the direction a palsy moves each region.

A peripheral facial palsy lowers the brow, widens the eye, lowers the ala (nose base) and lowers the
mouth corner on the affected side. From the stored signed measures (left, right) in mm and the affected
side, each region's *oriented* asymmetry is positive when the affected side sits the way a palsy pulls
it and shrinks toward 0 as tone returns; a negative value means the affected side is now past the
healthy one (e.g. a corner pulled up by over-recovery).

This is a small local helper (issue 10); the scoring and recovery code get their own version in issue 8.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

#: +1 where a palsy makes the affected side's value larger (the eye opens wider), −1 where smaller
#: (brow, ala and mouth-corner heights drop).
PALSY_DIRECTION: Final[dict[str, int]] = {"brow": -1, "eye": 1, "midface": -1, "mouth": -1}


def oriented_regions(regions: Mapping[str, tuple[float, float]], affected: str | None) -> dict[str, float]:
    """Return each region's oriented asymmetry in mm (empty without a known affected side)."""
    if affected not in ("left", "right"):
        return {}
    out = {}
    for region, sign in PALSY_DIRECTION.items():
        if region in regions:
            left, right = regions[region]
            aff, healthy = (left, right) if affected == "left" else (right, left)
            out[region] = sign * (aff - healthy)
    return out


def oriented_mean(regions: Mapping[str, tuple[float, float]], affected: str | None) -> float | None:
    """Return the mean oriented asymmetry over the resting regions (mm), or None when it is unknown."""
    values = oriented_regions(regions, affected)
    return sum(values.values()) / len(values) if values else None
