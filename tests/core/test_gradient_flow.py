"""Tests for core.gradient_flow: exact backprop, vanishing/exploding behaviour, bounds, clipping."""

from __future__ import annotations

import dataclasses
import inspect
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.gradient_flow as gf
from core.activations import ACTIVATIONS
from core.finite_diff import gradient as fd_gradient
from core.finite_diff import relative_error
from core.gradient_flow import (
    PRESETS,
    FlowResult,
    clip_by_global_norm,
    forward_backward,
    frobenius_norm,
    global_norm,
    gradient_bound,
    gradient_flow,
    init_weights,
    network_loss,
    spectral_norms,
)
from core.initialisation import INITS

ACT_KEYS = sorted(ACTIVATIONS)


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of a scalar function of an array of any shape."""
    shape = x.shape
    return fd_gradient(lambda v: f(v.reshape(shape)), x, h)


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖), the shared helper (0 for equal arrays)."""
    return relative_error(a, b)


def log_ratios(norms: np.ndarray) -> np.ndarray:
    """log(‖g_{l-1}‖ / ‖g_l‖) for l = 1..L (negative = shrinking toward the input)."""
    return np.log(norms[:-1]) - np.log(norms[1:])


# --------------------------------------------------------------------------------------------
# Backprop equals central differences
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("residual", [False, True], ids=["plain", "residual"])
@pytest.mark.parametrize("activation", ACT_KEYS)
def test_gradients_match_central_differences(activation: str, residual: bool) -> None:
    r = gradient_flow(depth=3, width=4, batch=2, activation=activation, init="he", residual=residual, seed=3)
    x, ws, bs = r.x, list(r.weights), list(r.biases)
    # biases are zero at init; use non-zero ones so their role is exercised too
    bs = [np.random.default_rng(10 + i).normal(scale=0.3, size=4) for i in range(3)]
    bp = forward_backward(x, ws, bs, activation, residual)
    assert bp.loss == pytest.approx(network_loss(x, ws, bs, activation, residual), rel=1e-14)

    for l in range(3):

        def loss_of_w(w, l=l):
            return network_loss(x, [*ws[:l], w, *ws[l + 1 :]], bs, activation, residual)

        def loss_of_b(b, l=l):
            return network_loss(x, ws, [*bs[:l], b, *bs[l + 1 :]], activation, residual)

        assert rel_err(bp.weight_grads[l], numeric_grad(loss_of_w, ws[l])) < 1e-6, f"dW_{l + 1}"
        assert rel_err(bp.bias_grads[l], numeric_grad(loss_of_b, bs[l])) < 1e-6, f"db_{l + 1}"

    # dL/dh_l for every l: L as a function of h_l runs only the layers above it
    for l in range(4):

        def loss_of_h(h, l=l):
            return network_loss(h, ws[l:], bs[l:], activation, residual)

        assert rel_err(bp.input_grads[l], numeric_grad(loss_of_h, bp.activations[l])) < 1e-6, f"dh_{l}"


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_flow_result_arrays_are_the_backprop_arrays(activation: str) -> None:
    r = gradient_flow(depth=3, width=4, batch=2, activation=activation, seed=1)
    bp = forward_backward(r.x, r.weights, r.biases, activation)
    for a, b in zip(r.weight_grads, bp.weight_grads, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(r.input_grads, bp.input_grads, strict=True):
        np.testing.assert_array_equal(a, b)
    # and the input gradient agrees with finite differences through the public result
    num = numeric_grad(lambda h: network_loss(h, r.weights, r.biases, activation), r.x)
    assert rel_err(r.input_grads[0], num) < 1e-6
    np.testing.assert_allclose(r.input_grad_norms, [np.linalg.norm(g) for g in r.input_grads], rtol=1e-13)
    np.testing.assert_allclose(r.weight_grad_norms, [np.linalg.norm(g) for g in r.weight_grads], rtol=1e-13)


def test_shapes_and_upstream_gradient() -> None:
    r = gradient_flow(depth=7, width=12, batch=5)
    assert r.input_grad_norms.shape == (8,)
    assert r.weight_grad_norms.shape == r.weight_norms.shape == r.mean_local_grad.shape == (7,)
    assert r.activation_norms.shape == (8,)
    assert r.bound is not None and r.bound.shape == (8,)
    assert len(r.weights) == len(r.weight_grads) == len(r.bias_grads) == 7
    assert len(r.input_grads) == 8 and r.input_grads[0].shape == (5, 12)
    # L = sum(h_L)/batch  ⇒  dL/dh_L = 1/batch everywhere, norm √(width/batch)
    np.testing.assert_array_equal(r.input_grads[-1], np.full((5, 12), 1 / 5))
    assert r.input_grad_norms[-1] == pytest.approx(math.sqrt(12 / 5), rel=1e-14)
    assert r.loss == pytest.approx(network_loss(r.x, r.weights, r.biases, "sigmoid"), rel=1e-14)


# --------------------------------------------------------------------------------------------
# Vanishing and exploding
# --------------------------------------------------------------------------------------------


def test_sigmoid_small_init_vanishes_geometrically() -> None:
    r = gradient_flow(depth=30, width=16, activation="sigmoid", init="small")
    n = r.input_grad_norms
    assert n[0] < 1e-6 * n[-1]
    assert np.exp(np.mean(log_ratios(n))) < 0.5  # each layer shrinks it by > 2× on average
    assert np.all(np.diff(n) > 0)  # strictly smaller at every step toward the input
    # deeper ⇒ smaller at the input
    firsts = [gradient_flow(depth=d, activation="sigmoid", init="small").attenuation for d in (5, 10, 20, 30)]
    assert firsts == sorted(firsts, reverse=True)


@pytest.mark.parametrize(("activation", "std"), [("relu", 1.0), ("leaky_relu", 1.0), ("relu", 10.0)])
def test_large_init_explodes(activation: str, std: float) -> None:
    r = gradient_flow(depth=30, width=32, activation=activation, init="large", std=std)
    n = r.input_grad_norms
    assert n[0] > 1e6 * n[-1]
    assert np.exp(np.mean(log_ratios(n))) > 2.0
    assert r.global_norm_before > 1e6


# --------------------------------------------------------------------------------------------
# The analytic bound
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("init", sorted(INITS))
def test_sigmoid_bound_holds_and_is_the_quarter_power(init: str) -> None:
    r = gradient_flow(depth=20, width=16, activation="sigmoid", init=init)
    assert r.peak_grad == 0.25
    assert r.bound is not None
    assert np.all(r.input_grad_norms <= r.bound * (1 + 1e-9))
    # bound_l = ‖g_L‖ · (1/4)^(L−l) · Π_{k>l} ‖W_k‖₂
    L = r.depth
    for l in range(L + 1):
        expected = r.input_grad_norms[-1] * 0.25 ** (L - l) * np.prod(r.weight_norms[l:])
        assert r.bound[l] == pytest.approx(expected, rel=1e-12)
    assert r.bound[-1] == r.input_grad_norms[-1]


@settings(max_examples=25, deadline=None)
@given(
    depth=st.integers(1, 50),
    width=st.integers(4, 64),
    batch=st.integers(1, 40),
    activation=st.sampled_from(ACT_KEYS),
    init=st.sampled_from(sorted(INITS)),
    std=st.one_of(st.none(), st.floats(1e-3, 20.0)),
    seed=st.integers(0, 2**16),
)
def test_bound_holds_for_every_activation(depth, width, batch, activation, init, std, seed) -> None:
    r = gradient_flow(
        depth=depth, width=width, batch=batch, activation=activation, init=init, std=std, seed=seed
    )
    assert r.finite
    assert r.peak_grad == ACTIVATIONS[activation].peak_grad
    assert r.bound is not None
    assert np.all(r.input_grad_norms <= r.bound * (1 + 1e-9))


def test_bound_is_none_for_residual() -> None:
    assert gradient_flow(depth=5, residual=True).bound is None


def test_gradient_bound_formula() -> None:
    b = gradient_bound(2.0, np.array([1.0, 3.0, 5.0]), 0.5)
    np.testing.assert_allclose(b, [2.0 * 0.5 * 1.5 * 2.5, 2.0 * 1.5 * 2.5, 2.0 * 2.5, 2.0])


# --------------------------------------------------------------------------------------------
# Residual connections
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [4, 16, 32, 64])
@pytest.mark.parametrize(
    ("activation", "init", "std"),
    [
        ("sigmoid", "small", None),
        ("sigmoid", "xavier", None),
        ("sigmoid", "he", None),
        ("tanh", "small", 0.03),
    ],
)
def test_residual_keeps_norms_within_an_order_of_magnitude(activation, init, std, width) -> None:
    kw = dict(depth=50, width=width, activation=activation, init=init, std=std)
    r = gradient_flow(**kw, residual=True)
    n = r.input_grad_norms
    assert n.max() / n.min() < 10
    plain = gradient_flow(**kw, residual=False)
    assert plain.input_grad_norms[0] < 1e-3 * n[0]  # the same stack without the skip vanishes


