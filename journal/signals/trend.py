"""Small-sample statistics for weekly series: Mann–Kendall trend, Theil–Sen slope, Mann–Whitney shift."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def _normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def mann_kendall(values: npt.ArrayLike) -> tuple[float, float]:
    """Mann–Kendall trend test: (S, one-sided p for an increasing trend), tie-corrected, normal approx.

    With fewer than 3 values there is no test: (0, 1).
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        return 0.0, 1.0
    diff = x[None, :] - x[:, None]
    s = float(np.sign(diff[np.triu_indices(n, k=1)]).sum())
    _, counts = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float(np.sum(counts * (counts - 1) * (2 * counts + 5)))) / 18.0
    if var <= 0 or s <= 0:
        return s, 1.0 if s <= 0 else 0.0
    z = (s - 1.0) / math.sqrt(var)
    return s, _normal_sf(z)


def theil_sen(weeks: npt.ArrayLike, values: npt.ArrayLike) -> float:
    """Theil–Sen slope: the median of the pairwise slopes (values per week); 0 with fewer than 2 points."""
    t = np.asarray(weeks, dtype=float)
    y = np.asarray(values, dtype=float)
    i, j = np.triu_indices(len(t), k=1)
    dt = t[j] - t[i]
    keep = dt != 0
    if not np.any(keep):
        return 0.0
    return float(np.median((y[j] - y[i])[keep] / dt[keep]))


def mann_whitney_greater(after: npt.ArrayLike, before: npt.ArrayLike) -> float:
    """One-sided Mann–Whitney p that `after` tends to exceed `before` (exact, ties count one half).

    Exact by enumerating the rank sums (small samples: a few dozen weekly tests at most on each side
    matter here; larger ones use the normal approximation).
    """
    a = np.asarray(after, dtype=float)
    b = np.asarray(before, dtype=float)
    m, n = len(a), len(b)
    if m == 0 or n == 0:
        return 1.0
    u = float(np.sum(a[:, None] > b[None, :]) + 0.5 * np.sum(a[:, None] == b[None, :]))
    if m + n > 40:
        mean = m * n / 2.0
        sd = math.sqrt(m * n * (m + n + 1) / 12.0)
        return _normal_sf((u - 0.5 - mean) / sd)
    # Distribution of U without ties: number of ways to reach each U (classic recurrence).
    counts = _u_counts(m, n)
    threshold = math.floor(u + 1e-9)  # a tie's half counts down: conservative
    return float(counts[threshold:].sum() / counts.sum())


def _u_counts(m: int, n: int) -> npt.NDArray[np.int64]:
    """Counts of the orderings giving each Mann–Whitney U (0..m·n) for samples of sizes m and n, no ties."""
    # f[i][j]: U counts with i items of the first sample and j of the second. The largest item is from
    # the first sample (it beats all j of the second: U + j) or from the second (U unchanged).
    f = [[np.ones(1, dtype=np.int64) for _ in range(n + 1)] for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            out = np.zeros(i * j + 1, dtype=np.int64)
            first, second = f[i - 1][j], f[i][j - 1]
            out[j : j + len(first)] += first
            out[: len(second)] += second
            f[i][j] = out
    return f[m][n]
