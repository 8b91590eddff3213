"""The stepper's chart blocks (see ui/stepper.py, which re-exports them): line/point charts (`xy`), matrices
(`heatmap`), graded bars on a log axis (`logbars`) and values per layer on a log axis (`layerlog`). Each
builds a JSON-ready dict for its browser side in ui/stepper/blocks/<kind>.js; colours come from
ui/palette.py as {"light", "dark"} pairs (the browser draws in the theme it shows)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ui import palette

Para = dict[str, Any]  # a paragraph of runs, as ui.stepper.paragraphs makes it


# -- xy (derivatives) ----------------------------------------------------------------------------------
# A line/point chart: static series drawn once, per-frame points and vertical rules moved on every step.
#
#     xy(title, [xy_line(...), ...], x_title=..., y_title=..., log_x=..., log_y=...,
#        rules=[xy_rule(...)], points=[xy_points(...)], alt=[per frame] | str)
#
# Every item names itself in the legend and takes its colour and dash from ui/palette.py (CATEGORICAL[theme]
# [colour], DASHES[dash]), carried as {"light", "dark"} in the payload. A per-frame field is a list with one
# entry per position; a list of one entry is the same at every position. The axes are fixed over every
# position (computed here from everything drawn, or given), so a step moves marks, never the axes.


def _colour(i: int) -> dict[str, str]:
    k = len(palette.CATEGORICAL["light"])
    return {"light": palette.CATEGORICAL["light"][i % k], "dark": palette.CATEGORICAL["dark"][i % k]}


def _num(v: Any, digits: int) -> float | None:
    """A coordinate for the payload: rounded to `digits` significant digits, None when it cannot be drawn."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return float(f"{x:.{digits}g}") if math.isfinite(x) else None


def _nums(values: Any, digits: int) -> list[float | None]:
    """:func:`_num` of each value (the same numbers), without a call per value: a window's curves are
    thousands of them."""
    spec = f".{digits}g"
    out: list[float | None] = []
    for v in values.tolist() if isinstance(values, np.ndarray) else values:
        try:
            x = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(float(format(x, spec)) if math.isfinite(x) else None)
    return out


def _stroke(colour: int, dash: int | None) -> dict:
    """An item's colour ({light, dark}, CATEGORICAL[colour]) and dash (DASHES[dash], by default the colour's
    index: series differ by more than colour)."""
    return {
        "colour": _colour(colour),
        "dash": list(palette.DASHES[(colour if dash is None else dash) % len(palette.DASHES)]),
    }


def _picked_form(values: Any) -> tuple[list[int], list]:
    """(index per frame, distinct items) of a per-frame field: a list per frame, or the picked form."""
    if isinstance(values, dict) and "__pick" in values:
        return [int(i) for i in values["__pick"]], list(values["__items"])
    return list(range(len(values))), list(values)


def _per_frame(values: Any, lengths: Sequence[int], digits: int, what: str) -> Any:
    """Per-frame polyline values, rounded: one list per frame (frame f's as long as ``lengths[f]``, or
    ``lengths[0]`` for all), sent once per distinct list as ``{"__pick": [index per frame], "__items":
    [distinct lists]}`` when some repeat (ui.stepper's picked form, which the browser expands; xy.js expands
    it too). ``values`` may come in that form already."""
    pick, items = _picked_form(values)
    rounded = [_nums(item, digits) for item in items]
    for f, i in enumerate(pick):
        n = lengths[min(f, len(lengths) - 1)]
        if len(rounded[i]) != n:
            raise ValueError(f"{what}: {n} x but frame {f} has {len(rounded[i])}")
    seen: dict[tuple, int] = {}
    distinct: list[list] = []
    where = []
    for item in rounded:
        k = seen.setdefault(tuple(item), len(distinct))
        if k == len(distinct):
            distinct.append(item)
        where.append(k)
    picked = [where[i] for i in pick]
    if len(distinct) == len(picked) and picked == list(range(len(picked))):
        return distinct  # no repeats: a plain list per frame
    return {"__pick": picked, "__items": distinct}


def _frames_of(values: Any) -> list[list]:
    """Every frame's list of a per-frame field (either form of `_per_frame`'s result)."""
    if isinstance(values, dict) and "__pick" in values:
        return list(values["__items"])
    return list(values)


