"""Edge behaviour of the pages that take typed formulas (issue 11): bounded output for huge formulas."""

from __future__ import annotations

import math
import re

import pytest

from tests.support import Stepper, assert_ok, badges, charts, components, open_page, page_tables
from ui.navigation import page_by_url
from ui.shell import MAX_LATEX

CHAIN_X = "/".join(["x"] * 150)  # 299 characters, accepted; its derivative's LaTeX is 116 kB
CHAIN_XYZ = "/".join("xyz" * 50)

HUGE = [
    ("derivatives", {"fn": "custom", "expr": CHAIN_X}),
    ("gradient_checking", {"mode": "function", "expr": CHAIN_XYZ}),
    ("autodiff", {"preset": "expression", "expr": CHAIN_XYZ}),
]


@pytest.mark.parametrize(("page", "query"), HUGE, ids=[h[0] for h in HUGE])
def test_a_huge_derivative_is_not_sent_to_the_browser_as_latex(page, query):
    at = open_page(page_by_url(page), query)
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    sizes = [len(el.value) for el in at.latex]
    assert all(n <= MAX_LATEX for n in sizes), sizes
    sent = sum(len(str(el.proto)) for el in at.latex) + sum(len(c.value) for c in at.code)
    assert sent < 20_000, sent
    if page != "autodiff":  # there f itself fits; its derivative is never typeset
        assert any("Too large to typeset" in c.value for c in at.caption)


def test_a_typo_does_not_lose_the_settings_below_it():
    """x₀ is set, a typo stops the page above the x₀ slider, the fix brings x₀ back as it was."""
    at = open_page(page_by_url("derivatives"), {"fn": "custom", "expr": "x**2", "x0": "1.5"})
    assert_ok(at)
    assert at.session_state["derivatives.x0"] == 1.5
    at.text_input(key="derivatives.expr").set_value("x**2 +").run()
    assert at.error  # the parser's message
    at.text_input(key="derivatives.expr").set_value("x**2 + 1").run()
    assert_ok(at)
    assert at.session_state["derivatives.x0"] == 1.5
    assert at.query_params["x0"] in ("1.5", ["1.5"])


DERIV = page_by_url("derivatives")


@pytest.mark.parametrize("text", ["abs(x)", "relu(x)", "abs(x - 1) + 1"])
def test_a_kink_is_named_with_both_one_sided_slopes_and_not_graded(text):
    x0 = "1" if "x - 1" in text else "0"
    at = open_page(DERIV, {"fn": "custom", "expr": text, "x0": x0})
    assert_ok(at)
    warn = next(w.value for w in at.warning if "Not differentiable" in w.value)
    assert f"x₀ = {x0}" in warn
    left, right = (-1, 1) if "abs" in text else (0, 1)
    assert f"one-sided slopes {left} and {right}" in warn
    labels = {m.label: m.value for m in at.metric}
    assert float(labels["slope from the left"]) == pytest.approx(left, abs=1e-6)
    assert float(labels["slope from the right"]) == pytest.approx(right, abs=1e-6)
    assert not badges(at), "finite differences are not graded at a kink"


def test_smooth_points_are_not_called_kinks_and_forward_difference_is_graded_by_its_own_rule():
    at = open_page(DERIV)  # the article's loss at 5, h = 1e-5: forward error 1e-5 = |f''|h/2 exactly
    assert_ok(at)
    assert not [w for w in at.warning if "Not differentiable" in w.value]
    checks = Stepper(at, "derivatives.h").text()  # the checks at h: drawn by the h stepper
    assert re.findall(r"✓ agree|⚠ suspicious|✗ disagree", checks) == ["✓ agree", "✓ agree"]
    assert "truncation regime" in checks
    at = open_page(DERIV, {"fn": "custom", "expr": "abs(x)", "x0": "0.5"})
    assert not [w for w in at.warning if "Not differentiable" in w.value]
    assert re.findall(r"✓ agree|⚠ suspicious|✗ disagree", Stepper(at, "derivatives.h").text())


def test_overflow_is_said_and_the_plot_is_clipped_to_float64():
    at = open_page(DERIV, {"fn": "custom", "expr": "exp(x**10)", "x0": "1"})
    assert_ok(at)
    warn = next(w.value for w in at.warning if "leaves float64" in w.value)
    assert "x ≥ 1.7" in warn
    for table in page_tables(at):
        for name in table.column_names:
            col = table.column(name)
            if str(col.type) == "double":
                vals = [v for v in col.to_pylist() if v is not None]
                assert all(math.isfinite(v) and abs(v) <= 1e100 for v in vals), name


def test_a_typo_keeps_the_last_valid_page_visible():
    at = open_page(DERIV, {"fn": "custom", "expr": "x**3"})
    n_charts = len(charts(at))
    at.text_input(key="derivatives.expr").set_value("x**3 +").run()
    assert_ok(at)
    assert at.error and "last formula that worked" in at.info[0].value
    assert len(charts(at)) == n_charts > 0, "the page is still drawn (greyed), not blanked"


def test_gradient_checking_names_a_kink_and_does_not_grade_it():
    gcp = page_by_url("gradient_checking")

    def verdict(at):  # the ε stepper's verdict at its position (None: not graded)
        s = Stepper(at, "gradient_checking.eps")
        (bars,) = s.blocks("logbars")
        return Stepper.at_frame(bars, "verdict", s.value)

    at = open_page(gcp, {"mode": "function", "expr": "abs(x) + y**2 * z", "x": "0"})
    assert_ok(at)
    warn = next(w.value for w in at.warning if "Not differentiable" in w.value)
    assert "∂f/∂x: one-sided slopes -1 and 1" in warn and "∂f/∂y" not in warn
    assert verdict(at) is None and "gradients agree" not in Stepper(at, "gradient_checking.eps").text()
    at = open_page(gcp, {"mode": "function", "expr": "abs(x) + y**2 * z", "x": "0.5"})
    assert not [w for w in at.warning if "Not differentiable" in w.value] and verdict(at)["level"] == "fine"


def test_autodiff_names_a_kink_and_does_not_grade_it():
    adp = page_by_url("autodiff")
    at = open_page(adp, {"preset": "expression", "expr": "relu(x) + y*z", "x": "0"})
    assert_ok(at)
    warn = next(w.value for w in at.warning if "Not differentiable" in w.value)
    assert "/∂x: one-sided slopes 0 and 1" in warn
    assert not badges(at)
    at = open_page(adp, {"preset": "expression", "expr": "relu(x) + y*z", "x": "0.5"})
    assert not [w for w in at.warning if "Not differentiable" in w.value] and badges(at) == ["green"]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("autodiff", {"preset": "expression", "expr": "x*y"}),
        ("gradient_checking", {"mode": "function", "expr": "x*y"}),
    ],
)
def test_a_typo_keeps_the_last_valid_state_on_the_other_formula_pages(page, query):
    at = open_page(page_by_url(page), query)

    def drawn():  # Vega charts and the drawings of components (Autodiff's stepper)
        return len(charts(at)) + len(components(at))

    n_charts = drawn()
    at.text_input(key=f"{page}.expr").set_value("x*y +").run()
    assert_ok(at)
    assert at.error and any("last formula that worked" in i.value for i in at.info)
    assert drawn() == n_charts > 0
