"""Tests for core/network.py: the article's XOR network, its gradients and the chain-rule view."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.activations import relu_grad, sigmoid_grad, tanh_grad
from core.mlp import _slope_fn
from core.network import (
    ACTIVATION_CHOICES,
    CHAIN_ROLES,
    DATA_LIMIT,
    INIT_CHOICES,
    LOSS_CHOICES,
    LR_LIMIT,
    PARAM_KEYS,
    TwoLayerNet,
    accuracy,
    gradient_along,
    parse_param_name,
    relative_error,
    slice_along,
    xor_data,
)

# ---------------------------------------------------------------------------------------------
# The article's code, pasted verbatim (only reformatted): the reference implementation.


def _ref_sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


def _ref_sigmoid_derivative(x):
    s = _ref_sigmoid(x)
    return s * (1 - s)


class SimpleNetwork:
    def __init__(self):
        np.random.seed(42)  # the article's global seeding; only ever called here, in a test
        # Layer 1: 2 inputs -> 3 hidden
        self.W1 = np.random.randn(2, 3) * 0.5
        self.b1 = np.zeros(3)
        # Layer 2: 3 hidden -> 1 output
        self.W2 = np.random.randn(3, 1) * 0.5
        self.b2 = np.zeros(1)

    def forward(self, x):
        self.z1 = x @ self.W1 + self.b1
        self.a1 = _ref_sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.a2 = _ref_sigmoid(self.z2)
        return self.a2

    def backward(self, x, y):
        m = x.shape[0]
        dL_da2 = self.a2 - y
        da2_dz2 = _ref_sigmoid_derivative(self.z2)
        dL_dz2 = dL_da2 * da2_dz2
        dL_dW2 = self.a1.T @ dL_dz2 / m
        dL_db2 = np.mean(dL_dz2, axis=0)
        dL_da1 = dL_dz2 @ self.W2.T
        da1_dz1 = _ref_sigmoid_derivative(self.z1)
        dL_dz1 = dL_da1 * da1_dz1
        dL_dW1 = x.T @ dL_dz1 / m
        dL_db1 = np.mean(dL_dz1, axis=0)
        return {"dW1": dL_dW1, "db1": dL_db1, "dW2": dL_dW2, "db2": dL_db2}

    def train_step(self, x, y, lr=0.1):
        pred = self.forward(x)
        loss = 0.5 * np.mean((pred - y) ** 2)
        grads = self.backward(x, y)
        self.W1 -= lr * grads["dW1"]
        self.b1 -= lr * grads["db1"]
        self.W2 -= lr * grads["dW2"]
        self.b2 -= lr * grads["db2"]
        return loss


ARTICLE_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
ARTICLE_Y = np.array([[0], [1], [1], [0]])

# What the article's script prints (copied from running it; the article shows the code only).
ARTICLE_LOSS_LINES = [
    "Epoch    0: Loss = 0.133791",
    "Epoch  100: Loss = 0.124807",
    "Epoch  200: Loss = 0.124612",
    "Epoch  300: Loss = 0.124268",
    "Epoch  400: Loss = 0.123633",
    "Epoch  500: Loss = 0.122468",
    "Epoch  600: Loss = 0.120445",
    "Epoch  700: Loss = 0.117178",
    "Epoch  800: Loss = 0.112323",
    "Epoch  900: Loss = 0.105993",
]
ARTICLE_PREDICTIONS = ["0.3080", "0.6015", "0.5661", "0.5920"]


@pytest.fixture(scope="module")
def reference_run() -> dict[str, object]:
    """The article's script: 1000 epochs at lr = 1.0, every loss, the final weights and predictions."""
    net = SimpleNetwork()
    init = {k: getattr(net, k).copy() for k in PARAM_KEYS}
    losses = [float(net.train_step(ARTICLE_X, ARTICLE_Y, lr=1.0)) for _ in range(1000)]
    preds = [float(net.forward(ARTICLE_X[i : i + 1])[0, 0]) for i in range(4)]
    final = {k: getattr(net, k).copy() for k in PARAM_KEYS}
    return {"init": init, "losses": losses, "preds": preds, "final": final}


def test_reference_script_prints_the_article_numbers(reference_run) -> None:
    losses = reference_run["losses"]
    lines = [f"Epoch {e:4d}: Loss = {losses[e]:.6f}" for e in range(0, 1000, 100)]
    assert lines == ARTICLE_LOSS_LINES
    assert [f"{p:.4f}" for p in reference_run["preds"]] == ARTICLE_PREDICTIONS


