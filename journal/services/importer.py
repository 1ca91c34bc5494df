"""Bring tests into the journal: photo folders become stored sessions; stored frames are re-scored."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np

from journal.capture.photos import PhotoConditions, encode_jpeg, exif_datetime, photo_conditions
from journal.errors import NoFaceError, UsageError
from journal.models import FaceObservation
from journal.protocol import POSE_NAMES, REGIONS, Side
from journal.scoring.expression import RestReference
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.session import SessionScores, score_session
from journal.services.analysis import (
    Analysis,
    Analyzer,
    LandmarkerFactory,
    PoseCapture,
    Warn,
    add_observations,
    analyze_paths,
    score_captures,
)
from journal.store import FrameRecord, NewFrame, NewPose, NewSession, PoseScores, Scores, Store

PROTOCOL = "weekly-v1"
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp")


def as_side(value: str | None) -> Side | None:
    """Return a stored side as a `Side`, or None when it is unset or not left/right."""
    if value == "left":
        return "left"
    if value == "right":
        return "right"
    return None


def scores_row(scores: SessionScores) -> Scores:
    """Turn session scores into the journal's row form (per-region left/right mm per pose)."""
    poses: dict[str, PoseScores] = {}
    for name, ps in scores.poses.items():
        mm = ps.aggregate.measures_mm
        poses[name] = PoseScores(
            symmetry=ps.aggregate.symmetry,
            symmetry_interval=ps.aggregate.symmetry_interval,
            movement=None if ps.movement is None else ps.movement.score,
            movement_left=None if ps.movement is None else ps.movement.left,
            movement_right=None if ps.movement is None else ps.movement.right,
            regions={
                r: (float(mm[SIDE_INDEX["left"], F[r]]), float(mm[SIDE_INDEX["right"], F[r]]))
                for r in REGIONS
            },
            note=ps.note,
        )
    return Scores(
        scorer_version=scores.scorer_version,
        tonus=scores.tonus,
        movement=scores.movement,
        synkinesis=scores.synkinesis,
        affected_side=scores.affected_side,
        affected_side_source=scores.affected_side_source,
        mm_per_unit=scores.mm_per_unit,
        side_evidence=scores.side_evidence,
        poses=poses,
    )


def new_pose(capture: PoseCapture) -> NewPose:
    """Turn one pose's capture into what the journal stores: counts, frames used, key photo."""
    frames = [
        NewFrame(
            index=i,
            landmarks=np.asarray(obs.landmarks, dtype=np.float32),
            blendshapes=obs.blendshapes,
            yaw=obs.yaw_deg,
            pitch=obs.pitch_deg,
            width=obs.width,
            height=obs.height,
        )
        for i, obs in enumerate(capture.observations)
    ]
    photo = encode_jpeg(capture.key_image) if capture.key_image is not None else None
    return NewPose(
        pose=capture.pose,
        frames_seen=capture.frames,
        frames_used=len(capture.observations),
        rejected=dict(capture.rejected),
        key_photo_jpeg=photo,
        frames=frames,
    )


def folder_date(folder: Path) -> datetime | None:
    """Return the EXIF date of the folder's photos (the rest photo first), or None."""
    photos = sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES),
        key=lambda p: (p.stem.lower() != "rest", p.name),
    )
    for photo in photos:
        when = exif_datetime(photo)
        if when is not None:
            return when
    return None


def new_session(
    analysis: Analysis, taken_at: datetime, source: str, tiredness: int | None = None, note: str | None = None
) -> NewSession:
    """Assemble a whole test to store in one transaction."""
    order = {p: i for i, p in enumerate(POSE_NAMES)}
    captures = sorted(analysis.captures.values(), key=lambda c: order.get(c.pose, len(order)))
    return NewSession(
        taken_at=taken_at,
        protocol=PROTOCOL,
        scorer_version=analysis.scores.scorer_version if analysis.scores else "",
        source=source,
        poses=[new_pose(c) for c in captures if c.observations],
        scores=scores_row(analysis.scores) if analysis.scores else None,
        tiredness=tiredness,
        note=note,
    )


def with_photo_conditions(session: NewSession, analysis: Analysis) -> NewSession:
    """The session with each pose's photo EXIF conditions (time, orientation, camera) kept."""
    poses = []
    for pose in session.poses:
        capture = analysis.captures.get(pose.pose)
        sources = capture.sources if capture is not None else []
        found = photo_conditions(Path(sources[0])) if len(sources) == 1 else PhotoConditions()
        poses.append(
            replace(pose, photo_taken_at=found.taken_at, orientation=found.orientation, camera=found.camera)
        )
    return replace(session, poses=poses)


