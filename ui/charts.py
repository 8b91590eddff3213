"""Altair chart builders shared by the pages. Data in, chart out: no calculus here.

Builders take plain arrays or tidy DataFrames and return Altair charts that pages hand to
`st.altair_chart`. Interactivity that needs no Python (hover tangents, nearest-point readouts)
is done with Altair params so it runs in the browser without a rerun.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

PALETTE = ["#1f77b4", "#e4572e", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#d62728", "#8c564b"]
HEIGHT = 320


def robust_domain(values: np.ndarray, pad: float = 0.08, trim: float = 0.0) -> list[float] | None:
    """A y-axis domain from the finite values, optionally ignoring the outer `trim` percent."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    lo, hi = (np.percentile(v, [trim, 100 - trim]) if trim > 0 else (v.min(), v.max()))
    lo, hi = float(lo), float(hi)
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    return [lo - pad * span, hi + pad * span]


def _finite_or_none(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float).copy()
    a[~np.isfinite(a)] = np.nan
    return a


def function_and_derivative(
    x: np.ndarray,
    f: np.ndarray,
    df: np.ndarray,
    *,
    x0: float | None = None,
    f0: float | None = None,
    slope0: float | None = None,
    x_title: str = "x",
    f_title: str = "f(x)",
    df_title: str = "f′(x)",
    tangent_halfwidth: float | None = None,
    y_domain: Sequence[float] | None = None,
    dy_domain: Sequence[float] | None = None,
    height: int = 260,
    point_slot: str | None = None,
) -> alt.VConcatChart:
    """f with its tangent (fixed at x₀, and following the pointer) above f′ with a marker.

    Hovering anywhere moves a dashed tangent on f and a dot on f′ — entirely in the browser
    (an Altair point selection, nearest x): no Python rerun. With `point_slot`, the fixed
    tangent reads x₀, f(x₀) and the slope from a named dataset (see `tangent_point`) filled at
    render time, so one cached spec serves every x₀.
    """
    x = np.asarray(x, dtype=float)
    data = pd.DataFrame({"x": x, "f": _finite_or_none(f), "df": _finite_or_none(df)})
    span = float(x.max() - x.min()) if x.size else 1.0
    w = tangent_halfwidth if tangent_halfwidth is not None else span / 8
    y_domain = list(y_domain) if y_domain is not None else robust_domain(data["f"].to_numpy())
    dy_domain = list(dy_domain) if dy_domain is not None else robust_domain(data["df"].to_numpy())
    x_scale = alt.Scale(domain=[float(x.min()), float(x.max())], nice=False)
    y_scale = alt.Scale(domain=y_domain, nice=False) if y_domain else alt.Scale()
    dy_scale = alt.Scale(domain=dy_domain, nice=False) if dy_domain else alt.Scale()

    hover = alt.selection_point(name="hover", on="pointerover", nearest=True, fields=["x"], empty=False,
                                clear="pointerout")
    base = alt.Chart(data).encode(x=alt.X("x:Q", title=x_title, scale=x_scale))
    curve = base.mark_line(strokeWidth=3, color=PALETTE[0], clip=True).encode(
        y=alt.Y("f:Q", title=f_title, scale=y_scale))
    catcher = base.mark_point(opacity=0, size=200).encode(y=alt.Y("f:Q", scale=y_scale)).add_params(hover)
    tangent = (
        base.transform_filter(hover)
        .transform_calculate(xa=f"datum.x - {w}", xb=f"datum.x + {w}", ya=f"datum.f - datum.df * {w}",
                             yb=f"datum.f + datum.df * {w}")
        .mark_rule(strokeDash=[6, 4], strokeWidth=2, color=PALETTE[1], clip=True)
        .encode(x="xa:Q", x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q")
    )
    dot = base.transform_filter(hover).mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y=alt.Y("f:Q", scale=y_scale),
        tooltip=[alt.Tooltip("x:Q", format=".4f"), alt.Tooltip("f:Q", title=f_title, format=".6g"),
                 alt.Tooltip("df:Q", title="slope " + df_title, format=".6g")])
    layers = [curve, catcher, tangent, dot]
    if point_slot is not None:
        fixed = alt.Chart(alt.NamedData(name=point_slot)).transform_calculate(
            xa=f"datum.x0 - {w}", xb=f"datum.x0 + {w}", ya=f"datum.f0 - datum.s * {w}", yb=f"datum.f0 + datum.s * {w}")
        layers.append(fixed.mark_rule(strokeWidth=3, color=PALETTE[2], clip=True).encode(
            x="xa:Q", x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"))
        layers.append(fixed.mark_point(filled=True, size=120, color=PALETTE[2]).encode(
            x="x0:Q", y=alt.Y("f0:Q", scale=y_scale)))
    elif x0 is not None and f0 is not None and slope0 is not None:
        fixed = pd.DataFrame({"xa": [x0 - w], "xb": [x0 + w], "ya": [f0 - slope0 * w], "yb": [f0 + slope0 * w],
                              "x0": [x0], "f0": [f0]})
        layers.append(alt.Chart(fixed).mark_rule(strokeWidth=3, color=PALETTE[2], clip=True).encode(
            x="xa:Q", x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"))
        layers.append(alt.Chart(fixed).mark_point(filled=True, size=120, color=PALETTE[2]).encode(
            x="x0:Q", y=alt.Y("f0:Q", scale=y_scale)))
    top = alt.layer(*layers).properties(height=height)

    dbase = alt.Chart(data).encode(x=alt.X("x:Q", title=x_title, scale=x_scale))
    dcurve = dbase.mark_line(strokeWidth=3, color=PALETTE[3], clip=True).encode(
        y=alt.Y("df:Q", title=df_title, scale=dy_scale))
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="gray", strokeDash=[2, 2]).encode(y="y:Q")
    ddot = dbase.transform_filter(hover).mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y=alt.Y("df:Q", scale=dy_scale))
    drule = dbase.transform_filter(hover).mark_rule(color=PALETTE[1], strokeDash=[4, 4]).encode()
    bottom_layers = [dcurve, zero, ddot, drule]
    if point_slot is not None:
        bottom_layers.append(alt.Chart(alt.NamedData(name=point_slot)).mark_point(
            filled=True, size=120, color=PALETTE[2]).encode(x="x0:Q", y=alt.Y("s:Q", scale=dy_scale)))
    elif x0 is not None and slope0 is not None:
        bottom_layers.append(alt.Chart(pd.DataFrame({"x0": [x0], "s": [slope0]})).mark_point(
            filled=True, size=120, color=PALETTE[2]).encode(x="x0:Q", y=alt.Y("s:Q", scale=dy_scale)))
    bottom = alt.layer(*bottom_layers).properties(height=int(height * 0.75))
    # Sized to the container's width, axes included: a stretched vconcat otherwise overflows its column.
    return alt.vconcat(top, bottom).resolve_scale(x="shared").properties(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    log_x: bool = False,
    log_y: bool = False,
    y_domain: Sequence[float] | None = None,
    height: int = HEIGHT,
    points: bool = False,
    color_title: str | None = None,
    color_domain: Sequence[str] | None = None,
    strokeDash: str | None = None,
) -> alt.Chart:
    """Tidy data as one or several lines, with a tooltip; log axes on request."""
    xs = alt.Scale(type="log") if log_x else alt.Scale(zero=False)
    ys = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    if y_domain is not None:
        ys = alt.Scale(type="log" if log_y else "linear", domain=list(y_domain), nice=False)
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title or x, scale=xs, axis=alt.Axis(format="~e") if log_x else alt.Axis()),
        "y": alt.Y(f"{y}:Q", title=y_title or y, scale=ys, axis=alt.Axis(format="~e") if log_y else alt.Axis()),
        "tooltip": [alt.Tooltip(f"{x}:Q", format=".4g"), alt.Tooltip(f"{y}:Q", format=".4g")],
    }
    if color:
        scale = alt.Scale(domain=list(color_domain), range=PALETTE[: len(color_domain)]) if color_domain else \
            alt.Scale(range=PALETTE)
        enc["color"] = alt.Color(f"{color}:N", title=color_title or color, scale=scale,
                                 legend=alt.Legend(orient="top"))
        enc["tooltip"].insert(0, alt.Tooltip(f"{color}:N"))
    if strokeDash:
        enc["strokeDash"] = alt.StrokeDash(f"{strokeDash}:N", legend=alt.Legend(orient="top"))
    chart = alt.Chart(df).mark_line(strokeWidth=2.5, clip=True, point=points).encode(**enc)
    return chart.properties(height=height)


def tangent_point(x0: float, f0: float, slope: float) -> dict:
    """The row a `function_and_derivative(..., point_slot=...)` template needs for its fixed tangent."""
    return {"x0": [float(x0)], "f0": [float(f0)], "s": [float(slope)]}


