"""Functions of one variable: f with a tangent that follows the pointer, above its derivative f′.

One builder, `function_and_derivative`, for one series (Derivatives, Losses, the slices of Gradients and
Backprop) or several (Activations). Hovering either panel picks the nearest x and moves a dashed tangent
on every f and a dot on every f′ — in the browser (an Altair point selection), no Python rerun.

The chart is a template (its spec never depends on the data): every row arrives in a named slot, filled
per rerun by `fill_slots(template, **curve_slots(...), ...)`, so a slider step updates the chart in place
instead of re-embedding it. The axes' domains come from a one-row slot too (`<curve>_axes`), read by the
scales through an expression. Streamlit runs Vega expressions through an interpreter, so nothing is
computed per datum in the browser that Python can compute once: the pointer catchers have their own
small slot (`<curve>_pick`: one row per x, ~100, their tooltips formatted), the tangents and dots drawn
where the pointer is another (`<curve>_hover`, their end points computed) and the fixed tangent's end
points come with its row (`tangent_point`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from ui import palette
from ui.charts.spec import fill_slots, finite_or_none, legend_columns, robust_domain, source, vega_spec


def curve_frame(x: np.ndarray, f: np.ndarray, df: np.ndarray, series: str = "f") -> pd.DataFrame:
    """One function sampled on a grid as the tidy rows `curve_slots` takes (x, f, df, series)."""
    return pd.DataFrame(
        {"x": np.asarray(x, dtype=float), "f": finite_or_none(f), "df": finite_or_none(df), "series": series}
    )


def tangent_halfwidth(x_lo: float, x_hi: float, n_series: int = 1) -> float:
    """Half the length (in x) of a drawn tangent: an eighth of the x range (a twelfth with several series)."""
    return (float(x_hi) - float(x_lo)) / (8 if n_series == 1 else 12)


def tangent_point(x0: float, f0: float, slope: float, w: float) -> dict:
    """The row of a `function_and_derivative(..., fixed=slot)` chart's fixed tangent at x₀, with its end
    points at x₀ ± w (computed here, not per datum in the browser)."""
    x0, f0, slope, w = float(x0), float(f0), float(slope), float(w)
    return {
        "x0": [x0],
        "f0": [f0],
        "s": [slope],
        "xa": [x0 - w],
        "xb": [x0 + w],
        "ya": [f0 - slope * w],
        "yb": [f0 + slope * w],
    }


# Axis labels: 2.5, 10, 100, 0.001, 3.5e+190. Vega's default wrote 3.5000000000… for huge values, and
# "~g" alone is rounded to the tick step's precision (10 on a ±10 axis came out as "1e+1").
NUMBER_LABELS = (
    "abs(datum.value) >= 1e6 || (datum.value != 0 && abs(datum.value) < 1e-4)"
    " ? format(datum.value, '.3~e') : format(datum.value, '.6~r')"
)
HOVER_POINTS = 100  # pointer-catching points per series (a thinned copy of the curve's grid)


def _bounds(domain: Sequence[float] | None) -> tuple[float, float]:
    if domain is None:
        return -1.0, 1.0
    lo, hi = (float(v) for v in domain)
    return (lo, hi) if np.isfinite(lo) and np.isfinite(hi) and hi > lo else (-1.0, 1.0)


def curve_slots(
    data: pd.DataFrame | Mapping[str, np.ndarray],
    *,
    name: str = "curve",
    x_domain: Sequence[float] | None = None,
    y_domain: Sequence[float] | None = None,
    dy_domain: Sequence[float] | None = None,
    halfwidth: float | None = None,
    simplify: bool = False,
) -> dict[str, pa.Table]:
    """The slots of a `function_and_derivative(name, ...)` template for tidy rows (x, f, df, series; every
    series on the same x grid, see `curve_frame`):
    - `name`: the curve; with `simplify`, only the rows that a line through them needs to stay within a
      fraction of a pixel of every sample (`drawn_rows`): Vega interprets every channel of every point
      of a line on each redraw, and most of a curve is nearly straight at screen scale;
    - `<name>_pick`: about `HOVER_POINTS` x values, one row each whatever the number of series, that catch
      the pointer (nearest in x), with the tooltip's text (one column per series when there are several);
    - `<name>_hover`: every series at those x, with their tangents' end points (x ± w, f ∓ f′·w; w =
      `halfwidth`, default `tangent_halfwidth`), drawn where the pointer is;
    - `<name>_axes`: the domains (x: the grid's extent unless given; f, f′: their finite range, padded).
    Arrow tables: a page can cache them."""
    x = np.asarray(data["x"], dtype=float)
    f = finite_or_none(np.asarray(data["f"], dtype=float))
    df = finite_or_none(np.asarray(data["df"], dtype=float))
    labels = np.asarray(data["series"], dtype=object).astype(str)
    names = list(dict.fromkeys(labels))
    x_lo, x_hi = _bounds(x_domain if x_domain is not None else ((x.min(), x.max()) if x.size else None))
    w = float(halfwidth) if halfwidth is not None else tangent_halfwidth(x_lo, x_hi, len(names) or 1)
    at = np.arange(labels.size)  # each row's index within its series (one series: the row's own)
    if len(names) > 1:
        for n in names:
            rows = np.flatnonzero(labels == n)
            at[rows] = np.arange(rows.size)
    every = max(1, int(at.max(initial=0) + 1) // HOVER_POINTS)
    keep = at % every == 0
    hx, hf, hdf = x[keep], f[keep], df[keep]
    first = keep & (labels == names[0]) if names else keep
    pick = {"x": x[first]}
    if len(names) <= 1:
        pick.update(f=f[first], df=df[first])
    else:
        for i, n in enumerate(names):
            rows = keep & (labels == n)
            pick[f"t{i}"] = [f"f = {a:.4g},  f′ = {b:.4g}" for a, b in zip(f[rows], df[rows], strict=True)]
    y0, y1 = _bounds(y_domain if y_domain is not None else robust_domain(f))
    dy0, dy1 = _bounds(dy_domain if dy_domain is not None else robust_domain(df))
    drawn = np.ones(x.size, dtype=bool)
    if simplify:
        for n in names:
            rows = np.flatnonzero(labels == n)
            drawn[rows] = drawn_rows(x[rows], f[rows], (x_lo, x_hi), (y0, y1)) | drawn_rows(
                x[rows], df[rows], (x_lo, x_hi), (dy0, dy1)
            )
    return {
        name: pa.table({"x": x[drawn], "f": f[drawn], "df": df[drawn], "series": labels[drawn]}),
        f"{name}_pick": pa.table(pick),
        f"{name}_hover": pa.table(
            {
                "x": hx,
                "f": hf,
                "df": hdf,
                "series": labels[keep],
                "xa": hx - w,
                "xb": hx + w,
                "ya": hf - hdf * w,
                "yb": hf + hdf * w,
            }
        ),
        f"{name}_axes": pa.table(
            {"x0": [x_lo], "x1": [x_hi], "y0": [y0], "y1": [y1], "dy0": [dy0], "dy1": [dy1], "zero": [0.0]}
        ),
    }


SCREEN_PX = (1000.0, 500.0)  # a generous plot size (presentation mode included) for `drawn_rows`
TOLERANCE_PX = 0.25


def drawn_rows(
    x: np.ndarray, y: np.ndarray, x_domain: Sequence[float], y_domain: Sequence[float]
) -> np.ndarray:
    """Which samples of a curve a line must pass through so that it stays within `TOLERANCE_PX` of every
    sample on a `SCREEN_PX` plot of these domains (Ramer–Douglas–Peucker): the ends, the corners, the
    samples beside a gap (non-finite values, kept too); a straight stretch needs only its two ends."""
    n = x.size
    keep = np.zeros(n, dtype=bool)
    if n <= 2:
        keep[:] = True
        return keep
    sx = SCREEN_PX[0] / max(float(x_domain[1]) - float(x_domain[0]), 1e-300)
    sy = SCREEN_PX[1] / max(float(y_domain[1]) - float(y_domain[0]), 1e-300)
    px, py = x * sx, np.clip(y * sy, -1e12, 1e12)  # far off-screen values: any slope is as good
    ok = np.isfinite(py)
    keep[~ok] = True
    edges = np.flatnonzero(np.diff(ok.astype(np.int8)) != 0)
    keep[edges] = keep[edges + 1] = True
    starts = np.flatnonzero(ok & np.concatenate([[True], ~ok[:-1]]))
    ends = np.flatnonzero(ok & np.concatenate([~ok[1:], [True]]))
    stack = [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
    while stack:
        a, b = stack.pop()
        keep[a] = keep[b] = True
        if b - a < 2:
            continue
        dx, dy = px[b] - px[a], py[b] - py[a]
        mid = slice(a + 1, b)
        dist = np.abs(dy * (px[mid] - px[a]) - dx * (py[mid] - py[a])) / max(np.hypot(dx, dy), 1e-300)
        k = int(np.argmax(dist))
        if dist[k] > TOLERANCE_PX:
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
    return keep


def _domain(axes: str, lo: str, hi: str) -> alt.ExprRef:
    """A scale domain read from the one-row axes slot (so the spec stays the same whatever the data)."""
    row = f"data('{axes}')"
    return alt.ExprRef(expr=f"length({row}) ? [{row}[0].{lo}, {row}[0].{hi}] : [0, 1]")


def function_and_derivative(
    data: str = "curve",
    *,
    series: Sequence[str] = ("f",),
    styles: Sequence[int] | None = None,
    fixed: str | None = None,
    bands: str | None = None,
    peaks: str | None = None,
    x_title: str = "x",
    f_title: str = "f(x)",
    df_title: str = "f′(x)",
    band_title: str = "shaded",
    shade_panel: bool = True,
    height: int = 280,
    split: bool = False,
) -> alt.VConcatChart | tuple[alt.LayerChart, alt.LayerChart]:
    """f (top) over f′ (below), one line per series, a hover tangent on every f; x shared. A template:
    `data` names the curve's slot; `curve_slots(rows, name=data, ...)` fills it and its companions
    `<data>_pick` (the pointer catchers), `<data>_hover` (the tangents and dots) and `<data>_axes` (the
    domains).

    `styles[i]` is series i's palette index: its colour *and* dash (defaults 0, 1, 2 …), so a series keeps
    its look when others are toggled. With one series, the hover tangent and dots are drawn in a second
    colour. `fixed` names a slot (rows of `tangent_point`) drawn as a solid green tangent at x₀ with
    (x₀, f′(x₀)) marked below. `bands` names a slot (series, x0, x1) shaded on f′ (when `shade_panel`) and
    drawn as a strip below, one row per series (e.g. where f′ saturates); `peaks` names a slot (series, x,
    y, label) of labelled points on f′. The chart fits its container's width. `split` returns the two
    panels as separate layer charts (two `st.vega_lite_chart` calls).
    """
    series = list(series)
    styles = list(styles) if styles is not None else list(range(len(series)))
    d = alt.NamedData(name=data)
    catches = alt.NamedData(name=f"{data}_hover")
    picks = alt.NamedData(name=f"{data}_pick")
    axes = f"{data}_axes"
    single = len(series) == 1
    x_scale = alt.Scale(domain=_domain(axes, "x0", "x1"), nice=False, zero=False)
    y_scale = alt.Scale(domain=_domain(axes, "y0", "y1"), nice=False, zero=False)
    dy_scale = alt.Scale(domain=_domain(axes, "dy0", "dy1"), nice=False, zero=False)
    colors = [palette.category(s) for s in styles]
    dashes = [palette.DASHES[s % len(palette.DASHES)] for s in styles]
    legend = (
        alt.Legend(
            orient="top",
            symbolType="stroke",
            symbolStrokeWidth=3,
            symbolSize=400,
            columns=legend_columns(series, min(len(series), 4)),
        )
        if not single
        else None
    )
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=series, range=colors), legend=legend)
    dash = alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=series, range=dashes), legend=legend)
    accent = palette.category(1) if single else None  # the moving tangent and dots of a single series
    fixed_color = palette.category(2)

    hover = alt.selection_point(
        name="hover", on="pointerover", nearest=True, fields=["x"], empty=False, clear="pointerout"
    )
    hover_d = alt.selection_point(
        name="hover_d", on="pointerover", nearest=True, fields=["x"], empty=False, clear="pointerout"
    )  # the same, hovering the f′ chart
    on = hover | hover_d
    # Split panels are separate charts: each can only follow the pointer over itself.
    on_top, on_bottom = (hover, hover_d) if split else (on, on)
    bottom_title = f"{x_title}   (strip: {band_title})" if bands is not None else x_title
    x_top = alt.X("x:Q", title=None if not split else x_title, scale=x_scale)
    base = alt.Chart(d).encode(x=x_top)
    hbase = alt.Chart(catches).encode(x=x_top)
    pbase = alt.Chart(picks).encode(x=x_top)
    tips = [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("x:Q", title=x_title, format=".4g"),
        alt.Tooltip("f:Q", title=f_title, format=".5g"),
        alt.Tooltip("df:Q", title=df_title, format=".5g"),
    ]
    if single:
        tips = tips[1:]
    # The pointer catchers: one invisible point per x (all at one height, so the nearest is the nearest in
    # x), their tooltip every series' f and f′ there, formatted in Python.
    pick_tips = (
        tips
        if single
        else [alt.Tooltip("x:Q", title=x_title, format=".4g")]
        + [alt.Tooltip(f"t{i}:N", title=name) for i, name in enumerate(series)]
    )

    def coloured(mark: alt.Chart, *, moving: bool = False) -> alt.Chart:
        return mark.encode(color=alt.value(accent)) if single and moving else mark.encode(color=color)

    # Ordered by x itself (Vega-Lite's default parses a sort key per row, in the expression interpreter).
    curves = base.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("f:Q", title=f_title, scale=y_scale, axis=alt.Axis(labelExpr=NUMBER_LABELS)),
        color=color,
        strokeDash=dash,
        detail="series:N",
        order=alt.Order("x:Q"),
    )
    catcher = (
        pbase.mark_point(opacity=0, size=250).encode(y=alt.value(0), tooltip=pick_tips).add_params(hover)
    )
    tangent = coloured(
        hbase.transform_filter(on_top)
        .mark_rule(strokeDash=[6, 4], strokeWidth=2.5, clip=True)
        .encode(x=alt.X("xa:Q", scale=x_scale), x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"),
        moving=True,
    )
    dots = coloured(
        hbase.transform_filter(on_top)
        .mark_point(filled=True, size=110, opacity=1, clip=True)
        .encode(y=alt.Y("f:Q", scale=y_scale), tooltip=tips),
        moving=True,
    )
    anchor = (  # the top panel reads the axes slot too (a data source of its own in a split chart)
        alt.Chart(source(axes)).mark_rule(opacity=0).encode(y=alt.Y("y0:Q", scale=y_scale))
    )
    top_layers = [anchor, curves, catcher, tangent, dots]

    x_mid = alt.X("x:Q", title=None if bands is not None else x_title, scale=x_scale)
    dbase = alt.Chart(d).encode(x=x_mid)
    dhbase = alt.Chart(catches).encode(x=x_mid)
    dpbase = alt.Chart(picks).encode(x=x_mid)
    dcurves = dbase.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("df:Q", title=df_title, scale=dy_scale, axis=alt.Axis(labelExpr=NUMBER_LABELS)),
        detail="series:N",
        order=alt.Order("x:Q"),
        **({"color": alt.value(palette.category(3))} if single else {"color": color, "strokeDash": dash}),
    )
    zero = (  # the axes slot's one row: f′ = 0 (and the slot the domains read is a data source of the chart)
        alt.Chart(source(axes))
        .mark_rule(color=palette.muted(), strokeDash=[2, 2])
        .encode(y=alt.Y("zero:Q", scale=dy_scale))
    )
    drule = dhbase.transform_filter(on_bottom).mark_rule(color=palette.muted(), strokeDash=[4, 4]).encode()
    ddots = coloured(
        dhbase.transform_filter(on_bottom)
        .mark_point(filled=True, size=110, opacity=1, clip=True)
        .encode(y=alt.Y("df:Q", scale=dy_scale), tooltip=tips),
        moving=True,
    )
    dcatcher = (
        dpbase.mark_point(opacity=0, size=250).encode(y=alt.value(0), tooltip=pick_tips).add_params(hover_d)
    )
    band_layers: list = []
    if shade_panel and bands is not None:
        band_layers.append(
            alt.Chart(source(bands))
            .mark_rect(opacity=0.10, clip=True)
            .encode(x=alt.X("x0:Q", scale=x_scale), x2="x1:Q", color=color)
        )
    mid_layers = [*band_layers, dcurves, dcatcher, zero, drule, ddots]
    if peaks is not None:
        pk = alt.Chart(source(peaks)).encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=dy_scale))
        mid_layers.append(
            pk.mark_point(
                filled=True, size=160, stroke=palette.background(), strokeWidth=1, opacity=1, clip=True
            ).encode(color=color, shape=alt.value("diamond"))
        )
        mid_layers.append(
            pk.mark_text(
                align="left", dx=9, dy=-11, fontSize=14, fontWeight="bold", color=palette.text()
            ).encode(text="label:N")
        )

    if fixed is not None:
        here = alt.Chart(source(fixed))
        here_tip = [
            alt.Tooltip("x0:Q", title=x_title, format=".6g"),
            alt.Tooltip("f0:Q", title=f_title, format=".6g"),
            alt.Tooltip("s:Q", title=df_title, format=".6g"),
        ]
        top_layers.append(
            here.mark_rule(strokeWidth=3, color=fixed_color, clip=True).encode(
                x=alt.X("xa:Q", scale=x_scale), x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"
            )
        )
        top_layers.append(
            here.mark_point(
                filled=True, size=140, opacity=1, color=fixed_color, shape="diamond", clip=True
            ).encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("f0:Q", scale=y_scale), tooltip=here_tip)
        )
        mid_layers.append(
            here.mark_point(
                filled=True, size=140, opacity=1, color=fixed_color, shape="diamond", clip=True
            ).encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("s:Q", scale=dy_scale), tooltip=here_tip)
        )

    if split:
        return (
            alt.layer(*top_layers, height=height),
            alt.layer(*mid_layers, height=int(height * 0.7)),
        )
    charts = [alt.layer(*top_layers, height=height), alt.layer(*mid_layers, height=int(height * 0.8))]
    if bands is not None:
        rows = alt.Y(
            "series:N",
            title=None,
            scale=alt.Scale(domain=series),
            axis=alt.Axis(labelLimit=160, labelOverlap=False, labelFlush=False, labelBound=False),
        )  # one label per 26 px row: each fits, presentation mode included (Vega hid every other one)
        strip = (
            alt.Chart(source(bands))
            .mark_rect(opacity=0.7)
            .encode(
                x=alt.X("x0:Q", title=bottom_title, scale=x_scale),
                x2="x1:Q",
                y=rows,
                color=color,
                tooltip=[
                    alt.Tooltip("series:N", title=" "),
                    alt.Tooltip("x0:Q", title="from", format=".2f"),
                    alt.Tooltip("x1:Q", title="to", format=".2f"),
                ],
            )
        )
        srule = (
            hbase.transform_filter(on)
            .mark_rule(color=palette.muted(), strokeDash=[4, 4])
            .encode(x=alt.X("x:Q", title=bottom_title, scale=x_scale))
        )
        charts.append(alt.layer(strip, srule, height=26 * max(len(series), 1)))
    chart = alt.vconcat(*charts, spacing=8, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.resolve_scale(x="shared", color="shared", strokeDash="shared")


@functools.lru_cache(maxsize=64)
def _slice_template(x_title: str, f_title: str, df_title: str, height: int) -> dict:
    what = f"{f_title} as a function of {x_title}"
    return vega_spec(
        function_and_derivative(
            "curve", fixed="point", x_title=x_title, f_title=f_title, df_title=df_title, height=height
        ),
        description=f"Line chart of {what}, with its tangent at the current point, above {df_title}, its slope.",
    )


def loss_slice(
    x: np.ndarray,
    f: np.ndarray,
    df: np.ndarray,
    *,
    x0: float,
    f0: float,
    slope0: float,
    x_title: str = "θ",
    f_title: str = "L(θ)",
    df_title: str = "∂L/∂θ",
    height: int = 230,
) -> dict:
    """`function_and_derivative` for one function, drawn: one Vega-Lite dict, f with its tangent at x₀ above
    f′ (one chart, not two: a slider step updates one view), compiled once per titles and height and refilled
    with the curve and the point. The f axis spans the curve and the tangent at x₀."""
    x = np.asarray(x, dtype=float)
    w = float(x.max() - x.min()) / 8 if x.size else 1.0
    point = tangent_point(x0, f0, slope0, w)
    fs = finite_or_none(f)
    slots = curve_slots(
        {"x": x, "f": fs, "df": np.asarray(df, dtype=float), "series": np.full(x.size, "f")},  # no DataFrame
        y_domain=robust_domain(np.concatenate([fs, point["ya"], point["yb"]]), pad=0.05),
        dy_domain=robust_domain(finite_or_none(df), pad=0.05),
        halfwidth=w,
    )
    return fill_slots(_slice_template(x_title, f_title, df_title, int(height)), **slots, point=point)