def test_default_net_starts_from_the_articles_weights(reference_run) -> None:
    net = TwoLayerNet()
    for key in PARAM_KEYS:
        np.testing.assert_array_equal(getattr(net, key), reference_run["init"][key])


def test_default_net_reproduces_the_article_training_run(reference_run) -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    history = net.train(X, y, epochs=1000, lr=1.0)
    assert len(history) == 1000
    np.testing.assert_allclose(history, reference_run["losses"], rtol=0, atol=1e-12)
    for key in PARAM_KEYS:
        np.testing.assert_allclose(getattr(net, key), reference_run["final"][key], rtol=0, atol=1e-12)
    preds = net.predict(X)[:, 0]
    np.testing.assert_allclose(preds, reference_run["preds"], rtol=0, atol=1e-12)
    # and to the digits the article prints
    assert f"{history[0]:.6f}" == "0.133791"
    assert f"{history[900]:.6f}" == "0.105993"
    assert [f"Epoch {e:4d}: Loss = {history[e]:.6f}" for e in range(0, 1000, 100)] == ARTICLE_LOSS_LINES
    assert [f"{p:.4f}" for p in preds] == ARTICLE_PREDICTIONS


def test_backward_matches_the_article_backward() -> None:
    X, y = xor_data()
    ref = SimpleNetwork()
    ref.forward(ARTICLE_X)
    expected = ref.backward(ARTICLE_X, ARTICLE_Y)
    got = TwoLayerNet().backward(X, y)
    for key in ("dW1", "db1", "dW2", "db2"):
        assert got[key].shape == expected[key].shape
        np.testing.assert_allclose(got[key], expected[key], rtol=0, atol=1e-16)


def test_train_step_returns_loss_before_the_update_and_matches_backward() -> None:
    X, y = xor_data()
    net = TwoLayerNet(activation="tanh", loss="bce", n_hidden=4, seed=3)
    before = net.loss(X, y)
    grads = net.backward(X, y)
    params = net.params()
    lr = 0.7
    assert net.train_step(X, y, lr) == pytest.approx(before, rel=1e-15, abs=0)
    for key in PARAM_KEYS:
        np.testing.assert_allclose(getattr(net, key), params[key] - lr * grads["d" + key], rtol=0, atol=1e-15)
    assert net.epochs_trained == 1


# ---------------------------------------------------------------------------------------------
# gradients vs central differences


def _kink_free_net(activation: str, loss: str, n_hidden: int) -> TwoLayerNet:
    """A net with random biases whose hidden pre-activations on XOR all stay ≥ 1e-4 away from 0.

    For ReLU the derivative is undefined at z1 = 0 (and XOR's [0, 0] row gives z1 = b1, exactly 0
    with the zero initial biases), where a central difference straddling the kink measures 1/2.
    With |z1| ≥ 1e-4 everywhere and steps h = 1e-5 on inputs of size ≤ 1, no perturbed z1 crosses 0,
    so the loss is smooth along every difference and the comparison is fair.
    """
    X, _ = xor_data()
    for seed in range(200):
        net = TwoLayerNet(n_hidden=n_hidden, activation=activation, loss=loss, init="he", seed=seed)
        rng = np.random.default_rng(seed)
        net.set_params({"b1": rng.normal(0.0, 0.5, n_hidden), "b2": rng.normal(0.0, 0.5, 1)})
        if np.abs(X @ net.W1 + net.b1).min() >= 1e-4:
            return net
    raise AssertionError("no kink-free seed found")  # pragma: no cover


def _assert_grads_close(analytic, numeric, rel_tol: float = 1e-6, floor: float = 1e-10) -> None:
    """Each component: relative error < rel_tol, unless |a − n| < floor.

    The floor is the central difference's round-off limit: each loss (≲ 1) carries ~1e-16 of
    rounding, divided by 2h = 2e-5 that is ~1e-11; a component of size 1e-5 can therefore not
    be checked to a relative 1e-6 by differences. 1e-10 is ten times that limit and far below
    any real bug (a wrong factor changes a gradient by its own size, ≳ 1e-5 here).
    """
    assert analytic.keys() == numeric.keys() == {"dW1", "db1", "dW2", "db2"}
    for key in analytic:
        a, n = analytic[key], numeric[key]
        assert a.shape == n.shape
        for index in np.ndindex(a.shape):
            ai, ni = float(a[index]), float(n[index])
            if abs(ai - ni) >= floor:
                assert relative_error(ai, ni) < rel_tol, (key, index, ai, ni)
    flat_a = np.concatenate([analytic[k].ravel() for k in sorted(analytic)])
    flat_n = np.concatenate([numeric[k].ravel() for k in sorted(numeric)])
    assert np.linalg.norm(flat_a - flat_n) / (np.linalg.norm(flat_a) + np.linalg.norm(flat_n)) < rel_tol / 10


