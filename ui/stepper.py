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
    depth = 0  # brackets open inside a :gray[...]

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
            muted, depth = True, 0
            i += 6
        elif ch == "[" and muted:  # brackets inside (W[2,3]) nest, as in Streamlit's Markdown
            depth += 1
            buf.append(ch)
            i += 1
        elif ch == "]" and muted and depth:
            depth -= 1
            buf.append(ch)
            i += 1
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


# The chart blocks live in ui/stepper_charts.py; pages use them as `sp.xy(...)` etc.
from ui.stepper_charts import (  # noqa: E402
    heatmap,
    layerlog,
    layerlog_bars,
    logbars,
    xy,
    xy_band,
    xy_line,
    xy_points,
    xy_rule,
)

__all__ = [
    "bars",
    "graph",
    "heading",
    "paragraphs",
    "plain",
    "row",
    "runs",
    "stepper",
    "table",
    "text",
    "xy",
    "xy_line",
    "xy_rule",
    "xy_points",
    "xy_band",
    "heatmap",
    "logbars",
    "layerlog",
    "layerlog_bars",
]
