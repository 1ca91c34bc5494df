"""Find each pose's hold in a video: the stretch of frames that shows it best, in protocol order.

Every frame gets a margin per pose (positive when it shows the pose, from `expression`), made
contrastive against the poses next to it in the protocol (gentle vs tight eye closure, closed vs
open smile, snarl vs big smile, lower teeth vs pucker). One pose: the stretch with the largest sum
of margins. A whole protocol: a monotone path through "between poses" and "holding pose k" states
that maximises the summed margins, so each pose is one stretch and the poses come in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from journal.models import FaceObservation
from journal.scoring import expression as ex

#: Margins are clipped to ±CLIP so one extreme frame cannot outweigh a steady hold.
CLIP: Final = 1.0
#: A hold shorter than this many frames is noise, not a pose.
MIN_FRAMES: Final = 3
_TINY: Final = 1e-3
#: Eyes count as open at rest below this blink score (healthy rest ≤ 0.24, closure ≥ 0.52).
REST_BLINK: Final = 0.45
EYES_OPEN: Final = frozenset({"brow_raise", "smile", "smile_teeth", "lower_teeth"})


@dataclass(frozen=True, slots=True)
class Hold:
    """One pose's hold: frame positions [start, stop) in the analysed sequence."""

    pose: str
    start: int
    stop: int


def _log(value: float) -> float:
    return float(np.log(max(value, _TINY)))


def rest_margin(shapes: Mapping[str, float], gap_mm: float) -> float:
    """Positive when the frame is neutral: minus the log of the worst ratio to the rest limits."""
    ratios = [ex.strongest(shapes, n) / lim for n, lim in ex.REST_LIMITS.items()]
    ratios.append(gap_mm / ex.REST_LIP_GAP_MM)
    ratios.append(ex.strongest(shapes, "eyeBlink") / REST_BLINK)  # rest has the eyes open
    return -_log(max(ratios))


def margins(shapes: Mapping[str, float], gap_mm: float, poses: Sequence[str]) -> np.ndarray:
    """Return each pose's contrastive margin for one frame (positive: the frame shows it)."""
    squeeze = _log(max(ex.strongest(shapes, "browDown") / 0.45, ex.strongest(shapes, "cheekSquint") / 0.3))
    teeth = _log(max(gap_mm / 3.0, ex.strongest(shapes, "mouthUpperUp") / 0.3))
    big_smile = _log(ex.strongest(shapes, "mouthSmile") / 0.7)
    puckered = _log(ex.strongest(shapes, "mouthPucker") / 0.5)
    # Poses done with the eyes open are not shown by closed eyes (a squeeze lifts the cheeks
    # into a smile-like reading: 0.4–0.5 on eyes_tight in a 720p video).
    closed = _log(ex.strongest(shapes, "eyeBlink") / REST_BLINK)
    out = np.empty(len(poses))
    for i, pose in enumerate(poses):
        if pose == "rest":
            out[i] = rest_margin(shapes, gap_mm)
            continue
        m = _log(ex.presence(pose, shapes, gap_mm))
        if pose in EYES_OPEN:
            m = min(m, -closed)
        if pose == "eyes_gentle":
            m = min(m, -squeeze)
        elif pose == "eyes_tight":
            m = min(m, squeeze)
        elif pose == "smile":
            m = min(m, -teeth)
        elif pose == "smile_teeth":
            m = min(m, teeth)
        elif pose == "snarl":
            m = min(m, -big_smile)
        elif pose == "lower_teeth":
            m = min(m, -puckered)
        out[i] = m
    clipped: np.ndarray = np.clip(out, -CLIP, CLIP)
    return clipped


def best_hold(margin: np.ndarray, pose: str) -> Hold | None:
    """The contiguous stretch with the largest summed margin (None when no frame shows the pose).

    A frame that does not show the pose costs a full CLIP, so two holds are never bridged.
    """
    best, best_start, best_stop = 0.0, 0, 0
    run, start = 0.0, 0
    for t, m in enumerate(np.where(margin > 0, margin, -CLIP)):
        if run <= 0.0:
            run, start = 0.0, t
        run += float(m)
        if run > best:
            best, best_start, best_stop = run, start, t + 1
    if best_stop - best_start < MIN_FRAMES:
        return None
    return Hold(pose, best_start, best_stop)