@pytest.mark.parametrize("n_hidden", range(2, 9))
@pytest.mark.parametrize("loss", LOSS_CHOICES)
@pytest.mark.parametrize("activation", ACTIVATION_CHOICES)
def test_backward_equals_central_differences(activation: str, loss: str, n_hidden: int) -> None:
    X, y = xor_data()
    net = _kink_free_net(activation, loss, n_hidden)
    params = net.params()
    analytic = net.backward(X, y)
    numeric = net.numeric_gradients(X, y, h=1e-5)
    _assert_grads_close(analytic, numeric)
    for key in PARAM_KEYS:  # restored bit for bit
        np.testing.assert_array_equal(getattr(net, key), params[key])


def test_default_h_gradient_check_rows() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    report = net.gradient_check(X, y)  # h = 1e-6: core.gradient_check's one report type
    rows = report.rows
    assert [r.name for r in rows] == net.param_names()
    assert max(r.rel_error for r in rows) < 1e-6
    for r in rows:
        assert r.rel_error == relative_error(r.analytic, r.numeric)
    assert report.level == "fine" and report.h == 1e-6
    grads, numeric = net.backward(X, y), net.numeric_gradients(X, y)
    for r in rows:  # exactly backward() and the central differences of numeric_gradients()
        key, index = parse_param_name(r.name)
        assert (r.analytic, r.numeric) == (grads["d" + key][index], numeric["d" + key][index])
    assert [r.name for r in net.gradient_check(X, y, params=["W2[1,0]"]).rows] == ["W2[1,0]"]


@pytest.mark.parametrize("loss", LOSS_CHOICES)
def test_gradients_with_several_outputs_and_random_data(loss: str) -> None:
    rng = np.random.default_rng(11)
    X = rng.normal(size=(7, 3))
    y = (rng.random((7, 2)) > 0.5).astype(float)
    net = TwoLayerNet(n_in=3, n_hidden=5, n_out=2, activation="tanh", loss=loss, init="xavier", seed=4)
    _assert_grads_close(net.backward(X, y), net.numeric_gradients(X, y, h=1e-5))


@pytest.mark.parametrize("activation", ACTIVATION_CHOICES)
def test_slopes_from_cache_equal_the_activation_derivatives(activation: str) -> None:
    grads = {"sigmoid": sigmoid_grad, "tanh": tanh_grad, "relu": relu_grad}
    z = np.concatenate([np.linspace(-40, 40, 4001), [0.0, -1e300, 1e300, -745.0, 745.0]])
    from core.activations import ACTIVATIONS

    a = ACTIVATIONS[activation].fn(z)
    np.testing.assert_allclose(_slope_fn(activation)(z, a), grads[activation](z), rtol=0, atol=3e-16)


def test_backward_refreshes_the_cache_for_its_own_input() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    net.forward(np.array([[5.0, -3.0]]))  # a stale cache for another input
    np.testing.assert_array_equal(net.backward(X, y)["dW1"], TwoLayerNet().backward(X, y)["dW1"])
    np.testing.assert_array_equal(net.a2, net.predict(X))


# ---------------------------------------------------------------------------------------------
# the chain rule, one weight at a time


def _chain_configs():
    rng = np.random.default_rng(5)
    X3 = rng.normal(size=(6, 3))
    y3 = (rng.random((6, 2)) > 0.5).astype(float)
    X, y = xor_data()
    return [
        (TwoLayerNet(), X, y, 0),
        (TwoLayerNet(), X, y, 200),
        (TwoLayerNet(activation="tanh", loss="bce", n_hidden=5, seed=7), X, y, 50),
        (TwoLayerNet(activation="relu", n_hidden=4, init="he", seed=1), X, y, 50),
        (TwoLayerNet(n_in=3, n_hidden=4, n_out=2, activation="sigmoid", loss="mse", seed=5), X3, y3, 0),
        (TwoLayerNet(n_in=3, n_hidden=4, n_out=2, activation="tanh", loss="bce", seed=5), X3, y3, 0),
    ]


