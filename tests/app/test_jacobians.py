"""Interaction tests for the Jacobians & VJPs page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
import streamlit as st

from tests.support import assert_ok, badges, open_page, page_tables, prose
from ui import timing
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("jacobians")


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _badge(at, title: str) -> str:
    """The colour of the check badge whose label contains `title`."""
    for m in at.markdown:
        if title in m.value:
            found = re.search(r":(green|orange|red)-badge\[", m.value)
            assert found, m.value
            return found.group(1)
    raise AssertionError(f"no badge {title!r}")


def _chart_tables(at) -> list[pa.Table]:
    return page_tables(at)


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_ok(at)
    return at


def test_article_numbers_at_defaults(page):
    text = _markdown(page)
    # softmax([2, 1, 0.1]) = [0.659, 0.242, 0.099]
    assert "[0.659, 0.242, 0.099]" in text
    # The linear layer: np.random.seed(42); W = randn(3, 4); x = randn(4)
    assert "Input x: shape `(4,)`" in text
    assert "Output y: shape `(3,)`" in text
    assert "Jacobian J: shape `(3, 4)`" in text
    # dx = randn(4) * 0.001 from the same stream: the article's "Actual dy"
    for value in ("-0.00328563", "-0.00235423", "0.00172454"):
        assert value in text
    assert page.slider(key="jacobians.seed").value == 42
    assert page.select_slider(key="jacobians.eps").value == pytest.approx(1e-3)


def test_every_badge_green_at_defaults(page):
    assert badges(page) == ["green"] * 4


def test_linear_layer_is_exact_up_to_round_off(page):
    gap = re.search(r"‖Δy − J·dx‖ = \*\*([0-9.e+-]+)\*\*", _markdown(page))
    assert gap and float(gap.group(1)) < 1e-14


def test_softmax_properties_stated_with_numbers(page):
    text = _markdown(page)
    rows = re.search(r"max \|Σⱼ Jᵢⱼ\| = `([0-9.e+-]+)`", text)
    asym = re.search(r"max \|J − Jᵀ\| = `([0-9.e+-]+)`", text)
    assert rows and asym
    assert float(rows.group(1)) < 1e-15
    assert float(asym.group(1)) == 0.0


def test_taylor_remainder_has_slope_two(page):
    text = _markdown(page)
    change = re.search(r"\*\*‖Δs‖\*\*, the actual change of the probabilities: slope ([0-9.-]+)", text)
    remainder = re.search(r"what the first-order prediction misses: slope ([0-9.-]+)", text)
    assert change and remainder
    assert float(change.group(1)) == pytest.approx(1.0, abs=0.1)
    assert float(remainder.group(1)) == pytest.approx(2.0, abs=0.15)


@pytest.mark.parametrize(
    ("m", "n", "seed", "eps"), [(1, 1, 0, 1e-8), (8, 8, 999, 1.0), (5, 2, 7, 1e-4), (2, 7, 123, 1e-2)]
)
def test_linear_badge_green(m, n, seed, eps):
    at = open_page(PAGE, {"m": str(m), "n": str(n), "seed": str(seed), "eps": f"{eps:g}"})
    assert_ok(at)
    assert f"Jacobian J: shape `({m}, {n})`" in _markdown(at)
    assert _badge(at, "W vs a numeric Jacobian") == "green"


def test_m_drawn_first_in_its_row_and_both_fragments_keep_each_others_values():
    """m is drawn by a fragment nested in section 1's (its slot leads the row of sliders): a step of m
    redraws the heatmap, the check and the table with the other sliders' values, and a step of n keeps m."""
    at = open_page(PAGE, {"n": "5", "seed": "7"})
    assert [s.key for s in at.slider][:3] == ["jacobians.m", "jacobians.n", "jacobians.seed"]
    at.slider(key="jacobians.m").set_value(6).run()
    assert_ok(at)
    assert "Jacobian J: shape `(6, 5)`" in _markdown(at)
    assert 30 in [t.num_rows for t in _chart_tables(at)]
    assert _badge(at, "W vs a numeric Jacobian") == "green"
    at.slider(key="jacobians.n").set_value(2).run()
    assert_ok(at)
    assert at.slider(key="jacobians.m").value == 6
    assert at.slider(key="jacobians.seed").value == 7
    assert "Jacobian J: shape `(6, 2)`" in _markdown(at)


