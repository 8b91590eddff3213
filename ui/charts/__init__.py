"""Altair chart builders shared by the pages, cut by chart family. Data in, chart out: no calculus here.

One calling convention (see `spec`):
- a builder takes its data first — a DataFrame, or a slot name (str) whose rows `fill_slots` supplies
  at draw time — then keyword-only options, and returns an Altair chart; layers compose with `alt.layer`;
- `vega_spec(chart, description=...)` turns it into the Vega-Lite dict a page draws with
  `ui.layout.draw_chart(spec)` (1.5× text in presentation mode): text ≥ 14 px in the theme's colours,
  an accessible name, SVG text; pages build it inside `st.cache_data`;
- `fill_slots(spec, name=rows, ...)` fills named slots per rerun. The charts redrawn many times a second
  (`network_diagram`, `decision_map`, `loss_curve`, `loss_slice`, `grouped_bars_spec`) are built that way
  already and return the filled dict; `function_and_derivative` is a template only (its slots from
  `curve_slots`, `tangent_point`).
Colours come from `ui.palette` only; series differ by colour *and* dash, marker, fill or label.

Families: `functions` (f with a hover tangent above f′, for 1..n series), `lines`, `markers`
(labelled reference lines), `maps` (surfaces, arrows, paths, matrices, decision maps), `bars`, `network`.
"""

from __future__ import annotations

import altair as alt

from ui.charts.bars import (
    LEVEL_MARKS,
    LEVELS,
    bars_log,
    error_bands,
    error_bars,
    grouped_bars,
    grouped_bars_spec,
)
from ui.charts.functions import (
    curve_frame,
    curve_slots,
    function_and_derivative,
    loss_slice,
    tangent_halfwidth,
    tangent_point,
)
from ui.charts.lines import curve_with_markers, lines, loss_curve, loss_curves, scaling_chart, series_log
from ui.charts.maps import (
    arrow_layers,
    decision_map,
    dot_layer,
    grid_frame,
    heatmap_cell,
    heatmap_rows,
    map_extent,
    matrix_heatmap,
    path_layers,
    surface_map,
)
from ui.charts.markers import hrule, marker_rules, side_rule, vrule, vrules
from ui.charts.network import network_diagram
from ui.charts.spec import (
    HEIGHT,
    LOG_LABELS,
    MUTED,
    PALETTE,
    SYMLOG_TICKS,
    TEXT_PX,
    arrow_table,
    describe,
    fill_slots,
    finite_or_none,
    fit_width,
    robust_domain,
    series_channels,
    source,
    vega_spec,
)

__all__ = [
    "HEIGHT",
    "LEVELS",
    "LEVEL_MARKS",
    "LOG_LABELS",
    "MUTED",
    "PALETTE",
    "SYMLOG_TICKS",
    "TEXT_PX",
    "alt",
    "arrow_layers",
    "arrow_table",
    "bars_log",
    "curve_frame",
    "curve_slots",
    "curve_with_markers",
    "decision_map",
    "describe",
    "dot_layer",
    "error_bands",
    "error_bars",
    "fill_slots",
    "finite_or_none",
    "fit_width",
    "function_and_derivative",
    "grid_frame",
    "grouped_bars",
    "grouped_bars_spec",
    "heatmap_cell",
    "heatmap_rows",
    "hrule",
    "lines",
    "loss_curve",
    "loss_curves",
    "loss_slice",
    "map_extent",
    "marker_rules",
    "matrix_heatmap",
    "network_diagram",
    "path_layers",
    "robust_domain",
    "scaling_chart",
    "series_channels",
    "series_log",
    "side_rule",
    "source",
    "surface_map",
    "tangent_halfwidth",
    "tangent_point",
    "vega_spec",
    "vrule",
    "vrules",
]