@pytest.mark.parametrize("case", range(6))
def test_chain_rule_product_equals_backward(case: int) -> None:
    net, X, y, epochs = _chain_configs()[case]
    net.train(X, y, epochs, 0.5)
    grads = net.backward(X, y)
    for name in net.param_names():
        terms = net.chain_rule_terms(X, y, name)
        key, index = parse_param_name(name)
        assert terms.gradient == float(grads["d" + key][index])
        assert abs(terms.product - terms.gradient) <= 1e-15
        # relative to the size of the summands (the sum over samples may cancel): a few ulps
        scale = np.abs(terms.per_sample).sum() / X.shape[0]
        assert abs(terms.product - terms.gradient) <= 1e-14 * scale
        assert terms.per_sample.shape == (X.shape[0],)
        assert terms.product == pytest.approx(terms.per_sample.sum() / X.shape[0], rel=1e-15, abs=1e-300)
        assert terms.value == net.get_param(name)
        assert terms.m == X.shape[0]


def test_chain_rule_factors_of_the_articles_chain() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    t = net.chain_rule_terms(X, y, "W1[0,1]")
    # dL/dW1 = dL/da2 · da2/dz2 · dz2/da1 · da1/dz1 · dz1/dW1 (the article's chain)
    assert len(t.factors) == 5
    assert [f.symbol for f in t.factors] == [
        r"\frac{\partial L}{\partial a_2}",
        r"\frac{\partial a_2}{\partial z_2}",
        r"\frac{\partial z_2}{\partial a_1[1]}",
        r"\frac{\partial a_1[1]}{\partial z_1[1]}",
        r"\frac{\partial z_1[1]}{\partial W_1[0,1]}",
    ]
    a2, a1 = net.a2[:, 0], net.a1[:, 1]
    np.testing.assert_array_equal(t.factors[0].values, a2 - y[:, 0])
    np.testing.assert_array_equal(t.factors[1].values, a2 * (1 - a2))
    np.testing.assert_array_equal(t.factors[2].values, np.full(4, net.W2[1, 0]))
    np.testing.assert_array_equal(t.factors[3].values, a1 * (1 - a1))
    np.testing.assert_array_equal(t.factors[4].values, X[:, 0])
    assert all(f.role in CHAIN_ROLES for f in t.factors)  # put in words by ui.wording (tests/ui)
    assert t.formula.startswith(r"\frac{\partial L}{\partial W_1[0,1]} = ")
    # dL/dW2 = dL/da2 · da2/dz2 · dz2/dW2; biases end in a factor of 1
    assert len(net.chain_rule_terms(X, y, "W2[2,0]").factors) == 3
    np.testing.assert_array_equal(net.chain_rule_terms(X, y, "b2[0]").factors[-1].values, np.ones(4))
    np.testing.assert_array_equal(net.chain_rule_terms(X, y, "b1[1]").factors[-1].values, np.ones(4))
    # BCE fuses the first two factors into dL/dz2 = a2 - y
    bce = TwoLayerNet(loss="bce").chain_rule_terms(X, y, "W1[0,1]")
    assert len(bce.factors) == 4
    assert bce.factors[0].symbol == r"\frac{\partial L}{\partial z_2}"


def _plain(latex: str) -> str:
    """A chain factor's LaTeX read as plain text, independently of core: \\frac{A}{B} → A/B, ∂, subscripts."""
    text = re.sub(r"\\frac\{(.*?)\}\{(.*?)\}", r"\1/\2", latex.replace("{{", "{").replace("}}", "}"))
    text = text.replace("\\partial ", "∂")
    return re.sub(r"_(\d)", lambda m: "₀₁₂₃₄₅₆₇₈₉"[int(m.group(1))], text)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_every_chain_factor_has_the_plain_text_of_its_formula(loss: str) -> None:
    X, y = xor_data()
    net = TwoLayerNet(loss=loss)
    for name in net.param_names():
        for f in net.chain_rule_terms(X, y, name).factors:
            assert f.text == _plain(f.symbol), (name, f.symbol)
    assert TwoLayerNet().chain_rule_terms(X, y, "W1[0,1]").factors[0].text == "∂L/∂a₂"