def marker_rules(slot: str) -> alt.LayerChart:
    """Labelled vertical markers read from a named dataset with columns x, label, color, row.

    Labels stack one text row per `row`, so they never overlap; the data is filled at render time.
    """
    base = alt.Chart(alt.NamedData(name=slot))
    rule = base.mark_rule(strokeDash=[5, 3], strokeWidth=2).encode(
        x="x:Q", color=alt.Color("color:N", scale=None))
    text = base.transform_calculate(ypix="8 + 17 * datum.row").mark_text(
        align="left", dx=4, fontSize=13, fontWeight="bold").encode(
        x="x:Q", y=alt.Y("ypix:Q", scale=None), text="label:N", color=alt.Color("color:N", scale=None))
    return alt.layer(rule, text)


def vrule(x: float, label: str, color: str = "gray", row: int = 0) -> alt.LayerChart:
    """A labelled vertical marker line (e.g. the chosen step size); `row` staggers labels."""
    d = pd.DataFrame({"x": [x], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color, strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q")
    text = alt.Chart(d).mark_text(align="left", dx=4, color=color, fontSize=13, fontWeight="bold").encode(
        x="x:Q", y=alt.value(8 + 17 * row), text="label:N")
    return alt.layer(rule, text)


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    value_title: str | None = None,
    scheme: str = "viridis",
    diverging: bool = False,
    labels: bool = False,
    ordinal: bool = False,
    height: int = HEIGHT,
    width: int | str | None = None,
    domain: Sequence[float] | None = None,
) -> alt.Chart:
    """A matrix or grid as coloured cells; ordinal axes for matrices, quantitative for grids."""
    t = "O" if ordinal else "Q"
    if diverging:
        m = float(np.nanmax(np.abs(df[value].to_numpy()))) if len(df) else 1.0
        m = m if m > 0 else 1.0
        scale = alt.Scale(scheme="redblue", domain=[m, -m] if domain is None else list(domain))
    else:
        scale = alt.Scale(scheme=scheme, domain=list(domain)) if domain is not None else alt.Scale(scheme=scheme)
    if ordinal:
        enc_x = alt.X(f"{x}:O", title=x_title or x)
        enc_y = alt.Y(f"{y}:O", title=y_title or y)
    else:
        enc_x = alt.X(f"{x}:Q", title=x_title or x, bin=None)
        enc_y = alt.Y(f"{y}:Q", title=y_title or y)
    base = alt.Chart(df).encode(
        x=enc_x, y=enc_y,
        tooltip=[alt.Tooltip(f"{x}:{t}"), alt.Tooltip(f"{y}:{t}"), alt.Tooltip(f"{value}:Q", format=".4g")])
    mark = base.mark_rect() if ordinal else base.mark_rect(width=alt.RelativeBandSize(1.0))
    cells = mark.encode(color=alt.Color(f"{value}:Q", title=value_title or value, scale=scale))
    chart = cells
    if labels:
        text = base.mark_text(fontSize=13).encode(
            text=alt.Text(f"{value}:Q", format=".3f"),
            color=alt.value("black"))
        chart = alt.layer(cells, text)
    props = {"height": height}
    if width is not None:
        props["width"] = width
    return chart.properties(**props)


def grid_frame(xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, value: str = "z",
               names: tuple[str, str] = ("x", "y")) -> pd.DataFrame:
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
    arrows: pd.DataFrame | None = None,
    paths: pd.DataFrame | None = None,
    point: pd.DataFrame | None = None,
    extra: Sequence[alt.Chart] = (),
    height: int = 440,
    domain: tuple[tuple[float, float], tuple[float, float]] | None = None,
    color_domain: Sequence[str] | None = None,
) -> alt.LayerChart:
    """A loss surface seen from above: filled cells, optional arrows, paths and a marked point.

    `grid` has columns x, y, value on a regular grid. `arrows` has x, y, x2, y2 (arrow from
    (x, y) to (x2, y2)) and `angle` (degrees, for the arrowhead). `paths` has x, y, step and
    `series` (one line per series, e.g. optimizer). `point` has x, y and `label`.
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
    (x_lo, x_hi), (y_lo, y_hi) = domain or ((float(xs[0] - dx / 2), float(xs[-1] + dx / 2)),
                                              (float(ys[0] - dy / 2), float(ys[-1] + dy / 2)))
    xsc = alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
    ysc = alt.Scale(domain=[y_lo, y_hi], nice=False, zero=False)
    cells = alt.Chart(g).mark_rect(opacity=0.85).encode(
        x=alt.X("x_lo:Q", title=x, scale=xsc), x2="x_hi:Q",
        y=alt.Y("y_lo:Q", title=y, scale=ysc), y2="y_hi:Q",
        color=alt.Color("shade:Q", title=color_title, scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(orient="right", gradientLength=200)),
        tooltip=[alt.Tooltip(f"{x}:Q", format=".2f"), alt.Tooltip(f"{y}:Q", format=".2f"),
                 alt.Tooltip(f"{value}:Q", format=".4g")],
    )
    layers: list = [cells]
    if arrows is not None and len(arrows):
        layers.append(alt.Chart(arrows).mark_rule(color="white", strokeWidth=1.6, opacity=0.9, clip=True).encode(
            x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc), x2="x2:Q", y2="y2:Q"))
        layers.append(alt.Chart(arrows).mark_point(shape="triangle", filled=True, color="white", size=40,
                                                   opacity=0.9, clip=True).encode(
            x=alt.X("x2:Q", scale=xsc), y=alt.Y("y2:Q", scale=ysc),
            angle=alt.Angle("angle:Q", scale=None)))
    if paths is not None and len(paths):
        cscale = alt.Scale(domain=list(color_domain), range=PALETTE[1:len(color_domain) + 1]) if color_domain \
            else alt.Scale(range=PALETTE[1:])
        layers.append(alt.Chart(paths).mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=25), clip=True)
                      .encode(x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc), order="step:Q",
                              color=alt.Color("series:N", title="optimizer", scale=cscale,
                                              legend=alt.Legend(orient="top")),
                              tooltip=["series:N", "step:Q", alt.Tooltip("x:Q", format=".4f"),
                                       alt.Tooltip("y:Q", format=".4f"), alt.Tooltip("loss:Q", format=".4g")]))
    if point is not None and len(point):
        layers.append(alt.Chart(point).mark_point(shape="circle", filled=True, size=160, color="#ff3366",
                                                  stroke="white", strokeWidth=2, clip=True)
                      .encode(x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc), tooltip=["label:N"]))
    layers.extend(extra)
    return alt.layer(*layers).properties(height=height)


def bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 260,
    offset: bool = False,
    log_y: bool = False,
) -> alt.Chart:
    """Bars per category (grouped side by side by `color` when `offset`)."""
    enc = {
        "x": alt.X(f"{x}:N", title=x_title or x, sort=None),
        "y": alt.Y(f"{y}:Q", title=y_title or y, scale=alt.Scale(type="log") if log_y else alt.Scale()),
        "tooltip": [alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=".6g")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="top"))
        enc["tooltip"].append(alt.Tooltip(f"{color}:N"))
        if offset:
            enc["xOffset"] = alt.XOffset(f"{color}:N")
    return alt.Chart(df).mark_bar().encode(**enc).properties(height=height)


def downsample(n_points: int, limit: int = 2000) -> int:
    """How many samples a curve may have on screen: never more than `limit`."""
    return int(min(max(n_points, 2), limit))


# Screen direction of an arrow, computed in the browser from the plot's own scales (degrees,
# clockwise from "up", as Vega rotates a triangle): heads follow their shafts whatever the
# chart's aspect ratio or the axes' units.
_HEAD_ANGLE = ("atan2(scale('x', datum.x2) - scale('x', datum.x), "
               "scale('y', datum.y) - scale('y', datum.y2)) * 180 / PI")


def arrow_layers(
    arrows: pd.DataFrame | str,
    *,
    color: str = "white",
    width: float = 1.6,
    head: float = 40,
    outline: str | None = None,
    opacity: float = 0.9,
    labels: bool = False,
    label_size: int = 17,
    tooltip: Sequence[alt.Tooltip] = (),
) -> list[alt.Chart]:
    """Arrows from (x, y) to (x2, y2) as layers for `surface_map(..., extra=...)`.

    Heads are rotated in the browser from the plot's x and y scales, so they line up with the
    shafts on any aspect ratio. `outline` draws a darker, wider copy underneath (legible on any
    colour map). With `labels`, the `label` column is written at (lx, ly) with a dark halo.
    `arrows` may be a dataset *name* (rows supplied per rerun, see `fill_slots`).
    """
    layers: list[alt.Chart] = []
    base = alt.Chart(_source(arrows))
    # Channel objects, not "x:Q" strings: Altair parses each shorthand string through a slow from_dict.
    shaft = {"x": alt.X("x", type="quantitative"), "y": alt.Y("y", type="quantitative"), "x2": alt.X2("x2"),
             "y2": alt.Y2("y2")}
    tip = {"x": alt.X("x2", type="quantitative"), "y": alt.Y("y2", type="quantitative")}
    if outline:
        layers.append(base.mark_rule(color=outline, strokeWidth=width + 3, strokeCap="round", clip=True)
                      .encode(**shaft))
        layers.append(base.mark_point(shape="triangle", filled=True, color=outline, size=head * 1.9, opacity=1,
                                      clip=True, angle=alt.ExprRef(_HEAD_ANGLE)).encode(**tip))
    layers.append(base.mark_rule(color=color, strokeWidth=width, opacity=opacity, strokeCap="round", clip=True)
                  .encode(**shaft))
    layers.append(base.mark_point(shape="triangle", filled=True, color=color, size=head, opacity=opacity,
                                  strokeWidth=0, clip=True, angle=alt.ExprRef(_HEAD_ANGLE))
                  .encode(**tip, tooltip=list(tooltip) or alt.Undefined))
    if labels:
        at = {"x": alt.X("lx", type="quantitative"), "y": alt.Y("ly", type="quantitative")}
        text = {"fontSize": label_size, "fontWeight": "bold", "align": "center", "baseline": "middle",
                "clip": True}
        label = alt.Text("label", type="nominal")
        layers.append(base.mark_text(stroke="#111418", strokeWidth=4, strokeJoin="round", color="#111418",
                                     **text).encode(**at, text=label))
        layers.append(base.mark_text(color=color, **text).encode(**at, text=label))
    return layers


def dot_layer(points: pd.DataFrame | str, *, color: str = "#ff3366", size: float = 160) -> alt.Chart:
    """Marked points (x, y, label) with a white ring, as a layer for `surface_map(..., extra=...)`;
    `points` may be a dataset name (like `surface_map`'s `point`, but fillable per rerun)."""
    return alt.Chart(_source(points)).mark_point(shape="circle", filled=True, size=size, color=color, opacity=1,
                                                 stroke="white", strokeWidth=2, clip=True).encode(
        x=alt.X("x", type="quantitative"), y=alt.Y("y", type="quantitative"),
        tooltip=[alt.Tooltip("label", type="nominal")])


def curve_with_markers(
    curve: pd.DataFrame | str,
    x: str,
    y: str,
    markers: pd.DataFrame | str,
    *,
    x_domain: Sequence[float],
    x_title: str | None = None,
    y_title: str | None = None,
    x_ticks: Sequence[float] | None = None,
    height: int = 260,
    color: str = PALETTE[0],
    headroom: float = 1.35,
) -> alt.LayerChart:
    """One curve (columns x, y), a zero line, and labelled markers on it; built once, data per rerun.

    `markers` has columns x, y, label, color (a CSS colour) and place ("above" or "below": where
    its label goes). A label starts at its point in the left third of `x_domain` and ends at it in
    the right third, so it stays inside the plot; an empty label draws no text. Each marker gets a
    dashed stem from y = 0. The y axis covers the curve and `headroom` × each marker's y (room for
    the labels). Both data may be dataset names (see `fill_slots`), so the spec never changes.
    """
    lo, hi = (float(v) for v in x_domain)
    xsc = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    axis = alt.Axis(values=list(x_ticks)) if x_ticks is not None else alt.Axis()
    xq = alt.X(x, type="quantitative", title=x_title or x, scale=xsc, axis=axis)
    line = alt.Chart(_source(curve)).mark_line(strokeWidth=3, color=color, clip=True).encode(
        x=xq, y=alt.Y(y, type="quantitative", title=y_title or y),
        tooltip=[alt.Tooltip(x, type="quantitative", title=x_title or x, format=".4g"),
                 alt.Tooltip(y, type="quantitative", title=y_title or y, format=".4g")])
    m = alt.Chart(_source(markers))
    mx, my = alt.X("x", type="quantitative"), alt.Y("y", type="quantitative")
    colour = alt.Color("color", type="nominal", scale=None)
    zero = m.mark_rule(color="gray", strokeDash=[2, 2]).encode(y=alt.datum(0))
    room = m.transform_calculate(room=f"datum.y * {float(headroom)}").mark_point(opacity=0).encode(
        x=mx, y=alt.Y("room", type="quantitative"))
    stem = m.transform_calculate(zero="0").mark_rule(strokeDash=[4, 3], strokeWidth=2).encode(
        x=mx, y=my, y2=alt.Y2("zero"), color=colour)
    dots = m.mark_point(filled=True, size=140, opacity=1).encode(
        x=mx, y=my, color=colour, tooltip=[alt.Tooltip("label", type="nominal")])
    third = (hi - lo) / 3
    align = f"datum.x < {lo + third} ? 'left' : (datum.x > {hi - third} ? 'right' : 'center')"
    text = m.mark_text(fontSize=15, fontWeight="bold", align=alt.ExprRef(align),
                       dx=alt.ExprRef(f"datum.x < {lo + third} ? -6 : (datum.x > {hi - third} ? 6 : 0)"),
                       dy=alt.ExprRef("datum.place == 'above' ? -16 : 18")).encode(
        x=mx, y=my, text=alt.Text("label", type="nominal"), color=colour)
    return alt.layer(line, zero, room, stem, dots, text).properties(height=height)


# -- Training in practice: per-layer norms, error bands and relative-error bars ----------------
LEVEL_COLORS = {"fine": "#2ca02c", "suspicious": "#ff7f0e", "bug": "#d62728"}
# log-axis tick labels: plain for 0.001 … 1000, 1e±k outside (never "10,000,000,000")
LOG_LABELS = ("datum.value >= 1e4 || datum.value < 1e-3 ? format(datum.value, '.0e') "
              ": format(datum.value, '~g')")


def series_log(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    *,
    dashed: Sequence[str] = (),
    x_title: str | None = None,
    y_title: str | None = None,
    color_domain: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    height: int = HEIGHT,
    points: bool = True,
) -> alt.Chart:
    """Several series on a log y axis (e.g. gradient norm per layer); series named in `dashed` are dashed.

    Rows whose y is not positive and finite are dropped by the caller (log scale).
    """
    domain = list(color_domain) if color_domain is not None else list(dict.fromkeys(df[series]))
    scale = alt.Scale(domain=domain, range=list(colors) if colors else PALETTE[: len(domain)])
    dash = alt.condition(alt.FieldOneOfPredicate(field=series, oneOf=list(dashed)), alt.value([6, 4]),
                         alt.value([1, 0])) if dashed else alt.value([1, 0])
    return alt.Chart(df).mark_line(strokeWidth=2.5, clip=True, point=points).encode(
        x=alt.X(f"{x}:Q", title=x_title or x, axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y(f"{y}:Q", title=y_title or y, scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=LOG_LABELS)),
        color=alt.Color(f"{series}:N", title=None, scale=scale, legend=alt.Legend(orient="top", columns=2,
                                                                                labelLimit=420)),
        strokeDash=dash,
        tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:Q"), alt.Tooltip(f"{y}:Q", format=".3e")],
    ).properties(height=height)


def hrule(y: float, label: str, color: str = "gray") -> alt.LayerChart:
    """A labelled horizontal marker line (e.g. a clipping threshold)."""
    d = pd.DataFrame({"y": [y], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color, strokeDash=[5, 3], strokeWidth=2).encode(y="y:Q")
    text = alt.Chart(d).mark_text(align="right", dx=-4, dy=-7, color=color, fontSize=13).encode(
        y="y:Q", x=alt.value("width"), text="label:N")
    return alt.layer(rule, text)


def error_bands(good: float, suspicious: float, floor: float = 1e-17, top: float = 1.0,
                labels: bool = True) -> alt.LayerChart:
    """Shaded horizontal bands for a log relative-error axis: fine < good ≤ suspicious ≤ bug."""
    d = pd.DataFrame({
        "lo": [floor, good, suspicious], "hi": [good, suspicious, top],
        "level": ["fine", "suspicious", "bug"],
        "text": [f"fine (< {good:.0e})", f"suspicious (≤ {suspicious:.0e})", "bug"],
    })
    scale = alt.Scale(domain=list(LEVEL_COLORS), range=list(LEVEL_COLORS.values()))
    ysc = alt.Scale(type="log", domain=[floor, top], nice=False)
    rects = alt.Chart(d).mark_rect(opacity=0.12).encode(
        y=alt.Y("lo:Q", scale=ysc), y2="hi:Q", color=alt.Color("level:N", scale=scale, legend=None))
    if not labels:
        return alt.layer(rects)
    text = alt.Chart(d).mark_text(align="left", baseline="top", dx=4, dy=3, fontSize=11, opacity=0.8).encode(
        y=alt.Y("hi:Q", scale=ysc), x=alt.value(0), text="text:N",
        color=alt.Color("level:N", scale=scale, legend=None))
    return alt.layer(rects, text)


def error_bars(
    df: pd.DataFrame,
    name: str,
    error: str,
    level: str,
    *,
    good: float,
    suspicious: float,
    floor: float = 1e-17,
    x_title: str | None = None,
    y_title: str = "relative error (log)",
    height: int = 300,
) -> alt.LayerChart:
    """One bar per parameter on a log axis, coloured by verdict, over the threshold bands.

    Errors below `floor` (exact agreement) are drawn at the floor.
    """
    d = df[[name, error, level]].copy()
    d["shown"] = d[error].astype(float).clip(lower=floor, upper=1.0).fillna(1.0)
    d["base"] = floor
    ysc = alt.Scale(type="log", domain=[floor, 1.0], nice=False)
    scale = alt.Scale(domain=list(LEVEL_COLORS), range=list(LEVEL_COLORS.values()))
    bars_ = alt.Chart(d).mark_bar().encode(
        x=alt.X(f"{name}:N", title=x_title or name, sort=None,
                axis=alt.Axis(labelAngle=-90, labelOverlap=False, labelFontSize=10)),
        y=alt.Y("shown:Q", title=y_title, scale=ysc, axis=alt.Axis(labelExpr=LOG_LABELS)), y2="base:Q",
        color=alt.Color(f"{level}:N", title="verdict", scale=scale, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip(f"{name}:N"), alt.Tooltip(f"{error}:Q", format=".2e"), alt.Tooltip(f"{level}:N")])
    return alt.layer(error_bands(good, suspicious, floor, 1.0, labels=False), bars_).properties(height=height)


def functions_and_derivatives(
    data: pd.DataFrame,
    *,
    series: Sequence[str],
    colors: Sequence[str] | None = None,
    bands: pd.DataFrame | None = None,
    peaks: pd.DataFrame | None = None,
    x_title: str = "x",
    f_title: str = "f(x)",
    df_title: str = "f′(x)",
    band_title: str = "shaded",
    shade_panel: bool = True,
    y_domain: Sequence[float] | None = None,
    dy_domain: Sequence[float] | None = None,
    tangent_halfwidth: float | None = None,
    height: int = 280,
) -> alt.VConcatChart:
    """Several functions f (top) over their derivatives f′ (middle), one colour per series, shared x.

    `data` is tidy: columns x, f, df, series, every series on the same x grid. Hovering (on either
    chart) picks the nearest x and, for every series at once, moves a dashed tangent on f and a
    dot on f′ — in the browser, no Python rerun. Optional `bands` (series, x0, x1) are shaded on
    f′ (when `shade_panel`; overlapping colours get muddy with many series) and drawn as a strip
    below, one row per series (e.g. where a derivative saturates); optional `peaks` (series, x, y,
    label) are labelled points on f′. The chart fits its container's width (autosize fit-x).
    """
    d = data[["x", "f", "df", "series"]].copy()
    d["f"] = _finite_or_none(d["f"].to_numpy())
    d["df"] = _finite_or_none(d["df"].to_numpy())
    series = list(series)
    colors = list(colors) if colors is not None else PALETTE[: len(series)]
    x_lo, x_hi = float(d["x"].min()), float(d["x"].max())
    w = tangent_halfwidth if tangent_halfwidth is not None else (x_hi - x_lo) / 12
    y_domain = list(y_domain) if y_domain is not None else robust_domain(d["f"].to_numpy())
    dy_domain = list(dy_domain) if dy_domain is not None else robust_domain(d["df"].to_numpy())
    x_scale = alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
    y_scale = alt.Scale(domain=y_domain, nice=False) if y_domain else alt.Scale(zero=False)
    dy_scale = alt.Scale(domain=dy_domain, nice=False) if dy_domain else alt.Scale(zero=False)
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=series, range=colors),
                      legend=alt.Legend(orient="top", labelFontSize=14, symbolType="stroke", symbolStrokeWidth=4,
                                        symbolSize=300, columns=min(len(series), 4)))
    no_legend = color  # one legend for the shared colour scale (mixing legend=None warns in Vega)

    hover = alt.selection_point(name="hover", on="pointerover", nearest=True, fields=["x"], empty=False,
                                clear="pointerout")
    hover_d = alt.selection_point(name="hover_d", on="pointerover", nearest=True, fields=["x"], empty=False,
                                  clear="pointerout")  # the same, hovering the f′ chart
    on = hover | hover_d
    bottom_title = f"{x_title}   (strip: {band_title})" if bands is not None else x_title
    x_enc = alt.X("x:Q", title=None, scale=x_scale)  # one x title, under the bottom chart
    base = alt.Chart().encode(x=x_enc)  # the data sit on the concat once, not on every layer
    tips = [alt.Tooltip("series:N", title=" "), alt.Tooltip("x:Q", format=".3f"),
            alt.Tooltip("f:Q", title=f_title, format=".4g"), alt.Tooltip("df:Q", title=df_title, format=".4g")]

    band_layers: list = []
    if shade_panel and bands is not None and len(bands):
        band_layers.append(alt.Chart(bands).mark_rect(opacity=0.10, clip=True).encode(
            x=alt.X("x0:Q", scale=x_scale), x2="x1:Q", color=no_legend))

    curves = base.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("f:Q", title=f_title, scale=y_scale), color=color, detail="series:N")
    catcher = base.mark_point(opacity=0, size=250, clip=True).encode(
        y=alt.Y("f:Q", scale=y_scale), tooltip=tips).add_params(hover)
    tangent = (
        base.transform_filter(on)
        .transform_calculate(xa=f"datum.x - {w}", xb=f"datum.x + {w}", ya=f"datum.f - datum.df * {w}",
                             yb=f"datum.f + datum.df * {w}")
        .mark_rule(strokeDash=[6, 4], strokeWidth=2.5, clip=True)
        .encode(x="xa:Q", x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q", color=no_legend)
    )
    dots = base.transform_filter(on).mark_point(filled=True, size=110, opacity=1, clip=True).encode(
        y=alt.Y("f:Q", scale=y_scale), color=no_legend, tooltip=tips)
    top = alt.layer(curves, catcher, tangent, dots, height=height)

    dbase = alt.Chart().encode(x=alt.X("x:Q", title=None if bands is not None else x_title, scale=x_scale))
    dcurves = dbase.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("df:Q", title=df_title, scale=dy_scale), color=no_legend, detail="series:N")
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="gray", strokeDash=[2, 2]).encode(
        y=alt.Y("y:Q", scale=dy_scale))
    drule = dbase.transform_filter(on).mark_rule(color="gray", strokeDash=[4, 4]).encode()
    ddots = dbase.transform_filter(on).mark_point(filled=True, size=110, opacity=1, clip=True).encode(
        y=alt.Y("df:Q", scale=dy_scale), color=no_legend, tooltip=tips)
    dcatcher = dbase.mark_point(opacity=0, size=250, clip=True).encode(
        y=alt.Y("df:Q", scale=dy_scale), tooltip=tips).add_params(hover_d)
    mid_layers = [*band_layers, dcurves, dcatcher, zero, drule, ddots]
    if peaks is not None and len(peaks):
        pk = alt.Chart(peaks).encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=dy_scale),
                                     color=no_legend)
        mid_layers.append(pk.mark_point(shape="diamond", filled=True, size=160, stroke="white", strokeWidth=1,
                                        opacity=1, clip=True))
        mid_layers.append(pk.mark_text(align="left", dx=9, dy=-11, fontSize=14, fontWeight="bold").encode(
            text="label:N"))
    mid = alt.layer(*mid_layers, height=int(height * 0.8))
    charts = [top, mid]

    if bands is not None:
        rows = alt.Y("series:N", title=None, scale=alt.Scale(domain=series),
                     axis=alt.Axis(labelFontSize=13, labelLimit=160))
        strip = alt.Chart(bands).mark_rect(opacity=0.7).encode(
            x=alt.X("x0:Q", title=bottom_title, scale=x_scale), x2="x1:Q",
            y=rows, color=no_legend,
            tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("x0:Q", title="from", format=".2f"),
                     alt.Tooltip("x1:Q", title="to", format=".2f")])
        srule = base.transform_filter(on).mark_rule(color="gray", strokeDash=[4, 4]).encode(
            x=alt.X("x:Q", title=bottom_title, scale=x_scale))
        charts.append(alt.layer(strip, srule, height=26 * max(len(series), 1)))
    chart = alt.vconcat(*charts, data=d, spacing=8, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.resolve_scale(x="shared", color="shared")


# -- the backprop page: a network drawn by its weights, a classifier's decision map -----------------
#
# These charts are redrawn up to 12 times a second while the network trains, and compiling an Altair
# chart costs tens of ms. So each builder compiles its chart ONCE per structure (lru_cache) with its
# data as named slots (`alt.NamedData`), and every redraw only fills the slots with Arrow tables: the
# result is a Vega-Lite dict for `st.vega_lite_chart(spec, width="stretch")`. The spec text stays
# identical between redraws, so the browser updates the data in place instead of rebuilding the chart.
# Derived columns (cell edges, |w|, signs, labels) travel as data: Streamlit evaluates Vega expressions
# with a slow CSP-safe interpreter, which cost more per redraw than the few extra bytes.

SIGN_COLORS = {"positive": PALETTE[0], "negative": PALETTE[1]}
HIGHLIGHT = "#f2c14e"


@functools.lru_cache(maxsize=32)
def _network_template(sizes: tuple[int, ...], edge_labels: bool, height: int, background: str) -> dict:
    top = (max(sizes) - 1) / 2 + 0.6
    xs = alt.Scale(domain=[-0.35, len(sizes) - 1 + 0.35], nice=False, zero=False)
    ys = alt.Scale(domain=[-top, top], nice=False, zero=False)
    x_enc, y_enc = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    sign = alt.Color("sign:N", title="weight", scale=alt.Scale(domain=list(SIGN_COLORS), range=list(SIGN_COLORS.values())),
                     legend=alt.Legend(orient="top", labelFontSize=14, titleFontSize=14))
    edge_tip = [alt.Tooltip("name:N", title="weight"), alt.Tooltip("weight:Q", title="value", format=".6g"),
                alt.Tooltip("grad:Q", title="∂L/∂w (gradient)", format=".6g")]
    node_tip = [alt.Tooltip("label:N", title="node"), alt.Tooltip("name:N", title="bias"),
                alt.Tooltip("bias:Q", title="value", format=".6g"),
                alt.Tooltip("grad:Q", title="∂L/∂b (gradient)", format=".6g")]
    edges = alt.Chart(alt.NamedData("edges"))
    nodes = alt.Chart(alt.NamedData("nodes"))
    layers = [
        alt.Chart(alt.NamedData("hl_edges")).mark_rule(color=HIGHLIGHT, strokeWidth=20, opacity=0.6,
                                                     strokeCap="round").encode(
            x=x_enc, y=y_enc, x2="x2:Q", y2="y2:Q"),
        edges.mark_rule(strokeCap="round").encode(
            x=x_enc, y=y_enc, x2="x2:Q", y2="y2:Q",
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(range=[0.6, 10], zero=True), legend=None),
            color=sign, tooltip=edge_tip),
    ]
    if edge_labels:
        label_pos = {"x": alt.X("lx:Q", axis=None, scale=xs), "y": alt.Y("ly:Q", axis=None, scale=ys), "text": "text:N"}
        layers.append(edges.mark_text(fontSize=13, fontWeight="bold", dy=-9, stroke=background, strokeWidth=4,
                                      color=background).encode(**label_pos))
        layers.append(edges.mark_text(fontSize=13, fontWeight="bold", dy=-9).encode(**label_pos, color=sign,
                                                                              tooltip=edge_tip))
    layers += [
        alt.Chart(alt.NamedData("hl_nodes")).mark_circle(size=2600, color=HIGHLIGHT, opacity=0.8).encode(
            x=x_enc, y=y_enc),
        nodes.mark_circle(size=1400, opacity=1, color="#f4f4f4", stroke="#555", strokeWidth=2).encode(
            x=x_enc, y=y_enc, tooltip=node_tip),
        nodes.mark_text(fontSize=14, fontWeight="bold", color="#222").encode(
            x=x_enc, y=y_enc, text="label:N", tooltip=node_tip),
    ]
    return vega_spec(alt.layer(*layers).properties(height=height))


