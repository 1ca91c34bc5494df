"""What the clinician report shows, read from the journal in one go (`read_report`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from journal.charts import ChartData, load_charts, read_history_and_rest, window_start
from journal.protocol import POSE_NAMES, REGIONS
from journal.services.dashboard import noise_of, recovery_from_store
from journal.signals.leadlag import findings, leadlag_from_store
from journal.signals.noise import DEFAULT_REGION_SEM_MM, NoiseEstimate, estimate_noise
from journal.signals.orientation import oriented_regions
from journal.signals.recovery import RecoverySignal
from journal.signals.safety import SafetyNote, safety_from_store

if TYPE_CHECKING:
    from journal.store import PoseRecord, Profile, Scores, Store, TestSession


@dataclass(frozen=True, slots=True)
class TestView:
    """One test in the report: the session, its newest scores and its poses (counts, rejections)."""

    __test__ = False  # not a pytest test class, despite the name

    session: TestSession
    scores: Scores | None
    poses: list[PoseRecord]

    def oriented(self, affected: str | None) -> dict[str, float]:
        """Oriented resting asymmetry per region (mm), empty without a rest pose or a side."""
        rest = self.scores.poses.get("rest") if self.scores else None
        side = affected or (self.scores.affected_side if self.scores else None)
        return oriented_regions(rest.regions, side) if rest is not None else {}


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything in the report; `tests` are those in the chosen weeks, oldest first."""

    generated: datetime
    profile: Profile
    weeks: int | None
    tests: list[TestView]
    chart: ChartData
    signal: RecoverySignal
    noise: dict[str, NoiseEstimate]
    region_noise: dict[str, NoiseEstimate]
    safety: list[SafetyNote]
    leadlag: list[str]
    photos: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict)
    photo_tests: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)

    @property
    def affected(self) -> str | None:
        """The affected side: the person's, else the latest test's (given or inferred)."""
        if self.profile.affected_side:
            return self.profile.affected_side
        scored = [t.scores for t in self.tests if t.scores is not None]
        return scored[-1].affected_side if scored else None

    def weeks_since_onset(self, today: date) -> int | None:
        """Whole weeks from the palsy onset to `today`, or None when the onset is not known."""
        return (today - self.profile.onset).days // 7 if self.profile.onset else None

    def compared(self) -> tuple[TestView | None, TestView | None, TestView | None]:
        """The first test, the one before the latest ("last week") and the latest (None when absent)."""
        scored = [t for t in self.tests if t.scores is not None]
        if not scored:
            return None, None, None
        first = scored[0] if len(scored) > 1 else None
        previous = scored[-2] if len(scored) > 1 else None
        return first, previous, scored[-1]


def _photos(
    store: Store, tests: list[TestView]
) -> tuple[dict[str, tuple[bytes | None, bytes | None]], dict[str, tuple[datetime | None, datetime | None]]]:
    """Per pose, the first and the latest key photo in the tests (and when each was taken)."""
    photos: dict[str, tuple[bytes | None, bytes | None]] = {}
    when: dict[str, tuple[datetime | None, datetime | None]] = {}
    for pose in POSE_NAMES:
        having = [t for t in tests if any(p.pose == pose and p.has_photo for p in t.poses)]
        if not having:
            photos[pose], when[pose] = (None, None), (None, None)
            continue
        first, last = having[0], having[-1]
        first_photo = store.key_photo(first.session.id, pose)
        last_photo = store.key_photo(last.session.id, pose) if last is not first else None
        photos[pose] = (first_photo, last_photo)
        when[pose] = (first.session.taken_at, last.session.taken_at if last is not first else None)
    return photos, when


def region_noise(tests: list[TestView], affected: str | None) -> dict[str, NoiseEstimate]:
    """Each region's noise (mm) from the first tests' scatter, pooled with the region's typical SEM.

    The same figure as Home's and the recovery signal's (`journal.signals.noise.DEFAULT_REGION_SEM_MM`).
    """
    out: dict[str, NoiseEstimate] = {}
    for region in REGIONS:
        values = [v for t in tests if (v := t.oriented(affected).get(region)) is not None]
        out[region] = estimate_noise(values, (), DEFAULT_REGION_SEM_MM[region])
    return out


def read_report(store: Store, weeks: int | None = None, now: datetime | None = None) -> ReportData:
    """Read the journal for the report: the last `weeks` weeks of tests (all of them when None)."""
    now = now or datetime.now()
    since = window_start(weeks, now.date()) if weeks is not None else None
    sessions = [s for s in store.sessions() if since is None or s.taken_at.date() >= since]
    scores = store.latest_scores([s.id for s in sessions])
    tests = [TestView(s, scores.get(s.id), store.poses(s.id)) for s in sessions]
    profile = store.get_profile()
    read = read_history_and_rest(store)  # once for the signal, the lead-lag and the chart
    signal = recovery_from_store(store, *read)
    noise = noise_of(signal)
    photos, photo_tests = _photos(store, tests)
    upto = tests[-1].session.id if tests else None
    data = ReportData(
        generated=now,
        profile=profile,
        weeks=weeks,
        tests=tests,
        chart=load_charts(store, weeks, now.date(), signal, read=read),
        signal=signal,
        noise=noise,
        region_noise={},
        safety=safety_from_store(store, upto, noise) if tests else [],
        leadlag=findings(leadlag_from_store(store, *read)),
        photos=photos,
        photo_tests=photo_tests,
    )
    return replace(data, region_noise=region_noise(tests, data.affected))