def test_chain_rule_rejects_bad_names() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    for bad in ("W3[0,0]", "W1[0]", "b1[0,0]", "W1[2,0]", "b2[1]", "W1[0,1", "", "__import__('os')"):
        with pytest.raises(ValueError):
            net.chain_rule_terms(X, y, bad)


@settings(max_examples=25, deadline=None)
@given(
    activation=st.sampled_from(ACTIVATION_CHOICES),
    loss=st.sampled_from(LOSS_CHOICES),
    n_hidden=st.integers(2, 8),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_chain_rule_property(activation: str, loss: str, n_hidden: int, seed: int, data) -> None:
    X, y = xor_data()
    net = TwoLayerNet(n_hidden=n_hidden, activation=activation, loss=loss, init="xavier", seed=seed)
    name = data.draw(st.sampled_from(net.param_names()))
    terms = net.chain_rule_terms(X, y, name)
    assert abs(terms.product - terms.gradient) <= 1e-15


def test_loss_along_a_weight() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    before = net.params()
    offsets = np.linspace(-1.0, 1.0, 41)
    losses = net.loss_along("W1[0,1]", offsets)
    assert losses.shape == offsets.shape
    assert losses[20] == net.loss(X, y)
    for key in PARAM_KEYS:
        np.testing.assert_array_equal(getattr(net, key), before[key])
    # the tangent's slope is the gradient
    h = 1e-5
    lo, hi = net.loss_along("W2[1,0]", [-h, h], X, y)
    assert (hi - lo) / (2 * h) == pytest.approx(float(net.backward(X, y)["dW2"][1, 0]), rel=1e-7)
    with pytest.raises(ValueError):
        net.loss_along("W1[0,1]", [np.inf])


# ---------------------------------------------------------------------------------------------
# determinism, reset, state


def test_same_seed_same_weights_and_training() -> None:
    X, y = xor_data()
    for init in INIT_CHOICES:
        a, b = TwoLayerNet(init=init, seed=7), TwoLayerNet(init=init, seed=7)
        for key in PARAM_KEYS:
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
        assert a.train(X, y, 100, 0.5) == b.train(X, y, 100, 0.5)
        for key in PARAM_KEYS:
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
        assert not np.array_equal(TwoLayerNet(init=init, seed=7).W1, TwoLayerNet(init=init, seed=8).W1)


def test_different_seeds_differ() -> None:
    w = [TwoLayerNet(seed=s).W1 for s in range(5)]
    for i, j in itertools.combinations(range(5), 2):
        assert not np.array_equal(w[i], w[j])


def test_reset_restores_the_seeds_exact_weights() -> None:
    X, y = xor_data()
    net = TwoLayerNet(activation="relu", n_hidden=6, init="he", seed=9)
    fresh = TwoLayerNet(activation="relu", n_hidden=6, init="he", seed=9).params()
    net.train(X, y, 50, 0.3)
    assert not np.array_equal(net.W1, fresh["W1"])
    net.reset()
    assert net.epochs_trained == 0 and net.a2 is None
    for key in PARAM_KEYS:
        np.testing.assert_array_equal(getattr(net, key), fresh[key])
    rebuilt = TwoLayerNet(**net.config)
    for key in PARAM_KEYS:
        np.testing.assert_array_equal(getattr(rebuilt, key), fresh[key])


@pytest.mark.parametrize("init", INIT_CHOICES)
def test_inits_draw_w1_then_w2_from_one_randomstate(init: str) -> None:
    net = TwoLayerNet(n_in=2, n_hidden=5, n_out=1, init=init, seed=123)
    rng = np.random.RandomState(123)
    s1, s2 = {
        "article": (0.5, 0.5),
        "xavier": (np.sqrt(2 / (2 + 5)), np.sqrt(2 / (5 + 1))),
        "he": (np.sqrt(2 / 2), np.sqrt(2 / 5)),
    }[init]
    np.testing.assert_array_equal(net.W1, rng.randn(2, 5) * s1)
    np.testing.assert_array_equal(net.W2, rng.randn(5, 1) * s2)
    np.testing.assert_array_equal(net.b1, np.zeros(5))
    np.testing.assert_array_equal(net.b2, np.zeros(1))


def test_copy_state_dict_and_params_are_independent() -> None:
    X, y = xor_data()
    net = TwoLayerNet(activation="tanh", loss="bce", n_hidden=4, seed=2)
    net.train(X, y, 30, 0.5)
    twin = net.copy()
    state = json.loads(json.dumps(net.state_dict()))
    restored = TwoLayerNet.from_state_dict(state)
    snapshot = net.params()
    snapshot["W1"][0, 0] += 1.0  # params() are copies
    assert net.W1[0, 0] != snapshot["W1"][0, 0]
    for other in (twin, restored):
        assert other.config == net.config and other.epochs_trained == 30
        for key in PARAM_KEYS:
            np.testing.assert_array_equal(getattr(other, key), getattr(net, key))
    history = twin.train(X, y, 10, 0.5)
    assert not np.array_equal(twin.W1, net.W1)  # training the copy leaves the original alone
    assert restored.train(X, y, 10, 0.5) == history


def test_param_names_getters_and_setters() -> None:
    net = TwoLayerNet(n_hidden=3)
    names = net.param_names()
    assert names[:3] == ["W1[0,0]", "W1[0,1]", "W1[0,2]"]
    assert names[-1] == "b2[0]" and "W2[2,0]" in names and "b1[1]" in names
    assert len(names) == len(set(names)) == net.n_params == 2 * 3 + 3 + 3 + 1
    for i, name in enumerate(names):
        net.set_param(name, float(i))
    flat = np.concatenate([net.W1.ravel(), net.b1, net.W2.ravel(), net.b2])
    np.testing.assert_array_equal(flat, np.arange(len(names), dtype=float))
    assert net.get_param("W2[1,0]") == net.W2[1, 0]
    with pytest.raises(ValueError):
        net.set_param("W1[0,0]", np.nan)
    with pytest.raises(ValueError):
        net.set_params({"W1": np.zeros((3, 2))})
    with pytest.raises(ValueError):
        net.set_params({"W3": np.zeros((2, 3))})


def test_w2_and_b2_behave_like_plain_arrays() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    net.W2 = np.ones((3, 1))
    net.b2 -= 0.5
    assert net.W2.shape == (3, 1) and net.b2.shape == (1,)
    np.testing.assert_array_equal(net.params()["W2"], np.ones((3, 1)))
    assert net.get_param("b2[0]") == -0.5
    manual = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ net.W1))) @ np.ones((3, 1)) - 0.5)))
    np.testing.assert_allclose(net.predict(X), manual, rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# training loop, views, validation, extremes


def test_on_epoch_callback_and_early_stop() -> None:
    X, y = xor_data()
    seen: list[tuple[int, float]] = []
    net = TwoLayerNet()
    history = net.train(X, y, 20, 1.0, on_epoch=lambda e, loss: seen.append((e, loss)))
    assert [e for e, _ in seen] == list(range(20)) and [v for _, v in seen] == history
    stopper = TwoLayerNet()
    short = stopper.train(X, y, 20, 1.0, on_epoch=lambda e, loss: e < 4)
    assert short == history[:5] and stopper.epochs_trained == 5
    assert TwoLayerNet().train(X, y, 0, 1.0) == []


def test_forward_caches_and_predict_does_not() -> None:
    X, y = xor_data()
    net = TwoLayerNet(n_hidden=4, activation="tanh")
    a2 = net.forward(X)
    assert net.z1.shape == net.a1.shape == (4, 4) and net.z2.shape == net.a2.shape == (4, 1)
    np.testing.assert_array_equal(net.a1, np.tanh(net.z1))
    cached = net.a2
    net.predict(np.zeros((3, 2)))
    assert net.a2 is cached and a2 is cached
    assert net.forward(np.array([0.0, 1.0])).shape == (1, 1)


def test_decision_grid() -> None:
    net = TwoLayerNet()
    xs, ys, probs = net.decision_grid()
    assert xs.shape == ys.shape == (50,) and probs.shape == (50, 50) and probs.size <= 2500
    assert xs[0] == -0.5 and xs[-1] == 1.5
    assert np.all((probs > 0) & (probs < 1))
    i, j = 7, 31
    assert probs[i, j] == pytest.approx(float(net.predict([[xs[j], ys[i]]])[0, 0]), rel=1e-15)
    assert net.decision_grid(n=10, lo=0, hi=1)[2].shape == (10, 10)
    for bad in (dict(n=51), dict(n=1), dict(lo=1.0, hi=0.0)):
        with pytest.raises(ValueError):
            net.decision_grid(**bad)


def test_bce_loss_is_the_binary_cross_entropy() -> None:
    X, y = xor_data()
    net = TwoLayerNet(loss="bce", seed=5)
    p = net.predict(X)
    naive = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert net.loss(X, y) == pytest.approx(naive, rel=1e-13)
    mse = TwoLayerNet(seed=5)
    assert mse.loss(X, y) == pytest.approx(0.5 * np.mean((p - y) ** 2), rel=1e-15)


def test_bce_is_stable_for_saturated_outputs() -> None:
    X, y = xor_data()
    net = TwoLayerNet(loss="bce")
    net.set_params({"W2": np.full((3, 1), 1e90), "b2": [-1e90]})
    loss = net.loss(X, y)  # outputs are exactly 0 or 1 in float64; log(0) never happens
    assert np.isfinite(loss) and loss > 1e80
    grads = net.backward(X, y)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


@pytest.mark.parametrize(("activation", "loss"), list(itertools.product(ACTIVATION_CHOICES, LOSS_CHOICES)))
def test_extreme_learning_rates_stay_finite_without_warnings(activation: str, loss: str) -> None:
    # pyproject turns every warning into an error, so an overflow anywhere would fail here
    X, y = xor_data()
    for lr in (1e6, LR_LIMIT):
        net = TwoLayerNet(n_hidden=8, activation=activation, loss=loss, init="he", seed=3)
        history = net.train(X, y, 2000, lr)
        assert np.all(np.isfinite(history))
        assert all(np.all(np.isfinite(v)) for v in net.params().values())
        assert all(np.all(np.isfinite(g)) for g in net.backward(X, y).values())
        assert np.all(np.isfinite(net.decision_grid()[2]))


def test_many_epochs_converge_on_xor() -> None:
    X, y = xor_data()
    net = TwoLayerNet(activation="tanh", loss="bce", n_hidden=4, init="xavier", seed=0)
    history = net.train(X, y, 3000, 1.0)
    assert history[-1] < 0.05
    assert np.array_equal(net.predict(X) > 0.5, y > 0.5)


def test_validation() -> None:
    X, y = xor_data()
    bad_ctor = [
        dict(activation="gelu"),
        dict(loss="hinge"),
        dict(init="zeros"),
        dict(n_hidden=0),
        dict(n_hidden=2.5),
        dict(seed=-1),
        dict(seed=True),
        dict(n_in=0),
    ]
    for kwargs in bad_ctor:
        with pytest.raises(ValueError):
            TwoLayerNet(**kwargs)
    net = TwoLayerNet()
    for bad_X in (
        np.zeros((4, 3)),
        np.full((4, 2), np.nan),
        np.full((4, 2), 2 * DATA_LIMIT),
        np.zeros((0, 2)),
    ):
        with pytest.raises(ValueError):
            net.train_step(bad_X, y, 0.1)
    with pytest.raises(ValueError):
        net.train_step(X, np.zeros((4, 2)), 0.1)
    with pytest.raises(ValueError):
        net.train_step(X, np.full((4, 1), np.inf), 0.1)
    for bad_lr in (-1.0, np.nan, np.inf, 2 * LR_LIMIT):
        with pytest.raises(ValueError):
            net.train(X, y, 1, bad_lr)
    with pytest.raises(ValueError):
        net.train(X, y, -1, 0.1)
    with pytest.raises(ValueError):
        net.numeric_gradients(X, y, h=0.0)
    assert net.train_step(X, y.ravel(), 0.1) > 0  # y as (m,) is accepted for one output
    assert net.train_step(X.tolist(), y.tolist(), 0.1) > 0


def test_bce_with_several_outputs_is_the_mean_over_samples_summed_over_outputs_as_documented():
    net = TwoLayerNet(n_in=2, n_hidden=3, n_out=2, loss="bce", seed=3)
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    a2 = net.forward(X)
    per_output = -np.mean(y * np.log(a2) + (1 - y) * np.log(1 - a2), axis=0)
    assert net.loss(X, y) == pytest.approx(per_output.sum(), rel=1e-12)
    doc = " ".join(TwoLayerNet.loss.__doc__.split())
    assert "summed over outputs" in doc  # the docstring said "−mean[…]", off by the number of outputs


# ---------------------------------------------------------------------------------------------
# Tests for the small page helpers appended to core/network.py: accuracy and gradient_along.
# ---------------------------------------------------------------------------------------------
def test_accuracy_counts_samples_on_the_right_side() -> None:
    _, y = xor_data()
    assert accuracy([[0.1], [0.9], [0.8], [0.2]], y) == 1.0
    assert accuracy([[0.3080], [0.6015], [0.5661], [0.5920]], y) == 0.75  # the article's [1,1] is wrong
    assert accuracy(np.full((4, 1), 0.5), y) == 0.5  # 0.5 is not above the threshold: class 0
    assert accuracy([0.9, 0.1], [1.0, 0.0]) == 1.0
    assert accuracy([[0.9, 0.2], [0.9, 0.9]], [[1, 0], [1, 0]]) == 0.5  # a sample needs every output right
    with pytest.raises(ValueError):
        accuracy([], [])


def test_article_net_solves_xor_after_its_1000_epochs() -> None:
    X, y = xor_data()
    net = TwoLayerNet()
    net.train(X, y, 1000, 1.0)
    assert accuracy(net.predict(X), y) == 0.75
    net.train(X, y, 1000, 1.0)
    assert accuracy(net.predict(X), y) == 1.0


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("param", ["W1[0,1]", "b1[2]", "W2[1,0]", "b2[0]"])
def test_gradient_along_is_the_slope_of_loss_along(activation: str, param: str) -> None:
    X, y = xor_data()
    net = TwoLayerNet(activation=activation, seed=3)
    net.train(X, y, 50, 0.5)
    before = net.params()
    offsets = np.linspace(-1.0, 1.0, 9) + 0.0123  # avoid exact ReLU kinks
    g = gradient_along(net, param, offsets)
    assert g.shape == offsets.shape
    h = 1e-6
    numeric = (net.loss_along(param, offsets + h) - net.loss_along(param, offsets - h)) / (2 * h)
    np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-9)
    for key, value in net.params().items():  # restored bit for bit
        assert np.array_equal(value, before[key])
    assert net.a2 is None
    # at offset 0 it is backward's value
    assert gradient_along(net, param, [0.0])[0] == pytest.approx(
        net.chain_rule_terms(X, y, param).gradient, rel=1e-15, abs=1e-300
    )


