"""What every chart shares: the Vega-Lite dict a page draws, its text and accessibility settings,
named data slots filled per rerun, and small data helpers.

The calling convention of the whole package (ui/charts/__init__.py):
- a builder takes its data first — a DataFrame, or a *slot name* (str) whose rows `fill_slots` supplies
  at draw time — then keyword-only options, and returns an Altair chart (layers compose with `alt.layer`);
- `vega_spec(chart, description=...)` turns it into the dict `ui.layout.draw_chart(spec)` draws, with
  projector-size text in the theme's colours, an accessible name and SVG rendering; pages cache it;
- `fill_slots(spec, name=rows, ...)` fills the named slots on every rerun (a few ms, no Altair).
The charts redrawn many times a second (Backprop's network, decision map and loss curve, Autodiff's
bars, the one-variable slices) are already compiled that way and are drawn with one call that returns
the filled dict.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from ui import palette

HEIGHT = 320


def _validate() -> bool:
    """Altair's JSON-schema validation is ~70 % of to_dict (a profile of Activations under classroom load).
    The test suite validates every chart it builds; a live server skips it."""
    return "PYTEST_CURRENT_TEST" in os.environ


def robust_domain(values: np.ndarray, pad: float = 0.08, trim: float = 0.0) -> list[float] | None:
    """A y-axis domain from the finite values, optionally ignoring the outer `trim` percent."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    lo, hi = np.percentile(v, [trim, 100 - trim]) if trim > 0 else (v.min(), v.max())
    lo, hi = float(lo), float(hi)
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    return [lo - pad * span, hi + pad * span]


def finite_or_none(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float).copy()
    a[~np.isfinite(a)] = np.nan
    return a


def downsample(n_points: int, limit: int = 2000) -> int:
    """How many samples a curve may have on screen: never more than `limit`."""
    return int(min(max(n_points, 2), limit))


# log-axis tick labels: plain for 0.001 … 1000, 1e±k outside (never "10,000,000,000")
LOG_LABELS = (
    "datum.value >= 1e4 || datum.value < 1e-3 ? format(datum.value, '.0e') : format(datum.value, '~g')"
)


# Vega-Lite's axis and legend text is 10–11 px in a grey under 4.5:1: too small and too faint on a
# projector. vega_spec() applies these to every chart (every chart on every page goes through it): text
# ≥ 14 px in the theme's text colour (picked in the browser, see ui/palette.py); a chart's own config wins.
TEXT_PX = 14


def chart_config() -> dict:
    text, muted = palette.text(), palette.muted()
    return {
        "axis": {
            "labelFontSize": TEXT_PX,
            "titleFontSize": TEXT_PX + 1,
            "labelColor": text,
            "titleColor": text,
            "domainColor": muted,
            "tickColor": muted,
        },
        "legend": {
            "labelFontSize": TEXT_PX,
            "titleFontSize": TEXT_PX,
            "labelColor": text,
            "titleColor": text,
        },
        "header": {
            "labelFontSize": TEXT_PX,
            "titleFontSize": TEXT_PX,
            "labelColor": text,
            "titleColor": text,
        },
        "title": {"fontSize": TEXT_PX + 2, "color": text},
        "text": {"fontSize": TEXT_PX, "color": text},
        # Marks are not announced one by one (hundreds of "graphics-symbol"s); the chart's description is.
        "mark": {"aria": False},
        # No fill on the views: with the hybrid renderer an SVG layer (the text) lies over the canvas, and a
        # view's transparent background path in it caught the pointer, so hover and tooltips never fired.
        "view": {"fill": None},
    }


FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize")


def scaled_text(spec: dict, factor: float) -> dict:
    """A copy of a Vega-Lite dict with every font size set in it × `factor` (config, marks, axes, legends,
    title; the datasets untouched). Presentation mode draws charts with this: Vega then lays the larger
    text out itself (legend columns, axis title offsets), where scaling the drawn text afterwards made
    labels overlap their neighbours and run off the chart."""

    def walk(node):
        if isinstance(node, dict) and isinstance(node.get("expr"), str) and _WIDTH_PER in node["expr"]:
            head, tail = node["expr"].split(_WIDTH_PER, 1)
            px, rest = tail.strip().split(")", 1)
            return {**node, "expr": f"{head}{_WIDTH_PER} {float(px) * factor:.0f}){rest}"}
        if isinstance(node, dict):
            return {
                k: (
                    v
                    if k == "datasets"
                    else v * factor
                    if k in FONT_KEYS and isinstance(v, int | float) and not isinstance(v, bool)
                    else walk(v)
                )
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(spec)


def describe(spec: dict) -> str:
    """A plain-language accessible name from the spec itself: the axes and the series it plots."""
    axes: dict[str, list[str]] = {"x": [], "y": []}
    series: list[str] = []
    marks: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark is not None:
                kind = mark.get("type") if isinstance(mark, dict) else mark
                if kind in ("line", "bar", "rect", "point", "circle", "area") and kind not in marks:
                    marks.append(kind)
            for ch, enc in (node.get("encoding") or {}).items():
                if not isinstance(enc, dict):
                    continue
                if ch in axes and isinstance(enc.get("title"), str) and enc["title"] not in axes[ch]:
                    axes[ch].append(enc["title"])
                if ch == "color":
                    dom = (enc.get("scale") or {}).get("domain")
                    if isinstance(dom, list) and all(isinstance(v, str) for v in dom):
                        series.extend(v for v in dom if v not in series)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in spec.items() if k not in ("datasets", "data", "config")})
    kind = {
        "rect": "map",
        "bar": "bar chart",
        "line": "line chart",
        "point": "scatter plot",
        "circle": "diagram",
    }.get(marks[0] if marks else "", "chart")
    text = f"{kind[0].upper()}{kind[1:]}"
    if axes["y"] and axes["x"]:
        text += f" of {' and '.join(axes['y'])} against {axes['x'][0]}"
    if series:
        text += f"; series: {', '.join(series)}"
    return text + "."


