"""Screen geometry for charts: how far an arrow may reach before it leaves the plot.

Pure NumPy; no mathematics of the lesson here (that lives in core/), only where things go on a plot.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


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
