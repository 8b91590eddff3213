"""The replay player: one Streamlit component (components v2) that plays a precomputed history in the browser.

The page computes a history once (``core.history``, cached with ``st.cache_data``), describes what to draw
with the panel builders below and mounts :func:`player` inside an ``@st.fragment``. The browser draws every
frame (canvas, ``requestAnimationFrame``) and sends nothing while playing; Pause, Step, scrub, Reset and
"pause at" report the frame index once, which reruns that fragment only. :func:`player` returns that index.

Wire format: arrays travel as base64 strings inside the component's JSON data — float32 for values the
browser only draws (the page itself keeps float64), uint8 for maps, zlib-compressed (the browser inflates
them with ``DecompressionStream``); maps are sent as frame-to-frame differences, which compress ~18×. The
element's data is identical from one rerun to the next while the history is the same, so Streamlit's
message cache sends it once per page load (later reruns send a reference).

Python API (reused by other pages)::

    frame = player(key, n_frames=F, panels=[...], columns=[[0], [1], [2, 3]], every=10, label="Epoch",
                   readout=("Loss", losses), pause_at=1000, url_param="epoch")

    network_panel(title, layers, weights, labels=..., highlight=(layer, i, j), values=bool, wmax=float,
                  unit_maps=[(F, n_l, k, k) uint8 per layer], widths=[(F, n_l, n_l+1) per layer])
    map_panel(title, maps, extent, points=[...], paths=[(name, colour, (F, 2) points)], static=bool)
    curve_panel(title, series=[(name, colour, (F,) values)], log=bool, marks=[(frame, label)])
    bars_panel(title, labels, targets, values)          # values (F, k) in [0, 1]

Colours: ``PALETTE`` (the only colours here; theme colours come from Streamlit's ``--st-*`` variables).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from ui import palette, state

__all__ = [
    "PALETTE",
    "bars_panel",
    "blob",
    "curve_panel",
    "map_panel",
    "network_panel",
    "player",
    "seek",
    "shade",
    "url_frame",
    "variant",
]

ASSETS = Path(__file__).with_name("player")
PALETTE: dict[str, Any] = palette.PLAYER  # the app's one palette (ui/palette.py)
SMALL_BLOB = 4096  # bytes: smaller arrays are not compressed (see blob)
FPS = 60  # frames of history per second at 1× (0.25×–4× from the speed menu)


@cache
def _component() -> Callable[..., Any]:
    return st.components.v2.component(
        "gradient_lab.player",
        html=(ASSETS / "player.html").read_text(encoding="utf-8"),
        css=(ASSETS / "player.css").read_text(encoding="utf-8"),
        js=(ASSETS / "player.js").read_text(encoding="utf-8"),
    )


def blob(
    values: np.ndarray, *, dtype: str = "f32", delta: bool = False, compress: bool | None = None
) -> dict[str, Any]:
    """An array as {b64, dtype, z, delta, size, h}: float32 ("f32") or uint8 ("u8"), row-major.

    ``compress``: zlib (the default: arrays of ``SMALL_BLOB`` bytes or more).
    ``delta`` (uint8, ≥ 2-D): frame 0 then differences mod 256 of each frame from the previous one.
    ``h``: a short digest of the content; the browser keeps decoded arrays by it, so a history that comes
    back (a setting moved back and forth) or a blob that did not change (a map's background for another start
    point) is not decoded and inflated again.
    """
    arr = np.asarray(values)
    if dtype == "f32":
        raw = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        size = int(arr[0].size) if arr.ndim > 1 else 1
    else:
        u8 = np.ascontiguousarray(arr, dtype=np.uint8)
        size = int(u8[0].size) if u8.ndim > 1 else int(u8.size)
        if delta and u8.ndim > 1:
            u8 = np.diff(u8.astype(np.int16), axis=0, prepend=0).astype(np.uint8)
        raw = u8.tobytes()
    if compress is None:  # a small array is sent as it is: the browser decodes it at once, no inflate stream
        compress = len(raw) >= SMALL_BLOB  # (whose answer comes tasks later, after the rerun's own redraw)
    if compress:
        # Level 6, not 9: on a history's map differences (long runs of zeros) level 9 searched for
        # 0.82 s per new Backprop network against 0.07 s, for a payload only ~10 % smaller.
        raw = zlib.compress(raw, 6)
    digest = hashlib.blake2b(raw, digest_size=8)
    digest.update(f"{dtype}:{size}:{bool(delta and dtype == 'u8')}:{compress}".encode())
    return {
        "b64": base64.b64encode(raw).decode("ascii"),
        "dtype": dtype,
        "z": compress,
        "delta": bool(delta and dtype == "u8"),
        "size": size,
        "h": digest.hexdigest(),
    }


def network_panel(
    title: str,
    layers: Sequence[int],
    weights: Sequence[np.ndarray],
    *,
    labels: Sequence[Sequence[str]] | None = None,
    highlight: tuple[int, int, int] | None = None,
    values: bool = False,
    wmax: float | None = None,
    alt: str = "",
    unit_maps: Sequence[np.ndarray] | None = None,
    widths: Sequence[np.ndarray] | None = None,
    aspect: float = 0.8,
) -> dict[str, Any]:
    """Nodes in layers, edges coloured by sign (orange +, blue −) with width ∝ |w| (up to ``wmax``).

    ``weights[l]`` is (F, layers[l], layers[l+1]); ``highlight`` = (layer, i, j) outlines one edge.
    ``unit_maps[l]`` (optional, uint8 (F, layers[l], k, k), rows bottom to top, the diverging colours):
    each unit drawn as a small square map of its output instead of a circle. ``widths`` (optional, shaped
    like ``weights``): what the edge widths show instead of |w| (e.g. |∂L/∂w|); colour stays the sign of w.
    """
    size_by = widths if widths is not None else weights
    top = wmax if wmax is not None else max(float(np.max(np.abs(w))) for w in size_by)
    spec: dict[str, Any] = {
        "type": "network",
        "title": title,
        "layers": [int(n) for n in layers],
        "weights": [blob(w) for w in weights],
        "labels": [list(x) for x in labels] if labels else None,
        "highlight": list(highlight) if highlight else None,
        "values": values,
        "wmax": max(top, 1e-9),
        "alt": alt,
        "aspect": aspect,
    }
    if widths is not None:  # uint8 fractions of wmax: a line width needs no more (and compresses well)
        spec["widths"] = [
            blob(np.rint(np.clip(np.abs(w) / spec["wmax"], 0, 1) * 255), dtype="u8", delta=True)
            for w in widths
        ]
    if unit_maps is not None:
        grids = [np.asarray(u, dtype=np.uint8) for u in unit_maps]
        spec["unitMaps"] = [blob(u.reshape(u.shape[0], -1), dtype="u8", delta=True) for u in grids]
        spec["mapSize"] = int(grids[0].shape[-1])
    return spec


def shade(Z: np.ndarray, *, log_above_min: bool) -> np.ndarray:
    """A height map as uint8 shades for a static map panel (dark = low): the log of the height above the
    lowest cell when the surface has a minimum, else the height itself; non-finite cells as the highest."""
    Z = np.asarray(Z, dtype=np.float64)
    finite = np.isfinite(Z)
    Z = np.where(finite, Z, np.max(Z[finite]) if finite.any() else 0.0)
    if log_above_min:
        d = Z - Z.min()
        v = np.log10(d + 1e-6 * (float(d.max()) + 1.0))
    else:
        v = Z
    v = (v - v.min()) / max(float(v.max() - v.min()), 1e-300)
    return np.rint(v * 255).astype(np.uint8)


def _dash(i: int) -> list[float]:
    """Series i's dash pattern (never colour alone: WCAG 1.4.1); the first series is solid."""
    return list(palette.DASHES[i % len(palette.DASHES)])