def test_residual_with_a_large_branch_still_explodes() -> None:
    """The identity path cures vanishing, not exploding: a branch of He-scale ReLU layers grows."""
    r = gradient_flow(depth=50, width=32, activation="relu", init="he", residual=True)
    assert r.attenuation > 1e3


# --------------------------------------------------------------------------------------------
# Clipping
# --------------------------------------------------------------------------------------------


def test_clip_caps_the_global_norm_exactly() -> None:
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(4, 3)) * 10, rng.normal(size=5) * 10]
    before_expected = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    clipped, before, after = clip_by_global_norm(grads, 1.5)
    assert before == pytest.approx(before_expected, rel=1e-14)
    assert after == pytest.approx(1.5, rel=1e-14)
    assert global_norm(clipped) == pytest.approx(1.5, rel=1e-14)
    scale = 1.5 / before
    for g, c in zip(grads, clipped, strict=True):
        np.testing.assert_allclose(c, g * scale, rtol=1e-15)  # same direction, one common factor


def test_clip_leaves_small_gradients_unchanged() -> None:
    grads = [np.array([0.3, -0.4]), np.array([[0.0]])]
    clipped, before, after = clip_by_global_norm(grads, 1.0)
    assert before == after == pytest.approx(0.5, rel=1e-15)
    for g, c in zip(grads, clipped, strict=True):
        np.testing.assert_array_equal(g, c)
        assert c is not g
    _, b2, a2 = clip_by_global_norm(grads, 0.5)  # exactly at the threshold: untouched
    assert a2 == b2


