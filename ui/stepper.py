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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
_TOKEN = re.compile(r"(\\.|\*\*|`|:gray\[|\[|\])", re.S)  # escapes, bold, code, muted and its brackets


def runs(md: str) -> list[Run]:
    """One line of the Markdown subset as runs: **bold**, `code`, :gray[muted], backslash escapes."""
    if not _TOKEN.search(md):  # plain text: the common case of a label or a number
        return [["", md]] if md else []
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

    for i, tok in enumerate(_TOKEN.split(md)):
        if not tok:
            continue
        if i % 2 == 0:  # text between tokens
            buf.append(tok)
        elif code:  # inside `code` only a backtick means something (an escape's backslash is literal)
            if tok == "`" or (tok[0] == "\\" and tok[1:] == "`"):
                if tok != "`":
                    buf.append("\\")
                flush()
                code = False
            else:
                buf.append(tok)
        elif tok[0] == "\\":
            buf.append(tok[1:])
        elif tok == "**":
            flush()
            bold = not bold
        elif tok == "`":
            flush()
            code = True
        elif tok == ":gray[" and not muted:
            flush()
            muted, depth = True, 0
        elif tok in (":gray[", "[") and muted:  # brackets inside (W[2,3]) nest, as in Streamlit's Markdown
            depth += 1
            buf.append(tok)
        elif tok == "]" and muted and depth:
            depth -= 1
            buf.append(tok)
        elif tok == "]" and muted:
            flush()
            muted = False
        else:
            buf.append(tok)
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
def _listed(x: Any, each: Callable[[Any], Any] | None = None) -> Any:
    """A per-frame field: a :func:`picked` dict stays one (the browser expands it), else a list (of
    ``each(entry)``)."""
    if isinstance(x, dict):
        return x
    return [each(v) for v in x] if each else list(x)


def heading(text: str) -> dict:
    return {"type": "heading", "text": str(text)}


def text(
    paras: Sequence[Sequence[Para]] | Sequence[Para],
    *,
    per_frame: bool,
    border: bool = False,
    small: bool = False,
) -> dict:
    """Paragraphs: per frame (a list per frame, or :func:`picked`/:func:`shared`), or static."""
    block: dict[str, Any] = {"type": "text", "paras": _listed(paras), "border": border, "small": small}
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
        "rows": _listed(rows, lambda frame: [[list(c) for c in row] for row in frame]),
        "align": list(align or []),
        "perFrame": ["rows"],
        "note": [],
    }
    if note is not None:
        block["note"] = _listed(note, list)
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


@dataclass(frozen=True)
class Axis:
    """One slider of a stepper: the page's URL parameter ``name``, its ``label``, its positions ``options``
    (numbers, in order) and their labels ``values`` (``str(option)`` by default)."""

    name: str
    label: str
    options: Sequence[float]
    default: float
    values: Sequence[str] | None = None
    help: str | None = None


def locate(*, url: UrlState, axes: Sequence[Axis]) -> tuple[int, ...]:
    """The position to show, an option index per axis: the browser's last report, a link's value (snapped to
    the nearest option), a value the server set (a preset, a button) or the default. Call once per run, before
    building the frames, and pass it to :func:`multi_stepper`."""
    out = []
    for ax in axes:
        skey = url.prepare(ax.name, option_param(list(ax.options), ax.default))
        out.append(nearest(list(ax.options), st.session_state[skey]))
    return tuple(out)


def cross(at: Sequence[int], axes: Sequence[Axis], radius: Sequence[int | None]) -> list[tuple[int, ...]]:
    """A window of positions around ``at`` (first): each axis moved alone, up to ``radius[i]`` options either
    way (None: the whole axis). Keyboard steps stay inside it; the browser asks for a new window when the
    learner leaves it or stops."""
    frames = [tuple(at)]
    for i, (ax, r) in enumerate(zip(axes, radius, strict=True)):
        n = len(ax.options)
        lo, hi = (0, n - 1) if r is None else (max(0, at[i] - r), min(n - 1, at[i] + r))
        for k in range(lo, hi + 1):
            if k != at[i]:
                frames.append(tuple(at[:i]) + (k,) + tuple(at[i + 1 :]))
    return frames


