"""Maps of two inputs: loss surfaces seen from above with arrows, paths and points on them; a matrix as
labelled cells; a classifier's decision map. Magnitudes use viridis, signs blue–orange, classes
purple–green (ui/palette.py); what is drawn on a map has a dark outline, legible on every cell.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from ui import palette
from ui.charts.spec import fill_slots, finite_or_none, series_channels, source, vega_spec


def grid_frame(
    xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, value: str = "z", names: tuple[str, str] = ("x", "y")
) -> pd.DataFrame:
    """A (ny, nx) grid as tidy rows for `surface_map` / `heatmap`."""
    X, Y = np.meshgrid(xs, ys)
    return pd.DataFrame({names[0]: X.ravel(), names[1]: Y.ravel(), value: np.asarray(Z, float).ravel()})


def surface_map(
    grid: pd.DataFrame,
    *,
    x: str = "w1",
    y: str = "w2",
    value: str = "loss",
    log_color: bool = True,
    extra: alt.TopLevelMixin | Sequence[alt.TopLevelMixin] = (),
    height: int = 440,
    domain: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> alt.LayerChart:
    """A loss surface seen from above: cells coloured by loss (viridis), with `extra` layers on top.

    `grid` has columns x, y, value on a regular grid. `extra` is a chart or a list of charts drawn
    over the map (`arrow_layers`, `path_layers`, `dot_layer`); layered charts are flattened into the map.
    """
    xs = np.sort(grid[x].unique())
    ys = np.sort(grid[y].unique())
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    g = grid.copy()
    g["x_lo"], g["x_hi"] = g[x] - dx / 2, g[x] + dx / 2
    g["y_lo"], g["y_hi"] = g[y] - dy / 2, g[y] + dy / 2
    vals = g[value].to_numpy(dtype=float)
    if log_color:
        shift = float(np.nanmin(vals))
        g["shade"] = np.log10(vals - shift + 1e-3 * (np.nanmax(vals) - shift + 1e-12) + 1e-300)
        color_title = "log₁₀ (loss − min)"
    else:
        g["shade"] = vals
        color_title = value
    (x_lo, x_hi), (y_lo, y_hi) = domain or (
        (float(xs[0] - dx / 2), float(xs[-1] + dx / 2)),
        (float(ys[0] - dy / 2), float(ys[-1] + dy / 2)),
    )
    xsc = alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
    ysc = alt.Scale(domain=[y_lo, y_hi], nice=False, zero=False)
    cells = (
        alt.Chart(g)
        .mark_rect(opacity=0.85)
        .encode(
            x=alt.X("x_lo:Q", title=x, scale=xsc),
            x2="x_hi:Q",
            y=alt.Y("y_lo:Q", title=y, scale=ysc),
            y2="y_hi:Q",
            color=alt.Color(
                "shade:Q",
                title=color_title,
                scale=alt.Scale(scheme=palette.SEQUENTIAL_SCHEME),
                legend=alt.Legend(orient="right", gradientLength=200),
            ),
            tooltip=[
                alt.Tooltip(f"{x}:Q", format=".2f"),
                alt.Tooltip(f"{y}:Q", format=".2f"),
                alt.Tooltip(f"{value}:Q", format=".4g"),
            ],
        )
    )
    layers: list = [cells, *_flat(extra)]
    return alt.layer(*layers).properties(height=height)


def _flat(charts) -> list:
    """Layers as a flat list: a LayerChart's children (recursively), a list's items, a chart itself."""
    if isinstance(charts, alt.LayerChart):  # Altair hoists data shared by all layers: hand it back down
        out = []
        for child in charts.layer:
            for c in _flat(child):
                if charts.data is not alt.Undefined and c.data is alt.Undefined:
                    c = c.copy()
                    c.data = charts.data
                out.append(c)
        return out
    if isinstance(charts, list | tuple):
        return [c for child in charts for c in _flat(child)]
    return [charts]


# Screen direction of an arrow, computed in the browser from the plot's own scales (degrees,
# clockwise from "up", as Vega rotates a triangle): heads follow their shafts whatever the
# chart's aspect ratio or the axes' units.
_HEAD_ANGLE = (
    "atan2(scale('x', datum.x2) - scale('x', datum.x), scale('y', datum.y) - scale('y', datum.y2)) * 180 / PI"
)


def arrow_layers(
    arrows: pd.DataFrame | str,
    *,
    color: str = palette.ON_MAP["arrow"],
    width: float = 1.6,
    head: float = 40,
    outline: str | None = None,
    opacity: float = 0.9,
    labels: bool = False,
    label_size: int = 17,
    tooltip: Sequence[alt.Tooltip] = (),
) -> alt.LayerChart:
    """Arrows from (x, y) to (x2, y2), a layer for `surface_map(..., extra=...)`.

    Heads are rotated in the browser from the plot's x and y scales, so they line up with the
    shafts on any aspect ratio. `outline` draws a darker, wider copy underneath (legible on any
    colour map). With `labels`, the `label` column is written at (lx, ly) with a dark halo.
    `arrows` may be a dataset *name* (rows supplied per rerun, see `fill_slots`).
    """
    layers: list[alt.Chart] = []
    base = alt.Chart(source(arrows))
    # Channel objects, not "x:Q" strings: Altair parses each shorthand string through a slow from_dict.
    shaft = {
        "x": alt.X("x", type="quantitative"),
        "y": alt.Y("y", type="quantitative"),
        "x2": alt.X2("x2"),
        "y2": alt.Y2("y2"),
    }
    tip = {"x": alt.X("x2", type="quantitative"), "y": alt.Y("y2", type="quantitative")}
    if outline:
        layers.append(
            base.mark_rule(color=outline, strokeWidth=width + 3, strokeCap="round", clip=True).encode(**shaft)
        )
        layers.append(
            base.mark_point(
                shape="triangle",
                filled=True,
                color=outline,
                size=head * 1.9,
                opacity=1,
                clip=True,
                angle=alt.ExprRef(_HEAD_ANGLE),
            ).encode(**tip)
        )
    layers.append(
        base.mark_rule(color=color, strokeWidth=width, opacity=opacity, strokeCap="round", clip=True).encode(
            **shaft
        )
    )
    layers.append(
        base.mark_point(
            shape="triangle",
            filled=True,
            color=color,
            size=head,
            opacity=opacity,
            strokeWidth=0,
            clip=True,
            angle=alt.ExprRef(_HEAD_ANGLE),
        ).encode(**tip, tooltip=list(tooltip) or alt.Undefined)
    )
    if labels:
        at = {"x": alt.X("lx", type="quantitative"), "y": alt.Y("ly", type="quantitative")}
        text = {
            "fontSize": label_size,
            "fontWeight": "bold",
            "align": "center",
            "baseline": "middle",
            "clip": True,
        }
        label = alt.Text("label", type="nominal")
        layers.append(
            base.mark_text(
                stroke=palette.ON_MAP["outline"],
                strokeWidth=4,
                strokeJoin="round",
                color=palette.ON_MAP["outline"],
                **text,
            ).encode(**at, text=label)
        )
        layers.append(base.mark_text(color=color, **text).encode(**at, text=label))
    return alt.layer(*layers)


def dot_layer(
    points: pd.DataFrame | str, *, color: str = palette.ON_MAP["point"], size: float = 160
) -> alt.Chart:
    """Marked points (x, y, label) with a white ring, as a layer for `surface_map(..., extra=...)`;
    `points` may be a dataset name (like `surface_map`'s `point`, but fillable per rerun)."""
    return (
        alt.Chart(source(points))
        .mark_point(
            shape="circle",
            filled=True,
            size=size,
            color=color,
            opacity=1,
            stroke=palette.ON_MAP["arrow"],
            strokeWidth=2,
            clip=True,
        )
        .encode(
            x=alt.X("x", type="quantitative"),
            y=alt.Y("y", type="quantitative"),
            tooltip=[alt.Tooltip("label", type="nominal")],
        )
    )


@functools.lru_cache(maxsize=16)
def _decision_template(
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    x_title: str,
    y_title: str,
    value_title: str,
    height: int,
) -> dict:
    xsc = alt.Scale(domain=list(x_domain), nice=False, zero=False)
    ysc = alt.Scale(domain=list(y_domain), nice=False, zero=False)
    # The output's colours (purple 0 … green 1) are not the weights' signs (blue/orange, the network beside
    # it), and a point's class is also its shape: circle for 0, square for 1.
    cells = (
        alt.Chart(alt.NamedData("cells"))
        .mark_rect(clip=True)
        .encode(
            x=alt.X("x_lo:Q", title=x_title, scale=xsc),
            x2="x_hi:Q",
            y=alt.Y("y_lo:Q", title=y_title, scale=ysc),
            y2="y_hi:Q",
            color=alt.Color(
                "p:Q",
                title=value_title,
                scale=alt.Scale(scheme=palette.CLASS_SCHEME, domain=[0.0, 1.0]),
                legend=alt.Legend(orient="top", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("x:Q", title=x_title, format=".2f"),
                alt.Tooltip("y:Q", title=y_title, format=".2f"),
                alt.Tooltip("p:Q", title=value_title, format=".4f"),
            ],
        )
    )
    base = alt.Chart(alt.NamedData("points")).encode(x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc))
    classes = ["target 0", "target 1"]
    legend = alt.Legend(orient="top")
    dots = base.mark_point(
        filled=True, size=420, strokeWidth=3, stroke=palette.ON_MAP["arrow"], opacity=1
    ).encode(
        color=alt.Color(
            "target_name:N",
            title="data",
            legend=legend,
            scale=alt.Scale(domain=classes, range=list(palette.CLASS)),
        ),
        shape=alt.Shape(
            "target_name:N",
            title="data",
            legend=legend,
            scale=alt.Scale(domain=classes, range=["circle", "square"]),
        ),
        tooltip=[
            alt.Tooltip("x:Q", title=x_title),
            alt.Tooltip("y:Q", title=y_title),
            alt.Tooltip("target:Q"),
            alt.Tooltip("label:N", title="prediction"),
        ],
    )
    ring = base.mark_point(
        filled=False, size=700, strokeWidth=1.5, color=palette.ON_MAP["outline"], opacity=1
    ).encode(
        shape=alt.Shape(
            "target_name:N", legend=None, scale=alt.Scale(domain=classes, range=["circle", "square"])
        )
    )
    label = {"align": "left", "dx": 17, "dy": -15, "fontSize": 16, "fontWeight": "bold"}
    halo = base.mark_text(
        **label, stroke=palette.ON_MAP["arrow"], strokeWidth=4, color=palette.ON_MAP["arrow"]
    ).encode(text="label:N")
    text = base.mark_text(**label, color=palette.ON_MAP["outline"]).encode(text="label:N")
    return vega_spec(
        alt.layer(cells, ring, dots, halo, text).properties(height=height),
        description=f"Map of the network's {value_title} over the inputs {x_title} and {y_title}, "
        "purple near 0 and green near 1, with the four XOR points: circles are "
        "target 0, squares target 1, each labelled with the prediction.",
    )


def decision_map(
    xs: np.ndarray,
    ys: np.ndarray,
    probs: np.ndarray,
    points: pd.DataFrame,
    *,
    x_title: str = "input x[0]",
    y_title: str = "input x[1]",
    value_title: str = "output a₂",
    height: int = 320,
) -> dict:
    """A classifier's output on a regular grid (Vega-Lite dict): purple 0 … pale 0.5 … green 1, with data points.

    `probs[i, j]` is the output at (xs[j], ys[i]) (as `TwoLayerNet.decision_grid` returns it);
    `points` has x, y, `target` (0/1, int) and `label` (text beside each point, e.g. its prediction).
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    hx, hy = 0.65 * dx, 0.65 * dy  # cells overlap a little: no hairline seams between them
    cells = {
        "x": gx,
        "y": gy,
        "p": np.asarray(probs, dtype=float).ravel(),
        "x_lo": gx - hx,
        "x_hi": gx + hx,
        "y_lo": gy - hy,
        "y_hi": gy + hy,
    }
    cells = {k: v.astype(np.float32) for k, v in cells.items()}  # half the bytes; plenty for a picture
    target = points["target"].to_numpy().astype(np.int64)
    pts = {
        "x": points["x"].to_numpy(dtype=float),
        "y": points["y"].to_numpy(dtype=float),
        "target": target,
        "target_name": [f"target {t}" for t in target],
        "label": [str(s) for s in points["label"]],
    }
    x_domain = (float(xs[0]), float(xs[-1]))  # the grid's extent: the same axes at any resolution
    y_domain = (float(ys[0]), float(ys[-1]))
    template = _decision_template(x_domain, y_domain, x_title, y_title, value_title, int(height))
    return fill_slots(template, cells=cells, points=pts)


def map_extent(
    grid: pd.DataFrame, x: str = "w1", y: str = "w2"
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The x and y ranges `surface_map` draws for a grid (cell centres ± half a cell)."""
    xs = np.sort(grid[x].unique())
    ys = np.sort(grid[y].unique())
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    return (float(xs[0] - dx / 2), float(xs[-1] + dx / 2)), (float(ys[0] - dy / 2), float(ys[-1] + dy / 2))


def path_layers(
    paths: pd.DataFrame | str,
    *,
    extent: tuple[tuple[float, float], tuple[float, float]],
    color_domain: Sequence[str],
    current: pd.DataFrame | str | None = None,
    arrows: pd.DataFrame | str | None = None,
    marks: pd.DataFrame | str | None = None,
    color_title: str = "optimizer",
) -> alt.LayerChart:
    """Optimizer paths, a layer for `surface_map(..., extra=...)`, legible on any colour map.

    `paths` has x, y, step, series, loss (one polyline per series, in step order); each is drawn
    over a dark halo, with a dot per step. `current` (x, y, series, step) marks each series'
    current point; `arrows` (x, y, x2, y2) are white arrows with a dark outline, heads turned in
    the browser (as in `arrow_layers`); `marks` (x, y, label, shape) adds fixed markers (start,
    minima). Any of them may be a dataset *name* instead of a DataFrame: the chart is then built
    (and cached, e.g. with `vega_spec`) once and its rows are supplied per rerun in
    `spec["datasets"][name]`. Series i of `color_domain` has palette colour and dash i (as in
    `loss_curves`) and its current point a shape of its own. Everything is clipped to `extent`, so a diverging path leaves the map at its
    edge instead of stretching the axes.
    """
    (x_lo, x_hi), (y_lo, y_hi) = extent
    xsc = alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
    ysc = alt.Scale(domain=[y_lo, y_hi], nice=False, zero=False)
    domain = list(color_domain)
    channels = series_channels("series", domain, title=color_title)
    shape = alt.Shape(
        "series:N", scale=alt.Scale(domain=domain, range=palette.shapes(len(domain))), legend=None
    )
    outline, white = palette.ON_MAP["outline"], palette.ON_MAP["arrow"]
    pos = {"x": alt.X("x:Q", scale=xsc), "y": alt.Y("y:Q", scale=ysc)}
    layers: list[alt.Chart] = []
    if marks is not None:
        base = alt.Chart(source(marks)).encode(
            **pos, tooltip=["label:N", alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", format=".4g")]
        )
        layers.append(
            base.mark_point(
                filled=True, size=150, color=white, stroke=outline, strokeWidth=1.5, opacity=1, clip=True
            ).encode(shape=alt.Shape("shape:N", scale=None, legend=None))
        )
    base = alt.Chart(source(paths)).encode(**pos, order="step:Q", detail="series:N")
    layers.append(base.mark_line(color=outline, strokeWidth=5.5, opacity=0.55, clip=True))
    layers.append(
        base.mark_line(strokeWidth=2.5, clip=True, point=alt.OverlayMarkDef(size=22, opacity=1)).encode(
            **channels,
            tooltip=[
                alt.Tooltip("series:N", title=color_title),
                alt.Tooltip("step:Q"),
                alt.Tooltip("x:Q", format=".5g"),
                alt.Tooltip("y:Q", format=".5g"),
                alt.Tooltip("loss:Q", format=".5g"),
            ],
        )
    )
    if arrows is not None:
        arr = alt.Chart(source(arrows))
        shaft = {**pos, "x2": "x2:Q", "y2": "y2:Q"}
        tip = {"x": alt.X("x2:Q", scale=xsc), "y": alt.Y("y2:Q", scale=ysc)}
        layers.append(
            arr.mark_rule(color=outline, strokeWidth=5, strokeCap="round", clip=True).encode(**shaft)
        )
        layers.append(
            arr.mark_point(
                shape="triangle",
                filled=True,
                color=outline,
                size=130,
                opacity=1,
                clip=True,
                angle=alt.ExprRef(_HEAD_ANGLE),
            ).encode(**tip)
        )
        layers.append(
            arr.mark_rule(color=white, strokeWidth=2.2, strokeCap="round", clip=True).encode(**shaft)
        )
        layers.append(
            arr.mark_point(
                shape="triangle",
                filled=True,
                color=white,
                size=70,
                opacity=1,
                strokeWidth=0,
                clip=True,
                angle=alt.ExprRef(_HEAD_ANGLE),
            ).encode(**tip)
        )
    if current is not None:
        layers.append(
            alt.Chart(source(current))
            .mark_point(filled=True, size=230, stroke=white, strokeWidth=2.5, opacity=1, clip=True)
            .encode(
                **pos,
                color=channels["color"],
                shape=shape,
                tooltip=[alt.Tooltip("series:N", title=color_title), alt.Tooltip("step:Q")],
            )
        )
    return alt.layer(*layers)


def heatmap_cell(n_columns: int, cell: int = 51, max_width: int = 256) -> int:
    """The width of a matrix cell in px: `cell`, narrower if `n_columns` of them would exceed `max_width`
    (256: with the row axis and the legend, 8 columns still fit a phone's 360 px and the left column of a
    1280 px screen). The same 51 px up to 5 columns, so a slider that stays there updates the chart in place."""
    return max(24, min(cell, max_width // max(n_columns, 1)))


def heatmap_rows(A: np.ndarray) -> pa.Table:
    """The rows of a `matrix_heatmap` template's slot: one per entry (i, j, v), with everything the browser
    would otherwise compute per cell: the colour range ±m (the largest |entry|), the number of rows, and
    each label's ink and halo (white on dark cells)."""
    A = np.asarray(A, dtype=float)
    rows, cols = np.indices(A.shape)
    v = finite_or_none(A).ravel()
    m = float(np.nanmax(np.abs(v))) if v.size and np.isfinite(v).any() else 1.0
    m = m if m > 0 else 1.0
    dark_cell = np.abs(np.nan_to_num(v)) > 0.6 * m
    light, dark = palette.TEXT["light"], palette.TEXT["dark"]
    return pa.table(
        {
            "i": rows.ravel(),
            "j": cols.ravel(),
            "v": v,
            "m": np.full(v.size, m),
            "rows": np.full(v.size, A.shape[0]),
            "ink": np.where(dark_cell, dark, light),
            "halo": np.where(dark_cell, light, dark),
        }
    )


def matrix_heatmap(
    data: str = "cells",
    *,
    value: str = "value",
    x_title: str = "column j",
    y_title: str = "row i",
    cell: int = 51,
    label_format: str = ".3f",
) -> alt.LayerChart:
    """A small matrix (e.g. a Jacobian) as cells of a fixed size, each labelled with its value: a template
    whose slot `data` holds `heatmap_rows(A)` (so a new matrix, of any number of rows, updates the chart
    in place; `cell` — see `heatmap_cell` — is the one thing that depends on the matrix's shape).

    Row 0 is at the top, as the matrix is printed. Diverging colours centred on 0 (orange positive, blue
    negative: the palette's signs); labels turn white on dark cells, each on a halo of the opposite colour.
    """
    first = f"data('{data}')[0]"
    row_px = max(round(cell * 0.62), 24)  # every row keeps its axis label
    base = alt.Chart(alt.NamedData(name=data)).encode(
        x=alt.X("j:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("i:O", title=y_title),
        tooltip=[
            alt.Tooltip("i:O", title="row i"),
            alt.Tooltip("j:O", title="column j"),
            alt.Tooltip("v:Q", title=value, format=".6g"),
        ],
    )
    # The colour range and the legend's length come from the slot's first row (the same in every row).
    cells = base.mark_rect(stroke=palette.background(), strokeWidth=0.5).encode(
        color=alt.Color(
            "v:Q",
            title=value,
            scale=alt.Scale(
                scheme=palette.DIVERGING_SCHEME,
                domain=alt.ExprRef(expr=f"length(data('{data}')) ? [-{first}.m, {first}.m] : [-1, 1]"),
            ),
            legend=alt.Legend(
                gradientLength=alt.ExprRef(
                    expr=f"length(data('{data}')) ? max(80, {row_px} * {first}.rows - 10) : 80"
                ),
                format=".2~g",
            ),
        )
    )
    fmt = label_format if cell >= 50 else ".2f"
    size = 14 if cell >= 44 else 12  # "−1.23" fits a narrow cell
    inks = [palette.TEXT["light"], palette.TEXT["dark"]]
    ink = alt.Scale(domain=inks, range=inks)  # the colour named in the row (a lookup, not an expression)
    halo = base.mark_text(fontSize=size, strokeWidth=3, strokeJoin="round", opacity=0.85).encode(
        text=alt.Text("v:Q", format=fmt),
        stroke=alt.Stroke("halo:N", scale=ink, legend=None),
        color=alt.Color("halo:N", scale=ink, legend=None),
    )
    text = base.mark_text(fontSize=size).encode(
        text=alt.Text("v:Q", format=fmt), color=alt.Color("ink:N", scale=ink, legend=None)
    )
    return alt.layer(cells, halo, text).properties(width=alt.Step(cell), height=alt.Step(row_px))
