"""Altair chart builders shared by the pages. Data in, chart out: no calculus here.

Builders take plain arrays or tidy DataFrames and return Altair charts that pages hand to
`st.altair_chart`. Interactivity that needs no Python (hover tangents, nearest-point readouts)
is done with Altair params so it runs in the browser without a rerun.
"""

from __future__ import annotations

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
) -> alt.VConcatChart:
    """f with its tangent (fixed at x₀, and following the pointer) above f′ with a marker.

    Hovering anywhere moves a dashed tangent on f and a dot on f′ — entirely in the browser
    (an Altair point selection, nearest x): no Python rerun.
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
    if x0 is not None and f0 is not None and slope0 is not None:
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
    if x0 is not None and slope0 is not None:
        bottom_layers.append(alt.Chart(pd.DataFrame({"x0": [x0], "s": [slope0]})).mark_point(
            filled=True, size=120, color=PALETTE[2]).encode(x="x0:Q", y=alt.Y("s:Q", scale=dy_scale)))
    bottom = alt.layer(*bottom_layers).properties(height=int(height * 0.75))
    return alt.vconcat(top, bottom).resolve_scale(x="shared")


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
