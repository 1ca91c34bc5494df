"""Measurement properties of the scorer on the shared photos (issue 8), one line per property.

Gains are measured with smooth warps of real rest photos (tests/warps.py) that keep the iris round:
measured change of the region's left−right difference / the true shift of the warped points, through
the landmarker the scorer uses (lower lid and brow refined from the image, journal/capture/refine.py);
the `*_model_alone` lines are the face model's points without that refinement, for comparison. Needs
../shared and the face model. Last line: measurement_ok=<true|false>.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import warps  # noqa: E402

from journal.capture.landmarker import MediaPipeLandmarker  # noqa: E402
from journal.capture.sources import load_image  # noqa: E402
from journal.models import FaceObservation  # noqa: E402
from journal.scoring.headframe import anchors_for_pose, to_head_frame  # noqa: E402
from journal.scoring.measures import SIDE_INDEX, F, measure, mm_per_unit  # noqa: E402
from journal.scoring.scores import movement_sdc  # noqa: E402
from journal.scoring.session import SessionScores, score_session  # noqa: E402
from journal.services.analysis import PoseCapture, add_frame, score_captures  # noqa: E402
from journal.services.dashboard import rest_changes  # noqa: E402
from journal.signals.points import WeekPoint  # noqa: E402

SHARED = Path(os.environ.get("TONUS_SHARED", ROOT.parent / "shared"))
FACES = SHARED / "faces"
MODEL = Path(os.environ.get("TONUS_FACE_MODEL", SHARED / "models" / "face_landmarker.task"))
#: Healthy rest photos warped for the gains (≥ 6 shared faces).
WARP_FACES = (
    *(f"protocol/{p}/rest.jpg" for p in ("p1a", "p1b", "p2", "p3", "p4")),
    *(f"expressions/yale/{s}_normal.jpg" for s in ("s08", "s12", "s14")),
)
HEALTHY_RESTS = (
    *(f"protocol/{p}/rest.jpg" for p in ("p1a", "p1b", "p2", "p3", "p4")),
    *(f"expressions/yale/{s}_normal.jpg" for s in ("s03", "s08", "s10", "s12", "s14")),
)
YALE_POSES = {"normal": "rest", "happy": "smile_teeth", "surprised": "brow_raise", "sleepy": "eyes_gentle"}
FOLDERS = ("p1a", "p1b", "p2", "p3", "p4")
DROOPS_MM = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
GAIN_TARGET = 0.6


def units(lm: MediaPipeLandmarker, obs: FaceObservation | None, pose: str) -> np.ndarray:
    """One photo's measures in head-frame units (2×features), without the quality gates."""
    assert obs is not None
    return measure(to_head_frame(obs.points_3d(), lm.canonical, anchors_for_pose(pose)))


def gain(
    lm: MediaPipeLandmarker,
    feature: str,
    warp: Callable[..., warps.Warp],
    sign: float,
    measure_with: MediaPipeLandmarker | None = None,
) -> tuple[list[float], float]:
    """Per face: change of the warped (left) side's `feature` minus the other side's, per true mm; and
    the largest |left − right| of that feature on the unwarped healthy faces (mm). The warp is placed
    with `lm`'s points; the measures come from `measure_with` (default `lm`)."""
    out, spread = [], 0.0
    reader = measure_with or lm
    for name in WARP_FACES:
        image = load_image(FACES / name)
        obs = lm.detect(image)
        before = units(lm, reader.detect(image), "rest")
        scale = mm_per_unit(before)
        spread = max(spread, abs(before[0, F[feature]] - before[1, F[feature]]) * scale)
        moved = warp(image, obs)
        after = units(lm, reader.detect(moved.image), "rest")
        d = (after - before)[:, F[feature]] * scale
        out.append(sign * (d[SIDE_INDEX["left"]] - d[SIDE_INDEX["right"]]) / moved.true_mm)
    return out, spread


def rest_scores(lm: MediaPipeLandmarker, image: np.ndarray, scale: float | None = None) -> SessionScores:
    """Score one rest photo through the gates with the left side given."""
    capture = PoseCapture("rest")
    add_frame(capture, image, lm.detect(image), lm.canonical)
    scores = score_captures([capture], None, "left", scale)
    assert scores is not None
    return scores


