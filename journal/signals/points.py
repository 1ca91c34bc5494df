"""Weekly points for the recovery signal, built from the journal's history rows and stored scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

import numpy as np

if TYPE_CHECKING:
    from journal.store.rows import HistoryRow, Scores


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One weekly test: when, its tonus and movement (None when unscored) and optional rest details.

    `tonus_interval` is the rest pose's 95 % bootstrap interval over frames (None for a single photo);
    `rest_asymmetry_mm` is the mean left–right difference of the resting regions, in mm;
    `rest_oriented_mm` the oriented asymmetry per region (affected − healthy in the direction palsy
    moves it, mm; see `journal.scoring.asymmetry`), None when no side is known.
    """

    taken_at: datetime
    tonus: float | None
    movement: float | None
    tonus_interval: tuple[float, float] | None = None
    rest_asymmetry_mm: float | None = None
    rest_oriented_mm: Mapping[str, float] | None = None
    #: How the test's landmarks were measured (journal.scoring.version.LANDMARKS_*); None: not known.
    landmarks: str | None = None


#: Regions whose millimetres the landmark method changes (the lower lid and the brow are refined from
#: the image since tonus-scorer/5): compared only between tests whose landmarks were measured alike.
METHOD_REGIONS: Final[tuple[str, ...]] = ("brow", "eye")


def comparable(points: Sequence[WeekPoint], region: str) -> list[WeekPoint]:
    """The points (oldest first) whose `region` can be compared with the latest test's: every point,
    except for brow and eye, whose baseline restarts when the way landmarks are measured changed."""
    if region not in METHOD_REGIONS or not points:
        return list(points)
    latest = points[-1].landmarks
    return [p for p in points if p.landmarks == latest]


def measured_alike_since(points: Sequence[WeekPoint]) -> datetime | None:
    """When the brow and eye began to be measured as in the latest test, if earlier tests were measured
    another way (their baseline restarts then); None when every test was measured alike."""
    alike = comparable(points, METHOD_REGIONS[0])
    return alike[0].taken_at if alike and len(alike) < len(points) else None


def measured_alike_sentence(since: datetime) -> str:
    """Tell the person that brow and eye changes are counted afresh from `since`."""
    return (
        f"Your brow and eye are measured more finely from {since.day} {since:%b %Y}; "
        "changes are counted from then."
    )


def rest_asymmetry(regions: Mapping[str, tuple[float, float]]) -> float | None:
    """Mean |left − right| over the resting regions (mm); None without regions."""
    if not regions:
        return None
    return float(np.mean([abs(left - right) for left, right in regions.values()]))


def journal_side(
    scores_by_session: Mapping[int, Scores], given: str | None = None
) -> Literal["left", "right"] | None:
    """The affected side to orient every test by: the profile's, else the side most tests named."""
    if given in ("left", "right"):
        return "left" if given == "left" else "right"
    named = [s.affected_side for s in scores_by_session.values() if s.affected_side in ("left", "right")]
    if not named:
        return None
    left, right = named.count("left"), named.count("right")
    if left == right:
        return None
    return "left" if left > right else "right"


def points_from_history(
    rows: Sequence[HistoryRow], scores_by_session: Mapping[int, Scores], side: str | None = None
) -> list[WeekPoint]:
    """Build weekly points from the history (oldest first) and each test's scores, keyed by session id.

    The rest pose's interval and regions are used only when those scores are the same scorer version as
    the row's (the newest) scores, so old-version intervals never mix with new-version tonus. The
    oriented asymmetry uses one side for every test (`side`, else `journal_side`).
    """
    from journal.scoring.asymmetry import oriented_from_regions

    orient = journal_side(scores_by_session, side)
    points = []
    for row in rows:
        scores = scores_by_session.get(row.session.id)
        interval: tuple[float, float] | None = None
        asym: float | None = None
        oriented: dict[str, float] | None = None
        if scores is not None and scores.scorer_version == row.scorer_version:
            rest = scores.poses.get("rest")
            if rest is not None:
                interval = rest.symmetry_interval
                asym = rest_asymmetry(rest.regions)
                if orient is not None and rest.regions:
                    oriented = oriented_from_regions(rest.regions, orient)
        points.append(
            WeekPoint(
                row.session.taken_at, row.tonus, row.movement, interval, asym, oriented, row.session.landmarks
            )
        )
    return points
