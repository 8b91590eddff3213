"""Derivatives page: the article's example, typed functions, links, the step size h (a stepper: every h
drawn by the browser from one payload) and the error-vs-h chart."""

from __future__ import annotations

import math
import re

import pytest

from core import finite_diff
from core.expression import parse
from tests.support import Stepper, assert_ok, notices, open_page
from ui.navigation import page_by_url

PAGE = page_by_url("derivatives")
pytestmark = pytest.mark.timeout(120)
STEP_SIZES = [10.0**k for k in range(-12, 0)]  # the stepper's positions (pages/derivatives.py)
LEVELS = {"✓ agree": "green", "⚠ suspicious": "orange", "✗ disagree": "red"}


def h_stepper(at) -> Stepper:
    return Stepper(at, "derivatives.h")


def levels(at) -> list[str]:
    """The verdicts of the differences at this h, in order ('green' / 'orange' / 'red')."""
    return [LEVELS[m] for m in re.findall("|".join(LEVELS), h_stepper(at).text())]


def chart(at) -> dict:
    (block,) = h_stepper(at).blocks("xy")
    return block


def metric(at, label):
    return next(m.value for m in at.metric if m.label.startswith(label))


def test_article_example_is_the_default():
    at = open_page(PAGE)
    assert_ok(at)
    assert metric(at, "f′(x₀)") == "4.000000"  # (w−3)²+1 at w = 5: analytic 4
    assert metric(at, "f(x₀)") == "5.000000"
    assert h_stepper(at).value == STEP_SIZES.index(1e-5) and at.query_params["h"] in ("1e-05", ["1e-05"])
    text = h_stepper(at).text()
    assert "(f(x₀+h) − f(x₀−h))/2h: `4.000000`" in text  # the central difference, printed like the article
    # each within its own expected error (forward ∝ h, central ∝ h²); both in one box
    assert levels(at) == ["green", "green"]


def test_link_parameters_are_applied():
    at = open_page(PAGE, {"fn": "sin", "x0": "2.5", "h": "0.001"})
    assert_ok(at)
    assert not notices(at)
    assert at.slider(key="derivatives.x0").value == 2.5
    assert metric(at, "f(x₀)") == f"{math.sin(2.5):.6f}"
    assert metric(at, "f′(x₀)") == f"{math.cos(2.5):.6f}"
    assert h_stepper(at).value == STEP_SIZES.index(1e-3)
    assert "h = 0.001" in h_stepper(at).text()


@pytest.mark.parametrize(("raw", "shown"), [("1e-05", "1e-05"), ("0.01", "0.01"), ("2e-7", "1e-07")])
def test_an_h_link_lands_on_its_step_and_stays_in_the_links_format(raw, shown):
    at = open_page(PAGE, {"h": raw})  # links written by the log slider (a value between steps snaps)
    assert_ok(at)
    assert not notices(at)
    assert h_stepper(at).data["values"][h_stepper(at).value] == shown
    assert at.query_params["h"] in (shown, [shown])


@pytest.mark.parametrize("raw", ["abc", "1", "-1e-05", "nan"])
def test_an_invalid_h_link_gives_the_log_sliders_notice(raw):
    at = open_page(PAGE, {"h": raw})
    assert_ok(at)
    (note,) = notices(at)
    assert note.startswith("Link parameter `h` ") and note.endswith("using the default `1e-05` instead.")
    assert h_stepper(at).value == STEP_SIZES.index(1e-5)
    assert at.query_params["h"] in ("1e-05", ["1e-05"])  # the address is repaired


def test_a_reported_step_is_written_into_the_link_as_a_value():
    at = open_page(PAGE)
    h_stepper(at).set_value(STEP_SIZES.index(1e-9)).run()
    assert_ok(at)
    assert h_stepper(at).value == STEP_SIZES.index(1e-9)
    assert at.query_params["h"] in ("1e-09", ["1e-09"])
    assert "h = 1e-09" in h_stepper(at).text()


@pytest.mark.parametrize(("fn", "x0"), [("article_loss", "5"), ("sin", "1"), ("exp", "-1")])
def test_every_steps_check_and_marks_equal_a_fresh_computation(fn, x0):
    """The payload holds all twelve h: each one's two differences, their relative errors and the chart's
    marks at that h are what core computes for that h (the browser shows them without asking)."""
    at = open_page(PAGE, {"fn": fn, "x0": x0})
    assert_ok(at)
    s = h_stepper(at)
    assert s.max == len(STEP_SIZES) - 1 and s.data["values"] == [f"{h:g}" for h in STEP_SIZES]
    x = at.slider(key="derivatives.x0").value
    from core.catalogue import FUNCTIONS

    e = parse(FUNCTIONS[fn].text, variables=("x",))
    exact = float(e.derivative("x").evaluate(x=x))
    (checks,) = s.blocks("text")[:1]
    block = chart(at)
    rule = next(it for it in block["items"] if it["kind"] == "rule" and it["name"] == "your h")
    (points,) = [it for it in block["items"] if it["kind"] == "points"]
    for k, h in enumerate(STEP_SIZES):
        text = "\n".join(run[1] for p in checks["paras"][k] for run in p["runs"])
        for m in ("forward", "central"):
            d = float(finite_diff.derivative(e, x, h=h, method=m))
            assert f"{m.capitalize()} difference, h = {h:g}" in text
            assert f"{finite_diff.relative_error(exact, d):.1e}" in text
        assert rule["x"][k] == pytest.approx(h) and rule["label"][k] == f"your h = {h:g}"
        for (px, py), m in zip(points["xy"][k], ("forward", "central"), strict=True):
            d = float(finite_diff.derivative(e, x, h=h, method=m))
            assert px == pytest.approx(h)
            assert py == pytest.approx(abs(d - exact), rel=1e-5, abs=1e-300)
        assert f"Your h = {h:g}" in block["alt"][k]


def test_at_a_kink_the_differences_are_not_graded():
    at = open_page(PAGE, {"fn": "custom", "expr": "abs(x)", "x0": "0"})
    assert_ok(at)
    assert any("Not differentiable" in w.value for w in at.warning)
    assert not levels(at) and h_stepper(at).blocks("xy")


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
    block = chart(at)
    assert block["logX"] and block["logY"] and "step size h" in block["xTitle"]
    lines = {it["name"]: it for it in block["items"] if it["kind"] == "line"}
    assert set(lines) == {"forward", "central"}
    for line in lines.values():
        assert min(line["x"]) <= 1e-15 and max(line["x"]) >= 1e-1
        assert sum(y is not None and y > 0 for y in line["y"]) > 50
    assert lines["forward"]["dash"] != lines["central"]["dash"]  # not told apart by colour alone
    text = " ".join(m.value for m in at.markdown)
    assert "fitted slope **1.0" in text or "fitted slope **0.9" in text
    assert "fitted slope **2.0" in text or "fitted slope **1.9" in text