@pytest.mark.parametrize("bad", [0, -1.0, math.inf, math.nan, None, True, "1"])
def test_clip_rejects_bad_thresholds(bad) -> None:
    with pytest.raises(ValueError):
        clip_by_global_norm([np.ones(2)], bad)


def test_clip_with_non_finite_gradients_reports_inf() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped, before, after = clip_by_global_norm([np.array([np.inf, 1.0])], 1.0)
    assert before == after == math.inf
    np.testing.assert_array_equal(clipped[0], [np.inf, 1.0])


def test_gradient_flow_clipping() -> None:
    kw = dict(depth=30, width=32, activation="relu", init="large", std=1.0)
    free = gradient_flow(**kw)
    r = gradient_flow(**kw, clip=1.0)
    assert r.clipped and not free.clipped
    assert r.global_norm_before == free.global_norm_before > 1.0
    assert r.global_norm_after == pytest.approx(1.0, rel=1e-12)
    assert r.clip_scale == pytest.approx(1.0 / r.global_norm_before, rel=1e-14)
    np.testing.assert_allclose(r.clipped_weight_grad_norms, r.weight_grad_norms * r.clip_scale, rtol=1e-12)
    assert math.sqrt(np.sum(r.clipped_weight_grad_norms**2)) == pytest.approx(1.0, rel=1e-12)
    # clipping rescales the update; it does not change the backward pass itself
    np.testing.assert_array_equal(r.input_grad_norms, free.input_grad_norms)
    # a generous threshold does nothing
    loose = gradient_flow(**kw, clip=1e300)
    assert not loose.clipped and loose.clip_scale == 1.0
    assert loose.global_norm_after == loose.global_norm_before
    np.testing.assert_array_equal(loose.clipped_weight_grad_norms, loose.weight_grad_norms)
    # without clip: after == before, clipped == raw
    assert free.global_norm_after == free.global_norm_before
    np.testing.assert_array_equal(free.clipped_weight_grad_norms, free.weight_grad_norms)


