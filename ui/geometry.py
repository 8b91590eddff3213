"""Screen geometry for charts: which steps of a path are worth drawing, and arrows of a fixed on-screen size.

Pure NumPy; no mathematics of the lesson here (that lives in core/), only where things go on a plot.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


def visible_steps(points: ArrayLike, spans: tuple[float, float], tol: float = 0.004) -> NDArray[np.int64]:
    """Indices of the points worth drawing: each moves ≥ ``tol`` (as a fraction of the plotting
    ``spans``, max-norm) from the previously kept one. The first and last are always kept, so a
    zigzag wider than ``tol`` keeps every corner while a converged tail collapses to a point.
    """
    p = np.asarray(points, dtype=np.float64)
    n = p.shape[0]
    if n <= 2:
        return np.arange(n, dtype=np.int64)
    scale = np.asarray(spans, dtype=np.float64)
    with np.errstate(all="ignore"):
        u = p / scale
    keep = [0]
    last = u[0]
    for i in range(1, n - 1):
        with np.errstate(all="ignore"):
            moved = float(np.max(np.abs(u[i] - last)))
        if not moved < tol:  # NaN/inf counts as moved
            keep.append(i)
            last = u[i]
    keep.append(n - 1)
    return np.asarray(keep, dtype=np.int64)


def display_arrow(
    point: ArrayLike, vector: ArrayLike, spans: tuple[float, float], length: float = 0.12, aspect: float = 1.5
) -> tuple[float, float, float] | None:
    """End (x2, y2) and heading (degrees clockwise from up) of an arrow drawn from ``point`` along
    ``vector`` with a fixed on-screen length: ``length`` × the plot height, for a plot whose
    width/height ratio is ``aspect`` and whose axes span ``spans``. ``None`` for a zero vector.
    """
    p = np.asarray(point, dtype=np.float64)
    v = np.asarray(vector, dtype=np.float64)
    s1, s2 = float(spans[0]), float(spans[1])
    with np.errstate(all="ignore"):
        screen = np.array([v[0] / s1 * aspect, v[1] / s2])  # in plot heights
        norm = float(np.hypot(screen[0], screen[1]))
    if not (math.isfinite(norm) and norm > 0):
        return None
    ux, uy = screen / norm
    x2 = float(p[0] + length * ux / aspect * s1)
    y2 = float(p[1] + length * uy * s2)
    return x2, y2, float(np.degrees(np.arctan2(ux, uy)))


def fit_factor(w: ArrayLike, v: ArrayLike, domain: tuple[tuple[float, float], tuple[float, float]]) -> float:
    """The largest k in [0, 1] with w + k·v inside the box ``domain`` (w itself assumed inside).

    Used to shorten an arrow drawn from w so that its tip stays on the plot.
    """
    p = np.asarray(w, dtype=np.float64).reshape(2)
    d = np.asarray(v, dtype=np.float64).reshape(2)
    k = 1.0
    for i, (lo, hi) in enumerate(domain):
        if not (np.isfinite(d[i]) and np.isfinite(p[i])):
            return 0.0
        if d[i] > 0:
            k = min(k, max(hi - p[i], 0.0) / d[i])
        elif d[i] < 0:
            k = min(k, max(p[i] - lo, 0.0) / -d[i])
    return float(k)
