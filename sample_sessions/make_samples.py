"""Regenerate the sample sessions: real landmarks of a healthy face, a simulated left facial palsy.

Run by hand from the repository root, with ../shared present (it is never run in CI):

    .venv/bin/python sample_sessions/make_samples.py [--shared ../shared] [--out sample_sessions]

1. The real face model (MediaPipe FaceLandmarker, mirror-averaged, as the app runs it) measures the
   protocol photos of one healthy volunteer (../shared/faces/protocol/p1a, and p1b, the same person on
   another day). Only the landmarks and blendshapes are kept; no pixel leaves ../shared.
2. Each photo's landmarks go into the head frame (the scorer's similarity fit onto the canonical mesh)
   and are scaled to millimetres with the face's own iris. A pose is then "rest + expression".
3. A LEFT peripheral palsy is simulated there, week by week: smooth displacement fields drop the left
   mouth corner, widen the left eye, lower the brow and the ala (with a little leakage to the healthy
   side); the left side's expression is scaled by a function-recovery factor. Tone returns from week
   ~5, movement from week ~8.
4. Each week gets its own repeat variation (a blend of the two sittings, a smooth random field, effort)
   and head pose; each of 5 frames per pose gets landmark jitter. The faces are projected into a
   640×480 webcam frame and written as MediaPipe-normalised landmarks.
5. The real scorer scores every week from those landmarks; the scores are stored with its version.

Outputs: recovery.npz (frames), journal.json (profile, tests, entries, events, simulation truth) and
scores.json (the scorer's output at generation time).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.capture.landmarker import MediaPipeLandmarker  # noqa: E402
from journal.capture.sources import load_image  # noqa: E402
from journal.models import FaceObservation  # noqa: E402
from journal.protocol import POSE_NAMES, Side  # noqa: E402
from journal.scoring import landmarks as lm  # noqa: E402
from journal.scoring.headframe import anchors_for_pose, umeyama  # noqa: E402
from journal.scoring.landmarks import mirror_permutation  # noqa: E402
from journal.scoring.measures import IRIS_DIAMETER_MM, SIDE_INDEX, F, measure  # noqa: E402
from journal.scoring.version import SCORER_VERSION  # noqa: E402
from journal.services.importer import rescore_session, scores_row  # noqa: E402
from journal.store import FrameRecord, Scores  # noqa: E402

SEED = 20260803
WEEKS = 14
FRAMES = 5
START = date(2026, 8, 3)  # a Monday; week 1's test
ONSET = date(2026, 7, 30)
AFFECTED: Side = "left"
CAMERA = (640, 480)
SOURCES = ("p1a", "p1b")
#: Worst resting deficit on the affected side (mm in the head frame): what the droop field produces.
DROOP_TARGET_MM = {"mouth": -3.0, "eye": 1.5, "brow": -2.5, "midface": -1.5}
#: How much of the affected side's droop shows on the healthy side (the face model prefers symmetry).
LEAKAGE = 0.15
#: How much closer to each other the model reads left and right blendshapes than the geometry moves.
BLENDSHAPE_PULL = 0.25
FRAME_JITTER_MM = 0.12  # per axis; ≈0.2 mm per landmark
REPEAT_MM = 0.5  # per week and pose
HOLD = (0.86, 0.95, 1.0, 0.99, 0.96)  # the expression's strength over the 5 frames of a hold


# --- the recovery --------------------------------------------------------------------------------


def tone_deficit(week: float) -> float:
    """Fraction of the worst resting droop left in `week` (1-based): full until ~4.5, half by 10."""
    return 1.0 if week <= 4.5 else float(0.5 ** ((week - 4.5) / 5.5))


def function_factor(week: float) -> float:
    """Fraction of normal voluntary movement on the affected side: ~0.05 to week 7, ~0.6 by week 14."""
    if week <= 7:
        return 0.05
    return float(min(0.05 + 0.55 * ((week - 7) / 7) ** 1.2, 0.65))


def brow_factor(week: float) -> float:
    """The frontal branch recovers last: the brow lags the rest of the face by a week and a half."""
    return function_factor(week - 1.5)


def synkinesis_mm(week: float) -> float:
    """Extra narrowing of the affected eye during smile and pucker (aberrant regrowth, from week ~11)."""
    return 2.0 * float(np.clip((week - 10.5) / 3.5, 0.0, 1.0))


# --- measuring the real photos -------------------------------------------------------------------


@dataclass
class Face:
    """One sitting of the volunteer in the head frame (mm): rest and each pose's expression."""

    rest: np.ndarray  # 478×3 mm
    expressions: dict[str, np.ndarray]  # pose -> 478×3 mm displacement from rest
    rest_shapes: dict[str, float]
    shapes: dict[str, dict[str, float]]
    z_mean: float  # mean normalised z of the observed rest (keeps MediaPipe's z offset)


