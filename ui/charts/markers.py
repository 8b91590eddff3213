"""Labelled reference lines (a chosen step, a threshold, a breakdown point) to layer on any chart.

The line carries the colour (≥ 3:1 on both themes); its label is written in the theme's text colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ui import palette
from ui.charts.spec import MUTED

# A marker's label on the side of its line with more room: left of a line in the right 45 % of the plot,
# right of it elsewhere (a label after a line near the right edge ran off the chart, more so on a phone).
_RIGHT_PART = "scale('x', datum.x) > width * 0.55"
ALIGN_INSIDE = alt.ExprRef(f"{_RIGHT_PART} ? 'right' : 'left'")
DX_INSIDE = f"{_RIGHT_PART} ? -4 : 4"
LIMIT_INSIDE = alt.ExprRef(f"{_RIGHT_PART} ? scale('x', datum.x) - 6 : width - scale('x', datum.x) - 6")


def marker_rules(slot: str) -> alt.LayerChart:
    """Labelled vertical markers read from a named dataset with columns x, label, color, row.

    Labels stack one text row per `row`, so they never overlap; the data is filled at render time.
    """
    base = alt.Chart(alt.NamedData(name=slot))
    # `stroke`, not `color`: a colour channel without a scale here split a layered chart's series legend
    # in two (colours in one, dashes in another), and the second ran off a phone's screen
    rule = base.mark_rule(strokeDash=[5, 3], strokeWidth=2).encode(
        x="x:Q", stroke=alt.Stroke("color:N", scale=None)
    )
    text = (
        base.transform_calculate(ypix="9 + 19 * datum.row")
        .mark_text(
            align=ALIGN_INSIDE,
            limit=LIMIT_INSIDE,
            dx=alt.ExprRef(DX_INSIDE),
            fontSize=14,
            fontWeight="bold",
            color=palette.text(),
        )
        .encode(x="x:Q", y=alt.Y("ypix:Q", scale=None), text="label:N")
    )
    return alt.layer(rule, text)


def vrule(x: float, label: str, color: str | dict | None = None, row: int = 0) -> alt.LayerChart:
    """A labelled vertical marker line (e.g. the chosen step size); `row` staggers labels."""
    d = pd.DataFrame({"x": [x], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color or MUTED, strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q")
    text = (
        alt.Chart(d)
        .mark_text(align="left", dx=4, color=palette.text(), fontSize=14, fontWeight="bold")
        .encode(x="x:Q", y=alt.value(9 + 19 * row), text="label:N")
    )
    return alt.layer(rule, text)


def hrule(y: float, label: str, color: str | dict | None = None) -> alt.LayerChart:
    """A labelled horizontal marker line (e.g. a clipping threshold)."""
    d = pd.DataFrame({"y": [y], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color or MUTED, strokeDash=[5, 3], strokeWidth=2).encode(y="y:Q")
    text = (
        alt.Chart(d)
        .mark_text(align="right", dx=-4, dy=-7, color=palette.text(), fontSize=14)
        .encode(y="y:Q", x=alt.value("width"), text="label:N")
    )
    return alt.layer(rule, text)


def side_rule(
    x: float, label: str, color: str | dict | None = None, side: str = "left", label_y: int = 12
) -> alt.LayerChart:
    """Like `vrule`, with the label on the chosen side of the line (`left` keeps it inside near a right edge),
    `label_y` pixels below the top of the plot."""
    d = pd.DataFrame({"x": [x], "label": [label]})
    rule = alt.Chart(d).mark_rule(color=color or MUTED, strokeDash=[5, 3], strokeWidth=2).encode(x="x:Q")
    text = (
        alt.Chart(d)
        .mark_text(
            align="right" if side == "left" else "left",
            dx=-5 if side == "left" else 5,
            dy=-6,
            color=palette.text(),
            fontSize=14,
            fontWeight="bold",
        )
        .encode(x="x:Q", y=alt.value(label_y), text="label:N")
    )
    return alt.layer(rule, text)


def vrules(xs: Sequence[float], labels: Sequence[str], colors: Sequence[str | dict | None]) -> alt.LayerChart:
    """Several labelled vertical marker lines; the labels are stacked (one text row each) so they never overlap."""
    return alt.layer(
        *(
            vrule(float(x), label, color, row=i)
            for i, (x, label, color) in enumerate(zip(xs, labels, colors, strict=True))
        )
    )