def xy_line(
    name: str,
    x: Sequence[float] | Sequence[Sequence[float]] | dict,
    y: Sequence[float] | Sequence[Sequence[float]] | dict,
    *,
    colour: int = 0,
    dash: int | None = None,
    dots: bool = False,
    digits: int = 4,
    slope: Sequence[float] | Sequence[Sequence[float]] | dict | None = None,
    per_frame: bool = False,
    hover: bool = True,
) -> dict:
    """A series: the polyline through (x[i], y[i]); a point that cannot be drawn (NaN, or ≤ 0 on a log
    axis) breaks the line there. ``colour``/``dash`` index ui/palette.py's CATEGORICAL/DASHES (dash defaults
    to the colour's index, so series differ by more than colour); ``dots`` marks every point too; ``slope``
    (dy/dx at each x, optional) draws a tangent where a hovering pointer is (``xy(..., hover=True)``).

    ``per_frame``: the curve changes with the position. ``y`` (and ``slope``) then hold one list per frame,
    or that in ui.stepper's picked form (``{"__pick", "__items"}``); ``x`` stays shared, or is per frame too
    (a list of lists, or picked: e.g. a short tangent around a moving point). Frames with the same list send
    it once. A step redraws the line. ``hover=False``: the hover passes it by (no dot, no value: e.g. that
    tangent, which the hover would otherwise read as a curve)."""
    extra: dict[str, Any] = {} if hover else {"noHover": True}
    moving_x = per_frame and (
        (isinstance(x, dict) and "__pick" in x) or (len(x) > 0 and isinstance(x[0], Sequence | np.ndarray))
    )
    if moving_x:
        pick, items = _picked_form(x)
        lengths = [len(items[i]) for i in pick]
        xs: Any = _per_frame(x, lengths, digits, f"xy_line {name!r} x")
    else:
        xs = _nums(x, digits)
        lengths = [len(xs)]
    if per_frame:
        ys: Any = _per_frame(y, lengths, digits, f"xy_line {name!r}")
        extra["perFrame"] = ["x", "y"] if moving_x else ["y"]
        if slope is not None:
            extra["slope"] = _per_frame(slope, lengths, digits, f"xy_line {name!r} slopes")
            extra["perFrame"].append("slope")
    else:
        ys = list(y)
        if len(xs) != len(ys):
            raise ValueError(f"xy_line {name!r}: {len(xs)} x but {len(ys)} y")
        ys = _nums(ys, digits)
        if slope is not None:
            if len(slope) != len(xs):
                raise ValueError(f"xy_line {name!r}: {len(xs)} x but {len(slope)} slopes")
            extra["slope"] = _nums(slope, digits)
    return {
        "kind": "line",
        "name": str(name),
        **_stroke(colour, dash),
        "x": xs,
        "y": ys,
        "dots": bool(dots),
        **extra,
    }


def xy_rule(
    name: str,
    x: float | Sequence[float | None],
    *,
    label: str | Sequence[str] = "",
    colour: int = 0,
    dash: int | None = None,
    digits: int = 6,
) -> dict:
    """A vertical rule at x, per frame (a sequence, one per position) or static (a number); ``label`` is
    written at its top (per frame or static). None at a position: no rule there."""
    xs = [x] if isinstance(x, int | float) else list(x)
    labels = [label] if isinstance(label, str) else list(label)
    return {
        "kind": "rule",
        "name": str(name),
        **_stroke(colour, dash),
        "x": _nums(xs, digits),
        "label": [str(s) for s in labels],
    }


def xy_points(
    name: str,
    points: Sequence[Sequence[tuple[float, float]]],
    *,
    tips: Sequence[Sequence[str]] | None = None,
    colour: int = 0,
    digits: int = 6,
    labels: Sequence[Sequence[str]] | None = None,
    shape: str | None = None,
) -> dict:
    """Points per frame: ``points[f]`` is the list of (x, y) drawn at position f (a list of one entry: the
    same at every position); ``tips[f][i]`` is point i's tooltip (default: its coordinates); ``labels[f][i]``
    (optional) is written beside it; ``shape`` "diamond" (optional) instead of a dot. An empty ``name``
    keeps the points out of the legend."""

    def each(v: Any, conv) -> Any:  # the picked form (Gradients): convert its distinct items only
        return (
            {**v, "__items": [conv(f) for f in v["__items"]]} if isinstance(v, dict) else [conv(f) for f in v]
        )

    frames = each(points, lambda frame: [[_num(px, digits), _num(py, digits)] for px, py in frame])
    out: dict[str, Any] = {"kind": "points", "name": str(name), "colour": _colour(colour), "xy": frames}
    if tips is not None:
        out["tips"] = each(tips, lambda frame: [str(t) for t in frame])
    if labels is not None:
        out["labels"] = each(labels, lambda frame: [str(t) for t in frame])
    if shape is not None:
        out["shape"] = str(shape)
    return out


