"""Interaction tests for the Gradients page (the generic tests cover rendering, extremes and bad links)."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from core import surfaces
from core.surfaces import SURFACES
from tests.support import assert_ok, badges, chart_tables, charts, notices, open_page
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("gradients")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _charts(at) -> list:
    return charts(at)


def _tables(chart) -> list[pa.Table]:
    return chart_tables(chart)


def _direction_sweep(at) -> pa.Table:
    """The dataset of the directional-derivative chart (columns theta, D)."""
    for chart in _charts(at):
        for table in _tables(chart):
            if set(table.column_names) == {"theta", "D"}:
                return table
    raise AssertionError("no directional-derivative chart")


def _point(at) -> tuple[float, float]:
    return at.slider(key="gradients.w1").value, at.slider(key="gradients.w2").value


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_ok(at)
    return at


def test_article_example_at_defaults(page):
    """coupled at (1, 1): L = 6, ∂L/∂w1 = −1, ∂L/∂w2 = −3 (the article's loss_2d)."""
    assert page.selectbox(key="gradients.surface").value == "coupled"
    assert _point(page) == (1.0, 1.0)
    m = _metrics(page)
    assert m["L(1, 1)"] == "6"
    assert m["∂L/∂w₁"] == "−1"
    assert m["∂L/∂w₂"] == "−3"
    assert m["‖∇L‖ (steepest slope)"] == "3.16228"  # √10
    assert any("article's example" in c.value for c in page.caption)
    assert page.query_params["surface"] == "coupled"
    assert float(page.query_params["w1"]) == 1.0 and float(page.query_params["w2"]) == 1.0


def test_badges_green_at_defaults(page):
    assert badges(page) == ["green", "green", "green"]  # ∂L/∂w1, ∂L/∂w2, D_u L
    text = "\n".join(m.value for m in page.markdown)
    assert "analytic: `-1.000000`" in text and "analytic: `-3.000000`" in text


@pytest.mark.parametrize("key", list(SURFACES))
def test_every_surface_at_its_default_start(key):
    """Choosing a surface moves the point to its default start; every check agrees there."""
    at = open_page(PAGE)
    other = "ravine" if key != "ravine" else "bowl"  # start from another surface, somewhere else
    at.selectbox(key="gradients.surface").select(other).run()
    at.slider(key="gradients.w1").set_value(0.5).run()
    at.selectbox(key="gradients.surface").select(key).run()
    assert_ok(at)
    start = SURFACES[key].default_start
    assert _point(at) == pytest.approx(start)
    assert at.query_params["surface"] == key
    assert float(at.query_params["w1"]) == pytest.approx(start[0])
    assert float(at.query_params["w2"]) == pytest.approx(start[1])
    assert badges(at) == ["green", "green", "green"], key
    # The sliders span the surface's plotting domain.
    (lo1, hi1), (lo2, hi2) = SURFACES[key].domain
    s1, s2 = at.slider(key="gradients.w1"), at.slider(key="gradients.w2")
    assert (s1.min, s1.max, s2.min, s2.max) == (lo1, hi1, lo2, hi2)


def test_changing_surface_changes_url_and_resets_point():
    at = open_page(PAGE)
    at.slider(key="gradients.w1").set_value(3.0).run()
    at.slider(key="gradients.w2").set_value(-1.5).run()
    assert at.query_params["w1"] == "3" and at.query_params["w2"] == "-1.5"
    at.selectbox(key="gradients.surface").select("bowl").run()
    assert_ok(at)
    assert at.query_params["surface"] == "bowl"
    assert (at.query_params["w1"], at.query_params["w2"]) == ("4", "3")
    m = _metrics(at)
    assert m["L(4, 3)"] == "34"  # 4² + 2·3²
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("8", "12")


def test_moving_the_point_updates_numbers_and_url():
    at = open_page(PAGE)
    at.slider(key="gradients.w1").set_value(2.0).run()
    assert_ok(at)
    assert at.query_params["w1"] == "2"
    m = _metrics(at)
    s = SURFACES["coupled"]
    assert m["L(2, 1)"] == f"{float(s.value([2.0, 1.0])):.6g}"  # (0)² + (−2)² + 2 = 6
    g = s.grad([2.0, 1.0])  # (1, −2)
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("1", "−2") and tuple(g) == (1.0, -2.0)
    assert badges(at) == ["green", "green", "green"]


def test_deep_link_reproduces_the_state():
    at = open_page(PAGE, {"surface": "rosenbrock", "w1": "-1", "w2": "2", "angle": "120"})
    assert_ok(at)
    assert not notices(at)
    assert at.selectbox(key="gradients.surface").value == "rosenbrock"
    assert _point(at) == (-1.0, 2.0)
    assert at.slider(key="gradients.angle").value == 120
    g = SURFACES["rosenbrock"].grad([-1.0, 2.0])  # (−4 − 400·(−1)·(2 − 1), 200·(2 − 1)) = (396, 200)
    m = _metrics(at)
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("396", "200") and tuple(g) == (396.0, 200.0)
    assert any("θ = 120°" in m.value for m in at.markdown)
    assert badges(at) == ["green", "green", "green"]


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ({"surface": "bowl", "w1": "5.5"}, "w1"),  # inside coupled's range, outside bowl's [−5, 5]
        ({"surface": "ravine", "w2": "3"}, "w2"),  # ravine's w2 range is [−2, 2]
        ({"surface": "volcano"}, "surface"),
        ({"angle": "400"}, "angle"),
        ({"w1": "nan", "w2": "1e999"}, "w1"),
    ],
)
def test_tampered_link_falls_back_with_a_notice(query, bad):
    at = open_page(PAGE, query)
    assert_ok(at)
    shown = notices(at)
    assert any(f"`{bad}`" in n for n in shown), shown
    key = at.selectbox(key="gradients.surface").value
    assert key == query.get("surface", "coupled") if bad != "surface" else key == "coupled"
    start = SURFACES[key].default_start
    if bad in ("w1", "w2"):
        assert _point(at)[("w1", "w2").index(bad)] == pytest.approx(start[("w1", "w2").index(bad)])
        assert float(at.query_params[bad]) == pytest.approx(start[("w1", "w2").index(bad)])  # URL repaired
    if bad == "angle":
        assert at.slider(key="gradients.angle").value == 45
    assert badges(at) == ["green", "green", "green"]