def protocol_holds(table: np.ndarray, poses: Sequence[str]) -> list[Hold]:
    """Split T frames (table: T×K margins, K poses in protocol order) into ordered holds.

    States 2k ("before pose k") and 2k+1 ("holding pose k"), then 2K ("after the last"); a path
    moves forward only, may skip a pose, and earns a frame's margin while holding its pose.
    """
    n_frames, k = table.shape
    n_states = 2 * k + 1
    reward = np.zeros((n_frames, n_states))
    reward[:, 1::2] = table
    score = np.full(n_states, -np.inf)
    score[0] = 0.0
    back = np.zeros((n_frames, n_states), dtype=np.intp)
    for t in range(n_frames):
        prev = score.copy()
        new = prev.copy()
        src = np.arange(n_states)
        # Forward moves: s-1 → s, and gap → next gap (skipping a pose).
        step = np.concatenate(([-np.inf], prev[:-1]))
        better = step > new
        new[better], src[better] = step[better], np.arange(n_states)[better] - 1
        skip = np.full(n_states, -np.inf)
        skip[2::2] = prev[0:-2:2]
        better = skip > new
        new[better], src[better] = skip[better], np.arange(n_states)[better] - 2
        score = new + reward[t]
        back[t] = src
    state = int(np.argmax(score))
    path = np.empty(n_frames, dtype=np.intp)
    for t in range(n_frames - 1, -1, -1):
        path[t] = state
        state = int(back[t, state])
    holds = []
    for j in range(k):
        idx = np.flatnonzero(path == 2 * j + 1)
        if len(idx) >= MIN_FRAMES:
            holds.append(Hold(poses[j], int(idx[0]), int(idx[-1]) + 1))
    return holds


@dataclass(frozen=True, slots=True, eq=False)
class StreamFrame:
    """One tracked video frame: its index in the file, its time and what the tracker saw."""

    index: int
    timestamp_ms: int
    observation: FaceObservation | None


@dataclass(frozen=True, slots=True)
class FoundHold:
    """Where a pose was found in a video, in seconds."""

    pose: str
    source: str
    start_s: float
    end_s: float
    frames: int

    def describe(self) -> str:
        """Say where it is, for people: "smile 16.2–19.8 s"."""
        return f"{self.pose} {self.start_s:.1f}–{self.end_s:.1f} s"


def frame_margins(seen: Sequence[StreamFrame], poses: Sequence[str]) -> np.ndarray:
    """The T×K margin table of tracked frames (a frame without a face shows no pose)."""
    table = np.full((len(seen), len(poses)), -CLIP)
    for t, item in enumerate(seen):
        obs = item.observation
        if obs is not None:
            table[t] = margins(obs.blendshapes, ex.lip_gap_mm(obs.points_3d()), poses)
    return table


def assign_holds(
    seen: Sequence[StreamFrame], poses: Sequence[str], source: str
) -> tuple[list[FoundHold], dict[str, list[StreamFrame]]]:
    """Find the holds of `poses` (one pose: its best stretch; more: the protocol in order).

    Returns the holds found and, per pose, the frames inside its hold.
    """
    if not seen:
        return [], {}
    table = frame_margins(seen, poses)
    if len(poses) == 1:
        one = best_hold(table[:, 0], poses[0])
        found = [one] if one is not None else []
    else:
        found = protocol_holds(table, poses)
    times = np.array([item.timestamp_ms for item in seen], dtype=np.float64) / 1000.0
    step = float(np.median(np.diff(times))) if len(times) > 1 else 0.0
    holds, inside = [], {}
    for h in found:
        end = times[h.stop] if h.stop < len(times) else times[h.stop - 1] + step
        holds.append(FoundHold(h.pose, source, float(times[h.start]), float(end), h.stop - h.start))
        inside[h.pose] = list(seen[h.start : h.stop])
    return holds, inside
