"""The stepper: a slider whose every position the server computed at once, drawn by the browser.

A page whose main slider has a few dozen positions (Autodiff's backward step) computes what every position
shows, describes it as blocks (below) and mounts :func:`stepper` inside its stage fragment. The browser
(ui/stepper/*.js, one `st.components.v2` component) draws a step without asking the server: no rerun, no
message, no Streamlit element re-rendered. Once the learner stops (``REPORT_MS`` after the last move) the
component reports the position; that reruns the fragment, which writes it into the page's link (the
page's `UrlState` parameter ``name``, read back from links like any slider's).

Blocks (each field marked per frame is a list with one entry per position)::

    heading(text)
    text(paras, border=False, small=False)                       # paras: per frame, or static
    table(header, rows, align=..., note=..., width=...)          # rows: per frame; cells are runs
    bars(title, labels, series=[(name, colour_pair, values (F, k))], y_title=..., alt=...)
    graph(layout, looks, current, alt, palette)                  # ui.graphs' drawing, recoloured per step
    row(*blocks)                                                 # side by side, stacked on a phone

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
from ui.state import UrlState

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
def stepper(
    key: str,
    *,
    url: UrlState,
    name: str,
    label: str,
    n: int,
    default: int,
    blocks: Sequence[dict],
    values: Sequence[str] | None = None,
    help: str | None = None,
    buttons: Sequence[dict] = NAV,
    theme: str = "light",  # "light" | "dark": st.context.theme.type
    report_ms: int = REPORT_MS,
) -> int:
    """Mount the stepper under ``key``; return the position the browser last reported (or the link's).

    The position is the page's URL parameter ``name`` (an int in 0..n-1, ``default`` for a fresh page):
    links, Back and presets set it like any slider's; the browser moves it and reports it.
    """
    n = max(1, int(n))
    skey = url.prepare_int(name, 0, n - 1, int(default))
    ckey = f"{skey}._stepper"

    def _reported() -> None:
        got = st.session_state.get(ckey)
        frame = got.get("frame") if isinstance(got, dict) else getattr(got, "frame", None)
        if isinstance(frame, int | float) and not isinstance(frame, bool) and np.isfinite(frame):
            st.session_state[skey] = int(np.clip(int(frame), 0, n - 1))

    value = int(np.clip(int(st.session_state[skey]), 0, n - 1))
    data: dict[str, Any] = {
        "n": n,
        "label": label,
        "help": help or "",
        "values": list(values) if values is not None else [str(i) for i in range(n)],
        "buttons": list(buttons),
        "blocks": list(blocks),
        "theme": theme,
        "ink": {
            "text": palette.TEXT[theme],
            "muted": palette.MUTED[theme],
            "background": palette.BACKGROUND[theme],
        },
        "reportMs": int(report_ms),
    }
    data["id"] = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    data["frame"] = value
    _component()(key=ckey, data=data, default={"frame": value}, on_frame_change=_reported, height="content")
    return int(url.keep(name, value))


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