def smallest_droop(lm: MediaPipeLandmarker) -> tuple[float | None, int]:
    """The smallest mouth-corner droop seen beyond noise on every healthy rest face; faces checked."""
    worst = 0.0
    for name in HEALTHY_RESTS:
        image = load_image(FACES / name)
        obs = lm.detect(image)
        first = rest_scores(lm, image)
        seen = None
        for k in DROOPS_MM:
            second = rest_scores(lm, warps.shift(image, obs, "mouth", "left", k).image, first.mm_per_unit)
            t0 = datetime(2026, 11, 2)
            points = [
                WeekPoint(t0 + timedelta(weeks=i), s.tonus, None, rest_oriented_mm=_oriented(s))
                for i, s in enumerate((first, second))
            ]
            change = rest_changes(points, "left")["mouth"].since_last
            if change is not None and change.beyond_noise and change.delta > 0:
                seen = k
                break
        if seen is None:
            return None, len(HEALTHY_RESTS)
        worst = max(worst, seen)
    return worst, len(HEALTHY_RESTS)


def _oriented(scores: SessionScores) -> dict[str, float]:
    asym = scores.rest_asymmetry()
    assert asym is not None
    return {r: v for r, (v, _) in asym.items()}


def false_sides(lm: MediaPipeLandmarker) -> tuple[int, int]:
    """Healthy photos (alone) and healthy folders (whole) that name a side; and how many were checked."""
    photos = [
        (f"expressions/yale/{s}_{e}.jpg", p)
        for s in ("s03", "s08", "s10", "s12", "s14")
        for e, p in YALE_POSES.items()
    ]
    for folder in FOLDERS:
        photos += [
            (str(p.relative_to(FACES)), p.stem) for p in sorted((FACES / "protocol" / folder).glob("*.jpg"))
        ]
    named = sum(
        score_session({pose: units(lm, lm.detect(load_image(FACES / n)), pose)[None]}).affected_side
        is not None
        for n, pose in photos
    )
    for folder in FOLDERS:
        frames = {
            p.stem: units(lm, lm.detect(load_image(p)), p.stem)[None]
            for p in (FACES / "protocol" / folder).glob("*.jpg")
        }
        named += score_session(frames).affected_side is not None
    return named, len(photos) + len(FOLDERS)


def winks(lm: MediaPipeLandmarker) -> int:
    """Yale winks whose open eye is named from the wink photo alone."""
    named = 0
    for s in ("s03", "s08", "s10", "s12", "s14"):
        obs = lm.detect(load_image(FACES / f"expressions/yale/{s}_wink.jpg"))
        assert obs is not None
        opened = "left" if obs.blendshapes["eyeBlinkLeft"] < obs.blendshapes["eyeBlinkRight"] else "right"
        named += score_session({"eyes_gentle": units(lm, obs, "eyes_gentle")[None]}).affected_side == opened
    return named


def droop_named(lm: MediaPipeLandmarker) -> tuple[int, int, int]:
    """3 mm one-sided droops on healthy rest photos: (named right, named wrong, warps)."""
    right = wrong = 0
    for name in HEALTHY_RESTS:
        image = load_image(FACES / name)
        obs = lm.detect(image)
        for side in ("left", "right"):
            warp = warps.shift(image, obs, "mouth", side, 3.0)  # type: ignore[arg-type]
            found = score_session({"rest": units(lm, lm.detect(warp.image), "rest")[None]}).affected_side
            right += found == side
            wrong += found not in (None, side)
    return right, wrong, 2 * len(HEALTHY_RESTS)


def folder(lm: MediaPipeLandmarker, name: str) -> SessionScores:
    """Score a protocol folder through the gates."""
    captures: dict[str, PoseCapture] = {}
    for photo in sorted((FACES / "protocol" / name).glob("*.jpg")):
        image = load_image(photo)
        capture = captures.setdefault(photo.stem, PoseCapture(photo.stem))
        add_frame(capture, image, lm.detect(image), lm.canonical)
    scores = score_captures(captures.values(), None, None)
    assert scores is not None
    return scores


def expression_lines() -> list[tuple[str, bool]]:
    """The expression-check lines of bench/measurement_expression.py, when that file exists."""
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        from measurement_expression import lines  # type: ignore[import-not-found]
    except ImportError:
        return []
    result: list[tuple[str, bool]] = lines()
    return result