def network_diagram(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray],
    bias_grads: Sequence[np.ndarray],
    *,
    node_labels: Sequence[Sequence[str]] | None = None,
    highlight: str | None = None,
    edge_labels: bool = True,
    background: str = "white",
    height: int = 320,
) -> dict:
    """A layered network (Vega-Lite dict): edges thick by |w| and coloured by sign, tooltips with gradients.

    `weights[l]` has shape (n_l, n_{l+1}); edge i → j of layer l is named "W{l+1}[i,j]", bias j of
    layer l "b{l+1}[j]" (the names of `core.network`). `highlight` marks one edge or bias node.
    Weight labels sit a little before the middle of each edge (clear of the crossing point of a
    2 → 3 layer), on a halo of `background` (the page's background colour) so edges do not hide them.
    """
    sizes = tuple([int(np.shape(weights[0])[0])] + [int(np.shape(w)[1]) for w in weights])
    span = max(max(sizes) - 1, 1) / 2  # every layer spread over the same height, like TF Playground
    ypos = [np.linspace(span, -span, n) if n > 1 else np.zeros(1) for n in sizes]
    node_x = np.concatenate([np.full(n, float(layer)) for layer, n in enumerate(sizes)])
    labels = [node_labels[layer][k] if node_labels else f"{layer}.{k}"
              for layer, n in enumerate(sizes) for k in range(n)]
    names = ["—"] * sizes[0] + [f"b{layer}[{k}]" for layer in range(1, len(sizes)) for k in range(sizes[layer])]
    bias = [None] * sizes[0] + [float(v) for b in biases for v in np.ravel(b)]
    bias_grad = [None] * sizes[0] + [float(v) for g in bias_grads for v in np.ravel(g)]
    nodes = {"x": node_x, "y": np.concatenate(ypos), "label": labels, "name": names, "bias": bias,
             "grad": bias_grad}
    ex, ey, ex2, ey2, enames, ew, eg, et = [], [], [], [], [], [], [], []
    for layer, (w, g) in enumerate(zip(weights, weight_grads, strict=True)):
        i, j = np.meshgrid(np.arange(sizes[layer]), np.arange(sizes[layer + 1]), indexing="ij")
        i, j = i.ravel(), j.ravel()
        ex.append(np.full(i.size, float(layer)))
        ex2.append(np.full(i.size, float(layer + 1)))
        ey.append(ypos[layer][i])
        ey2.append(ypos[layer + 1][j])
        enames += [f"W{layer + 1}[{a},{b}]" for a, b in zip(i, j, strict=True)]
        et.append(np.full(i.size, 0.42 if sizes[layer] < sizes[layer + 1] else 0.4))
        ew.append(np.asarray(w, dtype=float).ravel())
        eg.append(np.asarray(g, dtype=float).ravel())
    x, y, x2, y2 = (np.concatenate(a) for a in (ex, ey, ex2, ey2))
    weight, t = np.concatenate(ew), np.concatenate(et)
    edges = {"x": x, "y": y, "x2": x2, "y2": y2, "name": enames, "weight": weight, "grad": np.concatenate(eg),
             "size": np.abs(weight), "sign": ["positive" if w >= 0 else "negative" for w in weight],
             "text": [f"{w:.2f}" for w in weight], "lx": x + t * (x2 - x), "ly": y + t * (y2 - y)}
    hl_edge = [k for k, n in enumerate(enames) if n == highlight]
    hl_node = [k for k, n in enumerate(names) if n == highlight]
    return fill_slots(_network_template(sizes, bool(edge_labels), int(height), str(background)),
                         edges=edges, nodes=nodes,
                         hl_edges={c: edges[c][hl_edge] for c in ("x", "y", "x2", "y2")},
                         hl_nodes={c: nodes[c][hl_node] for c in ("x", "y")})


