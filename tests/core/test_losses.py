"""Tests for core.losses: gradients vs central differences, the article's numbers, stability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import losses as L
from core.finite_diff import derivative
from core.jacobians import softmax, softmax_ce_grad_long
from core.losses import LOSS_TABLE, LOSSES, SIGMOID_ROUNDS_TO_ONE, bce_stability, loss_curve

try:
    from core.finite_diff import gradient
except ImportError:  # pragma: no cover - core/finite_diff.py is written by another module's author

    def gradient(f, x, h=1e-5):
        x = np.asarray(x, dtype=np.float64)
        out = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            e = np.zeros_like(x)
            e[i] = h
            out[i] = (f(x + e) - f(x - e)) / (2 * h)
        return out


STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}


def _vec(lo, hi, n):
    return arrays(np.float64, n, elements=st.floats(min_value=lo, max_value=hi))


sizes = st.integers(min_value=1, max_value=6)


@st.composite
def pair(draw, kind):
    n = draw(sizes)
    if kind == "regression":
        return draw(_vec(-100, 100, n)), draw(_vec(-100, 100, n))
    return draw(_vec(0.0, 1.0, n)), draw(_vec(0.01, 0.99, n))


@st.composite
def distribution(draw, n):
    w = draw(_vec(0.0, 1.0, n))
    if w.sum() < 1e-3:
        w = np.eye(n)[draw(st.integers(0, n - 1))]
    return w / w.sum()


# ---------------------------------------------------------------------------------------------
# registry and table


def test_registry():
    assert list(LOSSES) == ["mse", "bce", "ce"]
    assert LOSSES["mse"].target_kind == "regression"
    assert LOSSES["bce"].target_kind == "probability"
    assert LOSSES["ce"].target_kind == "probability"
    for key, loss in LOSSES.items():
        assert loss.key == key
        assert loss.name and loss.formula and loss.grad_formula
        assert "$" not in loss.formula + loss.grad_formula
    assert LOSSES["mse"].fn is L.mse and LOSSES["bce"].grad is L.binary_cross_entropy_grad


def test_loss_table_is_the_articles():
    assert [row.loss for row in LOSS_TABLE] == ["MSE", "Cross-Entropy", "Binary CE"]
    assert LOSS_TABLE[0].formula == r"\frac{1}{n}\sum(y - \hat{y})^2"
    assert LOSS_TABLE[0].derivative == r"\frac{2}{n}(\hat{y} - y)"
    assert LOSS_TABLE[1].formula == r"-\sum y \log(\hat{y})"
    assert LOSS_TABLE[1].derivative == r"-\frac{y}{\hat{y}}"
    assert LOSS_TABLE[2].formula == r"-[y\log(\hat{y}) + (1-y)\log(1-\hat{y})]"
    assert LOSS_TABLE[2].derivative == r"\frac{\hat{y} - y}{\hat{y}(1-\hat{y})}"
    assert LOSS_TABLE[0]._asdict() == {
        "loss": "MSE",
        "formula": LOSS_TABLE[0].formula,
        "derivative": LOSS_TABLE[0].derivative,
    }


# ---------------------------------------------------------------------------------------------
# gradients == central differences


@pytest.mark.parametrize("key", list(LOSSES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_grad_matches_central_difference(key, data):
    loss = LOSSES[key]
    y, p = data.draw(pair(loss.target_kind))
    numeric = gradient(lambda q: loss.fn(y, q), p, h=1e-6)
    analytic = loss.grad(y, p)
    assert analytic.shape == p.shape
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_softmax_ce_grad_matches_central_difference(data):
    n = data.draw(st.integers(2, 6))
    z = data.draw(_vec(-10, 10, n))
    y = data.draw(distribution(n))
    numeric = gradient(lambda q: L.softmax_cross_entropy(y, q), z, h=1e-6)
    np.testing.assert_allclose(L.softmax_cross_entropy_grad(y, z), numeric, rtol=1e-5, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_softmax_ce_grad_is_p_minus_y_and_the_long_way(data):
    n = data.draw(st.integers(2, 6))
    z = data.draw(_vec(-10, 10, n))
    y = np.eye(n)[data.draw(st.integers(0, n - 1))]
    short = L.softmax_cross_entropy_grad(y, z)
    np.testing.assert_allclose(short, softmax(z) - y, rtol=0, atol=0)
    np.testing.assert_allclose(softmax_ce_grad_long(y, z), short, rtol=1e-9, atol=1e-12)
    # and the softmax CE is CE applied to the softmax probabilities
    assert L.softmax_cross_entropy(y, z) == pytest.approx(L.cross_entropy(y, softmax(z)), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_bce_from_logits_grad_is_sigmoid_minus_y(data):
    z = data.draw(st.floats(-20, 20))
    y = data.draw(st.floats(0, 1))
    h = 1e-6
    numeric = (L.bce_from_logits(y, z + h) - L.bce_from_logits(y, z - h)) / (2 * h)
    assert numeric == pytest.approx(1 / (1 + np.exp(-z)) - y, abs=1e-7)


# ---------------------------------------------------------------------------------------------
# reductions and the article's example


def test_reductions_follow_the_table():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    p = np.array([1.0, 1.0, 0.0, 3.0])
    assert L.mse(y, p) == pytest.approx((1 + 0 + 4 + 0) / 4)  # a mean
    np.testing.assert_allclose(L.mse_grad(y, p), 2 * (p - y) / 4)
    yb, pb = np.array([1.0, 0.0]), np.array([0.8, 0.3])
    assert L.binary_cross_entropy(yb, pb) == pytest.approx(-np.log(0.8) - np.log(0.7))  # a sum
    assert L.cross_entropy(yb, pb) == pytest.approx(-np.log(0.8))
    np.testing.assert_allclose(L.cross_entropy_grad(yb, pb), [-1 / 0.8, 0.0])
    np.testing.assert_allclose(L.binary_cross_entropy_grad(yb, pb), (pb - yb) / (pb * (1 - pb)))
    # mse_grad on a 2-D batch divides by the number of elements
    assert L.mse_grad(np.zeros((2, 3)), np.ones((2, 3)))[0, 0] == pytest.approx(2 / 6)


def test_article_cross_entropy_example():
    y_true = np.array([1.0, 0.0, 0.0])
    y_pred = np.array([0.7, 0.2, 0.1])
    loss = L.cross_entropy(y_true, y_pred)
    assert f"{loss:.4f}" == "0.3567"
    assert loss == pytest.approx(-np.log(0.7), rel=1e-14)
    article = -np.sum(y_true * np.log(y_pred + 1e-10))  # the article's cross_entropy_loss
    assert loss == pytest.approx(article, abs=1e-9)
    # the article's "Gradient: y_pred - y_true", reached from logits whose softmax is y_pred
    grad = L.softmax_cross_entropy_grad(y_true, np.log(y_pred))
    np.testing.assert_allclose(grad, [-0.3, 0.2, 0.1], atol=1e-15)
    assert L.softmax_cross_entropy(y_true, np.log(y_pred)) == pytest.approx(loss, rel=1e-14)


def test_article_mse_functions_agree():
    rng = np.random.RandomState(0)
    y, p = rng.randn(7), rng.randn(7)
    assert L.mse(y, p) == pytest.approx(np.mean((y - p) ** 2))
    np.testing.assert_allclose(L.mse_grad(y, p), 2 * (p - y) / len(y))


# ---------------------------------------------------------------------------------------------
# stability


@pytest.mark.parametrize("key", ["bce", "ce"])
def test_probabilities_exactly_zero_and_one(key):
    loss = LOSSES[key]
    for y in (0.0, 1.0, 0.3):
        for p in (0.0, 1.0):
            with np.errstate(**STRICT):
                value = loss.fn(np.array([y]), np.array([p]))
                grad = loss.grad(np.array([y]), np.array([p]))
            assert np.isfinite(value) and np.isfinite(grad).all(), (y, p)
    # right answers in the limits: perfect predictions cost ~0, confident mistakes a lot
    assert L.binary_cross_entropy([1.0, 0.0], [1.0, 0.0]) == pytest.approx(0.0, abs=1e-11)
    assert L.binary_cross_entropy([1.0], [0.0]) == pytest.approx(-np.log(L.EPS))
    assert L.cross_entropy([1.0, 0.0], [0.0, 1.0]) == pytest.approx(-np.log(L.EPS))


def test_eps_is_documented_value():
    assert L.EPS == 1e-12
    np.testing.assert_array_equal(L.clip_probabilities([0.0, 0.5, 1.0]), [1e-12, 0.5, 1 - 1e-12])


@pytest.mark.parametrize(
    ("y", "z", "expected"),
    [
        ([1, 0, 0], [1000.0, -1000.0, 0.0], 0.0),
        ([0, 1, 0], [1000.0, -1000.0, 0.0], 2000.0),
        ([0, 0, 1], [1000.0, -1000.0, 0.0], 1000.0),
        ([0, 1], [-1000.0, 1000.0], 0.0),
        ([1, 0], [-1000.0, 1000.0], 2000.0),
        ([0.5, 0.5], [1000.0, 1000.0], np.log(2.0)),
    ],
)
def test_softmax_cross_entropy_logits_1000(y, z, expected):
    with np.errstate(**STRICT):
        value = L.softmax_cross_entropy(y, z)
        grad = L.softmax_cross_entropy_grad(y, z)
    assert value == pytest.approx(expected, abs=1e-12)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, softmax(z) - np.asarray(y, dtype=float))


def test_softmax_cross_entropy_batch_sums():
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    z = np.array([[2.0, 0.0], [1.0, 3.0]])
    expected = L.softmax_cross_entropy(y[0], z[0]) + L.softmax_cross_entropy(y[1], z[1])
    assert L.softmax_cross_entropy(y, z) == pytest.approx(expected)
    np.testing.assert_allclose(L.softmax_cross_entropy_grad(y, z), softmax(z) - y)


@given(
    arrays(np.float64, st.integers(1, 8), elements=st.floats(0, 1)),
    arrays(np.float64, st.integers(1, 8), elements=st.floats(0, 1)),
)
def test_any_probabilities_give_finite_losses(y, p):
    n = min(len(y), len(p))
    y, p = y[:n], p[:n]
    with np.errstate(**STRICT):
        for loss in LOSSES.values():
            assert np.isfinite(loss.fn(y, p))
            assert np.isfinite(loss.grad(y, p)).all()


@given(
    arrays(np.float64, st.integers(2, 8), elements=st.floats(-1000, 1000)),
    st.data(),
)
def test_any_logits_in_range_give_finite_softmax_ce(z, data):
    y = data.draw(distribution(len(z)))
    with np.errstate(**STRICT):
        value = L.softmax_cross_entropy(y, z)
        grad = L.softmax_cross_entropy_grad(y, z)
    assert np.isfinite(value) and value >= -1e-12
    assert np.isfinite(grad).all()


def test_bce_from_logits_matches_plain_bce_and_is_stable():
    z = np.linspace(-15, 15, 301)
    for y in (0.0, 1.0, 0.25):
        plain = -(y * np.log(1 / (1 + np.exp(-z))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-z))))
        np.testing.assert_allclose(L.bce_from_logits(y, z), plain, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(L.bce_naive_from_logit(y, z), plain, rtol=1e-12, atol=1e-15)
    extreme = np.array([-1e300, -1000.0, -40.0, 40.0, 1000.0, 1e300])
    with np.errstate(**STRICT):
        for y in (0.0, 1.0):
            out = L.bce_from_logits(y, extreme)
            assert np.isfinite(out).all() and (out >= 0).all()
    assert L.bce_from_logits(1.0, 1000.0) == 0.0
    assert L.bce_from_logits(0.0, 1000.0) == 1000.0
    assert L.bce_from_logits(1.0, -1000.0) == 1000.0
    assert L.bce_from_logits(1.0, 40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_bce_naive_breaks_but_never_warns():
    z = np.array([-1000.0, -1000.0, 40.0, 40.0, 1000.0])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    out = L.bce_naive_from_logit(y, z)  # filterwarnings=error: any warning would fail this test
    assert np.isinf(out[0])  # log σ(−1000) = log 0
    assert np.isnan(out[1])  # 0 · log 0
    assert np.isinf(out[2])  # σ(40) rounds to 1, log(1 − 1)
    assert np.isnan(out[3])
    assert not np.isfinite(out[4])
    assert np.isfinite(L.bce_from_logits(y, z)).all()


# ---------------------------------------------------------------------------------------------
# Tests for the Losses page helpers appended to core.losses.
# ---------------------------------------------------------------------------------------------
Z = np.linspace(-50.0, 50.0, 1001)


@pytest.mark.parametrize("key", list(LOSSES))
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_loss_curve_is_one_prediction_at_a_time(key, y):
    loss = LOSSES[key]
    preds = np.linspace(0.05, 0.95, 19)
    values, grads = loss_curve(loss, y, preds)
    for p, v, g in zip(preds, values, grads, strict=True):
        assert v == pytest.approx(loss.fn([y], [p]))
        assert g == pytest.approx(float(loss.grad([y], [p])[0]))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(list(LOSSES)), st.floats(0.0, 1.0), st.floats(0.02, 0.98))
def test_loss_curve_gradient_matches_central_differences(key, y, p):
    loss = LOSSES[key]

    def f(q):
        return loss_curve(loss, y, [q])[0][0]

    g = loss_curve(loss, y, [p])[1][0]
    assert g == pytest.approx(derivative(f, p, h=1e-6), rel=1e-5, abs=1e-7)


def test_mse_curve_is_not_divided_by_the_grid_size():
    values, grads = loss_curve(LOSSES["mse"], 1.0, np.linspace(-1, 2, 301))
    assert values[0] == pytest.approx(4.0) and grads[0] == pytest.approx(-4.0)


def test_naive_bce_breaks_where_sigmoid_rounds_to_one():
    assert SIGMOID_ROUNDS_TO_ONE == pytest.approx(36.7368, abs=1e-4)
    for y, kind in ((1.0, "nan"), (0.0, "inf"), (0.5, "inf")):
        r = bce_stability(y, Z)
        assert len(r.broken) == 1
        lo, hi, k = r.broken[0]
        assert k == kind and hi == 50.0
        assert SIGMOID_ROUNDS_TO_ONE < lo < SIGMOID_ROUNDS_TO_ONE + 0.1 + 1e-9
        assert np.all(np.isfinite(r.stable)) and np.all(r.stable > 0)
        assert r.lost_above is not None and 15 < r.lost_above < lo


def test_naive_bce_loses_the_small_side_for_label_zero():
    r = bce_stability(0.0, Z)
    assert r.lost_below is not None and -35 < r.lost_below < -15
    assert bce_stability(1.0, Z).lost_below is None
    # The stable form still has the tiny true loss ≈ e^z where the naive one returns exactly 0.
    assert r.naive[0] == 0.0 and r.stable[0] == pytest.approx(math.exp(-50.0), rel=1e-12)


def test_bce_stability_raises_no_warning():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        r = bce_stability(1.0, np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert np.isnan(r.naive[-1]) and np.isfinite(r.stable).all()
    assert L.bce_stability(1.0, Z).tolerance == 1e-6