def test_directional_derivative_over_all_angles_peaks_at_the_gradient(page):
    sweep = _direction_sweep(page)
    theta = sweep.column("theta").to_pylist()
    values = sweep.column("D").to_pylist()
    assert theta[0] == 0 and theta[-1] == 360 and len(theta) == 361
    i = max(range(len(values)), key=values.__getitem__)
    peak_angle, norm = surfaces.steepest_ascent("coupled", [1.0, 1.0])
    assert peak_angle == pytest.approx(math.degrees(math.atan2(-3, -1)) % 360)  # 251.57°
    assert abs(theta[i] - peak_angle) <= 0.5
    assert values[i] == pytest.approx(norm, rel=1e-4) and norm == pytest.approx(math.sqrt(10))
    assert min(values) == pytest.approx(-norm, rel=1e-4)
    # θ = 0° and 90° give back the partial derivatives.
    assert values[0] == pytest.approx(-1.0) and values[90] == pytest.approx(-3.0)
    # The peak and the steepest descent are labelled on the chart.
    labels = {
        v
        for c in _charts(page)
        for t in _tables(c)
        if "label" in t.column_names
        for v in t.column("label").to_pylist()
    }
    assert "max = ‖∇L‖ = 3.16228 at θ* = 251.6°" in labels
    assert "min = −‖∇L‖ at 71.6° (steepest descent)" in labels
    assert {"∇L", "u"} <= labels  # the highlighted arrows on the map
    # D_u L at θ = 45°, worked out in the formula beside the chart (LaTeX, ASCII minus) and checked.
    assert any(r"\\ &= -2.82843 \end{aligned}" in f.value for f in page.latex)
    assert any("**D_u L at θ = 45°**" in m.value and "`-2.828427`" in m.value for m in page.markdown)


def test_buttons_turn_u_along_and_against_the_gradient():
    at = open_page(PAGE)
    at.button(key="gradients.along_gradient").click().run()
    assert_ok(at)
    assert at.slider(key="gradients.angle").value == 252  # 251.57° rounded
    assert at.query_params["angle"] == "252"
    assert any("θ = 252°" in m.value for m in at.markdown)
    at.button(key="gradients.against_gradient").click().run()
    assert at.slider(key="gradients.angle").value == 72
    assert badges(at) == ["green", "green", "green"]


def test_stationary_point_disables_the_direction_buttons():
    at = open_page(PAGE, {"surface": "saddle", "w1": "0", "w2": "0"})
    assert_ok(at)
    assert _metrics(at)["‖∇L‖ (steepest slope)"] == "0"
    assert at.button(key="gradients.along_gradient").disabled
    assert any("stationary point" in i.value for i in at.info)
    assert badges(at) == ["green", "green", "green"]


def test_chart_data_stays_small(page):
    rows = [t.num_rows for c in _charts(page) for t in _tables(c)]
    assert 40 * 40 in rows  # the heatmap grid
    assert 10 * 10 in rows  # the arrow field
    total = sum(len(c.proto.spec) + sum(len(d.data.data) for d in c.proto.datasets) for c in _charts(page))
    assert total < 250_000