def picked(items: Sequence[Any], pick: Sequence[int]) -> dict:
    """A per-frame field sent once per distinct value: frame f shows ``items[pick[f]]``. The browser expands
    it before any block reads it, so a block indexes the field per frame as usual."""
    return {"__items": list(items), "__pick": [int(i) for i in pick]}


def shared(per_frame: Sequence[Any]) -> dict:
    """:func:`picked` from a plain per-frame list: equal entries (as JSON) are sent once."""
    items: list[Any] = []
    index: dict[str, int] = {}
    pick = []
    for v in per_frame:
        k = json.dumps(v, sort_keys=True)
        if k not in index:
            index[k] = len(items)
            items.append(v)
        pick.append(index[k])
    return picked(items, pick)


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
    axis = Axis(name, label, list(options), default, values, help)
    at = locate(url=url, axes=[axis])
    return _mount(url, [axis], at, None, blocks, buttons, report_ms)[0]


def multi_stepper(
    key: str,
    *,
    url: UrlState,
    axes: Sequence[Axis],
    at: Sequence[int],
    frames: Sequence[Sequence[int]],
    blocks: Sequence[dict],
    report_ms: int = REPORT_MS,
) -> tuple:
    """A stepper over several sliders (``axes``), each the page's URL parameter of its name. ``at`` is
    :func:`locate`'s position; ``frames`` the positions sent (``at`` among them, e.g. :func:`cross`), and every
    per-frame field of ``blocks`` has one entry per frame, in that order. A step to a position outside
    ``frames`` is shown waiting and reported at once; the rerun sends the window around it. Returns the option
    values at ``at``."""
    fr = [tuple(int(i) for i in f) for f in frames]
    if tuple(at) not in fr:
        raise ValueError(f"multi_stepper {key!r}: the position {tuple(at)} is not among the frames")
    return _mount(url, list(axes), tuple(at), fr, blocks, (), report_ms)


def follower(
    key: str,
    *,
    lead: str,
    at: Sequence[int],
    frames: Sequence[Sequence[int]],
    blocks: Sequence[dict],
    label: str = "",
) -> None:
    """Blocks that follow a stepper from elsewhere on the page (e.g. numbers under a player): no sliders; the
    browser shows the frame of the position the stepper ``lead`` (:func:`component_key`) shows. ``frames``
    and ``at`` as the leader's (every per-frame field of ``blocks`` has one entry per frame); a position
    it does not hold is shown waiting until the leader's report brings the next payload. ``key`` names the
    component."""
    fr = [[int(i) for i in f] for f in frames]
    data = {
        "lead": lead,
        "here": ",".join(str(int(i)) for i in at),
        "frames": fr,
        "blocks": list(blocks),
        "label": label,
        "theme": "light",
        "inks": {
            t: {"text": palette.TEXT[t], "muted": palette.MUTED[t], "background": palette.BACKGROUND[t]}
            for t in ("light", "dark")
        },
    }
    try:
        body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except ValueError:
        body = json.dumps(_finite(data), separators=(",", ":"), allow_nan=False)
    data_id = hashlib.sha1(body.encode()).hexdigest()[:16]
    _component()(key=key, data=body[:-1] + f',"id":"{data_id}"}}', height="content")


def component_key(url: UrlState, name: str) -> str:
    """The component key of the stepper whose first axis is ``name``: what a follower (ui.player's ``follow``)
    names it by."""
    return f"{url.key(name)}._stepper"


def _finite(x: Any) -> Any:
    """x with every non-finite float replaced by None (drawn as a gap, as the builders' own rounding does)."""
    if isinstance(x, float):
        return x if np.isfinite(x) else None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


