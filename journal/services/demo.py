"""The sample journal behind `tonus demo`: a simulated recovery, loaded from recorded landmarks.

`sample_sessions/` (in a checkout) holds 14 weekly tests as MediaPipe landmarks and blendshapes
(`recovery.npz`), the journal around them (`journal.json`: profile, test times, entries, events) and
the scores the real scorer gave them when they were made (`scores.json`, tagged with its version).
The landmarks come from a healthy volunteer's photos with a palsy simulated in landmark space; no
photo is stored, and the "key photos" shown here are line drawings made from the landmarks.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from journal.errors import UsageError
from journal.scoring.version import SCORER_VERSION
from journal.services.importer import PROTOCOL, as_side, rescore_session, scores_row
from journal.store import FrameRecord, NewFrame, NewPose, NewSession, PoseScores, Scores, Store

FRAMES_FILE = "recovery.npz"
JOURNAL_FILE = "journal.json"
SCORES_FILE = "scores.json"
SAMPLE_FILES = (FRAMES_FILE, JOURNAL_FILE, SCORES_FILE)
SAMPLES_DIRNAME = "sample_sessions"
#: Size of the drawn key photos (portrait, like a face crop).
DRAWING_SIZE = (300, 400)
_BACKGROUND = (244, 242, 237)
_FACE = (226, 219, 209)
_MESH = (206, 199, 190)
_CONTOUR = (40, 48, 66)
_CAPTION = "sample data: drawn from landmarks"
#: Poses that get a drawn key photo (the Results screen compares the rest photos; drawing is ~25 ms).
KEY_PHOTO_POSES = ("rest",)


@dataclass(frozen=True, slots=True)
class SampleTest:
    """One weekly test of the sample journal, with the simulation's truth for that week."""

    week: int
    taken_at: datetime
    tiredness: int | None
    note: str | None
    truth: dict[str, float]


@dataclass(frozen=True, slots=True, eq=False)
class Samples:
    """Everything in `sample_sessions/`, read and checked."""

    folder: Path
    profile: dict[str, Any]
    tests: list[SampleTest]
    entries: list[dict[str, Any]]
    events: list[dict[str, Any]]
    scorer_version: str
    scores: list[dict[str, Any]]
    poses: tuple[str, ...]
    blendshape_names: tuple[str, ...]
    landmarks: np.ndarray  # tests × poses × frames × 478 × 3, float32
    blendshapes: np.ndarray  # tests × poses × frames × names, float32
    sizes: np.ndarray  # tests × poses × frames × (width, height)
    angles: np.ndarray  # tests × poses × frames × (yaw, pitch), degrees
    mesh_edges: np.ndarray  # E × 2 landmark pairs (the face mesh)
    contour_edges: np.ndarray  # C × 2 landmark pairs (eyes, brows, lips, oval, irises)

    def frame_records(self, test: int) -> dict[str, list[FrameRecord]]:
        """Return one test's frames by pose, as the journal would hand them to the scorer."""
        out: dict[str, list[FrameRecord]] = {}
        for p, pose in enumerate(self.poses):
            out[pose] = [
                FrameRecord(
                    pose=pose,
                    index=f,
                    landmarks=self.landmarks[test, p, f],
                    blendshapes=self._shapes(test, p, f),
                    yaw=float(self.angles[test, p, f, 0]),
                    pitch=float(self.angles[test, p, f, 1]),
                    width=int(self.sizes[test, p, f, 0]),
                    height=int(self.sizes[test, p, f, 1]),
                )
                for f in range(self.landmarks.shape[2])
            ]
        return out

    def _shapes(self, test: int, pose: int, frame: int) -> dict[str, float]:
        values = self.blendshapes[test, pose, frame]
        return {name: float(v) for name, v in zip(self.blendshape_names, values, strict=True)}


def find_samples() -> Path | None:
    """Return the sample sessions: the checkout's `sample_sessions/`, else the installed copy, or None.

    A wheel carries them inside the package as `journal/sample_sessions/` (see setup.py).
    """
    package = Path(__file__).resolve().parent.parent  # journal/
    for folder in (package.parent / SAMPLES_DIRNAME, package / SAMPLES_DIRNAME):
        if all((folder / name).is_file() for name in SAMPLE_FILES):
            return folder
    return None


def _damaged(folder: Path, why: str) -> UsageError:
    return UsageError(
        f"The sample sessions in {folder} are damaged ({why}): check the folder out again "
        "or regenerate it with sample_sessions/make_samples.py."
    )


