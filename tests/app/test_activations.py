"""Interaction tests for the Activations page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from core.activations import ACTIVATIONS
from tests.support import assert_ok, badges, chart_tables, charts, notices, open_page
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("activations")
ARTICLE_FIVE = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]


def _chart(at):
    drawn = charts(at)
    assert len(drawn) == 1, "the page draws one (concatenated) chart"
    return drawn[0]


def _tables(at) -> list[pa.Table]:
    return chart_tables(_chart(at))


def _table_with(at, *columns: str):
    for t in _tables(at):
        if set(columns) <= set(t.schema.names):
            return t.to_pandas()
    raise AssertionError(f"no chart dataset with columns {columns}")


def _curves(at):
    return _table_with(at, "x", "f", "df", "series")


def _sliders(at) -> set[str]:
    return {s.key for s in at.slider}


def _set_acts(at, keys):
    at.multiselect(key="activations.acts").set_value(list(keys)).run()
    assert_ok(at)


def test_defaults_are_the_articles_five_with_green_checks():
    at = open_page(PAGE)
    assert_ok(at)
    assert at.multiselect(key="activations.acts").value == ARTICLE_FIVE
    data = _curves(at)
    assert list(dict.fromkeys(data["series"])) == [ACTIVATIONS[k].name for k in ARTICLE_FIVE]
    assert badges(at) == ["green"] * 5
    # the grid never contains the kink at 0 (even point count on a symmetric range)
    assert not np.any(data["x"].to_numpy() == 0.0)
    assert data["x"].min() == -8 and data["x"].max() == 8
    assert not notices(at) and not at.error


def test_adding_an_activation_adds_a_series_and_a_badge():
    at = open_page(PAGE)
    before = _curves(at)["series"].nunique()
    _set_acts(at, [*ARTICLE_FIVE, "softplus"])
    data = _curves(at)
    assert data["series"].nunique() == before + 1
    assert "Softplus" in set(data["series"])
    assert badges(at) == ["green"] * 6
    # and its values are the registry's
    sp = data[data["series"] == "Softplus"]
    np.testing.assert_allclose(sp["f"], ACTIVATIONS["softplus"].fn(sp["x"].to_numpy()))
    np.testing.assert_allclose(sp["df"], ACTIVATIONS["softplus"].grad(sp["x"].to_numpy()))
    _set_acts(at, ["tanh"])
    assert _curves(at)["series"].unique().tolist() == ["Tanh"]
    assert badges(at) == ["green"]


def test_every_activation_at_once_over_the_widest_range_stays_green():
    at = open_page(PAGE, {"acts": ",".join(ACTIVATIONS), "xmax": "20"})
    assert_ok(at)
    assert _curves(at)["series"].nunique() == len(ACTIVATIONS)
    assert badges(at) == ["green"] * len(ACTIVATIONS)


def test_alpha_sliders_appear_with_their_activation_and_change_the_curve():
    at = open_page(PAGE)
    assert "activations.leaky_alpha" in _sliders(at)
    assert "activations.elu_alpha" not in _sliders(at)

    at.slider(key="activations.leaky_alpha").set_value(0.3).run()
    assert_ok(at)
    leaky = _curves(at).query("series == 'Leaky ReLU' and x < 0")
    np.testing.assert_allclose(leaky["f"], 0.3 * leaky["x"])
    np.testing.assert_allclose(leaky["df"], 0.3)
    assert at.query_params["leaky_alpha"] == "0.3"
    assert badges(at) == ["green"] * 5

    _set_acts(at, ["sigmoid", "elu"])
    assert "activations.leaky_alpha" not in _sliders(at)
    assert "activations.elu_alpha" in _sliders(at)
    elu_min = _curves(at).query("series == 'ELU'")["f"].min()
    at.slider(key="activations.elu_alpha").set_value(2.5).run()
    assert_ok(at)
    elu = _curves(at).query("series == 'ELU'")
    assert elu["f"].min() < elu_min - 1.0
    assert elu["f"].min() == pytest.approx(-2.5, abs=1e-2)  # ELU → −α for very negative x
    assert at.query_params["elu_alpha"] == "2.5"
    assert badges(at) == ["green", "green"]
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "(-2.5, ∞)" in table and "**2.5** at x → 0⁻" in table


def test_alpha_from_a_link():
    at = open_page(PAGE, {"acts": "leaky_relu", "leaky_alpha": "0.2", "xmax": "4"})
    assert_ok(at)
    assert at.slider(key="activations.leaky_alpha").value == pytest.approx(0.2)
    leaky = _curves(at).query("x < 0")
    np.testing.assert_allclose(leaky["f"], 0.2 * leaky["x"])
    assert leaky["x"].min() == -4


def test_saturation_bands_and_peak_annotations():
    at = open_page(PAGE)
    bands = _table_with(at, "series", "x0", "x1")
    by = {name: list(zip(g["x0"], g["x1"], strict=True)) for name, g in bands.groupby("series")}
    # sigmoid: |σ′| < 1 % of ¼ beyond |x| ≈ 6; ReLU: the whole negative side; leaky ReLU (α = 0.01): nowhere
    (a, b), (c, d) = by["Sigmoid"]
    assert a == -8 and d == 8 and b == pytest.approx(-6.0, abs=0.05) and c == pytest.approx(6.0, abs=0.05)
    assert by["ReLU"] == [(-8.0, pytest.approx(0.0, abs=0.03))]
    assert "Leaky ReLU" not in by
    (lo, hi), *_ = by["Tanh"]
    assert lo == -8 and hi == pytest.approx(-3.0, abs=0.05)

    peaks = _table_with(at, "series", "x", "y", "label")
    sig = peaks[peaks["series"] == "Sigmoid"].iloc[0]
    assert (sig["x"], sig["y"], sig["label"]) == (0.0, 0.25, "max ¼")
    assert set(peaks["series"]) == {"Sigmoid", "Tanh", "GELU"}  # the ones with a single peak point


def test_hover_is_client_side():
    at = open_page(PAGE)
    spec = json.loads(_chart(at).proto.spec)
    assert {p["name"] for p in spec["params"]} == {"hover", "hover_d"}
    assert all(p["select"]["nearest"] for p in spec["params"])


def test_peak_table_and_link_to_vanishing_gradients():
    at = open_page(PAGE)
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "**0.25** at x = 0" in table and "transformers" in table
    text = "\n".join(m.value for m in at.markdown)
    assert "¼" in text
    vg = page_by_url("vanishing_gradients")
    if vg.exists:
        links = at.get("page_link")
        assert any("Vanishing gradients" in link.value for link in links)
    else:
        assert "(/vanishing_gradients)" in text


def test_x_range_changes_the_grid_and_the_check():
    at = open_page(PAGE)
    at.slider(key="activations.xmax").set_value(2).run()
    assert_ok(at)
    data = _curves(at)
    assert data["x"].min() == -2 and data["x"].max() == 2
    assert badges(at) == ["green"] * 5
    assert any("worst of 300 points" in m.value for m in at.markdown)


def test_empty_selection_asks_for_one():
    at = open_page(PAGE)
    _set_acts(at, [])
    assert any("Pick at least one" in i.value for i in at.info)
    assert not (at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"))
    assert "activations.xmax" in _sliders(at)  # the x range (drawn by the nested fragment) stays


def test_alpha_changes_the_peak_table_and_the_x_range_does_not():
    at = open_page(PAGE, {"acts": "elu", "elu_alpha": "2.5", "xmax": "2"})
    assert_ok(at)
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "**2.5** at x → 0⁻" in table  # the peak is over all x, not only the plotted [−2, 2]
    at.slider(key="activations.xmax").set_value(20).run()
    assert_ok(at)
    assert next(m.value for m in at.markdown if "| Range |" in m.value) == table
    assert _curves(at)["x"].max() == 20
