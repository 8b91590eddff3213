"""Finite differences against analytic derivatives: accuracy, orders of convergence, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.catalogue import FUNCTIONS
from core.expression import parse
from core.finite_diff import (
    ERROR_FLOOR,
    METHODS,
    ORDER,
    best_step,
    derivative,
    error_vs_step,
    fitted_slope,
    gradient,
    jacobian,
    relative_error,
    relative_errors,
    step_sizes,
    suggested_step,
)


def _close(numeric: float, analytic: float, rel: float = 1e-6, abs_: float = 1e-8) -> bool:
    """Relative agreement, or absolute agreement near a zero of the derivative (where relative
    error is meaningless: the round-off in f(x±h) is then as large as the derivative itself)."""
    return relative_error(numeric, analytic) <= rel or abs(numeric - analytic) <= abs_


# ---------------------------------------------------------------------------------------------
# The article's example
# ---------------------------------------------------------------------------------------------


def test_article_example_derivative_of_loss_at_5_is_4():
    def loss(w):
        return (w - 3) ** 2 + 1

    numerical = derivative(loss, 5.0)
    assert f"{numerical:.6f}" == "4.000000"
    assert abs(numerical - 4.0) < 1e-8
    entry = FUNCTIONS["article_loss"]
    analytic = float(parse(entry.text).derivative().evaluate(x=entry.default_x0))
    assert analytic == 4.0
    assert f"{derivative(parse(entry.text), entry.default_x0):.6f}" == "4.000000"


# ---------------------------------------------------------------------------------------------
# derivative
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(FUNCTIONS))
@settings(max_examples=40, deadline=None)
@given(u=st.floats(0.0, 1.0))
def test_central_difference_matches_symbolic_derivative_in_safe_domain(key, u):
    entry = FUNCTIONS[key]
    lo, hi = entry.safe_domain
    x = lo + u * (hi - lo)
    expression = parse(entry.text)
    analytic = float(expression.derivative().evaluate(x=x))
    numeric = derivative(expression, x)
    assert _close(numeric, analytic), (key, x, numeric, analytic)


@pytest.mark.parametrize("method", METHODS)
def test_methods_on_a_parabola(method):
    # f(x) = x²: forward = 2x + h, backward = 2x - h, central = 2x exactly (up to round-off)
    h = 1e-3
    value = derivative(lambda x: x**2, 1.0, h=h, method=method)
    expected = {"forward": 2.0 + h, "backward": 2.0 - h, "central": 2.0}[method]
    assert value == pytest.approx(expected, abs=1e-10)


def test_derivative_is_elementwise_on_arrays():
    x = np.linspace(-2.0, 2.0, 9).reshape(3, 3)
    d = derivative(np.sin, x)
    assert isinstance(d, np.ndarray) and d.shape == (3, 3) and d.dtype == np.float64
    np.testing.assert_allclose(d, np.cos(x), rtol=1e-8, atol=1e-10)


def test_derivative_scalar_returns_float():
    assert isinstance(derivative(np.exp, 0.0), float)
    assert isinstance(derivative(lambda x: 3 * x, 2), float)  # int input becomes float64


@pytest.mark.parametrize("bad_h", [0.0, -1e-5, math.inf, math.nan])
def test_derivative_rejects_bad_step(bad_h):
    with pytest.raises(ValueError):
        derivative(np.sin, 1.0, h=bad_h)


def test_derivative_rejects_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        derivative(np.sin, 1.0, method="sideways")


def test_derivative_of_overflowing_function_is_silent():
    # exp overflows at x + h: the quotient is inf/NaN, without warnings (they are errors here)
    with np.errstate(over="ignore"):
        value = derivative(lambda x: np.exp(x), 709.78, h=1.0)
    assert not math.isfinite(value) or value > 0


# ---------------------------------------------------------------------------------------------
# Orders of convergence
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "x0"), [("exp", 1.0), ("sin", 1.0), ("cube", 1.0), ("log", 1.5), ("tanh", 0.3)]
)
def test_forward_is_first_order_and_central_second_order(key, x0):
    expression = parse(FUNCTIONS[key].text)
    exact = float(expression.derivative().evaluate(x=x0))
    forward_hs = np.logspace(-6, -1, 21)
    central_hs = np.logspace(-4, -1, 13)
    forward = error_vs_step(expression, exact, x0, forward_hs, methods=("forward",))["forward"]
    central = error_vs_step(expression, exact, x0, central_hs, methods=("central",))["central"]
    assert fitted_slope(forward_hs, forward, h_range=(1e-6, 1e-1)) == pytest.approx(1.0, abs=0.25)
    assert fitted_slope(central_hs, central, h_range=(1e-4, 1e-1)) == pytest.approx(2.0, abs=0.25)


def test_error_vs_step_shows_truncation_and_round_off():
    hs = step_sizes()
    assert hs[0] == pytest.approx(1e-16) and hs[-1] == pytest.approx(1e-1)
    assert np.all(np.diff(np.log10(hs)) > 0)
    errors = error_vs_step(np.exp, np.exp, 1.0, hs)  # df_exact may be a function
    assert set(errors) == {"forward", "central"}
    best = best_step(hs, errors)
    # the optimum sits where truncation meets round-off: ~sqrt(eps) forward, ~cbrt(eps) central
    assert 1e-10 < best["forward"].h < 1e-6
    assert 1e-7 < best["central"].h < 1e-3
    assert best["central"].error < best["forward"].error < 1e-6
    # tiny steps are dominated by round-off: the error grows again as h shrinks
    assert errors["forward"][0] > 100 * best["forward"].error
    # the automatic fit region (10x right of the optimum) recovers the orders
    assert fitted_slope(hs, errors["forward"]) == pytest.approx(ORDER["forward"], abs=0.25)
    assert fitted_slope(hs, errors["central"]) == pytest.approx(ORDER["central"], abs=0.25)


def test_exact_zero_errors_are_floored_without_log_warnings():
    # f(x) = 3x at 0 with power-of-two steps: every quotient is exact -> errors of exactly 0
    hs = 2.0 ** -np.arange(1, 40)
    errors = error_vs_step(lambda x: 3.0 * x, 3.0, 0.0, hs, methods=("central", "forward"))
    for values in errors.values():
        assert np.all(values >= ERROR_FLOOR)
        np.log10(values)  # no divide-by-zero warning (warnings are errors)
    assert np.all(errors["central"] == ERROR_FLOOR)
    with pytest.raises(ValueError):  # nothing left to fit once exact zeros are left out
        fitted_slope(hs, errors["central"])


def test_error_vs_step_masks_non_finite_as_nan():
    # log near 0 with big steps: x - h < 0 gives NaN, reported as NaN (to be masked)
    hs = np.array([1e-6, 1e-3, 0.5])
    errors = error_vs_step(parse("log(x)"), 1 / 0.1, 0.1, hs, methods=("central",))["central"]
    assert np.isfinite(errors[0]) and np.isnan(errors[2])
    assert best_step(hs, {"central": errors})["central"].h in (1e-6, 1e-3)
    assert math.isnan(best_step(hs, {"central": np.full(3, np.nan)})["central"].h)


def test_fitted_slope_needs_points():
    with pytest.raises(ValueError):
        fitted_slope([1e-3, 1e-2], [1e-6, 1e-4])
    assert fitted_slope([1e-3, 1e-2, 1e-1], [1e-6, 1e-4, 1e-2], h_range=(1e-4, 1.0)) == pytest.approx(2.0)


def test_suggested_step():
    eps = np.finfo(float).eps
    assert suggested_step("forward") == pytest.approx(math.sqrt(eps))
    assert suggested_step("central") == pytest.approx(eps ** (1 / 3))
    assert suggested_step("central", x=100.0) == pytest.approx(100 * eps ** (1 / 3))


# ---------------------------------------------------------------------------------------------
# gradient and jacobian
# ---------------------------------------------------------------------------------------------


def test_gradient_of_the_articles_two_parameter_loss():
    def loss_2d(w):
        w1, w2 = w
        return (w1 - 2) ** 2 + (w2 - 3) ** 2 + w1 * w2

    w = np.array([1.0, 1.0])
    analytic = np.array([2 * (w[0] - 2) + w[1], 2 * (w[1] - 3) + w[0]])  # the article's partials
    np.testing.assert_allclose(gradient(loss_2d, w), analytic, rtol=1e-8)
    assert w.tolist() == [1.0, 1.0]  # the caller's array is not modified


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6))
def test_gradient_matches_analytic_on_random_points(values):
    x = np.array(values)
    numeric = gradient(lambda v: np.sum(np.sin(v) * v**2), x)
    analytic = np.cos(x) * x**2 + 2 * x * np.sin(x)
    np.testing.assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-8)


def test_gradient_keeps_shape():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(gradient(lambda m: np.sum(m**2), x), 2 * x, atol=1e-8)


def test_jacobian_of_linear_layer_is_w():
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    J = jacobian(lambda x: W @ x + b, rng.normal(size=4))
    assert J.shape == (3, 4)
    np.testing.assert_allclose(J, W, atol=1e-9)


def test_jacobian_of_softmax():
    x = np.array([2.0, 1.0, 0.1])  # the article's example

    def softmax(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    s = softmax(x)
    J = jacobian(softmax, x)
    np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s), atol=1e-9)
    np.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-9)


def test_jacobian_of_scalar_function_is_a_row():
    J = jacobian(lambda v: v[0] * v[1], np.array([2.0, 3.0]))
    assert J.shape == (1, 2)
    np.testing.assert_allclose(J, [[3.0, 2.0]], atol=1e-9)


# ---------------------------------------------------------------------------------------------
# relative error and gradient checking
# ---------------------------------------------------------------------------------------------


def test_relative_error_edge_cases():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(1.0, 0.0) == 1.0
    assert relative_error(1.0, -1.0) == 1.0
    assert relative_error(3.0, 1.0) == pytest.approx(0.5)
    assert relative_error(1e-320, 0.0) == 1.0  # subnormals are no problem
    assert relative_error(1e308, -1e308) == 1.0  # no overflow
    assert relative_error(1e308, 1e308) == 0.0
    assert relative_error(-1e-300, -2e-300) == pytest.approx(1 / 3)
    assert relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.sqrt(2) / 2)
    assert math.isnan(relative_error(math.inf, 1.0))
    assert math.isnan(relative_error([1.0, math.nan], [1.0, 1.0]))


@settings(max_examples=100, deadline=None)
@given(st.floats(-1e300, 1e300), st.floats(-1e300, 1e300))
def test_relative_error_is_symmetric_and_bounded(a, b):
    r = relative_error(a, b)
    assert 0.0 <= r <= 1.0
    assert r == relative_error(b, a)


def test_relative_errors_elementwise():
    errors = relative_errors([1.0, 0.0, 2.0, math.nan], [1.0, 0.0, -2.0, 1.0])
    np.testing.assert_array_equal(errors[:3], [0.0, 0.0, 1.0])
    assert math.isnan(errors[3])


# -- kinks and each method's own expected error (issue 11) ------------------------------------------


def test_one_sided_slopes_find_kinks_and_only_kinks():
    from core.finite_diff import one_sided_slopes

    k = one_sided_slopes(abs, 0.0)
    assert k.kink and k.left == pytest.approx(-1.0) and k.right == pytest.approx(1.0)
    assert one_sided_slopes(lambda x: max(x, 0.0), 0.0) == pytest.approx((0.0, 1.0, True))
    for f, x in (
        (np.sin, 0.3),
        (lambda x: np.sin(1000 * x), 0.3),
        (lambda x: x**2, 1e8),
        (np.exp, 700.0),
        (abs, 1.0),
        (lambda x: 1e-300 * x, 0.0),
    ):
        assert not one_sided_slopes(f, x).kink, (f, x)


@pytest.mark.parametrize("method", ["forward", "backward", "central"])
def test_expected_step_error_predicts_the_actual_error(method):
    from core.finite_diff import expected_step_error

    for f, fprime, x in (
        (np.sin, np.cos, 0.7),
        (np.exp, np.exp, 1.3),
        (lambda x: (x - 3) ** 2 + 1, lambda x: 2 * (x - 3), 5.0),
    ):
        for h in (1e-3, 1e-5, 1e-9):
            actual = abs(derivative(f, x, h=h, method=method) - fprime(x))
            e = expected_step_error(f, x, h, method)
            assert actual <= 10 * e.total + 1e-15, (method, h, actual, e)
    assert expected_step_error(np.exp, 1.0, 1e-3, "forward").regime == "truncation"
    assert expected_step_error(np.exp, 1.0, 1e-12, "central").regime == "round-off"


def test_forward_difference_at_the_default_is_graded_fine_by_its_own_rule():
    """(x−3)²+1 at 5, h = 1e-5: forward error 1e-5 is exactly O(h) — not 'suspicious'."""
    from core.finite_diff import expected_step_error, step_error_thresholds
    from core.gradient_check import level_of

    f = lambda x: (x - 3) ** 2 + 1  # noqa: E731
    num = derivative(f, 5.0, h=1e-5, method="forward")
    rel = relative_error(num, 4.0)
    assert level_of(rel) == "suspicious"  # the gradient-check rule misjudges it
    good, suspicious = step_error_thresholds(expected_step_error(f, 5.0, 1e-5, "forward"), 4.0)
    assert level_of(rel, good, suspicious) == "fine"
    wrong = 4.0 * (1 + 1e-3)  # an error 100× the expected one is not fine
    assert level_of(relative_error(wrong, 4.0), good, suspicious) != "fine"


def test_representable_range_clips_where_f_leaves_float64():
    from core.finite_diff import representable_range

    xs = np.linspace(-5, 5, 401)
    with np.errstate(all="ignore"):
        fs = np.exp(xs**10)
        dfs = 10 * xs**9 * fs
    r = representable_range(xs, fs, dfs)
    assert r.clipped and -1.72 < r.lo < -1.5 and 1.5 < r.hi < 1.72 and "x ≥" in r.reason
    assert np.all(np.abs(np.exp(np.linspace(r.lo, r.hi, 50) ** 10)) < 1e100)
    with np.errstate(all="ignore"):
        logs = np.log(xs)  # NaN for x < 0 is a domain, not an overflow
    assert not representable_range(xs, logs).clipped
    assert not representable_range(xs, xs**3).clipped
    with np.errstate(all="ignore"):
        assert not representable_range(xs, 1 / xs).clipped  # a pole inside is not the range's edge
        assert representable_range(xs, np.exp(200 * xs)).hi < 1.2  # exp(200x) > 1e100 from x ≈ 1.15


def test_gradient_check_gives_per_component_relative_errors():
    """DESIGN's finite_diff.gradient_check: a right gradient is ~0 everywhere, a wrong component stands out."""
    from core.finite_diff import gradient_check

    def bowl(w):
        return w[0] ** 2 + 2 * w[1] ** 2  # the article's GradientDemo loss

    right = gradient_check(bowl, lambda w: np.array([2 * w[0], 4 * w[1]]), [4.0, 3.0])
    assert right.shape == (2,) and np.all(right < 1e-7)
    wrong = gradient_check(bowl, lambda w: np.array([2 * w[0], 2 * w[1]]), [4.0, 3.0])
    assert wrong[0] < 1e-7 and wrong[1] == pytest.approx(1 / 3, rel=1e-6)  # |6 − 12| / (6 + 12)
    W = np.arange(1.0, 7.0).reshape(2, 3)
    assert gradient_check(lambda m: np.sum(m**3), lambda m: 3 * m**2, W).shape == (2, 3)
    with pytest.raises(ValueError):
        gradient_check(lambda m: np.sum(m), lambda m: np.ones(2), W)