# Additions for Activations (optional, additive): shaded x intervals (`xy_band`), per-frame axis domains,
# a strip of lanes under the plot, and a hover that marks every line where the pointer is.
LANE_PX, LANE_GAP_PX = 18, 8  # a strip row's height and the gap above the strip (xy.js draws them so)


def xy_band(
    name: str,
    spans: Sequence[Sequence[tuple[float, float]]],
    *,
    lane: int | None = None,
    colour: int = 0,
    opacity: float | None = None,
    tip: str = "",
    digits: int = 5,
) -> dict:
    """Shaded x intervals per frame: ``spans[f]`` is the list of (x0, x1) at position f (a list of one entry:
    the same at every position), over the plot's whole height, or in row ``lane`` of the strip under it
    (``xy(..., lanes=[...])``). An empty ``name`` keeps it out of the legend; ``tip`` names it in tooltips."""
    out: dict[str, Any] = {
        "kind": "band",
        "name": str(name),
        "colour": _colour(colour),
        "x": [[[_num(a, digits), _num(b, digits)] for a, b in frame] for frame in spans],
        "tip": str(tip or name),
    }
    if lane is not None:
        out["lane"] = int(lane)
    if opacity is not None:
        out["opacity"] = float(opacity)
    return out


def _xy_domain(values: list[float], log: bool, *, clear: bool) -> list[float]:
    """Everything drawn on one axis, with room: whole decades on a log axis (``clear``: a value on a decade
    gets the next one, so no line runs along the frame), 5 % either side on a linear one."""
    vals = [v for v in values if v is not None and np.isfinite(v) and (v > 0 or not log)]
    if not vals:
        return [0.1, 10.0] if log else [0.0, 1.0]
    lo, hi = min(vals), max(vals)
    if log:
        room = 0.02 if clear else 0.0
        a, b = int(np.floor(np.log10(lo) - room)), int(np.ceil(np.log10(hi) + room))
        return [float(10.0**a), float(10.0 ** max(b, a + 1))]
    pad = 0.05 * (hi - lo) if hi > lo else (abs(hi) or 1.0) * 0.5
    return [_num(lo - pad, 6), _num(hi + pad, 6)]