def import_folder(
    store: Store,
    folder: Path,
    make_landmarker: LandmarkerFactory,
    *,
    when: datetime | None = None,
    now: Callable[[], datetime] = datetime.now,
    warn: Warn | None = None,
    again: bool = False,
    names: Mapping[str, str] | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Analyse a folder of pose photos and store it as one test session; return its id.

    The date is `when`, else the photos' EXIF date, else now. Nothing is written when a photo has
    no usable face, so a half-measured week never enters the history, nor when the same photos are
    already stored (unless `again`). `names` gives the poses of photos not named after one (file
    name → pose); the expression check's word on each goes to `say`, and a photo that does not
    show its pose is left out, as the weekly test leaves out such a frame.
    """
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder: give a folder of photos named after poses (rest.jpg, …)")
    taken_at = when or folder_date(folder) or now()
    profile = store.get_profile()
    affected, scale = as_side(profile.affected_side), profile.mm_per_unit
    if names:
        analysis = analyze_named(folder, names, make_landmarker, affected, scale, warn, say)
    else:
        analysis = analyze_paths([folder], make_landmarker, affected=affected, scale=scale, warn=warn)
    if analysis.failures:
        raise NoFaceError(analysis.failures[0] + f"; nothing was imported from {folder}")
    session = with_photo_conditions(new_session(analysis, taken_at, "import"), analysis)
    twin = None if again else duplicate_of(store, session)
    if twin is not None:
        raise UsageError(
            f"The photos in {folder} are already stored as test {twin}: nothing was imported "
            "(add --again to store them a second time)."
        )
    return store.add_session(session)


def analyze_named(
    folder: Path,
    names: Mapping[str, str],
    make_landmarker: LandmarkerFactory,
    affected: Side | None,
    scale: float | None,
    warn: Warn | None,
    say: Callable[[str], None] | None,
) -> Analysis:
    """Analyse a folder whose unnamed photos get their pose from `names`, checking each one's expression.

    A named-by-`names` photo whose face does not show its pose is reported through `say` and left
    out (its pose has no usable frame); any other unusable photo stays a failure, as in `analyze`.
    """
    from journal.capture.sources import FolderSource
    from journal.capture.unnamed import verdict

    analyzer = Analyzer(make_landmarker, warn)
    try:
        analyzer.run_source(FolderSource(folder, warn=warn or (lambda _: None), given=names), None)
    finally:
        analyzer.close()
    failures = list(analyzer.failures)
    for name, pose in names.items():
        capture = analyzer.captures.get(pose)
        if capture is None:
            continue
        confirmed = bool(capture.observations)
        questioned = not confirmed and capture.rejected.get("wrong_expression", 0) > 0
        if questioned:  # left out, not a failure: the other photos are still stored
            failures = [f for f in failures if not f.startswith(f"no usable face in {folder / name} (")]
        if (confirmed or questioned) and say is not None:
            say(verdict(name, pose, confirmed))
    scores = score_captures(analyzer.captures.values(), None, affected, scale)
    if scores is None and not failures:
        failures.append(f"none of the photos in {folder} showed the pose given for it")
    return Analysis(analyzer.captures, scores, failures)


def duplicate_of(store: Store, session: NewSession) -> int | None:
    """The id of a stored test measured from the very same photos (identical landmarks), else None."""
    first = next((p for p in session.poses if p.frames), None)
    if first is None:
        return None
    mine = np.asarray(first.frames[0].landmarks, dtype=np.float32)
    # One query for every stored test's first frame of that pose (a ten-year journal holds 500 tests).
    for stored_id, landmarks in store.first_landmarks(first.pose):
        # Stored landmarks are packed (a 21-bit step, about 1e-6 of the frame): equal within 1e-5,
        # while two photos of one sitting differ by far more.
        if np.allclose(np.asarray(landmarks, dtype=np.float32), mine, rtol=0, atol=1e-5):
            return stored_id
    return None


def import_video(
    store: Store,
    video: Path,
    make_landmarker: LandmarkerFactory,
    *,
    when: datetime | None = None,
    now: Callable[[], datetime] = datetime.now,
    warn: Warn | None = None,
) -> tuple[int, Analysis]:
    """Find the protocol's poses in a video of the whole test and store it as one session.

    Returns the session id and the analysis (whose `holds` say where each pose was found). The
    date is `when`, else now. Nothing is written when no pose is found.
    """
    profile = store.get_profile()
    analysis = analyze_paths(
        [video],
        make_landmarker,
        affected=as_side(profile.affected_side),
        scale=profile.mm_per_unit,
        warn=warn,
    )
    if analysis.failures or analysis.scores is None:
        why = analysis.failures[0] if analysis.failures else f"no pose of the protocol found in {video}"
        raise NoFaceError(why + f"; nothing was imported from {video}")
    return store.add_session(new_session(analysis, when or now(), "import")), analysis


def observation(frame: FrameRecord) -> FaceObservation:
    """Rebuild a face observation from a stored frame (brightness is not stored: gates skip it)."""
    return FaceObservation(
        landmarks=np.asarray(frame.landmarks, dtype=np.float64),
        width=frame.width,
        height=frame.height,
        blendshapes=dict(frame.blendshapes),
        yaw_deg=frame.yaw or 0.0,
        pitch_deg=frame.pitch or 0.0,
    )


def rescore_session(
    frames: dict[str, list[FrameRecord]], canonical: np.ndarray, affected: Side | None, scale: float | None
) -> SessionScores | None:
    """Score stored frames again with the current scorer (None when no frame is usable now)."""
    captures: list[PoseCapture] = []
    rest: RestReference | None = None
    # Rest first, so the expression check of the other poses can use the travel from it.
    for pose, records in sorted(frames.items(), key=lambda item: item[0] != "rest"):
        capture = PoseCapture(pose, rest=None if pose == "rest" else rest)
        add_observations(capture, [observation(r) for r in records], canonical)
        captures.append(capture)
        if pose == "rest" and capture.measures:
            rest = RestReference.from_units(capture.units())
    usable = {c.pose: c.units() for c in captures if c.measures}
    if not usable:
        return None
    return score_session(usable, affected=affected, scale=scale)
