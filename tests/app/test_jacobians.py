"""Interaction tests for the Jacobians & VJPs page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest
import streamlit as st

from core import finite_diff
from core import jacobians as jac
from tests.support import Stepper, assert_ok, badges, notices, open_page, page_tables, prose, runs_text
from ui import palette, timing
from ui.navigation import page_by_url
from ui.shell import check_level

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("jacobians")


def _outputs(at) -> Stepper:
    """The number of outputs m: a stepper (ui.stepper) whose position is m − 1, with m in the link."""
    return Stepper(at, "jacobians.m")


def _heat(at) -> dict:
    return _outputs(at).blocks("heatmap")[0]


def _stepper_text(at) -> str:
    """What the m stepper shows at its position: its texts, the heatmap's note, the table's rows and note."""
    s = _outputs(at)
    f = s.value
    out = [s.text()]
    for b in s.blocks("heatmap") + s.blocks("table"):
        for p in s.at_frame(b, "note", f):
            out.append(runs_text(p["runs"]))
    out += [" | ".join(row) for table in s.tables() for row in table]
    return "\n\n".join(out)


def _markdown(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [_stepper_text(at)])


def _linear_verdict(at) -> str:
    """The colour of the linear layer's check (W vs a numeric Jacobian), from the stepper's words."""
    words = {"✓ agree": "green", "⚠ suspicious": "orange", "✗ disagree": "red"}
    text = _outputs(at).text()
    found = [c for w, c in words.items() if f"**{w}**" in text]
    assert "W vs a numeric Jacobian" in text and len(found) == 1, text
    return found[0]


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
    assert badges(page) == ["green"] * 3  # softmax's two, the VJP's
    assert _linear_verdict(page) == "green"  # the linear layer's, in the m stepper


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
    assert _outputs(at).value == m - 1 and at.query_params["m"] in (str(m), [str(m)])
    assert _linear_verdict(at) == "green"


def test_the_m_stepper_carries_every_m_and_a_reported_step_reaches_the_link():
    """m is a stepper: every m in one payload (the browser draws a step); a reported position is written into
    the link as m (1 … 8, as the old slider wrote it), and a step of n keeps m."""
    at = open_page(PAGE, {"n": "5", "seed": "7"})
    s = _outputs(at)
    assert s.value == 2 and s.max == 7 and s.data["values"] == [str(m) for m in range(1, 9)]
    assert [len(frame) for frame in _heat(at)["values"]] == list(range(1, 9))  # m rows at position m − 1
    s.set_value(5).run()  # what the browser reports once the learner stops at m = 6
    assert_ok(at)
    assert _outputs(at).value == 5 and at.query_params["m"] in ("6", ["6"])
    assert "Jacobian J: shape `(6, 5)`" in _markdown(at)
    assert _linear_verdict(at) == "green"
    at.slider(key="jacobians.n").set_value(2).run()
    assert_ok(at)
    assert _outputs(at).value == 5 and at.query_params["m"] in ("6", ["6"])
    assert at.slider(key="jacobians.seed").value == 7
    assert "Jacobian J: shape `(6, 2)`" in _markdown(at)


@pytest.mark.parametrize("raw", ["0", "9", "2.5", "abc"])
def test_an_m_out_of_range_in_a_link_falls_back_with_the_sliders_notice(raw):
    at = open_page(PAGE, {"m": raw})
    assert_ok(at)
    assert (
        len(notices(at)) == 1
        and "`m`" in notices(at)[0]
        and "using the default `3` instead" in notices(at)[0]
    )
    if raw in ("0", "9"):
        assert "is outside [1, 8]" in notices(at)[0]
    assert _outputs(at).value == 2 and at.query_params["m"] in ("3", ["3"])


@pytest.mark.parametrize(("n", "seed", "eps"), [(4, 42, 1e-3), (8, 999, 1.0), (1, 0, 1e-8)])
def test_every_frame_of_the_m_stepper_is_a_fresh_core_computation(n, seed, eps):
    """Each position's heatmap holds W = randn(m, n) itself, its check the relative error of W against
    central differences, its table Δy and J·dx: computed afresh here, for every m."""
    at = open_page(PAGE, {"n": str(n), "seed": str(seed), "eps": f"{eps:g}"})
    assert_ok(at)
    s, heat = _outputs(at), _heat(at)
    texts = s.blocks("text")[1]  # the check, per m
    table = s.blocks("table")[0]
    largest = 0.0
    for m in range(1, 9):
        W, b, x = jac.random_linear(m, n, seed)
        assert np.allclose(heat["values"][m - 1], W, rtol=1e-5, atol=1e-12), m
        largest = max(largest, float(np.abs(W).max()))
        numeric = finite_diff.jacobian(lambda z, W=W, b=b: jac.linear(z, W, b), x, h=1e-5)
        rel = finite_diff.relative_error(jac.linear_jacobian(W), numeric)
        check = "\n".join(runs_text(p["runs"]) for p in texts["paras"][m - 1])
        assert f"relative error `{rel:.1e}`" in check, (m, check)
        assert check_level(rel) == "green"
        dx = jac.random_linear_dx(m, n, seed, eps)
        actual, predicted, _ = jac.first_order_change(lambda z, W=W, b=b: jac.linear(z, W, b), W, x, dx)
        rows = [[runs_text(c) for c in row] for row in table["rows"][m - 1]]
        assert [r[1] for r in rows] == [f"{a:.8f}" for a in actual]
        assert [r[2] for r in rows] == [f"{p:.8f}" for p in predicted]
        assert heat["alt"][m - 1].startswith(f"Heatmap of J = W, {m} × {n}")
    # one colour scale for every m, symmetric about 0, from the palette's diverging stops
    assert heat["domain"] == pytest.approx(largest, rel=1e-5) and heat["domain"] >= largest
    assert heat["stops"] == palette.PLAYER["diverging"]
    assert heat["key"] == ["blue: negative", "orange: positive"]


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
    assert len(page.get("arrow_vega_lite_chart") + page.get("vega_lite_chart")) == 3  # J = W: the stepper's
    sizes = sorted(t.num_rows for t in tables)
    assert 9 in sizes  # the softmax Jacobian (3 × 3), one row per cell
    W = _heat(page)["values"][_outputs(page).value]
    assert (len(W), len(W[0])) == (3, 4)  # W (3 × 4), drawn by the stepper
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


def test_the_heatmap_block_scale_is_symmetric_and_covers_every_entry():
    """ui.stepper.heatmap: one scale ±D over every frame (or one per frame), D never below an entry's |value|
    after rounding; a matrix that is the same at every position is sent once; non-finite entries as null."""
    from ui import stepper as sp

    frames = [np.array([[0.5, -1.913280244657798]]), np.array([[0.1, 0.2], [np.inf, -0.3]])]
    fixed = sp.heatmap("J", frames, alt=["a", "b"])
    assert fixed["domain"] >= 1.913280244657798 and fixed["domain"] == pytest.approx(1.91328, rel=1e-5)
    assert fixed["values"][1][1] == [None, -0.3] and set(fixed["perFrame"]) == {"values", "alt"}
    own = sp.heatmap("J", frames, fixed=False)
    assert own["domain"] == [pytest.approx(1.91329), pytest.approx(0.3)] and "domain" in own["perFrame"]
    static = sp.heatmap("J", np.eye(2), alt="the identity")
    assert (
        static["values"] == [[1.0, 0.0], [0.0, 1.0]] and static["perFrame"] == [] and static["domain"] == 1.0
    )
    assert static["themes"]["dark"]["text"] == palette.TEXT["dark"]
