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


def find_band(profile: np.ndarray, centre: float, width: float, reach: float, sigma: float) -> Edge | None:
    """The centre of the darkest band `width` samples wide near `centre` (within `reach` samples).

    A band (an eyebrow seen along a vertical line) is scored by how much darker it is than the two
    strips of half its width either side, so a soft upper edge (light or sparse brow hair) and a
    blurred lower edge both count, and the band follows when the whole brow moves. The score is
    weighted by a Gaussian prior around `centre` (σ = reach/2) only to pick the band; the position is
    its score's peak, refined by a parabola. `contrast` is the grey-level difference. None when no
    band is `MIN_CONTRAST` darker than its surroundings.
    """
    p = smooth(profile, sigma)
    t = max(2, int(round(width)))
    half = max(1, t // 2)
    cum = np.concatenate([[0.0], np.cumsum(p)])
    lo = max(t // 2 + half + 1, int(np.floor(centre - reach)))
    hi = min(len(p) - (t - t // 2) - half - 1, int(np.ceil(centre + reach)))
    if hi - lo < 2:
        return None
    idx = np.arange(lo, hi + 1)
    a, b = idx - t // 2, idx - t // 2 + t
    inside = (cum[b] - cum[a]) / t
    outside = 0.5 * ((cum[a] - cum[a - half]) + (cum[b + half] - cum[b])) / half
    score = outside - inside
    prior = np.exp(-0.5 * ((idx - centre) / (reach / 2)) ** 2)
    j = int(np.argmax(score * prior))
    while j > 0 and score[j - 1] > score[j]:  # the prior only picks the band: climb to its peak
        j -= 1
    while j < len(score) - 1 and score[j + 1] > score[j]:
        j += 1
    if score[j] < MIN_CONTRAST:
        return None
    offset = 0.0
    if 0 < j < len(score) - 1:
        y0, y1, y2 = score[j - 1], score[j], score[j + 1]
        denom = y0 - 2 * y1 + y2
        offset = float(np.clip(0.5 * (y0 - y2) / denom, -0.5, 0.5)) if denom < 0 else 0.0
    middle = (t - 1) / 2 - t // 2  # window [i − t//2, i − t//2 + t) is centred here, relative to i
    return Edge(float(idx[j] + offset + middle), float(score[j]))
