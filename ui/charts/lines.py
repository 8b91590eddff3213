"""Lines: tidy series on linear or log axes, loss curves, cost-vs-size, a curve with labelled markers.

Every series differs by colour *and* dash (`series_channels`), with a legend that names it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ui import palette
from ui.charts.spec import (
    HEIGHT,
    LOG_LABELS,
    MUTED,
    SYMLOG_TICKS,
    fill_slots,
    series_channels,
    source,
    vega_spec,
)


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
    styles: Sequence[int] | None = None,
) -> alt.Chart:
    """Tidy data as one or several lines (colour *and* dash per series, see `series_channels`), with a
    tooltip; log axes on request. `df` may be a slot name (then give `color_domain`)."""
    xs = alt.Scale(type="log") if log_x else alt.Scale(zero=False)
    ys = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    if y_domain is not None:
        ys = alt.Scale(type="log" if log_y else "linear", domain=list(y_domain), nice=False)
    enc = {
        "x": alt.X(
            f"{x}:Q", title=x_title or x, scale=xs, axis=alt.Axis(format="~e") if log_x else alt.Axis()
        ),
        "y": alt.Y(
            f"{y}:Q", title=y_title or y, scale=ys, axis=alt.Axis(format="~e") if log_y else alt.Axis()
        ),
        "tooltip": [alt.Tooltip(f"{x}:Q", format=".4g"), alt.Tooltip(f"{y}:Q", format=".4g")],
    }
    if color:
        domain = list(color_domain) if color_domain is not None else list(dict.fromkeys(df[color]))
        enc.update(series_channels(color, domain, title=color_title or color, styles=styles))
        enc["tooltip"].insert(0, alt.Tooltip(f"{color}:N"))
    else:
        enc["color"] = alt.value(palette.category(styles[0] if styles else 0))
    chart = alt.Chart(source(df)).mark_line(strokeWidth=2.5, clip=True, point=points).encode(**enc)
    return chart.properties(height=height)


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
    styles: Sequence[int] | None = None,
    height: int = HEIGHT,
    points: bool = True,
) -> alt.Chart:
    """Several series on a log y axis (e.g. gradient norm per layer), each its own colour and dash
    (`styles[i]`: the palette index of series i); series named in `dashed` are drawn thinner (bounds, baselines).

    Rows whose y is not positive and finite are dropped by the caller (log scale).
    """
    domain = list(color_domain) if color_domain is not None else list(dict.fromkeys(df[series]))
    width = (
        alt.condition(alt.FieldOneOfPredicate(field=series, oneOf=list(dashed)), alt.value(2), alt.value(3))
        if dashed
        else alt.value(3)
    )
    return (
        alt.Chart(df)
        .mark_line(clip=True, point=points)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title or x, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                f"{y}:Q", title=y_title or y, scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=LOG_LABELS)
            ),
            **series_channels(series, domain, styles=styles, columns=2),
            strokeWidth=width,
            tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:Q"), alt.Tooltip(f"{y}:Q", format=".3e")],
        )
        .properties(height=height)
    )


@functools.lru_cache(maxsize=8)
def _loss_curve_template(marker: float | None, marker_label: str, height: int) -> dict:
    curve = alt.Chart(alt.NamedData("curve"))
    tip = [alt.Tooltip("epoch:Q", format=","), alt.Tooltip("loss:Q", format=".6f")]
    layers = [
        curve.mark_line(strokeWidth=3, color=palette.category(0), clip=True).encode(
            x=alt.X("epoch:Q", title="epoch", scale=alt.Scale(zero=True)),
            y=alt.Y("loss:Q", title="loss (log scale)", scale=alt.Scale(type="log")),
            tooltip=tip,
        )
    ]
    if marker is not None:
        layers.append(
            alt.Chart(alt.NamedData("one"))
            .mark_rule(color=MUTED, strokeDash=[5, 3], strokeWidth=2)
            .encode(x=alt.datum(marker))
        )
        layers.append(
            alt.Chart(alt.NamedData("one"))
            .mark_text(align="left", dx=4, color=palette.text(), fontSize=14)
            .encode(x=alt.datum(marker), y=alt.value(10), text=alt.datum(marker_label))
        )
    layers.append(
        alt.Chart(alt.NamedData("now"))
        .mark_point(filled=True, size=110, color=palette.category(1))
        .encode(x="epoch:Q", y="loss:Q", tooltip=tip)
    )
    return vega_spec(
        alt.layer(*layers).properties(height=height),
        description="Line chart of the training loss (log scale) against the epoch; the dot is now.",
    )


def loss_curve(
    epochs: np.ndarray,
    losses: np.ndarray,
    *,
    marker: float | None = None,
    marker_label: str = "",
    height: int = 260,
) -> dict:
    """Loss per epoch on a log axis (Vega-Lite dict), the last point marked, an optional labelled epoch rule.

    Only positive finite losses can sit on a log axis: others are left out. Keep `epochs` to ≤ a few thousand.
    """
    e = np.asarray(epochs, dtype=float)
    v = np.asarray(losses, dtype=float)
    keep = np.isfinite(v) & (v > 0)
    template = _loss_curve_template(None if marker is None else float(marker), marker_label, int(height))
    e, v = e[keep], v[keep]
    return fill_slots(
        template, curve={"epoch": e, "loss": v}, now={"epoch": e[-1:], "loss": v[-1:]}, one={"k": [0.0]}
    )


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
    ysc = alt.Scale(type="symlog") if symlog else alt.Scale(type="log")
    yaxis = alt.Axis(values=SYMLOG_TICKS, format="~g") if symlog else alt.Axis(format="~e")
    line = (
        alt.Chart(source(df))
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X(f"{x}:Q", title="step t", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(f"{y}:Q", title=y_title, scale=ysc, axis=yaxis),
            **series_channels(series, domain, title=color_title),
            tooltip=[
                alt.Tooltip(f"{series}:N", title=color_title),
                alt.Tooltip(f"{x}:Q", title="step"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=".4g"),
            ],
        )
    )
    layers: list = [line]
    if current is not None:
        now = alt.Chart(source(current))
        layers.append(now.mark_rule(color=MUTED, strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q"))
        layers.append(
            now.mark_text(align="left", dx=4, dy=-6, color=palette.text(), fontSize=14).encode(
                x="x:Q", y=alt.value(10), text="label:N"
            )
        )
    return alt.layer(*layers).properties(height=height)


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
    return (
        alt.Chart(df)
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=45, filled=True), clip=True)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title, scale=xs, axis=alt.Axis(format="~s")),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log"), axis=alt.Axis(format="~s")),
            **series_channels(series, domain),
            tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:Q"), alt.Tooltip(f"{y}:Q", format=".3~s")],
        )
        .properties(height=height)
    )


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
    color: str | dict | None = None,
    headroom: float = 1.35,
) -> alt.LayerChart:
    """One curve (columns x, y), a zero line, and labelled markers on it; built once, data per rerun.

    `markers` has columns x, y, label, color (a CSS colour, e.g. from `PALETTE`: one for both themes; the
    label is written in the theme's text colour) and place ("above" or "below": where
    its label goes). A label starts at its point in the left third of `x_domain` and ends at it in
    the right third, so it stays inside the plot; an empty label draws no text. Each marker gets a
    dashed stem from y = 0. The y axis covers the curve and `headroom` × each marker's y (room for
    the labels). Both data may be dataset names (see `fill_slots`), so the spec never changes.
    """
    lo, hi = (float(v) for v in x_domain)
    xsc = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    axis = alt.Axis(values=list(x_ticks)) if x_ticks is not None else alt.Axis()
    xq = alt.X(x, type="quantitative", title=x_title or x, scale=xsc, axis=axis)
    line = (
        alt.Chart(source(curve))
        .mark_line(strokeWidth=3, color=color or palette.category(0), clip=True)
        .encode(
            x=xq,
            y=alt.Y(y, type="quantitative", title=y_title or y),
            tooltip=[
                alt.Tooltip(x, type="quantitative", title=x_title or x, format=".4g"),
                alt.Tooltip(y, type="quantitative", title=y_title or y, format=".4g"),
            ],
        )
    )
    m = alt.Chart(source(markers))
    mx, my = alt.X("x", type="quantitative"), alt.Y("y", type="quantitative")
    colour = alt.Color("color", type="nominal", scale=None)
    zero = m.mark_rule(color=MUTED, strokeDash=[2, 2]).encode(y=alt.datum(0))
    room = (
        m.transform_calculate(room=f"datum.y * {float(headroom)}")
        .mark_point(opacity=0)
        .encode(x=mx, y=alt.Y("room", type="quantitative"))
    )
    stem = (
        m.transform_calculate(zero="0")
        .mark_rule(strokeDash=[4, 3], strokeWidth=2)
        .encode(x=mx, y=my, y2=alt.Y2("zero"), color=colour)
    )
    dots = m.mark_point(filled=True, size=140, opacity=1).encode(
        x=mx, y=my, color=colour, tooltip=[alt.Tooltip("label", type="nominal")]
    )
    third = (hi - lo) / 3
    px = "scale('x', datum.x)"  # the marker's x in pixels
    align = f"datum.x < {lo + third} ? 'left' : (datum.x > {hi - third} ? 'right' : 'center')"
    text = m.mark_text(
        fontSize=15,
        fontWeight="bold",
        align=alt.ExprRef(align),
        dx=alt.ExprRef(f"datum.x < {lo + third} ? -6 : (datum.x > {hi - third} ? 6 : 0)"),
        dy=alt.ExprRef("datum.place == 'above' ? -16 : 18"),
        # never past the plot's edge (a phone's narrow plot): a longer label ends in "…"
        limit=alt.ExprRef(
            f"datum.x < {lo + third} ? width - {px} - 6 : (datum.x > {hi - third} ? {px} - 6 : "
            f"2 * min({px}, width - {px}))"
        ),
    ).encode(x=mx, y=my, text=alt.Text("label", type="nominal"), color=alt.value(palette.text()))
    return alt.layer(line, zero, room, stem, dots, text).properties(height=height)