def head_mm(obs: FaceObservation, canonical: np.ndarray, pose: str) -> tuple[np.ndarray, float]:
    """Return the observation in the head frame, in mm (scaled by its own iris), and mm per unit."""
    points = obs.points_3d()
    anchors = np.asarray(anchors_for_pose(pose))
    head = umeyama(points[anchors], canonical[anchors]).apply(points)
    iris = float(np.median(measure(head)[..., F["iris"]]))
    scale = IRIS_DIAMETER_MM / iris
    return head * scale, scale


def measure_sittings(faces: Path, model: Path) -> tuple[dict[str, Face], np.ndarray]:
    """Run the real landmarker on the volunteer's photos; return each sitting in the head frame."""
    sittings: dict[str, Face] = {}
    with MediaPipeLandmarker(model, stream=False) as landmarker:
        canonical = landmarker.canonical
        for source in SOURCES:
            folder = faces / "protocol" / source
            observed: dict[str, FaceObservation] = {}
            for photo in sorted(folder.glob("*.jpg")):
                obs = landmarker.detect(load_image(photo))
                if obs is None:
                    raise SystemExit(f"no face found in {photo}")
                observed[photo.stem] = obs
            rest_obs = observed.pop("rest")
            rest, scale = head_mm(rest_obs, canonical, "rest")
            expressions = {}
            for pose, obs in observed.items():
                points = obs.points_3d()
                anchors = np.asarray(anchors_for_pose(pose))
                head = umeyama(points[anchors], canonical[anchors]).apply(points) * scale
                expressions[pose] = head - rest
            sittings[source] = Face(
                rest=rest,
                expressions=expressions,
                rest_shapes=dict(rest_obs.blendshapes),
                shapes={p: dict(o.blendshapes) for p, o in observed.items()},
                z_mean=float(rest_obs.landmarks[:, 2].mean()),
            )
            print(f"{source}: rest + {', '.join(sorted(expressions))} (iris scale {scale:.3f} mm/unit)")
    return sittings, canonical


# --- displacement fields in the head frame (mm; +x = subject's left, y up, z toward the camera) --