def refine_lines(lm: MediaPipeLandmarker, model_alone: MediaPipeLandmarker) -> list[str]:
    """The lines of bench/measurement_refine.py (the refinement at half the shift, and its noise)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from measurement_refine import lines  # type: ignore[import-not-found]

    result: list[str] = lines(lm, model_alone)
    return result


def main() -> int:
    """Print one line per property and the verdict."""
    if not FACES.exists() or not MODEL.exists():
        print(f"measurement: skipped, ../shared faces or the model not found ({FACES}, {MODEL})")
        print("measurement_ok=false")
        return 0
    lm = MediaPipeLandmarker(MODEL, stream=False)
    model_alone = MediaPipeLandmarker(MODEL, stream=False, refined=False)
    ok: list[bool] = []

    def report(text: str, good: bool) -> None:
        print(text)
        ok.append(good)

    try:
        for label, feature, warp, sign in (
            ("mouth", "mouth", lambda im, o: warps.shift(im, o, "mouth", "left", 2.0), -1.0),
            ("brow", "brow", lambda im, o: warps.shift(im, o, "brow", "left", 2.0), -1.0),
            ("lid", "eye", lambda im, o: warps.raise_lower_lid(im, o, "left", 1.5), -1.0),
        ):
            g, spread = gain(lm, feature, warp, sign)
            report(
                f"gain_{label}={np.median(g):.2f} min={min(g):.2f} max={max(g):.2f} faces={len(g)} "
                f"healthy_max_diff_mm={spread:.2f} (target ≥ {GAIN_TARGET} on every face)",
                min(g) >= GAIN_TARGET,
            )
            if label != "mouth":  # informational: the face model's points without the image refinement
                g, spread = gain(lm, feature, warp, sign, model_alone)
                print(
                    f"gain_{label}_model_alone={np.median(g):.2f} min={min(g):.2f} max={max(g):.2f} "
                    f"healthy_max_diff_mm={spread:.2f} (without journal/capture/refine.py, as before "
                    "tonus-scorer/5)"
                )
        for text in refine_lines(lm, model_alone):  # informational, like the model-alone gains above
            print(text)
        smallest, faces = smallest_droop(lm)
        report(
            f"smallest_detected_droop_mm={smallest if smallest is not None else 'none'} faces={faces} "
            "(mouth corner, beyond the default mm noise on every face; target ≤ 1.0)",
            smallest is not None and smallest <= 1.0,
        )
        right, wrong, total = droop_named(lm)
        # The target: every warp named, none wrong. On one rest photo a droop against the
        # face's own tilt cannot be told from a healthy face (bench/measurement_side.py, docs/method.md).
        report(
            f"droop3mm_side_named={right}/{total} wrong={wrong} (target: all named, none wrong)",
            wrong == 0 and right == total,
        )
        named, checked = false_sides(lm)
        report(f"healthy_false_sides={named} checked={checked}", named == 0)
        w = winks(lm)
        report(f"yale_winks_side_named={w}/5", w == 5)
        a, b = folder(lm, "p1a"), folder(lm, "p1b")
        for pose in (p for p in b.poses if p != "rest" and p in a.poses):
            ma, mb = a.poses[pose].movement, b.poses[pose].movement
            if ma is None or mb is None:
                report(f"p1a_p1b_{pose}=unscored", False)
                continue
            diff = ma.score - mb.score
            report(
                f"p1a_p1b_{pose}={diff:+.1f} sdc={movement_sdc(pose):.1f} (target |d| ≤ 10)", abs(diff) <= 10
            )
        assert a.movement is not None and b.movement is not None
        overall = a.movement - b.movement
        report(f"p1a_p1b_overall={overall:+.1f} (target |d| ≤ 5)", abs(overall) <= 5)
        lowest = min(
            ps.movement.score
            for f in FOLDERS
            for ps in folder(lm, f).poses.values()
            if ps.movement is not None
        )
        report(f"healthy_min_pose_movement={lowest:.1f} (target ≥ 80)", lowest >= 80)
    finally:
        lm.close()
        model_alone.close()
    for text, good in expression_lines():
        report(text, good)
    print(f"measurement_ok={'true' if all(ok) else 'false'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
