"""Bars: grouped bars, bars on a log axis, gradient-check verdicts over their threshold bands.

Bars never differ by colour alone: groups also by fill (solid / hollow), verdicts by a mark on each bar.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from ui import palette
from ui.charts.spec import LOG_LABELS, MUTED, fill_slots, legend_columns, vega_spec

LEVELS = list(palette.LEVELS)
# Each verdict also has a mark of its own on its bar (never colour alone).
LEVEL_MARKS = {"fine": "✓", "suspicious": "?", "bug": "✗"}


def _level_scale() -> alt.Scale:
    return alt.Scale(domain=LEVELS, range=palette.levels(LEVELS))


def error_bands(
    good: float, suspicious: float, floor: float = 1e-17, top: float = 1.0, labels: bool = True
) -> alt.LayerChart:
    """Shaded horizontal bands for a log relative-error axis: fine < good ≤ suspicious ≤ bug."""
    d = pd.DataFrame(
        {
            "lo": [floor, good, suspicious],
            "hi": [good, suspicious, top],
            "level": ["fine", "suspicious", "bug"],
            "text": [f"fine (< {good:.0e})", f"suspicious (≤ {suspicious:.0e})", "bug"],
        }
    )
    scale = _level_scale()
    ysc = alt.Scale(type="log", domain=[floor, top], nice=False)
    rects = (
        alt.Chart(d)
        .mark_rect(opacity=0.12)
        .encode(y=alt.Y("lo:Q", scale=ysc), y2="hi:Q", color=alt.Color("level:N", scale=scale, legend=None))
    )
    if not labels:
        return alt.layer(rects)
    text = (
        alt.Chart(d)
        .mark_text(align="left", baseline="top", dx=4, dy=3, fontSize=14, color=palette.text())
        .encode(y=alt.Y("hi:Q", scale=ysc), x=alt.value(0), text="text:N")
    )
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
    """One bar per parameter on a log axis, coloured by verdict and topped by its mark (✓ ? ✗), over the
    threshold bands. Errors below `floor` (exact agreement) are drawn at the floor.
    """
    d = df[[name, error, level]].copy()
    d["shown"] = d[error].astype(float).clip(lower=floor, upper=1.0).fillna(1.0)
    d["base"] = floor
    d["mark"] = [LEVEL_MARKS.get(v, "") for v in d[level]]
    ysc = alt.Scale(type="log", domain=[floor, 1.0], nice=False)
    scale = _level_scale()
    x_enc = alt.X(
        f"{name}:N", title=x_title or name, sort=None, axis=alt.Axis(labelAngle=-90, labelOverlap=False)
    )
    marks = (
        alt.Chart(d)
        .mark_text(dy=-10, fontSize=14, fontWeight="bold", color=palette.text())
        .encode(x=x_enc, y=alt.Y("shown:Q", scale=ysc), text="mark:N")
    )
    bars_ = (
        alt.Chart(d)
        .mark_bar()
        .encode(
            x=x_enc,
            y=alt.Y("shown:Q", title=y_title, scale=ysc, axis=alt.Axis(labelExpr=LOG_LABELS)),
            y2="base:Q",
            color=alt.Color(
                f"{level}:N",
                title="verdict (✓ fine, ? suspicious, ✗ bug)",
                scale=scale,
                legend=alt.Legend(orient="top", labelExpr="datum.label", titleLimit=420),  # not cut at 180 px
            ),
            tooltip=[
                alt.Tooltip(f"{name}:N"),
                alt.Tooltip(f"{error}:Q", format=".2e"),
                alt.Tooltip(f"{level}:N"),
            ],
        )
    )
    return (
        alt.layer(error_bands(good, suspicious, floor, 1.0, labels=False), bars_, marks)
        .resolve_legend(color="independent")
        .properties(height=height)
    )  # the bands' "no legend" must not hide the bars' one


def bars_log(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    styles: Sequence[int] | None = None,
    height: int = 260,
    extra_values: Sequence[float] = (),
) -> alt.Chart:
    """Bars on a log y axis (values spanning many decades), each bar drawn up from a floor below them all.
    Bar i has palette colour `styles[i]`; the categories are named on the x axis.

    `extra_values` (e.g. a threshold drawn on top) are included when choosing the floor.
    """
    values = [float(v) for v in df[y]] + [float(v) for v in extra_values]
    positive = [v for v in values if v > 0 and np.isfinite(v)] or [1.0]
    floor = min(positive) / 10
    d = df.copy()
    d["_base"] = floor
    styles = list(styles) if styles is not None else list(range(len(d)))
    scale = alt.Scale(domain=list(d[x]), range=[palette.category(i) for i in styles[: len(d)]])
    return (
        alt.Chart(d)
        .mark_bar(size=46)
        .encode(
            x=alt.X(
                f"{x}:N", title=x_title if x_title is not None else x, sort=None, axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y(
                f"{y}:Q", title=y_title or y, scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=LOG_LABELS)
            ),
            y2="_base:Q",
            color=alt.Color(f"{x}:N", scale=scale, legend=None),
            tooltip=[alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=".4g")],
        )
        .properties(height=height)
    )


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
    """Bars per category, side by side per `group`, horizontal category labels and a zero line.

    Groups differ by colour and by fill: the first group's bars are solid, the next ones hollow outlines
    (one legend names both)."""
    domain = list(group_domain) if group_domain is not None else list(dict.fromkeys(df[group]))
    legend = alt.Legend(orient="top", labelLimit=360, columns=legend_columns(domain))
    colors = palette.categorical(len(domain))
    bars_ = (
        alt.Chart(df)
        .mark_bar(strokeWidth=2.5)
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{group}:N", sort=domain),
            y=alt.Y(f"{y}:Q", title=y_title or y),
            color=alt.Color(
                f"{group}:N", title=None, scale=alt.Scale(domain=domain, range=colors), legend=legend
            ),
            stroke=alt.Stroke(
                f"{group}:N", title=None, scale=alt.Scale(domain=domain, range=colors), legend=legend
            ),
            fillOpacity=alt.FillOpacity(
                f"{group}:N",
                title=None,
                legend=legend,
                scale=alt.Scale(domain=domain, range=[1.0] + [0.15] * (len(domain) - 1)),
            ),
            tooltip=[alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{group}:N"), alt.Tooltip(f"{y}:Q", format=".6g")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"v": [0.0]})).mark_rule(color=MUTED).encode(y="v:Q")
    return alt.layer(bars_, zero).properties(height=height)


@functools.lru_cache(maxsize=32)
def _grouped_bars_template(
    x: str, y: str, group: str, y_title: str | None, group_domain: tuple[str, ...], height: int, slanted: bool
) -> dict:
    chart = grouped_bars(
        alt.NamedData("bars"), x, y, group, y_title=y_title, group_domain=group_domain, height=height
    )
    chart.layer[1] = alt.Chart(alt.NamedData("zero")).mark_rule(color=MUTED).encode(y="v:Q")
    if slanted:  # many categories: slanted labels, every one of them shown
        chart.layer[0].encoding.x.axis = alt.Axis(labelAngle=-45, labelOverlap=False)
    return vega_spec(chart)


def grouped_bars_spec(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    group_domain: Sequence[str],
    y_title: str | None = None,
    height: int = 300,
    slanted: bool = False,
) -> dict:
    """`grouped_bars(...)` as a Vega-Lite dict for `st.vega_lite_chart(spec=...)`, compiled once per
    layout and refilled with `df`: a few ms per redraw instead of tens (e.g. one redraw per step of a
    step-through). `slanted` tilts the category labels by 45° so that a dozen or more all show."""
    template = _grouped_bars_template(x, y, group, y_title, tuple(group_domain), int(height), bool(slanted))
    return fill_slots(template, bars=df, zero={"v": [0.0]})