@functools.lru_cache(maxsize=16)
def _decision_template(x_domain: tuple[float, float], y_domain: tuple[float, float],
                       x_title: str, y_title: str, value_title: str, height: int) -> dict:
    xsc = alt.Scale(domain=list(x_domain), nice=False, zero=False)
    ysc = alt.Scale(domain=list(y_domain), nice=False, zero=False)
    colors = alt.Scale(domain=[0.0, 0.5, 1.0], range=[PALETTE[0], "#f7f7f7", PALETTE[4]])
    cells = alt.Chart(alt.NamedData("cells")).mark_rect(clip=True).encode(
        x=alt.X("x_lo:Q", title=x_title, scale=xsc), x2="x_hi:Q",
        y=alt.Y("y_lo:Q", title=y_title, scale=ysc), y2="y_hi:Q",
        color=alt.Color("p:Q", title=value_title, scale=colors,
                        legend=alt.Legend(orient="top", gradientLength=160, titleFontSize=14, labelFontSize=13)),
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".2f"), alt.Tooltip("y:Q", title=y_title, format=".2f"),
                 alt.Tooltip("p:Q", title=value_title, format=".4f")])
    base = alt.Chart(alt.NamedData("points")).encode(x=alt.X("x:Q", scale=xsc), y=alt.Y("y:Q", scale=ysc))
    ring = base.mark_point(filled=False, size=760, strokeWidth=1.5, color="#222", opacity=1)
    dots = base.mark_point(filled=True, size=460, strokeWidth=3, stroke="white", opacity=1).encode(
        color=alt.Color("target_name:N", title="data",
                        scale=alt.Scale(domain=["target 0", "target 1"], range=[PALETTE[0], PALETTE[4]]),
                        legend=alt.Legend(orient="top", direction="vertical", labelFontSize=14,
                                          titleFontSize=14)),  # stacked: room for every label
        tooltip=[alt.Tooltip("x:Q", title=x_title), alt.Tooltip("y:Q", title=y_title),
                 alt.Tooltip("target:Q"), alt.Tooltip("label:N", title="prediction")])
    halo = base.mark_text(align="left", dx=17, dy=-15, fontSize=16, fontWeight="bold", stroke="white",
                          strokeWidth=4, color="white").encode(text="label:N")
    text = base.mark_text(align="left", dx=17, dy=-15, fontSize=16, fontWeight="bold", color="#111").encode(
        text="label:N")
    return vega_spec(alt.layer(cells, ring, dots, halo, text).properties(height=height))


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
    """A classifier's output on a regular grid (Vega-Lite dict): blue 0 … white 0.5 … orange 1, with data points.

    `probs[i, j]` is the output at (xs[j], ys[i]) (as `TwoLayerNet.decision_grid` returns it);
    `points` has x, y, `target` (0/1, int) and `label` (text beside each point, e.g. its prediction).
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    hx, hy = 0.65 * dx, 0.65 * dy  # cells overlap a little: no hairline seams between them
    cells = {"x": gx, "y": gy, "p": np.asarray(probs, dtype=float).ravel(),
             "x_lo": gx - hx, "x_hi": gx + hx, "y_lo": gy - hy, "y_hi": gy + hy}
    cells = {k: v.astype(np.float32) for k, v in cells.items()}  # half the bytes; plenty for a picture
    target = points["target"].to_numpy().astype(np.int64)
    pts = {"x": points["x"].to_numpy(dtype=float), "y": points["y"].to_numpy(dtype=float), "target": target,
           "target_name": [f"target {t}" for t in target], "label": [str(s) for s in points["label"]]}
    x_domain = (float(xs[0]), float(xs[-1]))  # the grid's extent: the same axes at any resolution
    y_domain = (float(ys[0]), float(ys[-1]))
    template = _decision_template(x_domain, y_domain, x_title, y_title, value_title, int(height))
    return fill_slots(template, cells=cells, points=pts)


@functools.lru_cache(maxsize=8)
def _loss_curve_template(marker: float | None, marker_label: str, height: int) -> dict:
    curve = alt.Chart(alt.NamedData("curve"))
    tip = [alt.Tooltip("epoch:Q", format=","), alt.Tooltip("loss:Q", format=".6f")]
    layers = [curve.mark_line(strokeWidth=3, color=PALETTE[0], clip=True).encode(
        x=alt.X("epoch:Q", title="epoch", scale=alt.Scale(zero=True)),
        y=alt.Y("loss:Q", title="loss (log scale)", scale=alt.Scale(type="log")), tooltip=tip)]
    if marker is not None:
        layers.append(alt.Chart(alt.NamedData("one")).mark_rule(color="gray", strokeDash=[5, 3], strokeWidth=2).encode(
            x=alt.datum(marker)))
        layers.append(alt.Chart(alt.NamedData("one")).mark_text(align="left", dx=4, color="gray", fontSize=13).encode(
            x=alt.datum(marker), y=alt.value(10), text=alt.datum(marker_label)))
    layers.append(alt.Chart(alt.NamedData("now")).mark_point(filled=True, size=110, color=PALETTE[1]).encode(
        x="epoch:Q", y="loss:Q", tooltip=tip))
    return vega_spec(alt.layer(*layers).properties(height=height))


def loss_curve(epochs: np.ndarray, losses: np.ndarray, *, marker: float | None = None,
               marker_label: str = "", height: int = 260) -> dict:
    """Loss per epoch on a log axis (Vega-Lite dict), the last point marked, an optional labelled epoch rule.

    Only positive finite losses can sit on a log axis: others are left out. Keep `epochs` to ≤ a few thousand.
    """
    e = np.asarray(epochs, dtype=float)
    v = np.asarray(losses, dtype=float)
    keep = np.isfinite(v) & (v > 0)
    template = _loss_curve_template(None if marker is None else float(marker), marker_label, int(height))
    e, v = e[keep], v[keep]
    return fill_slots(template, curve={"epoch": e, "loss": v}, now={"epoch": e[-1:], "loss": v[-1:]},
                         one={"k": [0.0]})


@functools.lru_cache(maxsize=64)
def _slice_templates(x_title: str, f_title: str, df_title: str, height: int) -> tuple[dict, dict]:
    x_enc = alt.X("x:Q", title=x_title, scale=alt.Scale(nice=False, zero=False))
    tip = [alt.Tooltip("x:Q", title=x_title, format=".4f"), alt.Tooltip("f:Q", title=f_title, format=".6g"),
           alt.Tooltip("df:Q", title=df_title, format=".6g")]
    here_tip = [alt.Tooltip("x0:Q", title=x_title, format=".6g"), alt.Tooltip("f0:Q", title=f_title, format=".6g"),
                alt.Tooltip("s:Q", title=df_title, format=".6g")]
    point = alt.Chart(alt.NamedData("point"))

    hover = alt.selection_point(name="slice_hover", on="pointerover", nearest=True, fields=["x"], empty=False,
                                clear="pointerout")
    base = alt.Chart(alt.NamedData("curve")).encode(x=x_enc)
    curve = base.mark_line(strokeWidth=3, color=PALETTE[0]).encode(
        y=alt.Y("f:Q", title=f_title, scale=alt.Scale(zero=False)))
    catcher = base.mark_point(opacity=0, size=200).encode(y=alt.Y("f:Q")).add_params(hover)
    moving = (base.transform_filter(hover)
              .transform_calculate(xa="datum.x - datum.w", xb="datum.x + datum.w",
                                   ya="datum.f - datum.df * datum.w", yb="datum.f + datum.df * datum.w")
              .mark_rule(strokeDash=[6, 4], strokeWidth=2, color=PALETTE[1], clip=True)
              .encode(x="xa:Q", x2="xb:Q", y="ya:Q", y2="yb:Q"))
    dot = base.transform_filter(hover).mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y="f:Q", tooltip=tip)
    tangent = point.mark_rule(strokeWidth=3, color=PALETTE[2], clip=True).encode(
        x="xa:Q", x2="xb:Q", y="ya:Q", y2="yb:Q")
    here = point.mark_point(filled=True, size=140, color=PALETTE[2]).encode(x="x0:Q", y="f0:Q", tooltip=here_tip)
    top = alt.layer(curve, catcher, moving, dot, tangent, here).properties(height=height)

    dhover = alt.selection_point(name="slope_hover", on="pointerover", nearest=True, fields=["x"], empty=False,
                                 clear="pointerout")
    dbase = alt.Chart(alt.NamedData("curve")).encode(x=x_enc)
    dcurve = dbase.mark_line(strokeWidth=3, color=PALETTE[3]).encode(
        y=alt.Y("df:Q", title=df_title, scale=alt.Scale(zero=False)))
    dcatcher = dbase.mark_point(opacity=0, size=200).encode(y=alt.Y("df:Q")).add_params(dhover)
    zero = point.mark_rule(color="gray", strokeDash=[2, 2]).encode(y=alt.datum(0))
    ddot = dbase.transform_filter(dhover).mark_point(filled=True, size=90, color=PALETTE[1]).encode(
        y="df:Q", tooltip=tip)
    dhere = point.mark_point(filled=True, size=140, color=PALETTE[2]).encode(x="x0:Q", y="s:Q", tooltip=here_tip)
    bottom = alt.layer(dcurve, dcatcher, zero, ddot, dhere).properties(height=int(height * 0.7))
    return vega_spec(top), vega_spec(bottom)


def loss_slice(x: np.ndarray, f: np.ndarray, df: np.ndarray, *, x0: float, f0: float, slope0: float,
               x_title: str = "θ", f_title: str = "L(θ)", df_title: str = "∂L/∂θ",
               height: int = 230) -> tuple[dict, dict]:
    """Two Vega-Lite dicts: a function of one variable with its tangent at x₀, and its derivative below.

    Like `function_and_derivative` (hovering slides a dashed tangent along f), but as two separate
    charts (a vconcat of layers does not fit a Streamlit column's width) compiled once and refilled.
    """
    x = np.asarray(x, dtype=float)
    w = float(x.max() - x.min()) / 8 if x.size else 1.0
    curve = {"x": x, "f": _finite_or_none(f), "df": _finite_or_none(df), "w": np.full(x.size, w)}
    point = {"x0": [float(x0)], "f0": [float(f0)], "s": [float(slope0)], "xa": [x0 - w], "xb": [x0 + w],
             "ya": [f0 - slope0 * w], "yb": [f0 + slope0 * w]}
    top, bottom = _slice_templates(x_title, f_title, df_title, int(height))
    return fill_slots(top, curve=curve, point=point), fill_slots(bottom, curve=curve, point=point)


# Vega-Lite's axis and legend text is 10–11 px: too small on a projector. vega_spec() applies these to
# every chart (every chart on every page goes through it); a chart's own config still takes precedence.
PROJECTOR_TEXT = {
    "axis": {"labelFontSize": 12, "titleFontSize": 14},
    "legend": {"labelFontSize": 13, "titleFontSize": 13},
}


def vega_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite dict with its data as Arrow bytes, for `st.vega_lite_chart(spec=...)`.

    `st.altair_chart` converts and schema-validates the chart on every rerun (tens of ms for a
    layered chart). A page can build this dict inside an `st.cache_data` function keyed on the
    chart's inputs, so reruns with unchanged inputs skip Altair entirely. The default theme's
    300×300 view size is dropped, as `st.altair_chart` does; the conversion holds Streamlit's lock
    on Altair's global settings so a concurrent `st.altair_chart` cannot swap the data transformer.
    """
    try:  # Streamlit guards Altair's global theme/data-transformer switches with this lock
        from streamlit.elements.vega_charts import _altair_globals_lock as lock
    except ImportError:  # pragma: no cover - a future Streamlit without it
        from contextlib import nullcontext as lock_factory

        lock = lock_factory()
    with lock, alt.data_transformers.enable("default"):
        spec = chart.to_dict()
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    if "config" in spec and not view:
        spec["config"].pop("view", None)
        if not spec["config"]:
            del spec["config"]
    config = spec.setdefault("config", {})  # projector-size text for every chart; a chart's own settings win
    for part, sizes in PROJECTOR_TEXT.items():
        for key, value in sizes.items():
            config.setdefault(part, {}).setdefault(key, value)
    from streamlit import dataframe_util

    for name, records in spec.get("datasets", {}).items():  # Arrow once, not on every rerun
        spec["datasets"][name] = dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(records))
    return spec