def _mount(
    url: UrlState,
    axes: list[Axis],
    at: tuple[int, ...],
    frames: list[tuple[int, ...]] | None,
    blocks: Sequence[dict],
    buttons: Sequence[dict],
    report_ms: int,
) -> tuple:
    opts = [list(ax.options) for ax in axes]
    skeys = [url.key(ax.name) for ax in axes]
    ckey = component_key(url, axes[0].name)
    at_key, sent_key = f"{ckey}._at", f"{ckey}._sent"  # the position the browser shows; (frame, seek) sent

    def _reported() -> None:
        got = st.session_state.get(ckey)
        pos = got.get("at") if isinstance(got, dict) else getattr(got, "at", None)
        if pos is None:  # a one-axis stepper reports {"frame": k}
            frame = got.get("frame") if isinstance(got, dict) else getattr(got, "frame", None)
            pos = [frame]
        if not isinstance(pos, list | tuple) or len(pos) != len(axes):
            return
        ks = []
        for p, o in zip(pos, opts, strict=True):
            if not isinstance(p, int | float) or isinstance(p, bool) or not np.isfinite(p):
                return
            ks.append(int(np.clip(int(p), 0, len(o) - 1)))
        for sk, o, k in zip(skeys, opts, ks, strict=True):
            st.session_state[sk] = o[k]
        st.session_state[at_key] = tuple(ks)  # the browser is there already: nothing to send it

    n = len(opts[0])
    data: dict[str, Any] = {
        "n": n,
        "label": axes[0].label,
        "help": axes[0].help or "",
        "values": list(axes[0].values) if axes[0].values is not None else [str(o) for o in opts[0]],
        "options": opts[0],
        "axes": [
            {
                "name": ax.name,
                "label": ax.label,
                "help": ax.help or "",
                "options": o_,
                "values": list(ax.values) if ax.values is not None else [str(o) for o in o_],
            }
            for ax, o_ in zip(axes, opts, strict=True)
        ],
        "frames": [list(f) for f in frames] if frames is not None else None,
        "buttons": list(buttons),
        "blocks": list(blocks),
        "theme": "light",  # the browser draws in the theme it shows (data.theme, data.ink)
        "inks": {
            t: {"text": palette.TEXT[t], "muted": palette.MUTED[t], "background": palette.BACKGROUND[t]}
            for t in ("light", "dark")
        },
        "reportMs": int(report_ms),
        "key": ckey,  # followers (a player's variants) listen for this stepper's positions by it
    }
    # The payload goes to the browser as ONE JSON string, encoded once here: its hash names it, and Streamlit
    # neither walks it for dataframes nor encodes it again (the two cost a third of a Gradients window's
    # server time). The browser parses it once per new string.
    try:
        body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN or an infinity left in a block: JSON has none (JSON.parse would refuse it)
        body = json.dumps(_finite(data), separators=(",", ":"), allow_nan=False)
    data_id = hashlib.sha1(body.encode()).hexdigest()[:16]
    # The position goes to the browser only when it is news there: a page drawn afresh, or a value set by the
    # server (a link, Back, a preset), i.e. not the position the browser last reported. A report's rerun sends
    # the element unchanged (a one-axis stepper) or a new window around it, with the same seek: the browser
    # keeps showing where the learner is now. New frames with no news keep the browser's position too.
    sent_at, seek, sent_id = st.session_state.get(sent_key, (at, 0, None))
    if url.arrived or st.session_state.get(at_key) != at:
        sent_at, seek = at, seek + 1
        st.session_state[at_key] = at
    elif frames is not None and sent_id != data_id:  # a new window: it says where the server is (the
        sent_at = at  # browser keeps its place); the same window is sent unchanged (a reference)
    st.session_state[sent_key] = (sent_at, seek, data_id)
    frame = frames.index(tuple(sent_at)) if frames is not None and tuple(sent_at) in frames else sent_at[0]
    tail = json.dumps(
        {"id": data_id, "frame": frame, "at": list(sent_at), "seek": seek}, separators=(",", ":")
    )
    payload = body[:-1] + "," + tail[1:]  # one object: the frames and where to show them
    _component()(
        key=ckey,
        data=payload,
        # a multi-axis stepper's default never changes: a changed default reaches the server as a changed
        # state with the next rerun (a button's), firing the callback with the browser's last, stale "at"
        default={"frame": at[0]} if frames is None else {"at": None},
        on_frame_change=_reported,
        on_at_change=_reported,
        height="content",
    )
    return tuple(url.keep(ax.name, o[k]) for ax, o, k in zip(axes, opts, at, strict=True))


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
    "Axis",
    "bars",
    "component_key",
    "cross",
    "follower",
    "locate",
    "multi_stepper",
    "picked",
    "shared",
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
