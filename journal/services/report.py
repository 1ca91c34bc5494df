"""Present an analysis: the `tonus analyze --json` contract and a readable table."""

from __future__ import annotations

from typing import Any

from journal.protocol import REGIONS
from journal.scoring.measures import SIDE_INDEX, F
from journal.scoring.scores import movement_sdc
from journal.scoring.session import SessionScores
from journal.scoring.version import SCORER_VERSION
from journal.services.analysis import Analysis


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """Return the `tonus analyze --json` object (scores 0–100, millimetres, subject's sides)."""
    scores = analysis.scores
    poses: dict[str, Any] = {}
    if scores is not None:
        for name, ps in scores.poses.items():
            cap = analysis.captures[name]
            mm = ps.aggregate.measures_mm
            poses[name] = {
                "frames": cap.frames,
                "frames_used": ps.aggregate.frames_used,
                "symmetry": _num(ps.aggregate.symmetry),
                "regions": {r: {s: _num(mm[i, F[r]]) for s, i in SIDE_INDEX.items()} for r in REGIONS},
                "movement": None
                if ps.movement is None
                else {
                    "score": _num(ps.movement.score),
                    "left": _num(ps.movement.left),
                    "right": _num(ps.movement.right),
                    "sdc": _num(movement_sdc(name), 1),
                },
                "rejected": dict(cap.rejected),
            }
    return {
        "scorer_version": scores.scorer_version if scores else SCORER_VERSION,
        "affected_side": scores.affected_side if scores else None,
        "affected_side_source": scores.affected_side_source if scores else "unknown",
        "tonus": _num(scores.tonus) if scores else None,
        "movement": _num(scores.movement) if scores else None,
        "synkinesis": _num(scores.synkinesis) if scores else None,
        "rest_asymmetry": rest_asymmetry_json(scores),
        "poses": poses,
    }


def rest_asymmetry_json(scores: SessionScores | None) -> dict[str, Any] | None:
    """Oriented resting asymmetry per region: mm (affected − healthy, palsy direction positive) and
    its 95 % interval over the rest frames (null for a single photo); null without a side."""
    asym = scores.rest_asymmetry() if scores is not None else None
    if asym is None:
        return None
    return {
        r: {"mm": _num(v), "interval": None if iv is None else [_num(iv[0]), _num(iv[1])]}
        for r, (v, iv) in asym.items()
    }


def _fmt(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:.1f}{unit}"


def analysis_table(analysis: Analysis) -> str:
    """Return a plain-text summary a person can read in a terminal."""
    data = analysis_to_json(analysis)
    side = data["affected_side"]
    source = data["affected_side_source"]
    lines = [
        f"Tonus (resting symmetry): {_fmt(data['tonus'])} / 100",
        f"Movement:                 {_fmt(data['movement'])} / 100",
        f"Synkinesis (estimate):    {_fmt(data['synkinesis'])} points",
        f"Affected side:            {side or 'not clear'} ({source})",
        *_asymmetry_lines(data["rest_asymmetry"], side),
        "",
        "Sides are yours (anatomical). Regions in mm: brow above the inner eye corner, eye opening,",
        "nose base and mouth corner height against the inner eye corners.",
        "",
        f"{'pose':<12}{'frames':>8}{'sym':>7}  {'brow L/R':>11}  {'eye L/R':>9}  {'midface L/R':>12}"
        f"  {'mouth L/R':>12}  {'movement (L/R mm)':<22}",
    ]
    scores = analysis.scores
    for name, pose in data["poses"].items():
        regions = pose["regions"]
        cells = [f"{regions[r]['left']:.1f}/{regions[r]['right']:.1f}" for r in REGIONS]
        move = pose["movement"]
        note = scores.poses[name].note if scores else None
        if move is not None:
            move_text = f"{move['score']:.0f} ({move['left']:.1f}/{move['right']:.1f})"
        else:
            move_text = "–" if name == "rest" else (note or "–")
        lines.append(
            f"{name:<12}{pose['frames_used']:>4}/{pose['frames']:<3}{pose['symmetry']:>7.1f}  "
            f"{cells[0]:>11}  {cells[1]:>9}  {cells[2]:>12}  {cells[3]:>12}  {move_text}"
        )
        if pose["rejected"]:
            lines.append(
                "            rejected: " + ", ".join(f"{k} {v}" for k, v in pose["rejected"].items())
            )
    lines.append("")
    lines.append(f"scorer {data['scorer_version']}")
    return "\n".join(lines)


def _asymmetry_lines(asym: dict[str, Any] | None, side: str | None) -> list[str]:
    """Plain-words lines for the oriented resting asymmetry ("left mouth corner 2.1 mm lower")."""
    if asym is None or side is None:
        return []
    healthy = "right" if side == "left" else "left"
    names = {"brow": "brow", "eye": "eye", "midface": "nose base", "mouth": "mouth corner"}
    spans = any(v["interval"] for v in asym.values())
    lines = [
        f"At rest, your {side} side against your {healthy}"
        + (" (95 % interval over frames):" if spans else ":")
    ]
    for region, value in asym.items():
        more, less = ("wider", "narrower") if region == "eye" else ("lower", "higher")
        mm = value["mm"]
        interval = value["interval"]
        span = f"  [{interval[0]:+.1f}, {interval[1]:+.1f}]" if interval else ""
        lines.append(f"  {names[region]:<13} {abs(mm):.1f} mm {more if mm >= 0 else less}{span}")
    return lines