def map_panel(
    title: str,
    maps: np.ndarray,
    extent: Sequence[float],
    *,
    points: Sequence[dict] = (),
    paths: Sequence[tuple[str, str, np.ndarray]] = (),
    static: bool = False,
    sequential: bool = False,
    xlabel: str = "",
    ylabel: str = "",
    alt: str = "",
    aspect: float = 0.8,
    point_radius: float = 7,
) -> dict[str, Any]:
    """A uint8 map per frame (F, n, m) — or one map (n, m) with ``static`` — on ``extent`` = (x0, x1, y0, y1).

    Row r of a map is y = y0 + r·dy (bottom to top). ``points``: {x, y, t (target 0/1) or label,
    optional s: "^" for a triangle}; ``point_radius`` their size in pixels.
    ``paths``: (name, colour, (F, 2) points) drawn up to the current frame with a dot at its end, each
    with its own dash pattern and its name written beside the dot.
    """
    grid = np.asarray(maps, dtype=np.uint8)
    if static:
        grid = grid[None]
    return {
        "type": "map",
        "title": title,
        "maps": blob(grid, dtype="u8", delta=not static),
        "n": int(grid.shape[1]),
        "m": int(grid.shape[2]),
        "extent": [float(v) for v in extent],
        "static": static,
        "sequential": sequential,
        "points": list(points),
        "xlabel": xlabel,
        "ylabel": ylabel,
        "alt": alt,
        "aspect": aspect,
        "pointRadius": float(point_radius),
        "paths": [
            {"name": n, "color": c, "dash": _dash(i), "points": blob(p), "length": int(len(p))}
            for i, (n, c, p) in enumerate(paths)
        ],
    }