# --------------------------------------------------------------------------------------------
# Extreme settings: no warnings, no NaN
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        dict(depth=50, width=64, activation="relu", init="large", std=10.0),
        dict(depth=50, width=64, activation="sigmoid", init="small", std=1e-3),
        *[dict(depth=50, width=64, activation=a, init="large", std=100.0) for a in ACT_KEYS],
        *[dict(depth=50, width=64, activation=a, init="large", std=100.0, residual=True) for a in ACT_KEYS],
        dict(depth=50, width=4, activation="tanh", init="small", std=1e-6),
        dict(depth=50, width=64, activation="leaky_relu", init="large", std=100.0, clip=1e-3),
    ],
    ids=lambda kw: "-".join(str(v) for v in kw.values()),
)
def test_extreme_settings_are_finite_and_silent(kw) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):  # a floating-point error escaping the module would raise
            r = gradient_flow(**kw)
    assert r.finite
    arrays = [r.input_grad_norms, r.weight_grad_norms, r.clipped_weight_grad_norms, r.weight_norms]
    arrays += [r.activation_norms, r.mean_local_grad]
    for a in arrays:
        assert not np.any(np.isnan(a))
        assert np.all(np.isfinite(a))
    if r.bound is not None:
        assert not np.any(np.isnan(r.bound))
        assert np.all(r.input_grad_norms <= r.bound * (1 + 1e-9))
    assert not math.isnan(r.attenuation) and not math.isnan(r.loss)


def test_extreme_relu_explodes_but_stays_finite() -> None:
    r = gradient_flow(depth=50, width=64, activation="relu", init="large", std=10.0)
    assert r.input_grad_norms[0] > 1e50
    assert math.isfinite(r.global_norm_before) and r.global_norm_before > 1e50


def test_norms_do_not_overflow_or_underflow() -> None:
    big = np.full((3, 3), 1e300)
    assert frobenius_norm(big) == pytest.approx(3e300, rel=1e-14)
    assert global_norm([big, big]) == pytest.approx(3e300 * math.sqrt(2), rel=1e-14)
    tiny = np.full(4, 1e-300)
    assert frobenius_norm(tiny) == pytest.approx(2e-300, rel=1e-14)
    assert frobenius_norm(np.array([1.0, np.nan])) == math.inf
    assert frobenius_norm(np.zeros((2, 2))) == 0.0
    assert global_norm([]) == 0.0


# --------------------------------------------------------------------------------------------
# Inits, validation, determinism, presets
# --------------------------------------------------------------------------------------------


def test_init_weights_and_the_std_setting() -> None:
    ws, sigma = init_weights(20, 64, "he", rng=np.random.default_rng(0))
    assert sigma == pytest.approx(math.sqrt(2 / 64))
    assert np.std(np.stack(ws)) == pytest.approx(sigma, rel=0.02)
    r = gradient_flow(init="small", std=0.37)
    assert r.std == 0.37
    assert gradient_flow(init="xavier", std=0.37).std == pytest.approx(math.sqrt(2 / 32))


def test_spectral_norms_match_numpy() -> None:
    ws, _ = init_weights(5, 8, "xavier", rng=np.random.default_rng(2))
    np.testing.assert_allclose(spectral_norms(ws), [np.linalg.norm(w, 2) for w in ws], rtol=1e-12)
    assert spectral_norms([]).shape == (0,)


@pytest.mark.parametrize(
    "kw",
    [
        dict(depth=0),
        dict(depth=51),
        dict(depth=2.5),
        dict(depth=True),
        dict(width=3),
        dict(width=65),
        dict(batch=0),
        dict(activation="swish"),
        dict(init="orthogonal"),
        dict(std=0.0),
        dict(std=-1.0),
        dict(std=1e6),
        dict(std=math.nan),
        dict(clip=0.0),
        dict(clip=-2.0),
        dict(clip=math.inf),
        dict(seed=-1),
    ],
    ids=repr,
)
def test_bad_settings_raise(kw) -> None:
    with pytest.raises(ValueError):
        gradient_flow(**kw)


def test_deterministic_and_seeded() -> None:
    a, b = gradient_flow(seed=5), gradient_flow(seed=5)
    np.testing.assert_array_equal(a.input_grad_norms, b.input_grad_norms)
    np.testing.assert_array_equal(a.x, b.x)
    c = gradient_flow(seed=6)
    assert not np.array_equal(a.input_grad_norms, c.input_grad_norms)
    assert gradient_flow(depth=np.int64(4), width=np.int64(8)).depth == 4  # NumPy ints accepted