SETTINGS = [  # (logits, temperature, seed of v)
    ((2.0, 1.0, 0.1), 1.0, 0),
    ((2.0, 1.0, 0.1), 0.3, 5),
    ((0.5, -1.2, 3.0, 0.0, 2.2), 2.0, 17),
    ((1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), 0.1, 999),
    ((-3.0, 4.0, 0.3, -0.7, 2.5, 1.1, -2.2, 0.0), 10.0, 42),
    ((9.0, -9.0, 0.0, 4.5), 5.0, 3),
]


@pytest.mark.parametrize(("logits", "T", "vseed"), SETTINGS)
def test_softmax_and_vjp_badges_green(logits, T, vseed):
    at = open_page(PAGE)
    at.slider(key="jacobians.k").set_value(len(logits)).run()
    for i, z in enumerate(logits):
        at.slider(key=f"jacobians.z{i}").set_value(z)
    at.select_slider(key="jacobians.T").set_value(T)
    at.slider(key="jacobians.vseed").set_value(vseed)
    at.run()
    assert_ok(at)
    assert len([s for s in at.slider if s.key.startswith("jacobians.z")]) == len(logits)
    assert _badge(at, "Article's double loop vs vectorized") == "green"
    assert _badge(at, "Vectorized vs central differences") == "green"
    assert _badge(at, "vᵀJ from the full matrix vs the O(n) VJP") == "green"


def test_saturated_softmax_is_explained_not_hidden():
    """One logit far above the rest at T = 0.1: J ≈ 1e-86, finite differences drown in round-off."""
    at = open_page(PAGE, {"z0": "10", "z1": "-10", "z2": "-10", "T": "0.1"})
    assert_ok(at)
    assert _badge(at, "Article's double loop vs vectorized") == "green"
    assert _badge(at, "Vectorized vs central differences") != "green"
    assert any("nearly saturated" in t for t in prose(at))


def test_heatmaps_and_charts_carry_the_data(page):
    tables = _chart_tables(page)
    assert len(page.get("arrow_vega_lite_chart") + page.get("vega_lite_chart")) == 4
    sizes = sorted(t.num_rows for t in tables)
    assert 12 in sizes and 9 in sizes  # W (3 × 4) and the softmax Jacobian (3 × 3), one row per cell
    cost = next(t for t in tables if "seconds" in t.column_names)
    assert set(cost.column("method").to_pylist()) == {timing.VJP_FULL, timing.VJP_FAST}
    assert sorted(set(cost.column("n").to_pylist())) == list(timing.VJP_SIZES)
    assert min(timing.VJP_SIZES) == 10 and max(timing.VJP_SIZES) == 2000
    assert all(s > 0 for s in cost.column("seconds").to_pylist())


def test_cost_timing_runs_once_per_process_not_per_rerun():
    st.cache_data.clear()  # the page caches its cost view too: start this process from scratch
    timing.CALLS["vjp_costs"] = 0
    at = open_page(PAGE)
    assert_ok(at)
    assert timing.CALLS["vjp_costs"] == 1
    at.run()
    at.slider(key="jacobians.k").set_value(6).run()
    at.select_slider(key="jacobians.T").set_value(2.0).run()
    at.slider(key="jacobians.vseed").set_value(11).run()
    assert_ok(at)
    other = open_page(PAGE)  # a second visitor (new session) in the same process
    assert_ok(other)
    assert timing.CALLS["vjp_costs"] == 1


def test_time_call_takes_the_fastest_run():
    calls = []

    def work() -> None:
        calls.append(1)

    seconds = timing.time_call(work, repeats=3, min_seconds=1e-4)
    assert 0 < seconds < 1e-3
    assert len(calls) >= 3
