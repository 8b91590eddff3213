"""The stepper: a slider whose every position the server computed at once, drawn by the browser.

A page whose main slider has a few dozen positions computes what every position shows, describes it as
blocks (below) and mounts :func:`stepper` in its stage (Autodiff's backward step, Derivatives' h,
Activations' x range, Jacobians' m, Vanishing gradients' depth, Gradient checking's ε). The browser
(ui/stepper/*.js, one `st.components.v2` component) draws a step without asking the server: no rerun, no
message, no Streamlit element re-rendered. Once the learner stops (``REPORT_MS`` after the last move) the
component reports the position; that reruns the fragment, which writes the value into the page's link (the
page's `UrlState` parameter ``name``, read back from links, presets and Back like the slider's it
replaces). Nothing else the server draws may depend on that value: it would lag the step by the report.

    stepper(key, url=state, name="h", label="Step size h", options=STEP_SIZES, default=1e-5, blocks=[...])

Blocks (each field marked per frame is a list with one entry per position; colours travel as
{"light", "dark"} pairs from ui/palette.py and the browser draws in the theme it shows)::

    heading(text)
    text(paras, border=False, small=False)                       # paras: per frame, or static
    table(header, rows, align=..., note=..., width=...)          # rows: per frame; cells are runs
    bars(title, labels, series=[(name, colour_pair, values (F, k))], y_title=..., alt=...)
    graph(layout, looks, current, alt, palette)                  # ui.graphs' drawing, recoloured per step
    row(*blocks)                                                 # side by side, stacked on a phone
    xy(title, lines, rules=..., points=..., bands=..., log_x=, log_y=, ...)   # line/point charts
    heatmap(title, matrices, ...)                                # a matrix per position, diverging colours
    logbars(title, names, values, levels, ...)                   # per-item bars on a log axis, graded
    layerlog(...) / layerlog_bars(...)                           # values per layer on a log axis

Text is data, never markup: a paragraph is ``{"runs": [[style, text], ...], "li": bool}`` with style
letters b (bold), c (code), m (muted), set in the browser with ``textContent``. :func:`paragraphs` turns the
small Markdown subset the pages write (``**bold**``, ```code```, ``:gray[...]``, ``- `` items, backslash
escapes) into that form; anything else stays literal text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from ui import palette
from ui.state import Param, UrlState

ASSETS = Path(__file__).with_name("stepper")
GRAPH_CORE = Path(__file__).with_name("player") / "graph_core.js"
REPORT_MS = 700  # the browser reports a position this long after the last move

NAV = (
    {"to": "first", "text": "« Start", "title": "First position"},
    {"to": "prev", "text": "‹ Back", "title": "One step back"},
    {"to": "next", "text": "Next ›", "title": "One step on"},
    {"to": "last", "text": "End »", "title": "Last position"},
)

Run = list[str]  # [style, text]
Para = dict[str, Any]


def _js() -> str:
    parts = [
        GRAPH_CORE,
        ASSETS / "stepper_core.js",
        *sorted((ASSETS / "blocks").glob("*.js")),
        ASSETS / "stepper.js",
    ]
    return "\n".join(p.read_text(encoding="utf-8") for p in parts)


@cache
def _component() -> Callable[..., Any]:
    return st.components.v2.component(
        "gradient_lab.stepper",
        html=(ASSETS / "stepper.html").read_text(encoding="utf-8"),
        css=(ASSETS / "stepper.css").read_text(encoding="utf-8"),
        js=_js(),
    )


# -- text -------------------------------------------------------------------------------------------
def runs(md: str) -> list[Run]:
    """One line of the Markdown subset as runs: **bold**, `code`, :gray[muted], backslash escapes."""
    out: list[Run] = []
    buf: list[str] = []
    bold = code = muted = False

    def style() -> str:
        return ("b" if bold else "") + ("c" if code else "") + ("m" if muted else "")

    def flush() -> None:
        if buf:
            text = "".join(buf)
            if out and out[-1][0] == style():
                out[-1][1] += text
            else:
                out.append([style(), text])
            buf.clear()

    i = 0
    while i < len(md):
        ch = md[i]
        if code:
            if ch == "`":
                flush()
                code = False
            else:
                buf.append(ch)
            i += 1
        elif ch == "\\" and i + 1 < len(md):
            buf.append(md[i + 1])
            i += 2
        elif md.startswith("**", i):
            flush()
            bold = not bold
            i += 2
        elif ch == "`":
            flush()
            code = True
            i += 1
        elif md.startswith(":gray[", i) and not muted:
            flush()
            muted = True
            i += 6
        elif ch == "]" and muted:
            flush()
            muted = False
            i += 1
        else:
            buf.append(ch)
            i += 1
    flush()
    return out


def paragraphs(md: str | Sequence[str], *, small: bool = False) -> list[Para]:
    """Markdown-subset text (paragraphs split by blank lines, "- " list items) as paragraphs of runs."""
    text = "\n\n".join(md) if not isinstance(md, str) else md
    out: list[Para] = []
    for block in text.split("\n\n"):
        for line in block.split("\n") if block.lstrip().startswith("- ") else [block.replace("\n", " ")]:
            if not line.strip():
                continue
            item = line.lstrip().startswith("- ")
            para: Para = {"runs": runs(line.lstrip()[2:] if item else line), "li": item}
            if small:
                para["small"] = True
            out.append(para)
    return out


def plain(text: str) -> list[Run]:
    """Literal text as one run (nothing in it is read as formatting)."""
    return [["", str(text)]]


# -- blocks ------------------------------------------------------------------------------------------
def heading(text: str) -> dict:
    return {"type": "heading", "text": str(text)}


def text(
    paras: Sequence[Sequence[Para]] | Sequence[Para],
    *,
    per_frame: bool,
    border: bool = False,
    small: bool = False,
) -> dict:
    block: dict[str, Any] = {"type": "text", "paras": list(paras), "border": border, "small": small}
    if per_frame:
        block["perFrame"] = ["paras"]
    return block


def table(
    header: Sequence[str | list[Run]],
    rows: Sequence[Sequence[Sequence[list[Run]]]],
    *,
    align: Sequence[str] | None = None,
    note: Sequence[Sequence[Para]] | None = None,
    width: int | None = None,
) -> dict:
    """A table per frame: ``rows[f][r][c]`` is a cell's runs; ``note[f]`` paragraphs under it."""
    block: dict[str, Any] = {
        "type": "table",
        "header": list(header),
        "rows": [[[list(c) for c in row] for row in frame] for frame in rows],
        "align": list(align or []),
        "perFrame": ["rows"],
        "note": [],
    }
    if note is not None:
        block["note"] = [list(n) for n in note]
        block["perFrame"].append("note")
    if width:
        block["width"] = int(width)
    return block


def bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, dict[str, str], np.ndarray]],
    *,
    y_title: str = "",
    alt: Sequence[str] | str = "",
    height: int = 300,
) -> dict:
    """Grouped bars per frame: ``series`` = (name, {"light", "dark"} colour, values (F, len(labels)))."""
    vals = [np.asarray(v, dtype=float) for _, _, v in series]
    finite = np.concatenate([v[np.isfinite(v)].ravel() for v in vals] + [np.zeros(1)])
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.08 * (hi - lo or 1.0)
    block: dict[str, Any] = {
        "type": "bars",
        "title": title,
        "labels": [str(x) for x in labels],
        "series": [
            {
                "name": name,
                "colour": dict(colour),
                "values": np.where(np.isfinite(v), v, 0.0).round(12).tolist(),
            }
            for (name, colour, _), v in zip(series, vals, strict=True)
        ],
        "domain": [lo - pad if lo < 0 else 0.0, hi + pad if hi > 0 else 0.0],
        "yTitle": y_title,
        "alt": list(alt) if not isinstance(alt, str) else alt,
        "height": int(height),
    }
    if not isinstance(alt, str):
        block["perFrame"] = ["alt"]
    return block


def graph(
    layout: dict,
    looks: Sequence[Sequence[dict]],
    current: Sequence[int | None],
    alt: Sequence[str],
    palette: dict,
    *,
    fit: bool = True,
) -> dict:
    layout_id = hashlib.sha1(json.dumps(layout, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "type": "graph",
        "id": layout_id,
        "layout": layout,
        "looks": [list(x) for x in looks],
        "current": list(current),
        "alt": list(alt),
        "palette": palette,
        "fit": fit,
    }


def row(*blocks: dict) -> dict:
    return {"type": "row", "children": list(blocks)}


# -- the component -------------------------------------------------------------------------------------
def option_param(options: Sequence[float], default: float) -> Param:
    """How a link reads and writes a stepper's value: whole numbers in a row as an int slider's
    (`?m=3`; outside the range: refused with a notice), anything else as a log slider's (`?h=1e-05`, a value
    between two options snapped to the nearer)."""
    opts = list(options)
    ints = all(isinstance(o, int) and not isinstance(o, bool) for o in opts)
    if ints and opts == list(range(opts[0], opts[0] + len(opts))):
        return Param("int", int(default), opts[0], opts[-1])
    kind = "int" if ints else "float"
    return Param(kind, default, min(opts), max(opts), options=tuple(opts), snap=True)


def nearest(options: Sequence[float], value: float) -> int:
    """The position of the option nearest `value` (by ratio for positive options, as a log slider snaps)."""
    v = float(value)
    if all(o > 0 for o in options) and v > 0:
        return min(range(len(options)), key=lambda i: abs(np.log(options[i] / v)))
    return min(range(len(options)), key=lambda i: abs(options[i] - v))


def stepper(
    key: str,
    *,
    url: UrlState,
    name: str,
    label: str,
    options: Sequence[float],
    default: float,
    blocks: Sequence[dict],
    values: Sequence[str] | None = None,
    help: str | None = None,
    buttons: Sequence[dict] = NAV,
    report_ms: int = REPORT_MS,
) -> Any:
    """Mount the stepper under ``key``; return the value of the position shown (the browser's last report,
    or the link's, or ``default``).

    The stepper steps through ``options`` (a frame per option, in that order; ``values`` are their labels,
    ``str(option)`` by default). Its value is the page's URL parameter ``name`` and its session key
    ``url.key(name)``, as the slider it stands for: a link, Back and presets set the value (``url.set``),
    the browser moves the position and reports it. ``key`` names the component (``<key>._stepper``)."""
    opts = list(options)
    n = len(opts)
    skey = url.prepare(name, option_param(opts, default))
    ckey = f"{skey}._stepper"

    at_key, sent_key = (
        f"{ckey}._at",
        f"{ckey}._sent",
    )  # the position the browser shows; (id, frame, seek) sent

    def _reported() -> None:
        got = st.session_state.get(ckey)
        frame = got.get("frame") if isinstance(got, dict) else getattr(got, "frame", None)
        if isinstance(frame, int | float) and not isinstance(frame, bool) and np.isfinite(frame):
            k = int(np.clip(int(frame), 0, n - 1))
            st.session_state[skey] = opts[k]
            st.session_state[at_key] = k  # the browser is there already: nothing to send it

    frame = nearest(opts, st.session_state[skey])
    data: dict[str, Any] = {
        "n": n,
        "label": label,
        "help": help or "",
        "values": list(values) if values is not None else [str(o) for o in opts],
        "options": opts,
        "buttons": list(buttons),
        "blocks": list(blocks),
        "theme": "light",  # the browser draws in the theme it shows (data.theme, data.ink)
        "inks": {
            t: {"text": palette.TEXT[t], "muted": palette.MUTED[t], "background": palette.BACKGROUND[t]}
            for t in ("light", "dark")
        },
        "reportMs": int(report_ms),
    }
    data["id"] = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    # The position goes to the browser only when it is news there: new frames (another id), a page drawn
    # afresh, or a value set by the server (a link, Back, a preset). A report's rerun sends the element
    # unchanged, so Streamlit sends a reference to it, not the payload again, and the browser does nothing.
    sent_id, sent_frame, seek = st.session_state.get(sent_key, (None, frame, 0))
    if sent_id != data["id"] or url.arrived or st.session_state.get(at_key) != frame:
        sent_frame, seek = frame, seek + 1
        st.session_state[at_key] = frame
    st.session_state[sent_key] = (data["id"], sent_frame, seek)
    data["frame"], data["seek"] = sent_frame, seek
    _component()(key=ckey, data=data, default={"frame": frame}, on_frame_change=_reported, height="content")
    return url.keep(name, opts[frame])


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
    return float(f"{x:.{digits}g}") if np.isfinite(x) else None


def _stroke(colour: int, dash: int | None) -> dict:
    """An item's colour ({light, dark}, CATEGORICAL[colour]) and dash (DASHES[dash], by default the colour's
    index: series differ by more than colour)."""
    return {
        "colour": _colour(colour),
        "dash": list(palette.DASHES[(colour if dash is None else dash) % len(palette.DASHES)]),
    }


def xy_line(
    name: str,
    x: Sequence[float],
    y: Sequence[float],
    *,
    colour: int = 0,
    dash: int | None = None,
    dots: bool = False,
    digits: int = 4,
    slope: Sequence[float] | None = None,
) -> dict:
    """A static series: the polyline through (x[i], y[i]); a point that cannot be drawn (NaN, or ≤ 0 on a log
    axis) breaks the line there. ``colour``/``dash`` index ui/palette.py's CATEGORICAL/DASHES (dash defaults
    to the colour's index, so series differ by more than colour); ``dots`` marks every point too; ``slope``
    (dy/dx at each x, optional) draws a tangent where a hovering pointer is (``xy(..., hover=True)``)."""
    xs, ys = list(x), list(y)
    if len(xs) != len(ys):
        raise ValueError(f"xy_line {name!r}: {len(xs)} x but {len(ys)} y")
    extra: dict[str, Any] = {}
    if slope is not None:
        if len(slope) != len(xs):
            raise ValueError(f"xy_line {name!r}: {len(xs)} x but {len(slope)} slopes")
        extra["slope"] = [_num(v, digits) for v in slope]
    return {
        "kind": "line",
        "name": str(name),
        **_stroke(colour, dash),
        "x": [_num(v, digits) for v in xs],
        "y": [_num(v, digits) for v in ys],
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
        "x": [_num(v, digits) for v in xs],
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
    frames = [[[_num(px, digits), _num(py, digits)] for px, py in frame] for frame in points]
    out: dict[str, Any] = {"kind": "points", "name": str(name), "colour": _colour(colour), "xy": frames}
    if tips is not None:
        out["tips"] = [[str(t) for t in frame] for frame in tips]
    if labels is not None:
        out["labels"] = [[str(t) for t in frame] for frame in labels]
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
    (:func:`xy_line`, static), ``rules`` (:func:`xy_rule`) and ``points`` (:func:`xy_points`), per frame or
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
        xs += s["x"]
        ys += s["y"]
    for r in rules:
        xs += r["x"]
    for p in points:
        for frame in p["xy"]:
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
