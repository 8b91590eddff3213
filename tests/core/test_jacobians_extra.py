"""Tests for the page helpers appended to core.jacobians."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import jacobians as Jm
from core.finite_diff import jacobian as numeric_jacobian

vectors = arrays(np.float64, st.integers(2, 8), elements=st.floats(min_value=-10.0, max_value=10.0))
temperatures = st.floats(min_value=0.1, max_value=10.0)


@settings(max_examples=60, deadline=None)
@given(vectors, temperatures)
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
@given(vectors, temperatures, st.integers(0, 2**31 - 1))
def test_full_vjp_equals_linear_time_vjp(x, t, seed):
    v = np.random.default_rng(seed).standard_normal(x.size)
    np.testing.assert_allclose(Jm.vjp_softmax_full(v, x, t), Jm.vjp_softmax(v, x, t), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(vectors, temperatures)
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