def curve_panel(
    title: str,
    series: Sequence[tuple[str, str, np.ndarray]],
    *,
    log: bool = False,
    symlog: bool = False,
    marks: Sequence[tuple[int, str]] = (),
    xlabel: str = "",
    alt: str = "",
    aspect: float = 0.4,
) -> dict[str, Any]:
    """One value per frame per series, the whole curve drawn once, a moving marker at the current frame.
    Series differ by dash pattern too, and several series are named at their curve's end.

    ``log``: a log y axis (values > 0); ``symlog``: sign(v)·log10(1 + |v|) (values of both signs).
    """
    return {
        "type": "curve",
        "title": title,
        "log": log,
        "symlog": symlog,
        "xlabel": xlabel,
        "alt": alt,
        "aspect": aspect,
        "series": [
            {"name": n, "color": c, "dash": _dash(i), "values": blob(v), "length": int(len(v))}
            for i, (n, c, v) in enumerate(series)
        ],
        "marks": [{"frame": int(f), "label": text} for f, text in marks],
    }


def bars_panel(
    title: str,
    labels: Sequence[str],
    targets: Sequence[float],
    values: np.ndarray,
    *,
    alt: str = "",
    aspect: float = 0.36,
) -> dict[str, Any]:
    """k bars per frame (values (F, k) in [0, 1]) with a tick at each target."""
    return {
        "type": "bars",
        "title": title,
        "labels": list(labels),
        "targets": [float(t) for t in targets],
        "values": blob(values),
        "alt": alt,
        "aspect": aspect,
    }


def url_frame(param: str, to_frame: Callable[[int], int | None]) -> int | None:
    """The frame a link asks for (``?param=N``, N an epoch or step), or None if absent or not a number."""
    raw = st.query_params.get(param)
    if raw is None or not raw.strip().lstrip("-").isdigit() or len(raw) > 9:
        return None
    return to_frame(int(raw))


def variant(
    *,
    n_frames: int,
    panels: Sequence[dict[str, Any]],
    readout: tuple[str, np.ndarray] | None = None,
    legend: str | None = None,
    history_id: str | None = None,
) -> dict[str, Any]:
    """Another history the player holds for a position of the stepper it follows (see :func:`player`'s
    ``variants``): shown in the browser, with no rerun, when the stepper moves there. ``history_id``: the id
    :func:`player` is given when that position is the centre (None in both: an id from the content)."""
    out: dict[str, Any] = {"n": int(n_frames), "panels": list(panels)}
    if readout is not None:
        out["readout"] = {"label": readout[0], "values": blob(readout[1]), "digits": 6}
    if legend is not None:
        out["legend"] = legend
    out["id"] = history_id or _content_id(out)
    return out


def _content_id(history: dict[str, Any]) -> str:
    """A history's id from what it draws: the same history has the same id as the centre or as a variant."""
    keys = ("n", "panels", "readout")
    body = json.dumps({k: history.get(k) for k in keys}, sort_keys=True)
    return hashlib.sha1(body.encode()).hexdigest()[:16]


def _pos(at: Sequence[int]) -> str:
    """A stepper position as the browser names it (ui/stepper/stepper.js's keyOf)."""
    return ",".join(str(int(i)) for i in at)


def _dedupe(data: dict[str, Any]) -> None:
    """Each blob sent once: a later blob with a digest already seen (a map background shared by every
    variant) becomes {"ref": digest}; the browser links it back to the first."""
    seen: set[str] = set()

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            if isinstance(x.get("b64"), str) and x.get("h"):
                if x["h"] in seen:
                    return {"ref": x["h"]}
                seen.add(x["h"])
                return x
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    for k in ("panels", "readout", "lead"):
        if k in data:
            data[k] = walk(data[k])


def seek(key: str, frame: int) -> None:
    """Move the player under ``key`` to ``frame`` on its next run (call from a callback, e.g. a preset)."""
    token = int(st.session_state.get(f"{key}._seek", (0, 0))[0]) + 1
    st.session_state[f"{key}._seek"] = (token, int(frame))


