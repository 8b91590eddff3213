"""Tests for the Activations page helpers appended to core.activations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.activations import ACTIVATIONS, check_grad, saturation_intervals, saturation_mask

KEYS = list(ACTIVATIONS)


def _grid(half_width: float, n: int = 300) -> np.ndarray:
    return np.linspace(-half_width, half_width, n)  # n even: 0 is never a grid point (no kink)


def _param_sets(key):
    act = ACTIVATIONS[key]
    out = [{}]
    for name, (_, lo, hi) in act.params.items():
        out += [{name: lo}, {name: hi}]
    return out


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("half_width", [2.0, 8.0, 20.0])
def test_check_grad_is_green_on_plot_grids(key, half_width):
    act = ACTIVATIONS[key]
    for params in _param_sets(key):
        c = check_grad(act, _grid(half_width), **params)
        assert c.rel_err < 1e-7, (key, params, c)
        assert c.n_points == 300 and 0 <= c.n_saturated < 300
        assert c.numeric == pytest.approx(c.analytic, rel=1e-6, abs=1e-9)


def test_check_grad_catches_a_wrong_derivative():
    from dataclasses import replace

    from core.activations import sigmoid

    bad = replace(ACTIVATIONS["sigmoid"], grad=sigmoid)  # f instead of f′
    assert check_grad(bad, _grid(5.0)).rel_err > 0.1


def test_check_grad_reports_the_kink_when_the_grid_hits_it():
    # A point exactly at 0: the central difference straddles both slopes of ReLU (0.5 vs 0).
    c = check_grad(ACTIVATIONS["relu"], np.linspace(-1.0, 1.0, 201))
    assert c.x == 0.0 and c.analytic == 0.0 and c.numeric == pytest.approx(0.5)
    assert c.rel_err == pytest.approx(1.0)


def test_saturated_tails_are_measured_against_the_peak_not_against_f_prime():
    # tanh′(20) ≈ 1.7e-17: the difference quotient is pure round-off there, yet small next to the peak.
    c = check_grad(ACTIVATIONS["tanh"], _grid(20.0))
    assert c.n_saturated > 200 and c.rel_err < 1e-7


def test_sigmoid_saturation_at_one_percent_of_the_quarter():
    # σ′(x) < 0.0025 ⇔ |x| > ≈ 5.99
    runs = saturation_intervals(ACTIVATIONS["sigmoid"], _grid(8.0))
    assert len(runs) == 2
    (a, b), (c, d) = runs
    assert a == -8.0 and d == 8.0
    assert b == pytest.approx(-5.99, abs=0.03) and c == pytest.approx(5.99, abs=0.03)


def test_relu_saturates_on_the_negative_half_and_leaky_does_not():
    assert saturation_intervals(ACTIVATIONS["relu"], _grid(4.0)) == [(-4.0, 0.0)]
    assert saturation_intervals(ACTIVATIONS["leaky_relu"], _grid(4.0)) == []
    assert saturation_intervals(ACTIVATIONS["leaky_relu"], _grid(4.0), alpha=0.0) == [(-4.0, 0.0)]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KEYS), st.floats(1.0, 30.0), st.integers(2, 400))
def test_intervals_cover_exactly_the_masked_points(key, half_width, n):
    act = ACTIVATIONS[key]
    xs = np.linspace(-half_width, half_width, n)
    runs = saturation_intervals(act, xs)
    mask = saturation_mask(act, xs)
    inside = np.zeros_like(mask)
    for lo, hi in runs:
        assert lo <= hi
        inside |= (xs >= lo) & (xs <= hi)
    np.testing.assert_array_equal(inside, mask)
    for (_, b), (c, _) in zip(runs, runs[1:], strict=False):
        assert b < c
