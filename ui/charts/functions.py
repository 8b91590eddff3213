"""Functions of one variable: f with a tangent that follows the pointer, above its derivative f′.

One builder, `function_and_derivative`, for one series (Derivatives, Losses, the slices of Gradients and
Backprop) or several (Activations). Hovering either panel picks the nearest x and moves a dashed tangent
on every f and a dot on every f′ — in the browser (an Altair point selection), no Python rerun.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ui import palette
from ui.charts.spec import fill_slots, finite_or_none, robust_domain, source, vega_spec


def curve_frame(x: np.ndarray, f: np.ndarray, df: np.ndarray, series: str = "f") -> pd.DataFrame:
    """One function sampled on a grid as the tidy rows `function_and_derivative` takes (x, f, df, series)."""
    return pd.DataFrame(
        {"x": np.asarray(x, dtype=float), "f": finite_or_none(f), "df": finite_or_none(df), "series": series}
    )


def tangent_point(x0: float, f0: float, slope: float, w: float | None = None) -> dict:
    """The row a `function_and_derivative(..., fixed=slot)` chart needs for its fixed tangent at x₀
    (`w`, the tangent's half-width, only when the chart's curve is a slot too)."""
    row = {"x0": [float(x0)], "f0": [float(f0)], "s": [float(slope)]}
    return row if w is None else {**row, "w": [float(w)]}


NUMBER_FORMAT = "~g"  # axis labels: 2.5, 100, 3.5e+190 (Vega's default wrote 3.5000000000… for huge values)
HOVER_POINTS = 100  # pointer-catching points per series (a thinned copy of the curve's grid)
CATCHES = "datum.hover !== false"  # rows without the column (a slot's data) all catch


def function_and_derivative(
    data: pd.DataFrame | str,
    *,
    series: Sequence[str] = ("f",),
    styles: Sequence[int] | None = None,
    fixed: pd.DataFrame | dict | str | None = None,
    bands: pd.DataFrame | None = None,
    peaks: pd.DataFrame | None = None,
    x_title: str = "x",
    f_title: str = "f(x)",
    df_title: str = "f′(x)",
    band_title: str = "shaded",
    shade_panel: bool = True,
    x_domain: Sequence[float] | None = None,
    y_domain: Sequence[float] | None = None,
    dy_domain: Sequence[float] | None = None,
    tangent_halfwidth: float | None = None,
    height: int = 280,
    split: bool = False,
) -> alt.VConcatChart | tuple[alt.LayerChart, alt.LayerChart]:
    """f (top) over f′ (below), one line per series, a hover tangent on every f; x shared.

    `data` is tidy — columns x, f, df, series, every series on the same x grid (see `curve_frame`) —
    or a slot name (rows supplied by `fill_slots`; then give `x_domain`). `styles[i]` is series i's
    palette index: its colour *and* dash (defaults 0, 1, 2 …), so a series keeps its look when others
    are toggled. With one series, the hover tangent and dots are drawn in a second colour.
    `fixed` (x0, f0, s: a DataFrame, a dict of columns or a slot name) draws a solid green tangent at
    x₀ and marks (x₀, f′(x₀)) below. Optional `bands` (series, x0, x1) are shaded on f′ (when
    `shade_panel`) and drawn as a strip below, one row per series (e.g. where f′ saturates); optional
    `peaks` (series, x, y, label) are labelled points on f′. The chart fits its container's width.
    `split` returns the two panels as separate layer charts (two `st.vega_lite_chart` calls).
    """
    series = list(series)
    styles = list(styles) if styles is not None else list(range(len(series)))
    if isinstance(data, str):  # rows arrive per rerun: the axes follow them; half-widths come as a `w` column
        d: pd.DataFrame | alt.NamedData = alt.NamedData(name=data)
        x_lo, x_hi = (float(v) for v in x_domain) if x_domain is not None else (None, None)
    else:
        d = data[["x", "f", "df", "series"]].copy()
        d["f"] = finite_or_none(d["f"].to_numpy())
        d["df"] = finite_or_none(d["df"].to_numpy())
        # The invisible points that catch the pointer: about HOVER_POINTS per series are plenty to follow it,
        # and each is an SVG node the browser rebuilds on every redraw (1,500 per panel on Activations).
        at = d.groupby("series", sort=False).cumcount().to_numpy()
        every = max(1, int(at.max(initial=0) + 1) // HOVER_POINTS)
        d["hover"] = at % every == 0
        x_lo, x_hi = (
            (float(v) for v in x_domain)
            if x_domain is not None
            else (float(d["x"].min()), float(d["x"].max()))
        )
        y_domain = list(y_domain) if y_domain is not None else robust_domain(d["f"].to_numpy())
        dy_domain = list(dy_domain) if dy_domain is not None else robust_domain(d["df"].to_numpy())
    single = len(series) == 1
    if tangent_halfwidth is not None:
        w = str(float(tangent_halfwidth))
    elif x_lo is not None:
        w = str((x_hi - x_lo) / (8 if single else 12))
    else:
        w = "datum.w"
    x_scale = (
        alt.Scale(domain=[x_lo, x_hi], nice=False, zero=False)
        if x_lo is not None
        else alt.Scale(nice=False, zero=False)
    )
    y_scale = alt.Scale(domain=list(y_domain), nice=False) if y_domain else alt.Scale(zero=False)
    dy_scale = alt.Scale(domain=list(dy_domain), nice=False) if dy_domain else alt.Scale(zero=False)
    colors = [palette.category(s) for s in styles]
    dashes = [palette.DASHES[s % len(palette.DASHES)] for s in styles]
    legend = (
        alt.Legend(
            orient="top",
            symbolType="stroke",
            symbolStrokeWidth=3,
            symbolSize=400,
            columns=min(len(series), 4),
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
    base = alt.Chart().encode(x=alt.X("x:Q", title=None if not split else x_title, scale=x_scale))
    tips = [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("x:Q", title=x_title, format=".4g"),
        alt.Tooltip("f:Q", title=f_title, format=".5g"),
        alt.Tooltip("df:Q", title=df_title, format=".5g"),
    ]
    if single:
        tips = tips[1:]

    def coloured(mark: alt.Chart, *, moving: bool = False) -> alt.Chart:
        return mark.encode(color=alt.value(accent)) if single and moving else mark.encode(color=color)

    curves = base.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("f:Q", title=f_title, scale=y_scale, axis=alt.Axis(format=NUMBER_FORMAT)),
        color=color,
        strokeDash=dash,
        detail="series:N",
    )
    catcher = (
        base.transform_filter(CATCHES)
        .mark_point(opacity=0, size=250, clip=True)
        .encode(y=alt.Y("f:Q", scale=y_scale), tooltip=tips)
        .add_params(hover)
    )
    tangent = coloured(
        base.transform_filter(on_top)
        .transform_calculate(
            xa=f"datum.x - {w}",
            xb=f"datum.x + {w}",
            ya=f"datum.f - datum.df * {w}",
            yb=f"datum.f + datum.df * {w}",
        )
        .mark_rule(strokeDash=[6, 4], strokeWidth=2.5, clip=True)
        .encode(x="xa:Q", x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"),
        moving=True,
    )
    dots = coloured(
        base.transform_filter(on_top)
        .mark_point(filled=True, size=110, opacity=1, clip=True)
        .encode(y=alt.Y("f:Q", scale=y_scale), tooltip=tips),
        moving=True,
    )
    top_layers = [curves, catcher, tangent, dots]

    dbase = alt.Chart().encode(x=alt.X("x:Q", title=None if bands is not None else x_title, scale=x_scale))
    dcurves = dbase.mark_line(strokeWidth=3, clip=True).encode(
        y=alt.Y("df:Q", title=df_title, scale=dy_scale, axis=alt.Axis(format=NUMBER_FORMAT)),
        detail="series:N",
        **({"color": alt.value(palette.category(3))} if single else {"color": color, "strokeDash": dash}),
    )
    zero = (
        alt.Chart(pd.DataFrame({"y": [0.0]}))
        .mark_rule(color=palette.muted(), strokeDash=[2, 2])
        .encode(y=alt.Y("y:Q", scale=dy_scale))
    )
    drule = dbase.transform_filter(on_bottom).mark_rule(color=palette.muted(), strokeDash=[4, 4]).encode()
    ddots = coloured(
        dbase.transform_filter(on_bottom)
        .mark_point(filled=True, size=110, opacity=1, clip=True)
        .encode(y=alt.Y("df:Q", scale=dy_scale), tooltip=tips),
        moving=True,
    )
    dcatcher = (
        dbase.transform_filter(CATCHES)
        .mark_point(opacity=0, size=250, clip=True)
        .encode(y=alt.Y("df:Q", scale=dy_scale), tooltip=tips)
        .add_params(hover_d)
    )
    band_layers: list = []
    if shade_panel and bands is not None and len(bands):
        band_layers.append(
            alt.Chart(bands)
            .mark_rect(opacity=0.10, clip=True)
            .encode(x=alt.X("x0:Q", scale=x_scale), x2="x1:Q", color=color)
        )
    mid_layers = [*band_layers, dcurves, dcatcher, zero, drule, ddots]
    if peaks is not None and len(peaks):
        pk = alt.Chart(peaks).encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=dy_scale))
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
        here = alt.Chart(source(fixed) if not isinstance(fixed, dict) else pd.DataFrame(fixed))
        here_tip = [
            alt.Tooltip("x0:Q", title=x_title, format=".6g"),
            alt.Tooltip("f0:Q", title=f_title, format=".6g"),
            alt.Tooltip("s:Q", title=df_title, format=".6g"),
        ]
        line = here.transform_calculate(
            xa=f"datum.x0 - {w}",
            xb=f"datum.x0 + {w}",
            ya=f"datum.f0 - datum.s * {w}",
            yb=f"datum.f0 + datum.s * {w}",
        )
        top_layers.append(
            line.mark_rule(strokeWidth=3, color=fixed_color, clip=True).encode(
                x=alt.X("xa:Q", scale=x_scale), x2="xb:Q", y=alt.Y("ya:Q", scale=y_scale), y2="yb:Q"
            )
        )
        top_layers.append(
            here.mark_point(filled=True, size=140, opacity=1, color=fixed_color, shape="diamond").encode(
                x=alt.X("x0:Q", scale=x_scale), y=alt.Y("f0:Q", scale=y_scale), tooltip=here_tip
            )
        )
        mid_layers.append(
            here.mark_point(filled=True, size=140, opacity=1, color=fixed_color, shape="diamond").encode(
                x=alt.X("x0:Q", scale=x_scale), y=alt.Y("s:Q", scale=dy_scale), tooltip=here_tip
            )
        )

    if split:
        return (
            alt.layer(*top_layers, data=d, height=height),
            alt.layer(*mid_layers, data=d, height=int(height * 0.7)),
        )
    charts = [alt.layer(*top_layers, height=height), alt.layer(*mid_layers, height=int(height * 0.8))]
    if bands is not None:
        rows = alt.Y("series:N", title=None, scale=alt.Scale(domain=series), axis=alt.Axis(labelLimit=160))
        strip = (
            alt.Chart(bands)
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
            base.transform_filter(on)
            .mark_rule(color=palette.muted(), strokeDash=[4, 4])
            .encode(x=alt.X("x:Q", title=bottom_title, scale=x_scale))
        )
        charts.append(alt.layer(strip, srule, height=26 * max(len(series), 1)))
    chart = alt.vconcat(
        *charts, data=d, spacing=8, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    return chart.resolve_scale(x="shared", color="shared", strokeDash="shared")


@functools.lru_cache(maxsize=64)
def _slice_templates(x_title: str, f_title: str, df_title: str, height: int) -> tuple[dict, dict]:
    top, bottom = function_and_derivative(
        "curve", fixed="point", x_title=x_title, f_title=f_title, df_title=df_title, height=height, split=True
    )
    what = f"{f_title} as a function of {x_title}"
    return (
        vega_spec(top, description=f"Line chart of {what}, with its tangent at the current point."),
        vega_spec(bottom, description=f"Line chart of {df_title}, the slope of {what}."),
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
) -> tuple[dict, dict]:
    """`function_and_derivative(split=True)` for one function, drawn: two Vega-Lite dicts (f with its tangent
    at x₀; f′ below), compiled once per axis range and titles and refilled with the curve and the point."""
    x = np.asarray(x, dtype=float)
    curve = {"x": x, "f": finite_or_none(f), "df": finite_or_none(df), "series": np.full(x.size, "f")}
    w = float(x.max() - x.min()) / 8 if x.size else 1.0
    curve["w"] = np.full(x.size, w)
    top, bottom = _slice_templates(x_title, f_title, df_title, int(height))
    point = tangent_point(x0, f0, slope0, w)
    return fill_slots(top, curve=curve, point=point), fill_slots(bottom, curve=curve, point=point)
