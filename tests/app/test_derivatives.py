"""Derivatives page: the article's example, typed functions, links and the error-vs-h chart."""

from __future__ import annotations

import math

import pytest

from tests.support import assert_ok, badges, notices, open_page, page_tables
from ui.navigation import page_by_url

PAGE = page_by_url("derivatives")
pytestmark = pytest.mark.timeout(120)


def metric(at, label):
    return next(m.value for m in at.metric if m.label.startswith(label))


def chart_frames(at):
    return [table.to_pandas() for table in page_tables(at)]


def test_article_example_is_the_default():
    at = open_page(PAGE)
    assert_ok(at)
    assert metric(at, "f′(x₀)") == "4.000000"  # (w−3)²+1 at w = 5: analytic 4
    assert metric(at, "f(x₀)") == "5.000000"
    text = " ".join(m.value for m in at.markdown)
    assert "4.000000" in text  # the central difference, printed like the article
    # each within its own expected error (forward ∝ h, central ∝ h²); both in one box (ui.shell.check_box)
    assert badges(at) == ["green", "green"]


def test_link_parameters_are_applied():
    at = open_page(PAGE, {"fn": "sin", "x0": "2.5", "h": "0.001"})
    assert_ok(at)
    assert not notices(at)
    assert at.slider(key="derivatives.x0").value == 2.5
    assert metric(at, "f(x₀)") == f"{math.sin(2.5):.6f}"
    assert metric(at, "f′(x₀)") == f"{math.cos(2.5):.6f}"


def test_changing_the_function_resets_the_point_and_the_url():
    at = open_page(PAGE)
    at.selectbox(key="derivatives.fn").select("log").run()
    assert_ok(at)
    assert at.query_params["fn"] in ("log", ["log"])
    x0 = at.slider(key="derivatives.x0").value
    assert 0 < x0 <= 5


def test_typed_function_and_a_typing_error():
    at = open_page(PAGE)
    at.selectbox(key="derivatives.fn").select("custom").run()
    assert_ok(at)
    assert metric(at, "f′(x₀)")  # the default custom function renders
    at.text_input(key="derivatives.expr").input("x**3 - 2x").run()
    assert_ok(at)
    assert (
        at.error and "2\\*x" in at.error[0].value
    )  # the parser's message names the fix (escaped: shown as 2*x)
    assert any("^" in c.value for c in at.code)  # and points at the position
    at.text_input(key="derivatives.expr").input("x**3 - 2*x").run()
    assert_ok(at)
    assert not at.error
    assert metric(at, "f′(x₀)") == "1.000000"  # 3x² − 2 at x = 1


@pytest.mark.parametrize("hostile", ["__import__('os').system('ls')", "().__class__", "9**9**9", "x" * 499])
def test_hostile_expressions_are_refused_politely(hostile):
    at = open_page(PAGE, {"fn": "custom", "expr": hostile})
    assert_ok(at)
    assert at.error, "a message, not a crash"


def test_point_outside_the_domain_is_explained():
    at = open_page(PAGE, {"fn": "custom", "expr": "log(x)", "x0": "-2"})
    assert_ok(at)
    assert any("not defined" in w.value for w in at.warning)


def test_error_vs_step_chart_has_both_methods_over_16_decades():
    at = open_page(PAGE, {"fn": "sin", "x0": "1"})
    frames = [f for f in chart_frames(at) if {"h", "error", "method"} <= set(f.columns)]
    assert frames
    df = frames[0]
    assert set(df["method"]) == {"forward", "central"}
    assert df["h"].min() <= 1e-15 and df["h"].max() >= 1e-1
    text = " ".join(m.value for m in at.markdown)
    assert "fitted slope **1.0" in text or "fitted slope **0.9" in text
    assert "fitted slope **2.0" in text or "fitted slope **1.9" in text