def xy(
    title: str,
    lines: Sequence[dict],
    *,
    x_title: str,
    y_title: str,
    log_x: bool = False,
    log_y: bool = False,
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] | None = None,
    rules: Sequence[dict] = (),
    points: Sequence[dict] = (),
    alt: Sequence[str] | str = "",
    height: int = 320,
    bands: Sequence[dict] = (),
    x_domains: Sequence[tuple[float, float]] | None = None,
    y_domains: Sequence[tuple[float, float]] | None = None,
    lanes: Sequence[str] | None = None,
    hover: bool | str = False,
) -> dict:
    """A line/point chart (block "xy", ui/stepper/blocks/xy.js) at the container's width: ``lines``
    (:func:`xy_line`, static or per frame), ``rules`` (:func:`xy_rule`) and ``points`` (:func:`xy_points`), per frame or
    static; linear or log axes (log: ticks at powers of ten); a legend of every named item; ``alt`` (per
    frame or static) is what a screen reader hears (role=img). Domains default to everything drawn
    (log axes: whole decades; the x axis ends where the data ends, the y axis leaves room).

    Optional: ``bands`` (:func:`xy_band`, drawn under the lines); ``x_domains``/``y_domains``, one (lo, hi)
    per frame (the axes then follow the position; ``x_domain``/``y_domain`` default to their hull);
    ``lanes``, the names of the strip's rows under the plot (for bands with a ``lane``); ``hover``, a dot
    on every line at the pointer's x, a tangent on lines with a ``slope``, and their values (a string: the
    name of a group of xy blocks that follow the pointer together)."""
    xs: list[float] = []
    ys: list[float] = []
    for s in lines:
        if "x" in s.get("perFrame", ()):
            xs += [v for frame in _frames_of(s["x"]) for v in frame]
        else:
            xs += s["x"]
        if "y" in s.get("perFrame", ()):
            ys += [v for frame in _frames_of(s["y"]) for v in frame]
        else:
            ys += s["y"]
    for r in rules:
        xs += r["x"]
    for p in points:
        for frame in _frames_of(p["xy"]):
            xs += [q[0] for q in frame]
            ys += [q[1] for q in frame]
    per_x = [[float(a), float(b)] for a, b in x_domains] if x_domains is not None else None
    per_y = [[float(a), float(b)] for a, b in y_domains] if y_domains is not None else None
    if per_x and not x_domain:
        x_domain = (min(d[0] for d in per_x), max(d[1] for d in per_x))
    if per_y and not y_domain:
        y_domain = (min(d[0] for d in per_y), max(d[1] for d in per_y))
    block: dict[str, Any] = {
        "type": "xy",
        "title": str(title),
        "xTitle": str(x_title),
        "yTitle": str(y_title),
        "logX": bool(log_x),
        "logY": bool(log_y),
        "xDomain": [float(v) for v in x_domain] if x_domain else _xy_domain(xs, log_x, clear=False),
        "yDomain": [float(v) for v in y_domain] if y_domain else _xy_domain(ys, log_y, clear=True),
        "items": [*bands, *lines, *rules, *points],
        "alt": list(alt) if not isinstance(alt, str) else alt,
        "height": int(height),
    }
    if per_x:
        block["xDomains"] = per_x
    if per_y:
        block["yDomains"] = per_y
    if lanes:
        block["lanes"] = [str(n) for n in lanes]
        block["height"] += LANE_PX * len(lanes) + LANE_GAP_PX  # the strip's rows come on top of the plot
    if hover:
        block["hover"] = hover if isinstance(hover, str) else True
    if not isinstance(alt, str):
        block["perFrame"] = ["alt"]
    return block


# -- heatmap (jacobians) -------------------------------------------------------------------------------
def _finite_or_none(A: np.ndarray) -> list:
    """A matrix as nested lists of floats rounded to 6 significant digits (None where not finite)."""
    return [[float(f"{v:.6g}") if np.isfinite(v) else None for v in row] for row in A]


def heatmap(
    title: str,
    values: Sequence[np.ndarray] | np.ndarray,
    *,
    value: str = "value",
    x_title: str = "column j",
    y_title: str = "row i",
    alt: Sequence[str] | str = "",
    cell: int = 51,
    digits: int = 3,
    fixed: bool = True,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    key: tuple[str, str] = ("blue: negative", "orange: positive"),
    note: Sequence[Sequence[Para]] | Sequence[Para] | None = None,
    stops: Sequence[str] = tuple(palette.PLAYER["diverging"]),
) -> dict:
    """A small matrix per frame (``values``: a list of 2-D arrays, whose shapes may differ; or one 2-D array,
    the same at every position): cells with the value written in (``digits`` decimals in cells ≥ 50 px wide,
    2 in narrower ones), row i and column j numbered as the matrix is printed (or ``row_labels`` /
    ``col_labels``), a diverging colour scale symmetric about 0 interpolating ``stops`` (the palette's:
    negative end, 0, positive end) with its colour bar titled ``value``, and ``key`` saying what each end
    means. With ``fixed`` the scale is ±(largest |entry| over every frame), so a step never recolours an entry
    it keeps; else each frame's own largest. ``cell`` is the widest a cell gets (`charts.heatmap_cell`); the
    browser narrows cells to fit a phone. ``note``: paragraphs under the chart (per frame: a list of them)."""
    static = isinstance(values, np.ndarray) and values.ndim == 2
    frames = [np.asarray(values, dtype=float)] if static else [np.asarray(v, dtype=float) for v in values]

    def largest(A: np.ndarray) -> float:
        finite = np.abs(A[np.isfinite(A)])
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        step = 10.0 ** (np.floor(np.log10(top)) - 5)  # the 6th significant digit, rounded up
        return float(f"{np.ceil(top / step) * step:.6g}")

    block: dict[str, Any] = {
        "type": "heatmap",
        "title": title,
        "values": _finite_or_none(frames[0]) if static else [_finite_or_none(A) for A in frames],
        "domain": largest(np.concatenate([A.ravel() for A in frames]))
        if fixed or static
        else [largest(A) for A in frames],  # rounded up (6 digits): no entry falls outside the scale
        "stops": list(stops),
        "ink": {"dark": palette.TEXT["light"], "light": palette.BACKGROUND["light"]},  # labels on cells
        # both themes' text, outline and background: the browser picks the one the page shows (the
        # payload's `theme` is the server's guess, which can be wrong: see heatmap.js)
        "themes": {
            t: {"text": palette.TEXT[t], "muted": palette.MUTED[t], "background": palette.BACKGROUND[t]}
            for t in ("light", "dark")
        },
        "value": value,
        "xTitle": x_title,
        "yTitle": y_title,
        "cell": int(cell),
        "digits": int(digits),
        "key": list(key),
        "alt": list(alt) if not isinstance(alt, str) else alt,
        "perFrame": [],
    }
    if not static:
        block["perFrame"].append("values")
    if not (fixed or static):
        block["perFrame"].append("domain")
    if not isinstance(alt, str):
        block["perFrame"].append("alt")
    if row_labels is not None:
        block["rowLabels"] = [str(x) for x in row_labels]
    if col_labels is not None:
        block["colLabels"] = [str(x) for x in col_labels]
    if note is not None:
        per_frame = bool(note) and isinstance(note[0], list | tuple)
        block["note"] = [list(n) for n in note] if per_frame else list(note)
        if per_frame:
            block["perFrame"].append("note")
    return block


