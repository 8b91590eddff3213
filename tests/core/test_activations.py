"""Tests for core.activations: analytic derivatives vs central differences, properties, stability."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import activations as A
from core.activations import ACTIVATIONS, Activation, saturation_intervals, saturation_mask

try:
    from core.finite_diff import derivative
except ImportError:  # pragma: no cover - core/finite_diff.py is written by another module's author

    def derivative(f, x, h=1e-5, method="central"):
        x = np.asarray(x, dtype=np.float64)
        return (f(x + h) - f(x - h)) / (2 * h)


KEYS = list(ACTIVATIONS)
KINKED = {"relu", "leaky_relu", "elu"}  # not differentiable (or not C²) at 0


# The article's own formulas (its lambdas, written as defs with the same expressions).
def article_sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


def article_gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def article_gelu_deriv(x):
    return 0.5 * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))) + 0.5 * x * (
        1 - np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)) ** 2
    ) * np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * x**2)


STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}  # underflow to 0 is fine

safe_x = st.floats(min_value=-8.0, max_value=8.0, allow_nan=False, allow_infinity=False)
any_finite = st.floats(allow_nan=False, allow_infinity=False)


def _params_strategy(act: Activation):
    if not act.params:
        return st.just({})
    return st.fixed_dictionaries(
        {name: st.floats(min_value=lo, max_value=hi) for name, (_d, lo, hi) in act.params.items()}
    )


# ---------------------------------------------------------------------------------------------
# registry


def test_registry_order_and_keys():
    required = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu", "elu", "softplus", "silu"]
    assert [
        k for k in KEYS if k in required
    ] == required  # DESIGN's activations, in its order; more may follow
    for key, act in ACTIVATIONS.items():
        assert act.key == key
        assert act.fn is getattr(A, key)
        assert act.grad is getattr(A, f"{key}_grad")


@pytest.mark.parametrize("key", KEYS)
def test_registry_fields(key):
    act = ACTIVATIONS[key]
    for text in (act.name, act.formula, act.grad_formula, act.range_text, act.used_in):
        assert isinstance(text, str) and text.strip()
    assert "$" not in act.formula and "$" not in act.grad_formula  # bare LaTeX, for st.latex
    assert isinstance(act.peak_grad, float) and act.peak_grad > 0
    assert act.peak_at is None or isinstance(act.peak_at, float)
    for name, (default, lo, hi) in act.params.items():
        assert lo <= default <= hi, name
        # fn and grad accept the hyperparameter as a keyword
        assert np.isfinite(act.fn(np.array([-1.0, 1.0]), **{name: default})).all()
        assert np.isfinite(act.grad(np.array([-1.0, 1.0]), **{name: hi})).all()
    assert act.defaults() == {n: spec[0] for n, spec in act.params.items()}


def test_registry_params_and_used_in():
    assert ACTIVATIONS["leaky_relu"].params == {"alpha": (0.01, 0.0, 0.5)}
    assert ACTIVATIONS["elu"].params == {"alpha": (1.0, 0.1, 3.0)}
    assert ACTIVATIONS["relu"].used_in.startswith("ReLU: the default for hidden layers")
    assert "transformers" in ACTIVATIONS["gelu"].used_in
    assert "RNN" in ACTIVATIONS["tanh"].used_in


def test_activation_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ACTIVATIONS["relu"].peak_grad = 2.0  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# analytic derivative == central differences


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_grad_matches_central_difference(key, data):
    act = ACTIVATIONS[key]
    x = data.draw(safe_x, label="x")
    if key in KINKED and abs(x) < 1e-3:
        x = x + (0.5 if x >= 0 else -0.5)  # stay away from the kink at 0
    params = data.draw(_params_strategy(act), label="params")

    def f(t):
        return act.fn(t, **params)

    numeric = derivative(f, np.float64(x), h=1e-5)
    analytic = act.grad(np.float64(x), **params)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("key", KEYS)
def test_grad_matches_central_difference_on_a_grid(key):
    act = ACTIVATIONS[key]
    x = np.linspace(-6.0, 6.0, 1201)
    if key in KINKED:
        x = x[np.abs(x) > 1e-3]
    numeric = derivative(act.fn, x, h=1e-5)
    np.testing.assert_allclose(act.grad(x), numeric, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# properties and conventions


@given(any_finite)
def test_sigmoid_symmetry(x):
    assert A.sigmoid(-x) == pytest.approx(1.0 - A.sigmoid(x), abs=1e-15)


@given(any_finite)
def test_sigmoid_bounds_and_grad_at_most_quarter(x):
    s = A.sigmoid(x)
    assert 0.0 <= s <= 1.0
    g = A.sigmoid_grad(x)
    assert 0.0 <= g <= 0.25


@given(st.floats(min_value=-30, max_value=30))
def test_sigmoid_grad_is_s_times_one_minus_s(x):
    s = A.sigmoid(x)
    # s(1 − s) itself loses digits to cancellation in the tails: compare absolutely there
    assert A.sigmoid_grad(x) == pytest.approx(s * (1 - s), rel=1e-12, abs=1e-15)


def test_sigmoid_matches_article():
    x = np.linspace(-40, 40, 801)
    np.testing.assert_allclose(A.sigmoid(x), article_sigmoid(x), rtol=1e-13, atol=0)


@given(st.floats(min_value=-20, max_value=20))
def test_tanh_grad_is_one_minus_tanh_squared(x):
    assert A.tanh_grad(x) == pytest.approx(1.0 - np.tanh(x) ** 2, rel=1e-12, abs=1e-15)


@given(any_finite)
def test_tanh_grad_bounds(x):
    assert 0.0 <= A.tanh_grad(x) <= 1.0
    assert -1.0 <= A.tanh(x) <= 1.0


def test_relu_conventions():
    assert A.relu_grad(0) == 0
    assert A.relu_grad(0.0) == 0.0
    assert A.relu_grad(1e-300) == 1.0
    assert A.relu(-3.0) == 0.0 and A.relu(3.0) == 3.0


def test_leaky_relu_conventions():
    assert A.leaky_relu_grad(0.0) == 0.01
    assert A.leaky_relu_grad(0.0, alpha=0.2) == 0.2
    assert A.leaky_relu_grad(2.0, alpha=0.2) == 1.0
    assert A.leaky_relu_grad(-2.0, alpha=0.2) == 0.2
    assert A.leaky_relu(-2.0, alpha=0.2) == pytest.approx(-0.4)
    # the article's definitions
    alpha = 0.01
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(A.leaky_relu(x), np.where(x > 0, x, alpha * x))
    np.testing.assert_array_equal(A.leaky_relu_grad(x), np.where(x > 0, 1, alpha))


def test_relu_matches_article():
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(A.relu(x), np.maximum(0, x))
    np.testing.assert_array_equal(A.relu_grad(x), (x > 0).astype(float))


def test_gelu_matches_article_formula_and_derivative():
    x = np.linspace(-6, 6, 2401)
    np.testing.assert_allclose(A.gelu(x), article_gelu(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A.gelu_grad(x), article_gelu_deriv(x), rtol=1e-12, atol=1e-14)


def test_gelu_constants():
    assert A.GELU_C == pytest.approx(np.sqrt(2 / np.pi), rel=1e-15)
    assert A.GELU_A == 0.044715


def test_elu_softplus_silu_values():
    assert A.elu(-1.0) == pytest.approx(np.exp(-1) - 1)
    assert A.elu(-1.0, alpha=2.0) == pytest.approx(2 * (np.exp(-1) - 1))
    assert A.elu_grad(-1.0, alpha=2.0) == pytest.approx(2 * np.exp(-1))
    assert A.softplus(0.0) == pytest.approx(np.log(2.0))
    assert A.softplus_grad(0.0) == 0.5
    assert A.silu(1.0) == pytest.approx(1 / (1 + np.exp(-1)))
    x = np.linspace(-10, 10, 201)
    np.testing.assert_allclose(A.softplus_grad(x), A.sigmoid(x), rtol=0)


def test_shapes_preserved():
    x = np.arange(12.0).reshape(3, 4) - 6
    for act in ACTIVATIONS.values():
        assert act.fn(x).shape == (3, 4)
        assert act.grad(x).shape == (3, 4)
        assert np.asarray(act.fn(0.5)).shape == ()
        assert np.asarray(act.fn([0.5, 1.0])).dtype == np.float64


# ---------------------------------------------------------------------------------------------
# numerical stability: finite results, no warnings, for any finite input

EXTREMES = np.array(
    [
        -1e300,
        -1e10,
        -1000.0,
        -40.0,
        -1e-300,
        0.0,
        1e-300,
        40.0,
        1000.0,
        1e10,
        1e300,
        np.finfo(float).max,
        -np.finfo(float).max,
        5e-324,
        -5e-324,
    ]
)


@pytest.mark.parametrize("key", KEYS)
def test_extreme_inputs_are_finite_without_warnings(key):
    act = ACTIVATIONS[key]
    with np.errstate(**STRICT):
        y = act.fn(EXTREMES)
        g = act.grad(EXTREMES)
        for name, (_d, lo, hi) in act.params.items():
            for value in (lo, hi):
                assert np.isfinite(act.fn(EXTREMES, **{name: value})).all()
                assert np.isfinite(act.grad(EXTREMES, **{name: value})).all()
    assert np.isfinite(y).all() and np.isfinite(g).all()


@pytest.mark.parametrize("key", KEYS)
@given(x=any_finite)
def test_any_finite_input_is_finite(key, x):
    act = ACTIVATIONS[key]
    with np.errstate(**STRICT):
        assert np.isfinite(act.fn(x))
        assert np.isfinite(act.grad(x))


def test_extreme_values_are_right():
    big = 1e300
    assert A.sigmoid(big) == 1.0 and A.sigmoid(-big) == 0.0
    assert A.tanh(big) == 1.0 and A.tanh(-big) == -1.0
    assert A.gelu(big) == big and A.gelu(-big) == 0.0
    assert A.gelu_grad(big) == 1.0 and A.gelu_grad(-big) == 0.0
    assert A.softplus(big) == big and A.softplus(-big) == 0.0
    assert A.silu(big) == big and A.silu(-big) == 0.0
    assert A.silu_grad(big) == 1.0 and A.silu_grad(-big) == 0.0
    assert A.elu(-big) == -1.0 and A.elu(-big, alpha=2.5) == -2.5
    assert A.leaky_relu(-big) == pytest.approx(-1e298)
    # accurate tails (no 1 - 1 cancellation)
    assert A.sigmoid_grad(-40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)
    assert A.tanh_grad(20.0) == pytest.approx(4 * np.exp(-40.0), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# peak gradient (numerically maximise |f'| on a fine grid)

GRID = np.linspace(-50.0, 50.0, 1_000_001)  # spacing 1e-4, contains 0


@pytest.mark.parametrize("key", KEYS)
def test_peak_grad_matches_grid_maximum(key):
    act = ACTIVATIONS[key]
    g = np.abs(act.grad(GRID))
    grid_max = float(g.max())
    assert grid_max <= act.peak_grad * (1 + 1e-12)
    assert grid_max == pytest.approx(act.peak_grad, rel=1e-7)
    if act.peak_at is not None:
        assert float(np.abs(act.grad(act.peak_at))) == pytest.approx(act.peak_grad, rel=1e-9)
        assert GRID[np.argmax(g)] == pytest.approx(act.peak_at, abs=1e-3)


@pytest.mark.parametrize(("key", "peak"), [("sigmoid", 0.25), ("tanh", 1.0), ("relu", 1.0)])
def test_known_peaks(key, peak):
    assert ACTIVATIONS[key].peak_grad == peak


def test_gelu_and_silu_peaks_refined():
    # golden-section refinement of the maximum of f' (unimodal on [0.5, 4])
    for key in ("gelu", "silu"):
        grad = ACTIVATIONS[key].grad
        lo, hi = 0.5, 4.0
        r = (np.sqrt(5) - 1) / 2
        for _ in range(80):
            a, b = hi - r * (hi - lo), lo + r * (hi - lo)
            if grad(a) < grad(b):
                lo = a
            else:
                hi = b
        assert float(grad(lo)) == pytest.approx(ACTIVATIONS[key].peak_grad, rel=1e-13)
    assert ACTIVATIONS["gelu"].peak_grad == pytest.approx(1.129, abs=1e-3)


def test_peak_grad_for_params():
    elu = ACTIVATIONS["elu"]
    assert elu.peak_grad_for() == 1.0
    assert elu.peak_grad_for(alpha=1.0) == 1.0
    assert elu.peak_grad_for(alpha=3.0) == pytest.approx(3.0)
    assert elu.peak_grad_for(alpha=0.5) == pytest.approx(1.0)
    assert ACTIVATIONS["leaky_relu"].peak_grad_for(alpha=0.4) == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# saturation mask


def test_saturation_mask_sigmoid():
    x = np.array([-10.0, -2.0, 0.0, 2.0, 10.0])
    mask = saturation_mask(ACTIVATIONS["sigmoid"], x)
    assert mask.dtype == np.bool_
    np.testing.assert_array_equal(mask, [True, False, False, False, True])
    # threshold: |σ'| < 0.01 · 0.25
    xs = np.linspace(-10, 10, 2001)
    np.testing.assert_array_equal(saturation_mask(ACTIVATIONS["sigmoid"], xs), A.sigmoid_grad(xs) < 0.0025)


def test_saturation_mask_relu_and_frac():
    x = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(saturation_mask(ACTIVATIONS["relu"], x), [True, True, False])
    np.testing.assert_array_equal(saturation_mask(ACTIVATIONS["leaky_relu"], x), [False, False, False])
    np.testing.assert_array_equal(
        saturation_mask(ACTIVATIONS["leaky_relu"], x, frac=0.5), [True, True, False]
    )
    np.testing.assert_array_equal(
        saturation_mask(ACTIVATIONS["leaky_relu"], x, alpha=0.0), [True, True, False]
    )


@pytest.mark.parametrize("key", KEYS)
def test_saturation_mask_shape(key):
    x = np.linspace(-8, 8, 50).reshape(5, 10)
    mask = saturation_mask(ACTIVATIONS[key], x)
    assert mask.shape == (5, 10) and mask.dtype == np.bool_
    with np.errstate(**STRICT):
        assert saturation_mask(ACTIVATIONS[key], EXTREMES).shape == EXTREMES.shape


# ---------------------------------------------------------------------------------------------
# Tests for the Activations page helpers appended to core.activations.
# ---------------------------------------------------------------------------------------------
def _grid(half_width: float, n: int = 300) -> np.ndarray:
    return np.linspace(-half_width, half_width, n)  # n even: 0 is never a grid point (no kink)


def _param_sets(key):
    act = ACTIVATIONS[key]
    out = [{}]
    for name, (_, lo, hi) in act.params.items():
        out += [{name: lo}, {name: hi}]
    return out


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


def test_every_hyperparameter_has_one_slider_with_its_own_url_key():
    urls = [s.url for act in ACTIVATIONS.values() for s in act.sliders.values()]
    assert len(urls) == len(set(urls))
    for act in ACTIVATIONS.values():
        assert set(act.sliders) == set(act.params), act.key
        for name, (_d, lo, hi) in act.params.items():
            assert 0 < act.sliders[name].step <= hi - lo
