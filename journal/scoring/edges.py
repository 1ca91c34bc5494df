"""Edges along a line of the image: where a lid margin or the lower edge of a brow really is.

The face model moves its lid and brow points by only part of a real shift (its shape prior), so the
capture layer samples the image along the vertical through each iris centre (journal.capture.refine)
and this module finds, in those intensity profiles, the edge nearest the model's guess. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

#: Profiles are sampled this many times per pixel.
SUBSAMPLE: Final = 4
#: An edge needs at least this contrast (grey levels across it) to be trusted.
MIN_CONTRAST: Final = 6.0
#: Two profiles must agree at least this well (normalised correlation) to be matched.
MIN_CORRELATION: Final = 0.5

Polarity = Literal["dark_to_bright", "bright_to_dark"]


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge's position along the profile (pixels from the profile's start) and its contrast."""

    position: float
    contrast: float


def smooth(profile: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian-smooth a 1-D profile (σ in samples), edges padded by reflection."""
    radius = max(1, int(3 * sigma))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / max(sigma, 1e-6)) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(np.asarray(profile, dtype=np.float64), radius, mode="reflect")
    out: np.ndarray = np.convolve(padded, kernel, mode="valid")
    return out


def find_edge(
    profile: np.ndarray, polarity: Polarity, guess: float, reach: float, sigma: float
) -> Edge | None:
    """The edge of `polarity` (going along the profile) near `guess`, within `reach` (samples).

    Edges are ranked by their gradient times a Gaussian prior around the guess (σ = reach/2), so a
    strong edge further away (an eyelid crease, lashes) does not win over the one the model points at.
    The position is refined to a fraction of a sample by a parabola through the gradient peak. None
    when no edge of that polarity has `MIN_CONTRAST` grey levels (a flat or blurred profile).
    """
    p = smooth(profile, sigma)
    grad = np.gradient(p)
    if polarity == "bright_to_dark":
        grad = -grad
    lo = max(1, int(np.floor(guess - reach)))
    hi = min(len(p) - 2, int(np.ceil(guess + reach)))
    if hi <= lo:
        return None
    idx = np.arange(lo, hi + 1)
    prior = np.exp(-0.5 * ((idx - guess) / (reach / 2)) ** 2)
    i = lo + int(np.argmax(np.maximum(grad[lo : hi + 1], 0.0) * prior))
    while i - 1 >= lo and grad[i - 1] > grad[i]:  # the prior only picks the edge: climb to its peak
        i -= 1
    while i + 1 <= hi and grad[i + 1] > grad[i]:
        i += 1
    # Contrast: the grey-level step across the edge, over one smoothing width each side.
    w = max(1, int(round(2 * sigma)))
    a, b = p[max(0, i - w)], p[min(len(p) - 1, i + w)]
    contrast = float(b - a) if polarity == "dark_to_bright" else float(a - b)
    if contrast < MIN_CONTRAST or grad[i] <= 0:
        return None
    y0, y1, y2 = grad[i - 1], grad[i], grad[i + 1]
    denom = y0 - 2 * y1 + y2
    offset = 0.5 * (y0 - y2) / denom if denom < 0 else 0.0
    return Edge(float(i + np.clip(offset, -0.5, 0.5)), contrast)


@dataclass(frozen=True, slots=True)
class Match:
    """How far one profile is shifted against another (samples) and how well they then agree (−1…1)."""

    shift: float
    correlation: float


def profile_offset(a: np.ndarray, b: np.ndarray, lo: int, hi: int, max_shift: int) -> Match | None:
    """The shift s (samples, to a fraction) at which `b[y + s]` best matches `a[y]` for y in [lo, hi).

    Matching is by normalised correlation, so a side that is darker or less contrasted as a whole
    (light from one side) still matches; the whole pattern (both edges of a brow, its hair) counts
    instead of one edge. None when the best match sits on the edge of the search (the pattern is
    not there) or agrees by less than `MIN_CORRELATION`.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    lo, hi = max(lo, max_shift), min(hi, len(a), len(b) - max_shift)
    if hi - lo < 4 or max_shift < 1:
        return None
    seg = a[lo:hi] - a[lo:hi].mean()
    shifts = np.arange(-max_shift, max_shift + 1)
    windows = np.lib.stride_tricks.sliding_window_view(b, hi - lo)[lo - max_shift : lo + max_shift + 1]
    centred = windows - windows.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(seg) * np.linalg.norm(centred, axis=1)
    scores = (centred @ seg) / np.maximum(norm, 1e-9)
    j = int(np.argmax(scores))
    if j in (0, len(scores) - 1) or scores[j] < MIN_CORRELATION:
        return None
    y0, y1, y2 = scores[j - 1], scores[j], scores[j + 1]
    denom = y0 - 2 * y1 + y2
    offset = float(np.clip(0.5 * (y0 - y2) / denom, -0.5, 0.5)) if denom < 0 else 0.0
    return Match(float(shifts[j] + offset), float(y1))