# -- logbars (gradient_checking) --
def logbars(
    title: str,
    labels: Sequence[str],
    values: np.ndarray,
    levels: Sequence[Sequence[str]],
    *,
    colours: dict[str, dict[str, str]],
    names: dict[str, str],
    marks: dict[str, str] | None = None,
    floor: float = 1e-17,
    top: float = 1.0,
    bands: Sequence[tuple[float, float, str]] = (),
    rules: Sequence[tuple[float, str, str]] = (),
    verdict: Sequence[tuple[str, str] | None] | None = None,
    y_title: str = "",
    alt: Sequence[str] = (),
    height: int = 320,
) -> dict:
    """Bars per item on a log axis from ``floor`` to ``top`` (powers-of-ten ticks), per frame:
    ``values`` (F, len(labels)), clipped to the axis (NaN → top); ``levels[f][i]`` names each bar's colour
    (``colours[level]`` = {"light", "dark"}, legend ``names[level]``, ``marks[level]`` on top of the bar).
    ``bands`` = (lo, hi, level) shaded regions, ``rules`` = (value, level, label) dashed threshold lines,
    ``verdict[f]`` = (level, text) shown above the chart; ``alt[f]`` the frame's text for screen readers."""
    v = np.asarray(values, dtype=float)
    v = np.clip(np.where(np.isnan(v), top, v), floor, top)
    shown = [[float(f"{x:.3g}") for x in row] for row in v]
    lo, hi = int(np.floor(np.log10(floor))), int(np.ceil(np.log10(top)))
    block: dict[str, Any] = {
        "type": "logbars",
        "title": title,
        "labels": [str(x) for x in labels],
        "values": shown,
        "levels": [list(map(str, lv)) for lv in levels],
        "colours": {k: dict(c) for k, c in colours.items()},
        "names": dict(names),
        "order": list(names),
        "marks": dict(marks or {}),
        "bands": [{"lo": float(np.log10(a)), "hi": float(np.log10(b)), "level": lv} for a, b, lv in bands],
        "rules": [{"value": float(x), "level": lv, "text": str(t)} for x, lv, t in rules],
        "domain": [lo, hi],
        "yTitle": y_title,
        "alt": [str(a) for a in alt],
        "verdict": None,
        "height": int(height),
        "perFrame": ["values", "levels", "alt"],
    }
    if verdict is not None:
        block["verdict"] = [None if x is None else {"level": x[0], "text": str(x[1])} for x in verdict]
        block["perFrame"].append("verdict")
    return block


# -- layerlog (vanishing_gradients) --------------------------------------------------------------------
def _sig(v: float, digits: int = 3) -> float | None:
    """A positive finite value rounded to `digits` significant digits; None for what a log axis cannot draw."""
    v = float(v)
    return float(f"{v:.{digits - 1}e}") if np.isfinite(v) and v > 0 else None