# -- the gradient_descent page: optimizer paths on a surface map, loss curves per optimizer -------


def map_extent(grid: pd.DataFrame, x: str = "w1", y: str = "w2") -> tuple[tuple[float, float], tuple[float, float]]:
    """The x and y ranges `surface_map` draws for a grid (cell centres ± half a cell)."""
    xs = np.sort(grid[x].unique())
    ys = np.sort(grid[y].unique())
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    return (float(xs[0] - dx / 2), float(xs[-1] + dx / 2)), (float(ys[0] - dy / 2), float(ys[-1] + dy / 2))


def _source(data: pd.DataFrame | str) -> pd.DataFrame | alt.NamedData:
    """A DataFrame as is, or a dataset name (its rows supplied at render time in `spec["datasets"]`)."""
    return alt.NamedData(name=data) if isinstance(data, str) else data


def path_layers(
    paths: pd.DataFrame | str,
    *,
    extent: tuple[tuple[float, float], tuple[float, float]],
    color_domain: Sequence[str],
    current: pd.DataFrame | str | None = None,
    arrows: pd.DataFrame | str | None = None,
    marks: pd.DataFrame | str | None = None,
    color_title: str = "optimizer",
) -> list[alt.Chart]:
    """Optimizer paths as layers for `surface_map(..., extra=...)`, legible on any colour map.

    `paths` has x, y, step, series, loss (one polyline per series, in step order); each is drawn
    over a dark halo, with a dot per step. `current` (x, y, series, step) marks each series'
    current point; `arrows` (x, y, x2, y2) are white arrows with a dark outline, heads turned in
    the browser (as in `arrow_layers`); `marks` (x, y, label, shape) adds fixed markers (start,
    minima). Any of them may be a dataset *name* instead of a DataFrame: the chart is then built
    (and cached, e.g. with `vega_spec`) once and its rows are supplied per rerun in
    `spec["datasets"][name]`. Colours follow `color_domain` with `PALETTE[1:]`, as `surface_map`'s
    own paths do. Everything is clipped to `extent`, so a diverging path leaves the map at its
    edge instead of stretching the axes.
    """
    (x_lo, x_hi), (y_lo, y_hi) = extent
    xsc = alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
    ysc = alt.Scale(domain=[y_lo, y_hi], nice=False, zero=False)
    domain = list(color_domain)
    cscale = alt.Scale(domain=domain, range=PALETTE[1:len(domain) + 1])
    pos = {"x": alt.X("x:Q", scale=xsc), "y": alt.Y("y:Q", scale=ysc)}
    layers: list[alt.Chart] = []
    if marks is not None:
        base = alt.Chart(_source(marks)).encode(**pos, tooltip=["label:N", alt.Tooltip("x:Q", format=".4g"),
                                                                alt.Tooltip("y:Q", format=".4g")])
        layers.append(base.mark_point(filled=True, size=150, color="white", stroke="#111418", strokeWidth=1.5,
                                      opacity=1, clip=True).encode(
            shape=alt.Shape("shape:N", scale=None, legend=None)))
    base = alt.Chart(_source(paths)).encode(**pos, order="step:Q", detail="series:N")
    layers.append(base.mark_line(color="#111418", strokeWidth=5.5, opacity=0.55, clip=True))
    layers.append(base.mark_line(strokeWidth=2.5, clip=True, point=alt.OverlayMarkDef(size=22, opacity=1))
                  .encode(color=alt.Color("series:N", title=color_title, scale=cscale,
                                          legend=alt.Legend(orient="top", labelFontSize=13, symbolStrokeWidth=4)),
                          tooltip=[alt.Tooltip("series:N", title=color_title), alt.Tooltip("step:Q"),
                                   alt.Tooltip("x:Q", format=".5g"), alt.Tooltip("y:Q", format=".5g"),
                                   alt.Tooltip("loss:Q", format=".5g")]))
    if arrows is not None:
        arr = alt.Chart(_source(arrows))
        shaft = {**pos, "x2": "x2:Q", "y2": "y2:Q"}
        tip = {"x": alt.X("x2:Q", scale=xsc), "y": alt.Y("y2:Q", scale=ysc)}
        layers.append(arr.mark_rule(color="#111418", strokeWidth=5, strokeCap="round", clip=True).encode(**shaft))
        layers.append(arr.mark_point(shape="triangle", filled=True, color="#111418", size=130, opacity=1,
                                     clip=True, angle=alt.ExprRef(_HEAD_ANGLE)).encode(**tip))
        layers.append(arr.mark_rule(color="white", strokeWidth=2.2, strokeCap="round", clip=True).encode(**shaft))
        layers.append(arr.mark_point(shape="triangle", filled=True, color="white", size=70, opacity=1,
                                     strokeWidth=0, clip=True, angle=alt.ExprRef(_HEAD_ANGLE)).encode(**tip))
    if current is not None:
        layers.append(alt.Chart(_source(current)).mark_point(filled=True, size=230, stroke="white",
                                                             strokeWidth=2.5, opacity=1, clip=True).encode(
            **pos, color=alt.Color("series:N", scale=cscale, legend=None),
            tooltip=[alt.Tooltip("series:N", title=color_title), alt.Tooltip("step:Q")]))
    return layers


