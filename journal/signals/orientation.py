"""Oriented resting asymmetry: affected minus healthy, in the direction a palsy moves each region.

A peripheral facial palsy lowers the brow, widens the eye, lowers the ala (nose base) and lowers the
mouth corner on the affected side. From the stored signed measures (left, right) in mm and the affected
side, each region's *oriented* asymmetry is positive when the affected side sits the way a palsy pulls
it and shrinks toward 0 as tone returns; a negative value means the affected side is now past the
healthy one (e.g. a corner pulled up by over-recovery).

The numbers come from `journal.scoring.asymmetry`, the one definition the scorer uses too.
"""

from __future__ import annotations

from collections.abc import Mapping

from journal.scoring.asymmetry import oriented_from_regions


def oriented_regions(regions: Mapping[str, tuple[float, float]], affected: str | None) -> dict[str, float]:
    """Return each region's oriented asymmetry in mm (empty without a known affected side)."""
    if affected == "left":
        return oriented_from_regions(regions, "left")
    if affected == "right":
        return oriented_from_regions(regions, "right")
    return {}


def oriented_mean(regions: Mapping[str, tuple[float, float]], affected: str | None) -> float | None:
    """Return the mean oriented asymmetry over the resting regions (mm), or None when it is unknown."""
    values = oriented_regions(regions, affected)
    return sum(values.values()) / len(values) if values else None