def stored_scorer_version(folder: Path) -> str:
    """Return the scorer version that scored the samples (read without loading the frames)."""
    try:
        data = json.loads((folder / SCORES_FILE).read_text(encoding="utf-8"))
        return str(data["scorer_version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(folder, f"{SCORES_FILE}: {exc}") from exc


def read_samples(folder: Path) -> Samples:
    """Read and check `sample_sessions/`; a missing or damaged file raises a UsageError."""
    missing = [name for name in SAMPLE_FILES if not (folder / name).is_file()]
    if missing:
        raise UsageError(
            f"{folder} holds no sample sessions ({', '.join(missing)} missing): "
            "run `tonus demo` from a Tonus checkout."
        )
    try:
        journal = json.loads((folder / JOURNAL_FILE).read_text(encoding="utf-8"))
        scores = json.loads((folder / SCORES_FILE).read_text(encoding="utf-8"))
        with np.load(folder / FRAMES_FILE, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        tests = [
            SampleTest(
                week=int(t["week"]),
                taken_at=datetime.fromisoformat(t["taken_at"]),
                tiredness=t.get("tiredness"),
                note=t.get("note"),
                truth=dict(t.get("truth", {})),
            )
            for t in journal["tests"]
        ]
        samples = Samples(
            folder=folder,
            profile=dict(journal["profile"]),
            tests=tests,
            entries=list(journal["entries"]),
            events=list(journal["events"]),
            scorer_version=str(scores["scorer_version"]),
            scores=list(scores["tests"]),
            poses=tuple(str(p) for p in arrays["poses"]),
            blendshape_names=tuple(str(n) for n in arrays["blendshape_names"]),
            landmarks=arrays["landmarks"],
            blendshapes=arrays["blendshapes"],
            sizes=arrays["sizes"],
            angles=arrays["angles"],
            mesh_edges=arrays["mesh_edges"],
            contour_edges=arrays["contour_edges"],
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(folder, str(exc)) from exc
    n = len(samples.tests)
    shape = (n, len(samples.poses))
    if samples.landmarks.shape[:2] != shape or samples.landmarks.shape[3:] != (478, 3):
        raise _damaged(folder, f"landmarks of shape {samples.landmarks.shape} for {n} tests")
    if len(samples.scores) != n:
        raise _damaged(folder, f"{len(samples.scores)} scored tests for {n} tests")
    return samples


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def stored_scores(data: dict[str, Any], scorer_version: str) -> Scores:
    """Turn one test's compact stored scores back into the journal's row form."""
    poses = {
        pose: PoseScores(
            symmetry=_opt(p["symmetry"]),
            symmetry_interval=None if p.get("interval") is None else (p["interval"][0], p["interval"][1]),
            movement=_opt(p.get("movement")),
            movement_left=_opt(p.get("left")),
            movement_right=_opt(p.get("right")),
            regions={r: (float(lr[0]), float(lr[1])) for r, lr in p.get("regions", {}).items()},
            note=p.get("note"),
        )
        for pose, p in data["poses"].items()
    }
    return Scores(
        scorer_version=scorer_version,
        tonus=_opt(data["tonus"]),
        movement=_opt(data["movement"]),
        synkinesis=_opt(data["synkinesis"]),
        affected_side=data["affected_side"],
        affected_side_source=str(data["affected_side_source"]),
        mm_per_unit=float(data["mm_per_unit"]),
        side_evidence=_opt(data.get("side_evidence")),
        poses=poses,
    )


def _hull(points: np.ndarray) -> list[tuple[float, float]]:
    """Convex hull of 2-D points, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted({(float(x), float(y)) for x, y in points})

    def half(seq: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for p in seq:
            while len(out) >= 2:
                (ax, ay), (bx, by) = out[-2], out[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                out.pop()
            out.append(p)
        return out[:-1]

    return half(pts) + half(pts[::-1])


def draw_face(
    landmarks: np.ndarray, width: int, height: int, mesh: np.ndarray, contours: np.ndarray
) -> bytes:
    """Draw a face's landmarks as a line drawing (JPEG): a stand-in key photo that is nobody's picture.

    A plain silhouette with bold eyes, brows and lips, so it still reads at a terminal's few pixels.
    """
    from PIL import Image, ImageDraw

    out_w, out_h = DRAWING_SIZE
    ss = 2  # draw at twice the size, then shrink: smooth lines
    px = np.asarray(landmarks[:, :2], dtype=np.float64) * (width, height)
    lo, hi = px.min(axis=0), px.max(axis=0)
    scale = min(out_w / ((hi - lo)[0] * 1.3), out_h / ((hi - lo)[1] * 1.25)) * ss
    pts = (px - (lo + hi) / 2) * scale + (out_w * ss / 2, out_h * ss * 0.47)
    picture = Image.new("RGB", (out_w * ss, out_h * ss), _BACKGROUND)
    pen = ImageDraw.Draw(picture)
    r = 5 * ss
    hidden: set[int] = set()  # the iris of a closed eye
    for first, upper, lower in ((468, 159, 145), (473, 386, 374)):
        if abs(pts[lower][1] - pts[upper][1]) <= r:
            hidden.update(range(first, first + 5))
    pen.polygon(_hull(pts[:468]), fill=_FACE, outline=_CONTOUR, width=2 * ss)
    for edges, colour, line in ((mesh, _MESH, 1), (contours, _CONTOUR, 3 * ss)):
        for a, b in np.asarray(edges):
            if a not in hidden and b not in hidden:
                pen.line([tuple(pts[a]), tuple(pts[b])], fill=colour, width=line)
    for centre in {468, 473} - hidden:  # pupils
        x, y = pts[centre]
        pen.ellipse([x - r, y - r, x + r, y + r], fill=_CONTOUR)
    picture = picture.resize((out_w, out_h), Image.Resampling.LANCZOS)
    ImageDraw.Draw(picture).text((8, out_h - 16), _CAPTION, fill=(120, 120, 120))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def date_shift(samples: Samples, today: date | None) -> timedelta:
    """Whole weeks that move the last test into the week before `today` (none when `today` is None)."""
    if today is None or not samples.tests:
        return timedelta(0)
    last = max(t.taken_at for t in samples.tests).date()
    return timedelta(weeks=(today - last).days // 7)


@dataclass(frozen=True, slots=True)
class LoadedSamples:
    """What `load_samples` put into the journal."""

    sessions: list[int]
    entries: int
    events: int
    scorer_version: str
    rescored: bool
    shift: timedelta


def _session(samples: Samples, i: int, scores: Scores, shift: timedelta, photos: bool) -> NewSession:
    test = samples.tests[i]
    by_pose = samples.frame_records(i)
    poses = []
    for p, pose in enumerate(samples.poses):
        records = by_pose[pose]
        key = len(records) // 2
        photo = None
        if photos and pose in KEY_PHOTO_POSES:
            photo = draw_face(
                samples.landmarks[i, p, key],
                int(samples.sizes[i, p, key, 0]),
                int(samples.sizes[i, p, key, 1]),
                samples.mesh_edges,
                samples.contour_edges,
            )
        frames = [
            NewFrame(
                index=r.index,
                landmarks=np.asarray(r.landmarks, dtype=np.float32),
                blendshapes=r.blendshapes,
                yaw=r.yaw,
                pitch=r.pitch,
                width=r.width,
                height=r.height,
            )
            for r in records
        ]
        poses.append(NewPose(pose, len(frames), len(frames), {}, photo, frames))
    return NewSession(
        taken_at=test.taken_at + shift,
        protocol=PROTOCOL,
        scorer_version=scores.scorer_version,
        source="demo",
        poses=poses,
        scores=scores,
        tiredness=test.tiredness,
        note=test.note,
    )


def load_samples(
    store: Store,
    samples_dir: Path,
    canonical: np.ndarray | None,
    *,
    today: date | None = None,
    photos: bool = True,
) -> LoadedSamples:
    """Load the sample journal into `store`: profile, tests (one transaction each), entries, events.

    The stored scores are used as they are when they come from this scorer version, or when there
    is no `canonical` mesh (no face model) to re-score with; otherwise every test is re-scored from
    its landmarks. With `today`, all dates move by whole weeks so the last test is in the past week.
    `photos` draws the rest pose's key photo from its landmarks.
    """
    samples = read_samples(samples_dir)
    shift = date_shift(samples, today)
    profile = samples.profile
    affected = as_side(profile.get("affected_side"))
    scale = _opt(profile.get("mm_per_unit"))
    onset = date.fromisoformat(profile["onset"]) + shift if profile.get("onset") else None
    store.set_profile(affected_side=affected, onset=onset, mm_per_unit=scale)
    rescore = canonical is not None and samples.scorer_version != SCORER_VERSION
    ids = []
    for i in range(len(samples.tests)):
        try:
            scores = stored_scores(samples.scores[i], samples.scorer_version)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise _damaged(samples_dir, f"{SCORES_FILE}, test {i + 1}: {exc!r}") from exc
        if rescore and canonical is not None:
            fresh = rescore_session(samples.frame_records(i), canonical, affected, scale)
            if fresh is not None:
                scores = scores_row(fresh)
        ids.append(store.add_session(_session(samples, i, scores, shift, photos)))
    try:
        for e in samples.entries:
            store.add_entry(
                datetime.fromisoformat(e["at"]) + shift,
                e["sensation"],
                int(e["intensity"]),
                side=e.get("side"),
                where=e.get("where"),
                note=e.get("note"),
            )
        for ev in samples.events:
            store.add_event(datetime.fromisoformat(ev["at"]) + shift, ev["kind"], ev["label"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _damaged(samples_dir, f"{JOURNAL_FILE}: {exc!r}") from exc
    version = SCORER_VERSION if rescore else samples.scorer_version
    return LoadedSamples(ids, len(samples.entries), len(samples.events), version, rescore, shift)


def demo_home() -> Path:
    """Create a private (0700) temporary directory for a demo journal; the caller removes it."""
    home = Path(tempfile.mkdtemp(prefix="tonus-demo-"))
    home.chmod(0o700)
    return home
