"""The f / f′ chart and the matrix heatmap as templates: their slots, and no per-datum work left in the spec."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ui import charts, palette
from ui.charts.functions import HOVER_POINTS


def _frame(n: int = 300, names: tuple[str, ...] = ("a", "b")):
    import pandas as pd

    x = np.linspace(-4.0, 4.0, n)
    return pd.concat([charts.curve_frame(x, k * x**2, 2 * k * x, name) for k, name in enumerate(names, 1)])


def test_curve_slots_thin_the_pointer_catchers_and_precompute_their_tangents():
    slots = charts.curve_slots(_frame(), y_domain=(-1.0, 3.0))
    curve, hover, axes = (slots[k].to_pandas() for k in ("curve", "curve_hover", "curve_axes"))
    assert len(curve) == 600
    assert set(hover["series"]) == {"a", "b"} and len(hover) <= 2 * (HOVER_POINTS + 1)
    w = charts.tangent_halfwidth(-4.0, 4.0, n_series=2)
    np.testing.assert_allclose(hover["xb"] - hover["x"], w)
    np.testing.assert_allclose(hover["yb"], hover["f"] + hover["df"] * w)
    np.testing.assert_allclose(hover["ya"], hover["f"] - hover["df"] * w)
    row = axes.iloc[0]
    assert (row["x0"], row["x1"], row["y0"], row["y1"]) == (-4.0, 4.0, -1.0, 3.0)
    assert row["dy0"] < curve["df"].min() and row["dy1"] > curve["df"].max()  # f′'s range, padded


def test_the_pointer_catchers_are_one_row_per_x_whatever_the_number_of_series():
    one = charts.curve_slots(_frame(names=("a",)))["curve_pick"].to_pandas()
    assert list(one.columns) == ["x", "f", "df"] and len(one) <= HOVER_POINTS + 1
    five = charts.curve_slots(_frame(names=tuple("abcde")))
    pick, hover = five["curve_pick"].to_pandas(), five["curve_hover"].to_pandas()
    assert len(pick) == len(one) and list(pick.columns) == ["x", "t0", "t1", "t2", "t3", "t4"]
    assert set(pick["x"]) == set(hover["x"])  # a picked x selects every series' tangent there
    row = hover[(hover["series"] == "b") & (hover["x"] == pick["x"].iloc[3])].iloc[0]
    assert pick["t1"].iloc[3] == f"f = {row['f']:.4g},  f′ = {row['df']:.4g}"


def test_tangent_point_carries_its_end_points():
    row = charts.tangent_point(1.0, 2.0, 3.0, 0.5)
    assert (row["xa"], row["xb"], row["ya"], row["yb"]) == ([0.5], [1.5], [0.5], [3.5])


@pytest.mark.parametrize("split", [False, True])
def test_the_template_has_no_data_and_no_per_datum_expressions(split):
    chart = charts.function_and_derivative(
        "curve", series=["a", "b"], fixed="point", bands="bands", peaks="peaks", split=split
    )
    parts = chart if split else (chart,)
    for part in parts:
        spec = charts.vega_spec(part)
        text = json.dumps(spec)
        assert "datasets" not in spec  # every row arrives in a slot
        assert "calculate" not in text  # tangents' end points come precomputed
        assert "datum.hover" not in text  # the catchers have their own dataset, not a filter on the curve
        assert "data('curve_axes')" in text  # the domains follow the data


def test_the_domains_come_from_the_axes_slot_and_hover_still_selects_in_the_browser():
    spec = charts.vega_spec(charts.function_and_derivative("curve", fixed="point"))
    params = spec["params"]
    assert {p["name"] for p in params} == {"hover", "hover_d"}
    assert all(p["select"]["nearest"] and p["select"]["on"] == "pointerover" for p in params)
    filtered = [
        layer
        for layer in spec["vconcat"][0]["layer"] + spec["vconcat"][1]["layer"]
        if any("param" in json.dumps(t.get("filter", "")) for t in layer.get("transform", []))
    ]
    assert filtered and all(layer["data"]["name"] == "curve_hover" for layer in filtered)


def test_heatmap_rows_precompute_the_colour_range_and_the_label_inks():
    A = np.array([[1.0, -0.5], [0.1, -2.0], [0.0, 1.5]])
    t = charts.heatmap_rows(A).to_pandas()
    assert list(t["i"]) == [0, 0, 1, 1, 2, 2] and list(t["j"]) == [0, 1, 0, 1, 0, 1]
    assert set(t["m"]) == {2.0} and set(t["rows"]) == {3}
    dark = t["v"].abs() > 1.2  # darker than 60 % of the largest |entry|: white labels on a dark halo
    assert (t.loc[dark, "ink"] == palette.TEXT["dark"]).all() and (
        t.loc[~dark, "ink"] == palette.TEXT["light"]
    ).all()
    assert (t["ink"] != t["halo"]).all()


def test_the_heatmap_template_does_not_depend_on_the_matrix():
    spec = charts.vega_spec(charts.matrix_heatmap("cells", value="J", cell=charts.heatmap_cell(4)))
    assert "datasets" not in spec and "datum" not in json.dumps(spec)
    assert charts.heatmap_cell(3) == charts.heatmap_cell(5) == 51 and charts.heatmap_cell(8) < 51
    # 8 columns, the row axis (~40 px) and the legend (~60 px) fit a phone's 360 px
    assert 8 * charts.heatmap_cell(8) + 100 <= 360


def test_drawn_rows_keep_the_corners_the_gaps_and_what_a_straight_line_cannot_follow():
    from ui.charts.functions import SCREEN_PX, TOLERANCE_PX, drawn_rows

    x = np.linspace(-4.0, 4.0, 301)
    relu = drawn_rows(x, np.maximum(x, 0.0), (-4, 4), (-1, 4))
    assert relu.sum() <= 4 and relu[0] and relu[-1]  # two straight pieces: the ends and the corner
    y = np.sin(3 * x)
    y[140:150] = np.nan  # a gap stays a gap: its rows and their neighbours are kept
    keep = drawn_rows(x, y, (-4, 4), (-1.2, 1.2))
    assert keep[139:151].all() and keep.sum() < 200
    # every dropped sample lies within the tolerance of the segment between its kept neighbours (screen px)
    px, py = x * SCREEN_PX[0] / 8, y * SCREEN_PX[1] / 2.4
    kept = np.flatnonzero(keep)
    for a, b in zip(kept[:-1], kept[1:], strict=True):
        if b - a < 2 or not (np.isfinite(py[a]) and np.isfinite(py[b])):
            continue
        dx, dy = px[b] - px[a], py[b] - py[a]
        mid = slice(a + 1, b)
        dist = np.abs(dy * (px[mid] - px[a]) - dx * (py[mid] - py[a])) / np.hypot(dx, dy)
        assert dist.max() <= TOLERANCE_PX + 1e-9