def bump(points: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian weight of each point around `centre` (mm)."""
    d2 = ((points - centre) ** 2).sum(axis=-1)
    return np.asarray(np.exp(-d2 / (2 * radius**2)))


def affected_weight(points: np.ndarray) -> np.ndarray:
    """Smooth 0→1 weight across the midline: 1 on the affected (left, +x) side, 0.5 on the midline."""
    return np.asarray(1.0 / (1.0 + np.exp(-points[:, 0] / 3.0)))


def centre_of(points: np.ndarray, idx: tuple[int, ...] | int) -> np.ndarray:
    """Mean position of one or more landmarks."""
    return np.asarray(points[list(idx) if isinstance(idx, tuple) else [idx]].mean(axis=0))


def droop_components(rest: np.ndarray) -> dict[str, np.ndarray]:
    """Unit displacement fields (478×3 mm per mm of amplitude) for each resting deficit."""
    side = affected_weight(rest)
    down = np.array([0.0, -1.0, 0.0])
    up = -down

    def field(idx: tuple[int, ...] | int, radius: float, direction: np.ndarray) -> np.ndarray:
        return np.asarray(bump(rest, centre_of(rest, idx), radius)[:, None] * side[:, None] * direction)

    upper = field(lm.UPPER_LID["left"], 4.5, up)
    lower = field(lm.LOWER_LID["left"], 4.5, down)
    return {
        "mouth": field(lm.COMMISSURE["left"], 9.0, down),
        "eye": 0.4 * upper + 0.6 * lower,
        "brow": field(lm.BROW["left"], 12.0, down),
        "midface": field(lm.ALA["left"], 7.0, down),
    }


def with_leakage(field: np.ndarray, perm: np.ndarray, amount: float = LEAKAGE) -> np.ndarray:
    """Add a fraction of a one-sided field to the other side's partner landmarks (same vertical sign)."""
    mirrored = field[perm] * np.array([-1.0, 1.0, 1.0])
    return np.asarray(field + amount * mirrored)


def region_values(points_mm: np.ndarray, canonical: np.ndarray, pose: str = "rest") -> np.ndarray:
    """Measure head-frame mm points as the scorer does (re-aligned), returning 2×features in mm."""
    anchors = np.asarray(anchors_for_pose(pose))
    fit = umeyama(points_mm[anchors], canonical[anchors])
    return np.asarray(measure(fit.apply(points_mm)) / fit.scale)


def calibrated_droop(rest: np.ndarray, canonical: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """The full resting droop (478×3 mm), amplitudes solved so the affected side moves by the targets."""
    parts = droop_components(rest)
    names = list(DROOP_TARGET_MM)
    base = region_values(rest, canonical)[SIDE_INDEX["left"]]
    columns = []
    for name in names:
        moved = region_values(rest + parts[name], canonical)[SIDE_INDEX["left"]]
        columns.append([moved[F[r]] - base[F[r]] for r in names])
    gain = np.array(columns).T  # region change per unit amplitude of each component
    target = np.array([DROOP_TARGET_MM[r] for r in names])
    amplitude = np.linalg.solve(gain, target)
    field = sum((a * parts[n] for a, n in zip(amplitude, names, strict=True)), np.zeros_like(rest))
    # The mouth drifts toward the healthy side and the cheek sags (not scored, but real).
    side = affected_weight(rest)
    lips = bump(rest, centre_of(rest, (13, 14)), 14.0)
    field += (lips[:, None] * np.array([-1.0, 0.0, 0.0])) * 0.8
    field += bump(rest, centre_of(rest, lm.CHEEK["left"]), 14.0)[:, None] * side[:, None] * [0, -1.2, -0.5]
    return with_leakage(field, perm)


def recovery_weights(rest: np.ndarray, week: int) -> np.ndarray:
    """Per-landmark multiplier of the expression: 1 on the healthy side, the recovery on the other."""
    side = affected_weight(rest)
    brow_line = centre_of(rest, lm.UPPER_LID["left"])[1] + 6.0
    upper = 1.0 / (1.0 + np.exp(-(rest[:, 1] - brow_line) / 3.0))  # forehead and brows
    factor = (1 - upper) * function_factor(week) + upper * brow_factor(week)
    return np.asarray(1.0 - (1.0 - factor) * side)


def synkinesis_field(rest: np.ndarray, amount_mm: float) -> np.ndarray:
    """The affected eye narrowing by `amount_mm` (upper lid down 60 %, lower lid up 40 %)."""
    side = affected_weight(rest)
    upper = bump(rest, centre_of(rest, lm.UPPER_LID["left"]), 4.5)[:, None] * [0, -0.6, 0]
    lower = bump(rest, centre_of(rest, lm.LOWER_LID["left"]), 4.5)[:, None] * [0, 0.4, 0]
    return np.asarray((upper + lower) * side[:, None] * amount_mm)


def cheek_puff(rest: np.ndarray) -> np.ndarray:
    """A puffed-cheeks expression (no photo of it exists): cheeks out and forward, lips pressed."""
    out = np.zeros_like(rest)
    sides: tuple[tuple[Side, float], ...] = (("left", 1.0), ("right", -1.0))
    for side, sign in sides:
        w = bump(rest, centre_of(rest, lm.CHEEK[side]), 14.0)[:, None]
        out += w * np.array([3.2 * sign, -0.3, 3.8])
        corner = bump(rest, centre_of(rest, lm.COMMISSURE[side]), 5.0)[:, None]
        out += corner * np.array([-1.4 * sign, 0.2, 0.8])
    return out


def random_field(rng: np.random.Generator, rest: np.ndarray, sd_mm: float, bumps: int = 8) -> np.ndarray:
    """A smooth random displacement (a person never repeats a face exactly)."""
    out = np.zeros_like(rest)
    for centre in rng.choice(468, size=bumps, replace=False):
        out += bump(rest, rest[centre], 12.0)[:, None] * rng.normal(0.0, sd_mm, 3)
    return out


# --- the camera ----------------------------------------------------------------------------------


def rotation(yaw: float, pitch: float, roll: float) -> np.ndarray:
    """Head rotation (degrees): +yaw turns the face to the image's right, +pitch lifts the chin."""
    y, p, r = np.radians([yaw, pitch, roll])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rx = np.array([[1, 0, 0], [0, np.cos(p), np.sin(p)], [0, -np.sin(p), np.cos(p)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return np.asarray(ry @ rx @ rz)


@dataclass
class Shot:
    """Where the head is in the picture for one frame."""

    width_px: float
    centre: tuple[float, float]
    yaw: float
    pitch: float
    roll: float


def project(points_mm: np.ndarray, shot: Shot, z_mean: float) -> np.ndarray:
    """Put head-frame mm points into a 640×480 frame; return MediaPipe-normalised landmarks."""
    w, h = CAMERA
    face_mm = float(np.linalg.norm(points_mm[454] - points_mm[234]))
    centred = points_mm - points_mm[list(lm.NOSE_ANCHORS)].mean(axis=0)
    px = (shot.width_px / face_mm) * centred @ rotation(shot.yaw, shot.pitch, shot.roll).T
    norm = np.empty_like(px)
    norm[:, 0] = (px[:, 0] + shot.centre[0]) / w
    norm[:, 1] = (shot.centre[1] - px[:, 1]) / h
    norm[:, 2] = -px[:, 2] / w
    norm[:, 2] += z_mean - norm[:, 2].mean()
    return np.asarray(norm)


# --- blendshapes ---------------------------------------------------------------------------------


def palsy_shapes(
    rest: dict[str, float], pose: dict[str, float], factor: float, droop: float
) -> dict[str, float]:
    """Blendshapes of the palsied face: the affected (…Left) side moves `factor` of normal."""
    read = factor + BLENDSHAPE_PULL * (1 - factor)  # the model pulls the two sides together
    out = {}
    for name, value in pose.items():
        if name.endswith("Left"):
            value = rest.get(name, value) + (value - rest.get(name, value)) * read
        out[name] = value
    out["eyeWideLeft"] = out.get("eyeWideLeft", 0.0) + 0.08 * droop
    out["mouthFrownLeft"] = out.get("mouthFrownLeft", 0.0) + 0.06 * droop
    return out


# --- the journal ---------------------------------------------------------------------------------

NOTES = {
    "vibration": ["buzzing under the cheek", "humming near the ear", "like a phone on silent in the cheek"],
    "itching": ["itchy cheek", "itching around the eye"],
    "twitching": ["little jumps in the cheek", "corner of the mouth flickers", "eyelid twitching"],
    "tingling": ["pins and needles along the jaw", "tingling lip", "cheek fizzing"],
    "tightness": ["cheek feels stiff", "tight around the eye after exercises"],
    "pain": ["ache behind the ear", "sore behind the ear"],
    "tearing": ["eye watering while eating", "tears in the wind"],
    "dry_eye": ["gritty eye in the morning", "eye dry after screen work"],
    "taste": ["metallic taste on the left of the tongue"],
    "sound_sensitivity": ["loud sounds too loud on the left"],
}
WHERE = {
    "vibration": "cheek",
    "itching": "cheek",
    "twitching": "mouth",
    "tingling": "cheek",
    "tightness": "cheek",
    "pain": "ear",
    "tearing": "eye",
    "dry_eye": "eye",
    "taste": "mouth",
    "sound_sensitivity": "ear",
}


def sensation_rates(day: int, movement_week: int) -> dict[str, float]:
    """Expected entries per day for each sensation on day `day` since the first test (negative: before)."""
    week = day / 7 + 1
    before = float(np.exp(-(((week - (movement_week - 1.5)) / 1.4) ** 2)))  # 2–3 weeks before movement
    after = float(week > movement_week)
    early = float(np.exp(-max(day, 0) / 14))
    return {
        "vibration": 0.45 * early + 0.06,
        "itching": 0.30 * early + 0.05,
        "twitching": 0.06 + 0.90 * before + 0.15 * after,
        "tingling": 0.06 + 0.80 * before + 0.10 * after,
        "tightness": 0.15 * float(week > movement_week - 1),
        "pain": 0.50 * float(np.exp(-(day + 4) / 6)) + 0.03,
        "tearing": 0.20 * early + 0.05,
        "dry_eye": 0.35 * float(np.exp(-max(day, 0) / 30)) + 0.04,
        "taste": 0.30 * float(np.exp(-(day + 4) / 10)),
        "sound_sensitivity": 0.15 * float(np.exp(-(day + 4) / 12)),
    }


def make_entries(rng: np.random.Generator, days: int, movement_week: int) -> list[dict[str, Any]]:
    """Daily-ish journal entries, stronger and more frequent where the sensation is expected."""
    entries = []
    for day in range((ONSET - START).days + 1, days):
        for sensation, rate in sensation_rates(day, movement_week).items():
            for _ in range(rng.poisson(rate)):
                at = datetime.combine(START + timedelta(days=day), time(7)) + timedelta(
                    minutes=int(rng.integers(0, 15 * 60))
                )
                intensity = int(np.clip(round(rng.normal(2 + 6 * min(rate, 0.8), 1.3)), 1, 9))
                note = str(rng.choice(NOTES[sensation])) if rng.random() < 0.35 else None
                entries.append(
                    {
                        "at": at.isoformat(timespec="minutes"),
                        "sensation": sensation,
                        "intensity": intensity,
                        "side": "left",
                        "where": WHERE[sensation],
                        "note": note,
                    }
                )
    return sorted(entries, key=lambda e: str(e["at"]))


def make_events(movement_week: int) -> list[dict[str, str]]:
    """Medication at onset, an appointment, physiotherapy, the first movement and a follow-up."""

    def at(day: date, hour: int = 9) -> str:
        return datetime.combine(day, time(hour)).isoformat(timespec="minutes")

    first_move = START + timedelta(weeks=movement_week - 1)
    return [
        {"at": at(ONSET, 11), "kind": "appointment", "label": "GP: Bell's palsy diagnosed"},
        {"at": at(ONSET, 12), "kind": "medication", "label": "prednisolone 50 mg/day for 10 days"},
        {"at": at(ONSET + timedelta(days=2), 10), "kind": "appointment", "label": "eye care: tape at night"},
        {"at": at(START + timedelta(days=16), 15), "kind": "therapy", "label": "physiotherapy starts"},
        {"at": at(START + timedelta(days=39), 14), "kind": "appointment", "label": "ENT follow-up"},
        {"at": at(first_move - timedelta(days=2), 20), "kind": "milestone",
         "label": "first movement of the mouth corner"},
        {"at": at(START + timedelta(days=85), 15), "kind": "therapy",
         "label": "physiotherapy: mirror exercises for the smile"},
    ]  # fmt: skip


# --- assembling the weeks ------------------------------------------------------------------------


def blend(a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
    """Mix two sittings' arrays."""
    return np.asarray(alpha * a + (1 - alpha) * b)


def blend_shapes(a: dict[str, float], b: dict[str, float], alpha: float) -> dict[str, float]:
    """Mix two sittings' blendshapes."""
    return {k: alpha * a[k] + (1 - alpha) * b.get(k, a[k]) for k in a}


def generate(sittings: dict[str, Face], canonical: np.ndarray, rng: np.random.Generator) -> dict[str, Any]:
    """Simulate the 14 weeks; return arrays (week × pose × frame) and per-week truth."""
    perm = mirror_permutation(canonical)
    a, b = sittings["p1a"], sittings["p1b"]
    names = sorted(a.rest_shapes)
    n_poses = len(POSE_NAMES)
    landmarks = np.zeros((WEEKS, n_poses, FRAMES, 478, 3), dtype=np.float32)
    shapes = np.zeros((WEEKS, n_poses, FRAMES, len(names)), dtype=np.float32)
    sizes = np.zeros((WEEKS, n_poses, FRAMES, 2), dtype=np.int16)
    angles = np.zeros((WEEKS, n_poses, FRAMES, 2), dtype=np.float32)
    truth = []
    for w in range(WEEKS):
        week = w + 1
        alpha = float(rng.uniform(0.0, 1.0))  # this week's mix of the two sittings
        rest = blend(a.rest, b.rest, alpha)
        rest = rest + random_field(rng, rest, 0.35)
        rest_shapes = blend_shapes(a.rest_shapes, b.rest_shapes, alpha)
        droop = calibrated_droop(rest, canonical, perm) * tone_deficit(week)
        weights = recovery_weights(rest, week)
        head = Shot(
            width_px=float(rng.uniform(215, 250)),
            centre=(float(320 + rng.normal(0, 14)), float(232 + rng.normal(0, 10))),
            yaw=float(rng.normal(0, 2.5)),
            pitch=float(rng.normal(-2, 2.5)),
            roll=float(rng.normal(0, 2.0)),
        )
        truth.append(
            {
                "tone_deficit": round(tone_deficit(week), 3),
                "function": round(function_factor(week), 3),
                "brow_function": round(brow_factor(week), 3),
                "synkinesis_mm": round(synkinesis_mm(week), 2),
            }
        )
        for p, pose in enumerate(POSE_NAMES):
            if pose == "rest":
                expression = np.zeros_like(rest)
                pose_shapes = rest_shapes
            elif pose == "cheek_puff":
                expression = cheek_puff(rest)
                pose_shapes = dict(rest_shapes, mouthPucker=0.25, mouthPressLeft=0.2, mouthPressRight=0.2)
                pose_shapes["cheekPuff"] = 0.05
            else:
                have = [s for s in (a, b) if pose in s.expressions]
                mix = float(rng.uniform(0, 1)) if len(have) == 2 else 1.0
                expression = blend(have[0].expressions[pose], have[-1].expressions[pose], mix)
                pose_shapes = blend_shapes(have[0].shapes[pose], have[-1].shapes[pose], mix)
            effort = float(rng.normal(1.0, 0.07))
            repeat = random_field(rng, rest, REPEAT_MM) if pose != "rest" else 0.0
            synk = (
                synkinesis_field(rest, synkinesis_mm(week))
                if pose in ("smile", "smile_teeth", "pucker")
                else 0
            )
            factor = function_factor(week) if not pose.startswith("brow") else brow_factor(week)
            for f in range(FRAMES):
                hold = HOLD[f] * effort if pose != "rest" else 1.0
                face = rest + droop + expression * weights[:, None] * hold + repeat + synk * HOLD[f]
                face = face + rng.normal(0.0, FRAME_JITTER_MM, face.shape)
                shot = Shot(
                    width_px=head.width_px * float(rng.normal(1, 0.004)),
                    centre=(
                        head.centre[0] + float(rng.normal(0, 1.0)),
                        head.centre[1] + float(rng.normal(0, 1.0)),
                    ),
                    yaw=head.yaw + float(rng.normal(0, 0.4)) + (float(rng.normal(0, 0.8)) if f == 0 else 0),
                    pitch=head.pitch + float(rng.normal(0, 0.4)),
                    roll=head.roll + float(rng.normal(0, 0.3)),
                )
                landmarks[w, p, f] = project(face, shot, a.z_mean)
                fs = palsy_shapes(rest_shapes, pose_shapes, factor, tone_deficit(week))
                values = np.array([rest_shapes[n] + (fs.get(n, 0.0) - rest_shapes[n]) * hold for n in names])
                shapes[w, p, f] = np.clip(values + rng.normal(0, 0.012, len(names)), 0.0, 1.0)
                sizes[w, p, f] = CAMERA
                angles[w, p, f] = (shot.yaw, shot.pitch)
    return {
        "landmarks": landmarks,
        "blendshapes": shapes,
        "blendshape_names": np.array(names),
        "poses": np.array(POSE_NAMES),
        "sizes": sizes,
        "angles": angles,
        "truth": truth,
    }


def frame_records(data: dict[str, Any], w: int) -> dict[str, list[FrameRecord]]:
    """One week's frames as the journal would return them."""
    names = [str(n) for n in data["blendshape_names"]]
    out: dict[str, list[FrameRecord]] = {}
    for p, pose in enumerate(data["poses"]):
        out[str(pose)] = [
            FrameRecord(
                pose=str(pose),
                index=f,
                landmarks=data["landmarks"][w, p, f],
                blendshapes=dict(zip(names, map(float, data["blendshapes"][w, p, f]), strict=True)),
                yaw=float(data["angles"][w, p, f, 0]),
                pitch=float(data["angles"][w, p, f, 1]),
                width=int(data["sizes"][w, p, f, 0]),
                height=int(data["sizes"][w, p, f, 1]),
            )
            for f in range(FRAMES)
        ]
    return out


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def compact(scores: Scores) -> dict[str, Any]:
    """Scores in a compact JSON form (what journal.services.demo reads back)."""
    return {
        "tonus": _r(scores.tonus),
        "movement": _r(scores.movement),
        "synkinesis": _r(scores.synkinesis),
        "affected_side": scores.affected_side,
        "affected_side_source": scores.affected_side_source,
        "mm_per_unit": _r(scores.mm_per_unit, 6),
        "side_evidence": _r(scores.side_evidence),
        "poses": {
            pose: {
                "symmetry": _r(ps.symmetry),
                "interval": None if ps.symmetry_interval is None else [_r(v) for v in ps.symmetry_interval],
                "movement": _r(ps.movement),
                "left": _r(ps.movement_left),
                "right": _r(ps.movement_right),
                "regions": {r: [_r(lv), _r(rv)] for r, (lv, rv) in ps.regions.items()},
                "note": ps.note,
            }
            for pose, ps in scores.poses.items()
        },
    }


def score_weeks(data: dict[str, Any], canonical: np.ndarray) -> tuple[float, list[Scores]]:
    """Score every week with the real scorer; the mm scale is frozen from week 1's rest (as the app does)."""
    first = rescore_session(frame_records(data, 0), canonical, AFFECTED, None)
    assert first is not None
    scale = first.mm_per_unit
    out = []
    for w in range(WEEKS):
        scored = rescore_session(frame_records(data, w), canonical, AFFECTED, scale)
        if scored is None:
            raise SystemExit(f"week {w + 1} has no usable frame")
        out.append(scores_row(scored))
    return scale, out


def test_times(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Monday-morning tests, with the person's tiredness and an occasional note."""
    notes = {
        1: "first test, four days after onset",
        4: "slept badly",
        8: "felt the corner move when smiling!",
        11: "tired after work",
    }
    out = []
    for w in range(WEEKS):
        when = datetime.combine(START + timedelta(weeks=w), time(8, 30)) + timedelta(
            minutes=int(rng.integers(0, 100))
        )
        out.append(
            {
                "week": w + 1,
                "taken_at": when.isoformat(timespec="minutes"),
                "tiredness": int(np.clip(round(rng.normal(4 if w < 6 else 3, 1.2)), 0, 10)),
                "note": notes.get(w + 1),
            }
        )
    return out


def first_movement_week() -> int:
    """The first week whose function factor is clearly above the flaccid level."""
    return next(w for w in range(1, WEEKS + 1) if function_factor(w) >= 0.09)


def main() -> int:
    """Measure, simulate, score and write the sample sessions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    model = args.shared / "models" / "face_landmarker.task"
    sittings, canonical = measure_sittings(args.shared / "faces", model)
    rng = np.random.default_rng(SEED)
    data = generate(sittings, canonical, rng)
    scale, scores = score_weeks(data, canonical)

    from mediapipe.tasks.python.vision import FaceLandmarksConnections as C

    def pairs(conns: Any) -> np.ndarray:
        return np.array([(c.start, c.end) for c in conns], dtype=np.int16)

    np.savez_compressed(
        args.out / "recovery.npz",
        landmarks=data["landmarks"],
        blendshapes=data["blendshapes"],
        blendshape_names=data["blendshape_names"],
        poses=data["poses"],
        sizes=data["sizes"],
        angles=data["angles"],
        mesh_edges=pairs(C.FACE_LANDMARKS_TESSELATION),
        contour_edges=np.concatenate(
            [
                pairs(C.FACE_LANDMARKS_CONTOURS),
                pairs(C.FACE_LANDMARKS_LEFT_IRIS),
                pairs(C.FACE_LANDMARKS_RIGHT_IRIS),
            ]
        ),
    )
    movement_week = first_movement_week()
    days = (WEEKS - 1) * 7 + 1
    journal = {
        "about": (
            "Sample journal for `tonus demo`: a simulated left peripheral facial palsy, 14 weekly tests. "
            "Landmarks derive from a healthy volunteer's photos; the palsy is simulated. See README.md."
        ),
        "profile": {"affected_side": AFFECTED, "onset": ONSET.isoformat(), "mm_per_unit": round(scale, 6)},
        "tests": [dict(t, truth=truth) for t, truth in zip(test_times(rng), data["truth"], strict=True)],
        "entries": make_entries(rng, days, movement_week),
        "events": make_events(movement_week),
    }
    (args.out / "journal.json").write_text(json.dumps(journal, indent=1, ensure_ascii=False) + "\n")
    (args.out / "scores.json").write_text(
        json.dumps(
            {"scorer_version": SCORER_VERSION, "tests": [compact(s) for s in scores]}, separators=(",", ":")
        )
        + "\n"
    )
    print(f"scale {scale:.4f} mm/unit; first movement week {movement_week}")
    print("week  tone  func   tonus  movement  synk")
    for week, (t, s) in enumerate(zip(data["truth"], scores, strict=True), start=1):
        print(
            f"{week:>4}  {t['tone_deficit']:.2f}  {t['function']:.2f}  {s.tonus:6.1f}  "
            f"{s.movement or 0:8.1f}  {s.synkinesis or 0:4.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
