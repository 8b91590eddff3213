"""Tests for core.jacobians: softmax, its Jacobian (loop = vectorized = numeric), VJPs, Taylor error."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import jacobians as Jm
from core.finite_diff import jacobian as numeric_jacobian
from core.losses import softmax_cross_entropy_grad

try:
    from core.finite_diff import jacobian as numeric_jacobian
except ImportError:  # pragma: no cover - core/finite_diff.py is written by another module's author

    def numeric_jacobian(f, x, h=1e-5):
        x = np.asarray(x, dtype=np.float64)
        cols = [(np.asarray(f(x + h * e)) - np.asarray(f(x - h * e))) / (2 * h) for e in np.eye(x.size)]
        return np.stack(cols, axis=-1)


STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}


def vectors(lo=-10.0, hi=10.0, min_size=1, max_size=8):
    return arrays(np.float64, st.integers(min_size, max_size), elements=st.floats(min_value=lo, max_value=hi))


temperatures = st.floats(min_value=0.1, max_value=10.0)


# The article's code, pasted verbatim, as an independent reference.
def article_softmax(x):
    """Compute softmax."""
    exp_x = np.exp(x - np.max(x))
    return exp_x / exp_x.sum()


def article_softmax_jacobian(x):
    s = article_softmax(x)
    n = len(s)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                J[i, j] = s[i] * (1 - s[i])
            else:
                J[i, j] = -s[i] * s[j]
    return J


def article_softmax_jacobian_vectorized(x):
    s = article_softmax(x).reshape(-1, 1)
    return np.diagflat(s) - s @ s.T


# ---------------------------------------------------------------------------------------------
# the article's example


def test_article_softmax_example():
    x = np.array([2.0, 1.0, 0.1])
    s = Jm.softmax(x)
    np.testing.assert_allclose(s, [0.65900114, 0.24243297, 0.09856589], atol=5e-9)
    np.testing.assert_allclose(s, article_softmax(x), rtol=1e-15)
    J = Jm.softmax_jacobian(x)
    expected = article_softmax_jacobian(x)
    np.testing.assert_allclose(J, expected, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(J, article_softmax_jacobian_vectorized(x), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(Jm.softmax_jacobian_loop(x), expected, rtol=0, atol=0)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-16)
    # a few entries by hand: s_i(1 − s_i) on the diagonal, −s_i s_j off it
    assert J[0, 0] == pytest.approx(0.65900114 * (1 - 0.65900114), rel=1e-7)
    assert J[0, 1] == pytest.approx(-0.65900114 * 0.24243297, rel=1e-7)


def test_random_linear_reproduces_the_article():
    W, b, x = Jm.random_linear(3, 4, seed=42)
    np.testing.assert_allclose(W[0], [0.49671415, -0.1382643, 0.64768854, 1.52302986], atol=5e-9)
    np.testing.assert_allclose(W[2], [-0.46947439, 0.54256004, -0.46341769, -0.46572975], atol=5e-9)
    np.testing.assert_array_equal(b, np.zeros(3))
    np.testing.assert_allclose(x, [0.24196227, -1.91328024, -1.72491783, -0.56228753], atol=5e-9)
    # same stream as the article's np.random.seed(42); W = randn(3, 4); b = zeros; x = randn(4)
    rng = np.random.RandomState(42)
    np.testing.assert_array_equal(W, rng.randn(3, 4))
    np.testing.assert_array_equal(x, rng.randn(4))
    assert W.shape == (3, 4) and b.shape == (3,) and x.shape == (4,)


def test_article_linear_layer_example():
    rng = np.random.RandomState(42)
    W = rng.randn(3, 4)
    b = np.zeros(3)
    x = rng.randn(4)
    y = Jm.linear(x, W, b)
    J = Jm.linear_jacobian(W)
    assert J.shape == (3, 4)
    dx = rng.randn(4) * 0.001
    dy_actual = Jm.linear(x + dx, W, b) - y
    assert np.linalg.norm(dy_actual - J @ dx) < 1e-15
    np.testing.assert_allclose(numeric_jacobian(lambda t: Jm.linear(t, W, b), x), W, rtol=1e-9, atol=1e-10)


def test_article_vjp_example():
    rng = np.random.RandomState(42)
    W = rng.randn(3, 4)
    v = rng.randn(3)
    grad_input = Jm.vjp_linear(v, W)
    assert grad_input.shape == (4,)
    np.testing.assert_allclose(grad_input, v @ Jm.linear_jacobian(W), rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# softmax properties


@given(vectors(-1000, 1000))
def test_softmax_is_a_distribution(x):
    with np.errstate(**STRICT):
        s = Jm.softmax(x)
    assert np.all(s >= 0) and np.all(s <= 1)
    assert s.sum() == pytest.approx(1.0, abs=1e-12)


@given(vectors(-100, 100), st.floats(-500, 500))
def test_softmax_shift_invariant(x, c):
    np.testing.assert_allclose(Jm.softmax(x + c), Jm.softmax(x), rtol=1e-9, atol=1e-14)


@given(vectors(-20, 20), temperatures)
def test_softmax_temperature_is_scaling(x, t):
    np.testing.assert_allclose(Jm.softmax(x, temperature=t), Jm.softmax(x / t), rtol=1e-12, atol=1e-300)


def test_softmax_temperature_limits():
    x = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(Jm.softmax(x, temperature=1e6), np.full(3, 1 / 3), atol=1e-6)
    np.testing.assert_allclose(Jm.softmax(x, temperature=1e-3), [1.0, 0.0, 0.0], atol=1e-12)
    # hotter = flatter: the max probability decreases with T
    peaks = [Jm.softmax(x, temperature=t).max() for t in (0.25, 0.5, 1.0, 2.0, 4.0)]
    assert all(a > b for a, b in zip(peaks, peaks[1:], strict=False))
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="temperature"):
            Jm.softmax(x, temperature=bad)


def test_softmax_last_axis_batch():
    X = np.array([[2.0, 1.0, 0.1], [1000.0, -1000.0, 0.0]])
    S = Jm.softmax(X)
    np.testing.assert_allclose(S.sum(axis=-1), 1.0)
    np.testing.assert_allclose(S[0], Jm.softmax(X[0]))
    np.testing.assert_allclose(S[1], [1.0, 0.0, 0.0])


@given(vectors(-1000, 1000))
def test_log_softmax(x):
    with np.errstate(**STRICT):
        ls = Jm.log_softmax(x)
    assert np.isfinite(ls).all() and np.all(ls <= 1e-12)
    s = Jm.softmax(x)
    ok = s > 1e-300
    np.testing.assert_allclose(ls[ok], np.log(s[ok]), rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# softmax Jacobian


@given(vectors(-10, 10), temperatures)
def test_softmax_jacobian_symmetric_rows_sum_to_zero(x, t):
    J = Jm.softmax_jacobian(x, temperature=t)
    assert J.shape == (len(x), len(x))
    np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-14)


@given(vectors(-10, 10))
def test_loop_equals_vectorized(x):
    np.testing.assert_allclose(Jm.softmax_jacobian_loop(x), Jm.softmax_jacobian(x), rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(
        Jm.softmax_jacobian_loop(x), article_softmax_jacobian(x), rtol=1e-13, atol=1e-16
    )


@settings(max_examples=50, deadline=None)
@given(vectors(-5, 5, min_size=2, max_size=6), temperatures)
def test_softmax_jacobian_matches_central_differences(x, t):
    numeric = numeric_jacobian(lambda z: Jm.softmax(z, temperature=t), x, h=1e-6)
    np.testing.assert_allclose(Jm.softmax_jacobian(x, temperature=t), numeric, rtol=1e-5, atol=1e-8)


def test_softmax_jacobian_batch():
    X = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    J = Jm.softmax_jacobian(X)
    assert J.shape == (2, 3, 3)
    np.testing.assert_allclose(J[0], Jm.softmax_jacobian(X[0]))
    np.testing.assert_allclose(J[1], np.eye(3) / 3 - 1 / 9)


def test_softmax_jacobian_extreme_logits():
    with np.errstate(**STRICT):
        J = Jm.softmax_jacobian([1000.0, -1000.0, 0.0])
    assert np.isfinite(J).all()
    np.testing.assert_allclose(J, 0.0, atol=1e-300)  # saturated softmax: no gradient flows


# ---------------------------------------------------------------------------------------------
# VJPs


@given(st.data())
def test_vjp_softmax_equals_v_times_jacobian(data):
    x = data.draw(vectors(-10, 10))
    v = data.draw(arrays(np.float64, len(x), elements=st.floats(-10, 10)))
    t = data.draw(temperatures)
    expected = v @ Jm.softmax_jacobian(x, temperature=t)
    np.testing.assert_allclose(Jm.vjp_softmax(v, x, temperature=t), expected, rtol=1e-9, atol=1e-12)


def test_vjp_softmax_batch_and_large_n():
    rng = np.random.RandomState(0)
    X, V = rng.randn(4, 5), rng.randn(4, 5)
    out = Jm.vjp_softmax(V, X)
    for k in range(4):
        np.testing.assert_allclose(out[k], V[k] @ Jm.softmax_jacobian(X[k]), rtol=1e-12, atol=1e-15)
    # n = 10⁶: the full Jacobian would need 8 TB; the VJP is O(n)
    n = 1_000_000
    x, v = rng.randn(n), rng.randn(n)
    g = Jm.vjp_softmax(v, x)
    assert g.shape == (n,) and np.isfinite(g).all()
    assert g.sum() == pytest.approx(0.0, abs=1e-9)  # 1ᵀ(vᵀJ)ᵀ = vᵀJ1 = 0: rows of J sum to 0


@given(st.data())
def test_vjp_linear_equals_v_times_W(data):
    m = data.draw(st.integers(1, 6))
    n = data.draw(st.integers(1, 6))
    W = data.draw(arrays(np.float64, (m, n), elements=st.floats(-10, 10)))
    v = data.draw(arrays(np.float64, m, elements=st.floats(-10, 10)))
    np.testing.assert_allclose(Jm.vjp_linear(v, W), v @ W, rtol=0, atol=0)
    np.testing.assert_allclose(Jm.vjp_linear(v, W), v @ Jm.linear_jacobian(W), rtol=0, atol=0)


def test_linear_jacobian_is_a_copy_of_W():
    W = np.arange(6.0).reshape(2, 3)
    J = Jm.linear_jacobian(W)
    np.testing.assert_array_equal(J, W)
    J[0, 0] = 99.0
    assert W[0, 0] == 0.0


# ---------------------------------------------------------------------------------------------
# softmax + cross-entropy: the long way == p − y


@given(st.data())
def test_softmax_ce_grad_long_equals_shortcut(data):
    x = data.draw(vectors(-10, 10, min_size=2))
    y = np.eye(len(x))[data.draw(st.integers(0, len(x) - 1))]
    long = Jm.softmax_ce_grad_long(y, x)
    np.testing.assert_allclose(long, Jm.softmax(x) - y, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(long, softmax_cross_entropy_grad(y, x), rtol=1e-9, atol=1e-12)


def test_softmax_ce_grad_long_article_example():
    x = np.array([2.0, 1.0, 0.1])
    y = np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(
        Jm.softmax_ce_grad_long(y, x), [0.65900114 - 1, 0.24243297, 0.09856589], atol=5e-9
    )


# ---------------------------------------------------------------------------------------------
# Taylor error


def test_taylor_error_softmax_slope_two():
    x = np.array([2.0, 1.0, 0.1])
    d = np.array([1.0, -2.0, 0.5])
    ts = np.logspace(-4, -1, 7)
    err = Jm.taylor_error(Jm.softmax, Jm.softmax_jacobian(x), x, ts, d)
    assert err.shape == ts.shape and np.all(err > 0)
    slope = np.polyfit(np.log10(ts), np.log10(err), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)


def test_taylor_error_linear_is_roundoff_and_direction_normalised():
    W, b, x = Jm.random_linear(3, 4, seed=42)
    ts = np.array([1e-3, 1e-1, 1.0])
    err = Jm.taylor_error(lambda t: Jm.linear(t, W, b), W, x, ts, np.ones(4))
    assert np.all(err < 1e-13)
    # the direction is normalised: scaling it changes nothing
    x3 = np.array([2.0, 1.0, 0.1])
    J3 = Jm.softmax_jacobian(x3)
    a = Jm.taylor_error(Jm.softmax, J3, x3, [0.01], [1.0, 0.0, 0.0])
    b2 = Jm.taylor_error(Jm.softmax, J3, x3, [0.01], [5.0, 0.0, 0.0])
    np.testing.assert_allclose(a, b2, rtol=1e-12)
    with pytest.raises(ValueError, match="direction"):
        Jm.taylor_error(Jm.softmax, J3, x3, [0.01], [0.0, 0.0, 0.0])


# ---------------------------------------------------------------------------------------------
# Tests for the page helpers appended to core.jacobians.
# ---------------------------------------------------------------------------------------------
vectors_2_to_8 = arrays(np.float64, st.integers(2, 8), elements=st.floats(min_value=-10.0, max_value=10.0))


@settings(max_examples=60, deadline=None)
@given(vectors_2_to_8, temperatures)
def test_loop_at_temperature_equals_vectorized(x, t):
    np.testing.assert_allclose(Jm.softmax_jacobian_loop_at(x, t), Jm.softmax_jacobian(x, t), atol=1e-12)


def test_loop_at_temperature_matches_central_differences():
    x = np.array([2.0, 1.0, 0.1])

    def f(z):
        return Jm.softmax(z, 0.5)

    np.testing.assert_allclose(Jm.softmax_jacobian_loop_at(x, 0.5), numeric_jacobian(f, x), atol=1e-8)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan])
def test_loop_at_rejects_bad_temperature(bad):
    with pytest.raises(ValueError):
        Jm.softmax_jacobian_loop_at([1.0, 2.0], bad)


@settings(max_examples=60, deadline=None)
@given(vectors_2_to_8, temperatures, st.integers(0, 2**31 - 1))
def test_full_vjp_equals_linear_time_vjp(x, t, seed):
    v = np.random.default_rng(seed).standard_normal(x.size)
    np.testing.assert_allclose(Jm.vjp_softmax_full(v, x, t), Jm.vjp_softmax(v, x, t), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(vectors_2_to_8, temperatures)
def test_softmax_jacobian_rows_sum_to_zero_and_symmetric(x, t):
    rows, asym = Jm.row_sums_and_asymmetry(Jm.softmax_jacobian(x, t))
    assert rows < 1e-14 / t + 1e-15
    assert asym == 0.0


def test_row_sums_and_asymmetry_of_a_general_matrix():
    rows, asym = Jm.row_sums_and_asymmetry([[1.0, 2.0], [0.0, -1.0]])
    assert rows == 3.0
    assert asym == 2.0


def test_random_linear_dx_continues_the_articles_stream():
    np.random.seed(42)
    W = np.random.randn(3, 4)
    x = np.random.randn(4)
    dx = np.random.randn(4) * 0.001
    W2, b2, x2 = Jm.random_linear(3, 4, 42)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(x2, x)
    np.testing.assert_array_equal(Jm.random_linear_dx(3, 4, 42, 0.001), dx)


def test_first_order_change_is_exact_for_a_linear_layer():
    W, b, x = Jm.random_linear(3, 4, 42)
    dx = Jm.random_linear_dx(3, 4, 42, 1e-3)

    def layer(z):
        return Jm.linear(z, W, b)

    actual, predicted, gap = Jm.first_order_change(layer, Jm.linear_jacobian(W), x, dx)
    np.testing.assert_allclose(actual, [-0.00328563, -0.00235423, 0.00172454], atol=1e-8)
    np.testing.assert_allclose(actual, predicted, atol=1e-15)
    assert gap < 1e-15


def test_first_order_change_of_softmax_is_second_order():
    x = np.array([2.0, 1.0, 0.1])
    d = np.array([1.0, -2.0, 0.5])
    gaps = [Jm.first_order_change(Jm.softmax, Jm.softmax_jacobian(x), x, t * d)[2] for t in (1e-2, 1e-3)]
    assert 50 < gaps[0] / gaps[1] < 200  # shrinking dx 10× shrinks the remainder ~100×