SYMLOG_TICKS = [-1e12, -1e10, -1e8, -1e6, -1e4, -100.0, -1.0, 0.0, 1.0, 100.0, 1e4, 1e6, 1e8, 1e10, 1e12]


def loss_curves(
    df: pd.DataFrame | str,
    *,
    x: str = "step",
    y: str = "value",
    series: str = "series",
    color_domain: Sequence[str],
    y_title: str,
    symlog: bool = False,
    current: pd.DataFrame | str | None = None,
    height: int = 300,
    color_title: str = "optimizer",
) -> alt.LayerChart:
    """Loss per step, one line per series (colours as in `path_layers`), on a log axis — or a
    symlog axis (log-like for large |y|, linear near 0) when the values can be negative. Rows
    that a log axis cannot draw (≤ 0, NaN) are left out by the caller. `current` (x, label) adds
    a labelled vertical rule. `df` and `current` may be dataset names (see `path_layers`).
    """
    domain = list(color_domain)
    cscale = alt.Scale(domain=domain, range=PALETTE[1:len(domain) + 1])
    ysc = alt.Scale(type="symlog") if symlog else alt.Scale(type="log")
    yaxis = alt.Axis(values=SYMLOG_TICKS, format="~g") if symlog else alt.Axis(format="~e")
    line = alt.Chart(_source(df)).mark_line(strokeWidth=2.5, clip=True).encode(
        x=alt.X(f"{x}:Q", title="step t", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y(f"{y}:Q", title=y_title, scale=ysc, axis=yaxis),
        color=alt.Color(f"{series}:N", title=color_title, scale=cscale, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip(f"{series}:N", title=color_title), alt.Tooltip(f"{x}:Q", title="step"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=".4g")])
    layers: list = [line]
    if current is not None:
        now = alt.Chart(_source(current))
        layers.append(now.mark_rule(color="gray", strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q"))
        layers.append(now.mark_text(align="left", dx=4, dy=-6, color="gray", fontSize=13).encode(
            x="x:Q", y=alt.value(10), text="label:N"))
    return alt.layer(*layers).properties(height=height)


def fill_slots(template: dict, **datasets: pd.DataFrame | dict | list) -> dict:
    """A `vega_spec` template with its named slots (`alt.NamedData`) filled: a shallow copy whose datasets
    gain the slots; inline data the template carries (e.g. `surface_map`'s cells) stay. The template is
    never mutated, so one cached template serves every rerun.

    A slot may be a DataFrame, a dict of equal-length columns or a list of row dicts; the last two
    become Arrow tables directly, skipping pandas (≈50× cheaper per redraw than a DataFrame).
    """
    import pyarrow as pa

    def table(data):
        if isinstance(data, dict):
            return pa.table({k: np.asarray(v) for k, v in data.items()})
        return pa.Table.from_pylist(data) if isinstance(data, list) else data

    spec = dict(template)
    spec["datasets"] = {**template.get("datasets", {}), **{k: table(v) for k, v in datasets.items()}}
    return spec


def bars_log(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    colors: Sequence[str] | None = None,
    height: int = 260,
    extra_values: Sequence[float] = (),
) -> alt.Chart:
    """Bars on a log y axis (values spanning many decades), each bar drawn up from a floor below them all.

    `extra_values` (e.g. a threshold drawn on top) are included when choosing the floor.
    """
    values = [float(v) for v in df[y]] + [float(v) for v in extra_values]
    positive = [v for v in values if v > 0 and np.isfinite(v)] or [1.0]
    floor = min(positive) / 10
    d = df.copy()
    d["_base"] = floor
    scale = alt.Scale(domain=list(d[x]), range=list(colors) if colors else PALETTE[: len(d)])
    return alt.Chart(d).mark_bar(size=46).encode(
        x=alt.X(f"{x}:N", title=x_title if x_title is not None else x, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title or y, scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=LOG_LABELS)),
        y2="_base:Q",
        color=alt.Color(f"{x}:N", scale=scale, legend=None),
        tooltip=[alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=".4g")],
    ).properties(height=height)


def matrix_heatmap(
    A: np.ndarray,
    *,
    value: str = "value",
    x_title: str = "column j",
    y_title: str = "row i",
    cell: int = 58,
    max_width: int = 340,
    label_format: str = ".3f",
) -> alt.LayerChart:
    """A small matrix (e.g. a Jacobian) as cells of a fixed size, each labelled with its value.

    Cells are `cell` px wide, narrower if the columns would exceed `max_width` px (axes and legend
    come on top of that). Row 0 is at the top, as the matrix is printed. Diverging colours centred
    on 0 (red positive, blue negative, as `heatmap(diverging=True)`); labels turn white on dark cells.
    """
    A = np.asarray(A, dtype=float)
    cell = max(24, min(cell, max_width // max(A.shape[1], 1)))
    rows, cols = np.indices(A.shape)
    df = pd.DataFrame({"i": rows.ravel(), "j": cols.ravel(), "v": _finite_or_none(A).ravel()})
    m = float(np.nanmax(np.abs(df["v"]))) if len(df) and np.isfinite(df["v"]).any() else 1.0
    m = m if m > 0 else 1.0
    base = alt.Chart(df).encode(
        x=alt.X("j:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("i:O", title=y_title),
        tooltip=[alt.Tooltip("i:O", title="row i"), alt.Tooltip("j:O", title="column j"),
                 alt.Tooltip("v:Q", title=value, format=".6g")])
    cells = base.mark_rect(stroke="white", strokeWidth=0.5).encode(
        color=alt.Color("v:Q", title=value, scale=alt.Scale(scheme="redblue", domain=[-m, m], reverse=True),  # legend: low at the bottom
                        legend=alt.Legend(gradientLength=max(80, int(cell * 0.62 * A.shape[0]) - 10),
                                          format=".2~g")))
    text = base.mark_text(fontSize=12 if cell >= 52 else 10).encode(
        text=alt.Text("v:Q", format=label_format),
        color=alt.condition(f"abs(datum.v) > {0.6 * m}", alt.value("white"), alt.value("black")))
    return alt.layer(cells, text).properties(width=alt.Step(cell), height=alt.Step(cell * 0.62))


# -- the losses page: grouped bars with readable labels, a rule labelled on either side, fit-to-width ---


def grouped_bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    y_title: str | None = None,
    group_domain: Sequence[str] | None = None,
    height: int = 300,
) -> alt.LayerChart:
    """Bars per category, side by side per `group`, horizontal category labels and a zero line."""
    domain = list(group_domain) if group_domain is not None else list(dict.fromkeys(df[group]))
    color = alt.Color(f"{group}:N", title=None, scale=alt.Scale(domain=domain, range=PALETTE[: len(domain)]),
                      legend=alt.Legend(orient="top", labelFontSize=13, labelLimit=360))
    bars_ = alt.Chart(df).mark_bar().encode(
        x=alt.X(f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelFontSize=13)),
        xOffset=alt.XOffset(f"{group}:N", sort=domain),
        y=alt.Y(f"{y}:Q", title=y_title or y),
        color=color,
        tooltip=[alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{group}:N"), alt.Tooltip(f"{y}:Q", format=".6g")],
    )
    zero = alt.Chart(pd.DataFrame({"v": [0.0]})).mark_rule(color="gray").encode(y="v:Q")
    return alt.layer(bars_, zero).properties(height=height)


def side_rule(x: float, label: str, color: str = "gray", side: str = "left", label_y: int = 12) -> alt.LayerChart:
    """Like `vrule`, with the label on the chosen side of the line (`left` keeps it inside near a right edge),
    `label_y` pixels below the top of the plot."""
    d = pd.DataFrame({"x": [x], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color, strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q")
    text = alt.Chart(d).mark_text(align="right" if side == "left" else "left", dx=-5 if side == "left" else 5,
                                  dy=-6, color=color, fontSize=13, fontWeight="bold").encode(
        x="x:Q", y=alt.value(label_y), text="label:N")
    return alt.layer(rule, text)


def fit_width(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart sized to its container's width, axes included (for concatenated charts in columns)."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def vrules(xs: Sequence[float], labels: Sequence[str], colors: Sequence[str]) -> alt.LayerChart:
    """Several labelled vertical marker lines; the labels are stacked (one text row each) so they never overlap."""
    return alt.layer(*(vrule(float(x), label, color, row=i)
                       for i, (x, label, color) in enumerate(zip(xs, labels, colors, strict=True))))


def scaling_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    *,
    color_domain: Sequence[str],
    x_title: str,
    y_title: str,
    height: int = HEIGHT,
) -> alt.Chart:
    """Cost vs problem size on log-log axes (e.g. seconds vs n), one line with points per series.

    Axes use SI labels (10, 100, 1k; 10µ, 1m); the x axis spans the measured sizes (plus a few pixels).
    """
    xs = alt.Scale(type="log", nice=False, padding=10)
    domain = list(color_domain)
    return alt.Chart(df).mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=45), clip=True).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=xs, axis=alt.Axis(format="~s")),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log"), axis=alt.Axis(format="~s")),
        color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(domain=domain, range=PALETTE[:len(domain)]),
                        legend=alt.Legend(orient="top", labelLimit=320)),
        tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:Q"), alt.Tooltip(f"{y}:Q", format=".3~s")],
    ).properties(height=height)