def vega_spec(chart: alt.TopLevelMixin, description: str | None = None) -> dict:
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
        spec = chart.to_dict(validate=_validate())
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    if "config" in spec and not view:
        spec["config"].pop("view", None)
        if not spec["config"]:
            del spec["config"]
    config = spec.setdefault("config", {})  # projector-size, theme-coloured text; a chart's own settings win
    for part, settings in chart_config().items():
        for key, value in settings.items():
            config.setdefault(part, {}).setdefault(key, value)
    # The accessible name screen readers announce (Streamlit's `alt=` sets the same field).
    spec["description"] = description or spec.get("description") or describe(spec)
    # Vega's hybrid renderer: text marks (axes, titles, labels) in SVG, so text stays text for assistive
    # technology and the browser tests can measure it; every other mark
    # on a canvas beneath. A slider step then redraws a canvas instead of rebuilding thousands of SVG
    # nodes (Gradients 7,794 → 403 DOM mutations per step, Activations 16,721 → 1,564).
    spec.setdefault("usermeta", {}).setdefault("embedOptions", {}).setdefault("renderer", "hybrid")
    from streamlit import dataframe_util

    for name, records in spec.get("datasets", {}).items():  # Arrow once, not on every rerun
        spec["datasets"][name] = dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(records))
    return spec


def source(data: pd.DataFrame | str) -> pd.DataFrame | alt.NamedData:
    """A DataFrame as is, or a dataset name (its rows supplied at render time in `spec["datasets"]`)."""
    return alt.NamedData(name=data) if isinstance(data, str) else data


SYMLOG_TICKS = [-1e12, -1e10, -1e8, -1e6, -1e4, -100.0, -1.0, 0.0, 1.0, 100.0, 1e4, 1e6, 1e8, 1e10, 1e12]


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A DataFrame as the Arrow table a slot takes (without its index): a page can cache it."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def fill_slots(template: dict, **datasets: pd.DataFrame | dict | list) -> dict:
    """A `vega_spec` template with its named slots (`alt.NamedData`) filled: a shallow copy whose datasets
    gain the slots; inline data the template carries (e.g. `surface_map`'s cells) stay. The template is
    never mutated, so one cached template serves every rerun.

    A slot may be a DataFrame, a dict of equal-length columns or a list of row dicts; the last two
    become Arrow tables directly, skipping pandas (≈50× cheaper per redraw than a DataFrame).
    """

    def table(data):
        if isinstance(data, dict):
            return pa.table({k: np.asarray(v) for k, v in data.items()})
        return pa.Table.from_pylist(data) if isinstance(data, list) else data

    spec = dict(template)
    spec["datasets"] = {**template.get("datasets", {}), **{k: table(v) for k, v in datasets.items()}}
    return spec


def fit_width(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart sized to its container's width, axes included (for concatenated charts in columns)."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


# Colours a page may put in a chart's *data* (a marker's colour column): one value for both themes, so
# each is ≥ 3:1 against the light and the dark background. Theme-aware colours go through ui.palette.
PALETTE = palette.MIDTONES
MUTED = palette.muted()


LEGEND_SYMBOL_PX = 44  # a legend entry's symbol and gaps, besides its label
LEGEND_CHAR_PX = 0.6 * TEXT_PX  # a label character, on average, at the charts' text size


def legend_columns(labels: Sequence[str], columns: int | None = None) -> alt.ExprRef:
    """A legend's `columns`, as many as the chart's width holds at the charts' text size (at most
    `columns`, default every entry in one row; at least one). A horizontal legend never wraps by itself:
    on a phone, or with long labels, it ran off the right edge and its last entries were not shown.
    Presentation mode's larger text widens each column with it (`scaled_text`)."""
    n = max(1, columns or len(labels))
    widest = max((len(str(label)) for label in labels), default=1)
    column_px = LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * widest
    return alt.ExprRef(expr=f"max(1, min({n}, floor({_WIDTH_PER} {column_px:.0f})))")


_WIDTH_PER = "containerSize()[0] /"  # legend_columns' test, whose column width scaled_text scales


def series_channels(
    field: str,
    domain: Sequence[str],
    *,
    title: str | None = None,
    start: int = 0,
    styles: Sequence[int] | None = None,
    legend: bool = True,
    columns: int | None = None,
) -> dict:
    """Colour *and* dash encodings for a categorical field (never colour alone), with one merged legend.

    `styles[i]` is the palette index of `domain[i]` (default start, start+1, …): its colour and its dash.
    """
    domain = list(domain)
    styles = list(styles) if styles is not None else [start + i for i in range(len(domain))]
    leg = (
        alt.Legend(
            orient="top",
            symbolType="stroke",
            symbolStrokeWidth=3,
            symbolSize=400,
            labelLimit=420,
            columns=legend_columns(domain, columns),
        )
        if legend
        else None
    )
    return {
        "color": alt.Color(
            f"{field}:N",
            title=title,
            legend=leg,
            scale=alt.Scale(domain=domain, range=[palette.category(s) for s in styles]),
        ),
        "strokeDash": alt.StrokeDash(
            f"{field}:N",
            title=title,
            legend=leg,
            scale=alt.Scale(domain=domain, range=[palette.DASHES[s % len(palette.DASHES)] for s in styles]),
        ),
    }