def _decades(values: Sequence[float], below: int = 0) -> list[int]:
    """[lo, hi] powers of ten covering every positive finite value (at least one decade), `below` more
    decades under the smallest (a bar's base must lie under its top)."""
    vals = np.asarray([v for v in values if v is not None and np.isfinite(v) and v > 0], dtype=float)
    if not vals.size:
        return [-1, 1]
    lo, hi = int(np.floor(np.log10(vals.min()))) - below, int(np.ceil(np.log10(vals.max())))
    return [lo, hi if hi > lo else lo + 1]


def _ink() -> dict[str, dict[str, str]]:
    """The axis and label colours of both themes: the browser picks the one it shows."""
    return {"text": dict(palette.TEXT), "muted": dict(palette.MUTED)}


def layerlog(
    title: str,
    series: Sequence[dict],
    *,
    x_domain: tuple[int, int],
    x_title: str,
    y_title: str,
    alt: Sequence[str],
    notes: Sequence[Para] = (),
    dropped: Sequence[Sequence[Para]] | None = None,
    marker: Sequence[float | None] | None = None,
    marker_label: Sequence[str] | None = None,
    height: int = 340,
    flex: str | None = None,
) -> dict:
    """Lines with points on a log y axis over layers, per frame. ``series``: dicts with name, colour
    ({"light", "dark"}), dash (ui.palette.DASHES entry), width, start (x of the first value) and values (per
    frame a sequence, or None when the series is not shown at that frame). The y axis covers every frame's
    values (powers of ten, fixed), the x axis is ``x_domain``; ``marker`` a dashed vertical rule per frame."""
    every: list[float] = []
    out = []
    for s in series:
        frames = [None if v is None else [_sig(x) for x in v] for v in s["values"]]
        every += [x for f in frames if f for x in f if x is not None]
        out.append(
            {
                "name": str(s["name"]),
                "colour": dict(s["colour"]),
                "dash": [float(d) for d in s.get("dash", [1, 0])],
                "width": float(s.get("width", 3)),
                "start": int(s.get("start", 0)),
                "values": frames,
                "perFrame": ["values"],
            }
        )
    block: dict[str, Any] = {
        "type": "layerlog",
        "mode": "lines",
        "ink": _ink(),
        "title": title,
        "series": out,
        "x": [int(x_domain[0]), int(x_domain[1])],
        "y": _decades(every),
        "xTitle": x_title,
        "yTitle": y_title,
        "alt": list(alt),
        "notes": list(notes),
        "dropped": [list(d) for d in dropped] if dropped is not None else [],
        "height": int(height),
        "perFrame": ["alt"],
    }
    if flex:
        block["flex"] = flex  # CSS flex of the block in a row: "3 1 420px" takes the wider side
    if dropped is not None:
        block["perFrame"].append("dropped")
    if marker is not None:
        block["marker"] = list(marker)
        block["markerLabel"] = list(marker_label or [""] * len(marker))
        block["perFrame"] += ["marker", "markerLabel"]
    return block


def layerlog_bars(
    title: str,
    labels: Sequence[str],
    colours: Sequence[dict[str, str]],
    values: Sequence[Sequence[float]],
    *,
    y_title: str,
    alt: Sequence[str],
    rules: Sequence[tuple[float, str, dict[str, str]]] = (),
    height: int = 260,
) -> dict:
    """Bars on a log y axis, one per label (``values[f][i]``), with dashed horizontal rules (value, label,
    colour); the axis covers every frame's bars and the rules."""
    frames = [[_sig(v) for v in f] for f in values]
    every = [v for f in frames for v in f if v is not None] + [float(r[0]) for r in rules]
    return {
        "type": "layerlog",
        "mode": "bars",
        "ink": _ink(),
        "title": title,
        "labels": [str(x) for x in labels],
        "colours": [dict(c) for c in colours],
        "values": frames,
        "rules": [{"value": float(v), "label": str(t), "colour": dict(c)} for v, t, c in rules],
        "y": _decades(every, below=1),
        "yTitle": y_title,
        "alt": list(alt),
        "notes": [],
        "dropped": [],
        "height": int(height),
        "perFrame": ["alt", "values"],
    }