# -- the autodiff page: grouped bars refilled on every step of a step-through ----------------------


@functools.lru_cache(maxsize=32)
def _grouped_bars_template(x: str, y: str, group: str, y_title: str | None, group_domain: tuple[str, ...],
                           height: int, slanted: bool) -> dict:
    chart = grouped_bars(alt.NamedData("bars"), x, y, group, y_title=y_title, group_domain=group_domain,
                         height=height)
    chart.layer[1] = alt.Chart(alt.NamedData("zero")).mark_rule(color="gray").encode(y="v:Q")
    if slanted:  # many categories: slanted labels, every one of them shown
        chart.layer[0].encoding.x.axis = alt.Axis(labelAngle=-45, labelFontSize=13, labelOverlap=False)
    return vega_spec(chart)


def grouped_bars_spec(df: pd.DataFrame, x: str, y: str, group: str, *, group_domain: Sequence[str],
                      y_title: str | None = None, height: int = 300, slanted: bool = False) -> dict:
    """`grouped_bars(...)` as a Vega-Lite dict for `st.vega_lite_chart(spec=...)`, compiled once per
    layout and refilled with `df`: a few ms per redraw instead of tens (e.g. one redraw per step of a
    step-through). `slanted` tilts the category labels by 45° so that a dozen or more all show."""
    template = _grouped_bars_template(x, y, group, y_title, tuple(group_domain), int(height), bool(slanted))
    return fill_slots(template, bars=df, zero={"v": [0.0]})