def player(
    key: str,
    *,
    n_frames: int,
    panels: Sequence[dict[str, Any]],
    columns: Sequence[Sequence[int]],
    col_widths: Sequence[float] | None = None,
    first: int = 0,
    every: int = 1,
    label: str = "Epoch",
    readout: tuple[str, np.ndarray] | None = None,
    pause_at: int | None = None,
    autoplay: bool = False,
    start: int = 0,
    url_param: str | None = None,
    legend: str = "",
    fps: int = FPS,
    history_id: str | None = None,
    follow_end: bool = False,
    follow: str | None = None,
    at: Sequence[int] | None = None,
    variants: Mapping[tuple[int, ...], dict[str, Any]] | None = None,
) -> int:
    """Mount the player under ``key`` and return the frame the learner is on (last Pause/Step/scrub).

    Frame i stands for ``first + i·every`` (shown under ``label``). ``start`` is the frame of a fresh
    session (a link's ``?url_param=`` overrides it); the URL then follows the reported frame. Call it
    inside an ``@st.fragment``. ``pause_at`` (an epoch) shows the "pause at" box with that default.
    When the history changes the player stays on the same epoch (clamped); with ``follow_end`` a player
    that was on the last frame moves to the new last frame.

    ``follow``: the component key of a stepper (ui.stepper.component_key) whose settings the history depends
    on; the panels given are the history at its position ``at``, and ``variants`` (position → :func:`variant`)
    the histories at the other positions of its window. The browser shows the variant of the position the
    stepper shows, with no rerun (the epoch kept); at a position without one the player waits, dimmed, for the
    stepper's report to bring the next window.
    """
    n_frames = int(n_frames)
    # the browser's frameOf: Math.round (halves up), clamped
    to_frame = lambda e: int(np.clip(np.floor((e - first) / every + 0.5), 0, n_frames - 1))  # noqa: E731
    grid_key = (
        f"{key}._grid"  # (first, every) of the last run: when it changes, a frame index means another epoch
    )
    old_grid = st.session_state.get(grid_key, (int(first), int(every)))
    st.session_state[grid_key] = (int(first), int(every))
    init_key = f"{key}._start"
    if init_key not in st.session_state:
        linked = url_frame(url_param, to_frame) if url_param else None
        st.session_state[init_key] = linked if linked is not None else int(start)
        st.session_state[f"{key}._autoplay"] = autoplay and linked is None  # a link opens paused on its frame
    autoplay = bool(st.session_state.get(f"{key}._autoplay", False))
    initial = min(int(st.session_state[init_key]), n_frames - 1)
    token, target = st.session_state.get(f"{key}._seek", (0, initial))
    sought = st.session_state.get(f"{key}._sought", 0) != token
    st.session_state[f"{key}._sought"] = token
    target = min(int(target), n_frames - 1)
    data: dict[str, Any] = {
        "n": n_frames,
        "epochs": {"first": int(first), "every": int(every)},
        "label": label,
        "panels": list(panels),
        "columns": [list(c) for c in columns],
        "colWidths": list(col_widths) if col_widths else None,
        "palette": PALETTE,
        "legend": legend,
        "fps": int(fps),
        "frame": target,
        "autoplay": bool(autoplay),
        "follow": True,
        "seek": token,
        "followEnd": bool(follow_end),
    }
    if pause_at is not None:
        data["pauseAt"] = int(pause_at)
    if readout is not None:
        data["readout"] = {"label": readout[0], "values": blob(readout[1]), "digits": 6}
    data["id"] = history_id or _content_id(data)
    if follow is not None:
        here = tuple(int(i) for i in (at or ()))
        data["lead"] = {
            "leader": follow,
            "at": _pos(here),
            "variants": {_pos(p): v for p, v in (variants or {}).items() if tuple(p) != here},
        }
        _dedupe(data)
    result = _component()(
        key=key,
        data=data,
        default={"frame": initial},
        on_frame_change=lambda: st.session_state.pop(f"{key}._remap", None),
        height="content",
    )
    frame = getattr(result, "frame", None)
    if sought or not isinstance(frame, int | float):
        frame = target
    raw = int(frame)
    remap_key = f"{key}._remap"  # (index the component still holds, the frame it now stands for)
    remap = st.session_state.get(remap_key)
    if sought:
        st.session_state.pop(remap_key, None)
    elif old_grid != (
        int(first),
        int(every),
    ):  # stay on the same epoch, as the browser does (it then reports)
        frame = to_frame(old_grid[0] + raw * old_grid[1])
    elif remap is not None and remap[0] == raw:  # the browser's report of the new index is still on its way
        frame = remap[1]
    last_n = st.session_state.get(f"{key}._n", n_frames)
    if follow_end and not sought and raw == last_n - 1:
        frame = n_frames - 1
    if not sought and int(frame) != raw:
        st.session_state[remap_key] = (raw, int(frame))
    st.session_state[f"{key}._n"] = n_frames
    frame = int(np.clip(int(frame), 0, n_frames - 1))
    if url_param:
        value = str(first + frame * every)
        if state.param(url_param) != value:
            state.put(url_param, value)
    return frame