def test_gradient_along_validates() -> None:
    net = TwoLayerNet()
    with pytest.raises(ValueError):
        gradient_along(net, "W1[5,0]", [0.0])
    with pytest.raises(ValueError):
        gradient_along(net, "W1[0,0]", [np.inf])
    with pytest.raises(ValueError):
        gradient_along(net, "W1[0,0]", [1e101])
    assert gradient_along(net, "b2[0]", np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("activation", ACTIVATION_CHOICES)
@pytest.mark.parametrize("loss", LOSS_CHOICES)
@pytest.mark.parametrize("n_hidden", [2, 5])
def test_slice_along_equals_loss_along_and_backward_one_offset_at_a_time(activation, loss, n_hidden) -> None:
    X, y = xor_data()
    net = TwoLayerNet(n_hidden=n_hidden, activation=activation, loss=loss, seed=7)
    net.train(X, y, 30, 1.0)
    before = net.params()
    net.forward(X)
    cache = net.a2.copy()
    offsets = np.linspace(-3.0, 3.0, 13)
    for param in net.param_names():
        losses, grads = slice_along(net, param, offsets)
        np.testing.assert_allclose(losses, net.loss_along(param, offsets), rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(grads, gradient_along(net, param, offsets), rtol=1e-11, atol=1e-16)
        net.forward(X)
    for key, value in net.params().items():
        assert np.array_equal(value, before[key])
    assert np.array_equal(net.a2, cache)


def test_slice_along_shapes_data_and_validation() -> None:
    net = TwoLayerNet()
    losses, grads = slice_along(net, "W2[1,0]", np.zeros((2, 3)))
    assert losses.shape == grads.shape == (2, 3)
    X, y = xor_data()
    assert losses[0, 0] == pytest.approx(net.loss(X, y), rel=1e-15)
    other_X = np.array([[0.5, -1.0], [2.0, 0.25]])
    other_y = np.array([[1.0], [0.0]])
    l2, g2 = slice_along(net, "b1[2]", [0.0], other_X, other_y)
    assert l2[0] == pytest.approx(net.loss(other_X, other_y), rel=1e-15)
    assert g2[0] == pytest.approx(net.backward(other_X, other_y)["db1"][2], rel=1e-14)
    with pytest.raises(ValueError):
        slice_along(net, "W1[2,0]", [0.0])
    with pytest.raises(ValueError):
        slice_along(net, "b2[0]", [np.nan])