def test_result_is_frozen_and_read_only() -> None:
    r = gradient_flow(depth=3, width=4)
    assert isinstance(r, FlowResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.depth = 4  # type: ignore[misc]
    for a in (r.input_grad_norms, r.weight_grads[0], r.weights[0], r.x, r.input_grads[0]):
        with pytest.raises(ValueError):
            a[...] = 0.0


def test_presets_are_valid_and_each_remedy_helps() -> None:
    params = set(inspect.signature(gradient_flow).parameters)
    results = {}
    for key, p in PRESETS.items():
        assert p.key == key and p.label and p.explanation and p.role in {"problem", "remedy"}
        assert set(p.kwargs) <= params
        results[key] = gradient_flow(**p.kwargs)
        if p.role == "remedy":
            assert p.baseline in PRESETS and PRESETS[p.baseline].role == "problem"
    assert {"vanishing", "relu", "residual", "init", "exploding", "clipping"} <= set(PRESETS)

    def orders(r: FlowResult) -> float:  # orders of magnitude between input and output gradient
        return abs(math.log10(r.attenuation))

    assert orders(results["vanishing"]) > 15
    assert orders(results["exploding"]) > 10
    for key in ("relu", "residual", "init"):
        assert orders(results[key]) < 2, key
    clip = PRESETS["clipping"].kwargs["clip"]
    assert results["clipping"].global_norm_after == pytest.approx(clip, rel=1e-12)
    assert results["exploding"].global_norm_after > 1e10


# -- batch normalization (the article's third remedy) -------------------------------------------------


def _central(f, arr, h=1e-6):
    """Central differences of a scalar f with respect to every entry of `arr` (changed in place)."""
    out = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + h
        up = f()
        arr[idx] = old - h
        down = f()
        arr[idx] = old
        out[idx] = (up - down) / (2 * h)
    return out


def test_batch_norm_normalizes_each_unit_over_the_batch():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((16, 5)) * 7 + 3
    y, _ = gf.batch_norm_forward(z, np.ones(5), np.zeros(5))
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-5)
    y2, _ = gf.batch_norm_forward(z, np.full(5, 2.0), np.full(5, -1.0))
    np.testing.assert_allclose(y2, 2 * y - 1)


def test_batch_norm_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((6, 4))
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    upstream = rng.standard_normal((6, 4))

    def loss():
        return float(np.sum(gf.batch_norm_forward(z, gamma, beta)[0] * upstream))

    _, cache = gf.batch_norm_forward(z, gamma, beta)
    dz, dgamma, dbeta = gf.batch_norm_backward(upstream, cache)
    for analytic, wrt in ((dz, z), (dgamma, gamma), (dbeta, beta)):
        numeric = _central(loss, wrt)
        assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_network_with_batch_norm_backward_matches_finite_differences(activation):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((8, 4))
    weights = [rng.standard_normal((4, 4)) * 0.5 for _ in range(3)]
    biases = [rng.standard_normal(4) * 0.1 for _ in range(3)]
    gammas = [1 + 0.3 * rng.standard_normal(4) for _ in range(3)]
    betas = [0.2 * rng.standard_normal(4) for _ in range(3)]
    bp = gf.forward_backward(
        x.copy(), weights, biases, activation, batch_norm=True, gammas=gammas, betas=betas
    )

    def loss():
        return gf.network_loss(x, weights, biases, activation, batch_norm=True, gammas=gammas, betas=betas)

    assert bp.loss == pytest.approx(loss())
    for layer in range(3):
        for analytic, wrt in (
            (bp.weight_grads[layer], weights[layer]),
            (bp.gamma_grads[layer], gammas[layer]),
            (bp.beta_grads[layer], betas[layer]),
        ):
            assert relative_error(analytic, _central(loss, wrt)) < 1e-6, (activation, layer)
    assert relative_error(bp.input_grads[0], _central(loss, x)) < 1e-6


def test_batch_norm_preset_rescues_the_vanishing_stack():
    base = gf.gradient_flow(**gf.PRESETS["vanishing"].kwargs)
    fixed = gf.gradient_flow(**gf.PRESETS["batchnorm"].kwargs)
    assert gf.PRESETS["batchnorm"].baseline == "vanishing" and fixed.batch_norm
    assert base.attenuation < 1e-20 < 1e-2 < fixed.attenuation  # ~1e-26 before, ~0.17 after
    assert fixed.bound is None and fixed.finite
