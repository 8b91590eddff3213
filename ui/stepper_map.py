"""The stepper's "surfacemap" block (ui/stepper/blocks/surfacemap.js): a loss surface seen from above, as
ui.charts.surface_map draws it (cells coloured by log₁₀ of the loss above its lowest value, on the palette's
sequential scale; a field of arrows), with a point and two arrows from it (∇L and u) that move per frame."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ui import palette


def _r(v: float, digits: int = 5) -> float | None:
    x = float(v)
    return float(f"{x:.{digits}g}") if math.isfinite(x) else None


def _rs(values: np.ndarray, digits: int) -> list[float | None]:
    """:func:`_r` of each value of an array (the same numbers, without a call per value)."""
    spec = f".{digits}g"
    return [
        float(format(x, spec)) if math.isfinite(x) else None
        for x in np.asarray(values, float).ravel().tolist()
    ]


def log_shade(Z: np.ndarray) -> np.ndarray:
    """log₁₀(loss − min + a thousandth of the range): the colour of each cell, as ui.charts.surface_map."""
    vals = np.asarray(Z, dtype=float)
    shift = float(np.nanmin(vals))
    with np.errstate(all="ignore"):
        return np.log10(vals - shift + 1e-3 * (np.nanmax(vals) - shift + 1e-12) + 1e-300)


def surfacemap(
    title: str,
    Z: np.ndarray,
    *,
    domain: tuple[tuple[float, float], tuple[float, float]],
    field: dict[str, np.ndarray],
    point: Sequence[tuple[float, float]] | Any,
    tip: Sequence[str] | Any,
    grad: Sequence[tuple[float, float, float, float] | None] | Any,
    u: Sequence[tuple[float, float, float, float] | None] | Any,
    alt: Sequence[str] | Any,
    x_title: str = "w₁",
    y_title: str = "w₂",
    height: int = 470,
) -> dict:
    """The map: ``Z`` (ny, nx) the loss at the centres of a regular grid of cells spanning ``domain``
    (row 0 the lowest w₂); ``field`` the arrows (x, y, x2, y2, norm: ‖∇L‖ at the tail, shown on hover).
    Per frame (a list with one entry per frame, or a packed ``sp.picked`` field): ``point`` (w₁, w₂), ``tip``
    its hover text, ``grad`` and ``u`` their arrows (x2, y2, label x, label y; None: no arrow), ``alt``."""
    shade = log_shade(Z)
    finite = shade[np.isfinite(shade)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)

    def frames(v: Any, conv) -> Any:
        if isinstance(v, dict):  # packed (sp.picked): convert the distinct items only
            return {**v, "__items": [conv(x) for x in v["__items"]]}
        return [conv(x) for x in v]

    def arrow(a: Any) -> list | None:
        return None if a is None else [_r(x) for x in a]

    ny, nx = shade.shape
    return {
        "type": "surfacemap",
        "title": str(title),
        "xTitle": str(x_title),
        "yTitle": str(y_title),
        "legendTitle": "log₁₀\n(L − min)",
        "domain": [[float(a), float(b)] for a, b in domain],
        "n": [int(nx), int(ny)],
        "shade": _rs(shade, 3),
        "shadeDomain": [_r(lo, 4), _r(hi, 4)],
        "stops": list(palette.SEQUENTIAL),
        "field": {k: _rs(field[k], 4) for k in ("x", "y", "x2", "y2", "norm")},
        "colours": {k: palette.ON_MAP[k] for k in ("arrow", "outline", "gradient", "direction", "point")},
        "height": int(height),
        "point": frames(point, lambda p: [_r(p[0], 6), _r(p[1], 6)]),
        "tip": frames(tip, str),
        "grad": frames(grad, arrow),
        "u": frames(u, arrow),
        "alt": frames(alt, str),
        "perFrame": ["point", "tip", "grad", "u", "alt"],
    }


def stack(*blocks: dict) -> dict:
    """Blocks one under the other (ui/stepper/blocks/stack.js): a column inside a `row`."""
    return {"type": "stack", "children": list(blocks)}
