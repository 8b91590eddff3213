"""Tests for core/mlp.py: the general MLP — the article's numbers, TwoLayerNet's, and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from core.activations import ACTIVATIONS
from core.datasets import make_dataset
from core.finite_diff import relative_error
from core.history import train_mlp_history
from core.mlp import INIT_CHOICES, MLP, parse_param_name
from core.network import TwoLayerNet, xor_data

# What the article's script prints (the same lines as tests/core/test_network.py).
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


def test_article_configuration_prints_the_article_numbers() -> None:
    X, y = xor_data()
    net = MLP([2, 3, 1], "sigmoid", "mse", init="article", seed=42)
    history = net.train(X, y, 1000, 1.0)
    assert [f"Epoch {e:4d}: Loss = {history[e]:.6f}" for e in range(0, 1000, 100)] == ARTICLE_LOSS_LINES
    assert [f"{p:.4f}" for p in net.predict(X)[:, 0]] == ARTICLE_PREDICTIONS


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", [("mse", "mse"), ("bce", "ce")])
@pytest.mark.parametrize("init", INIT_CHOICES)
@pytest.mark.parametrize("hidden", [1, 3, 8])
def test_two_layer_configuration_equals_two_layer_net_bit_for_bit(activation, loss, init, hidden) -> None:
    X, y = xor_data()
    old = TwoLayerNet(n_hidden=hidden, activation=activation, loss=loss[0], init=init, seed=7)
    new = MLP([2, hidden, 1], activation, loss[1], init=init, seed=7)
    for key, value in old.params().items():  # same initial weights, same names and (n_in, n_out) layout
        np.testing.assert_array_equal(getattr(new, key), value)
    if loss[0] == "mse":
        assert new.loss(X, y) == old.loss(X, y)
    else:  # the MLP's BCE avoids a cancellation TwoLayerNet's form has: equal to rounding
        assert new.loss(X, y) == pytest.approx(old.loss(X, y), rel=1e-14)
    np.testing.assert_array_equal(new.predict(X), old.predict(X))
    g_old, g_new = old.backward(X, y), new.backward(X, y)
    assert g_old.keys() == g_new.keys()
    for key in g_old:
        np.testing.assert_array_equal(g_new[key], g_old[key])
    assert new.train(X, y, 300, 0.7) == old.train(X, y, 300, 0.7)  # every epoch's loss, exactly
    for key, value in old.params().items():
        np.testing.assert_array_equal(getattr(new, key), value)
    assert new.param_names() == old.param_names()


def test_several_sigmoid_outputs_equal_two_layer_net() -> None:
    """TwoLayerNet with n_out > 1 has one sigmoid per output (multi-label): output="sigmoid" is that net."""
    X, _ = xor_data()
    Y = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    for old_loss, new_loss in (("mse", "mse"), ("bce", "ce")):
        old = TwoLayerNet(n_hidden=4, n_out=2, loss=old_loss, activation="tanh", init="xavier", seed=3)
        new = MLP([2, 4, 2], "tanh", new_loss, init="xavier", seed=3, output="sigmoid")
        g_old, g_new = old.backward(X, Y), new.backward(X, Y)
        for key in g_old:
            np.testing.assert_array_equal(g_new[key], g_old[key])
        assert new.train(X, Y, 200, 0.5) == old.train(X, Y, 200, 0.5)
    with pytest.raises(ValueError, match="softmax"):
        MLP([2, 3, 1], output="softmax")


# -- gradients against central differences, random architectures -----------------------------

ACTS = sorted(ACTIVATIONS)


@st.composite
def architectures(draw):
    depth = draw(st.integers(1, 4))  # hidden layers
    widths = [draw(st.integers(1, 8)) for _ in range(depth)]
    n_out = draw(st.sampled_from([1, 2, 3]))
    acts = [draw(st.sampled_from(ACTS)) for _ in range(depth)]
    loss = draw(st.sampled_from(["mse", "ce"]))
    reg = draw(st.sampled_from([(0.0, 0.0), (0.01, 0.0), (0.0, 0.05), (0.02, 0.03)]))
    init = draw(st.sampled_from(INIT_CHOICES))
    seed = draw(st.integers(0, 10_000))
    return [2, *widths, n_out], acts, loss, reg, init, seed


def _random_biases(net: MLP, seed: int) -> None:
    """Non-zero biases: with zero biases a dead ReLU layer feeds exactly z = 0 to the next layer, a kink
    (ReLU, leaky ReLU) or a jump in f″ (ELU) where central differences do not measure the derivative.
    Weights within 1e-3 of 0 are moved to ±1e-3: |w| (L1) has a kink at 0 too."""
    rng = np.random.RandomState(seed + 1)
    net.set_params({f"b{k}": rng.randn(n) * 0.5 for k, n in enumerate(net.sizes[1:], start=1)})
    for w in net.W:
        w[np.abs(w) < 1e-3] = np.copysign(1e-3, w[np.abs(w) < 1e-3])


def _data(n_out: int, seed: int, m: int = 7):
    rng = np.random.RandomState(seed)
    X = rng.randn(m, 2)
    labels = rng.randint(0, max(n_out, 2), size=m)
    return X, labels if n_out > 1 else labels.astype(float)


KINKED = {"relu", "leaky_relu", "elu"}  # f′ (ELU: f″) jumps at z = 0
KINK_MARGIN = 1e-3  # a pre-activation this close to a kink: a ±h step of a weight can cross it


def _near_a_kink(net: MLP, acts: list[str], X: np.ndarray) -> bool:
    """Some hidden unit's pre-activation sits within KINK_MARGIN of its activation's kink: there central
    differences average the two one-sided slopes and measure no derivative (found by Hypothesis:
    [2, 8, 3, 8, 1], leaky ReLU, seed 9999, relative error 3.6e-3)."""
    zs, _ = net._forward(X)
    return any(
        act in KINKED and bool(np.any(np.abs(z) < KINK_MARGIN)) for act, z in zip(acts, zs, strict=False)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
@example(([2, 8, 3, 8, 1], ["leaky_relu"] * 3, "mse", (0.0, 0.0), "he", 9999))  # was near a kink: skipped
def test_gradients_equal_central_differences(arch) -> None:
    sizes, acts, loss, (l1, l2), init, seed = arch
    net = MLP(sizes, acts, loss, init=init, seed=seed, l1=l1, l2=l2)
    _random_biases(net, seed)
    X, y = _data(sizes[-1], seed)
    assume(not _near_a_kink(net, acts, X))
    analytic = net.backward(X, y)
    numeric = net.numeric_gradients(X, y, h=1e-5)
    a = np.concatenate([analytic[k].ravel() for k in sorted(analytic)])
    n = np.concatenate([numeric[k].ravel() for k in sorted(numeric)])
    if np.linalg.norm(a) < 1e-9:  # a flat spot (dead ReLUs): nothing to compare but zeros
        np.testing.assert_allclose(n, 0.0, atol=1e-9)
        return
    assert relative_error(a, n) <= 1e-7, (sizes, acts, loss, l1, l2)


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("loss", ["mse", "ce"])
@pytest.mark.parametrize("n_out", [1, 3])
@pytest.mark.parametrize("reg", [(0.0, 0.0), (0.01, 0.02)])
def test_every_activation_and_loss_checks(activation, loss, n_out, reg) -> None:
    """The same check, exhaustively over the registry: depth 2, widths 4 and 3."""
    net = MLP([2, 4, 3, n_out], activation, loss, init="xavier", seed=3, l1=reg[0], l2=reg[1])
    _random_biases(net, 3)
    X, y = _data(n_out, 5)
    analytic, numeric = net.backward(X, y), net.numeric_gradients(X, y, h=1e-5)
    a = np.concatenate([analytic[k].ravel() for k in sorted(analytic)])
    n = np.concatenate([numeric[k].ravel() for k in sorted(numeric)])
    assert relative_error(a, n) <= 1e-7


def test_training_step_follows_the_gradient() -> None:
    X, y = _data(1, 0, m=9)
    net = MLP([2, 5, 4, 1], "tanh", "ce", init="he", seed=1, l1=0.01, l2=0.1)
    before = net.params()
    grads = net.backward(X, y)
    loss = net.loss(X, y)
    assert net.train_step(X, y, 0.3) == pytest.approx(loss, rel=1e-14)
    for key, value in before.items():
        np.testing.assert_allclose(getattr(net, key), value - 0.3 * grads["d" + key], rtol=0, atol=1e-14)


def test_mini_batches_are_seeded_and_cover_the_data() -> None:
    X, y = _data(1, 2, m=23)
    a = MLP([2, 4, 1], "relu", "ce", init="he", seed=1)
    b = MLP([2, 4, 1], "relu", "ce", init="he", seed=1)
    assert a.train(X, y, 20, 0.1, batch_size=5, shuffle_seed=3) == b.train(
        X, y, 20, 0.1, batch_size=5, shuffle_seed=3
    )
    c = MLP([2, 4, 1], "relu", "ce", init="he", seed=1)
    c.train(X, y, 20, 0.1, batch_size=5, shuffle_seed=4)
    assert not np.array_equal(a.W1, c.W1)
    full = MLP([2, 4, 1], "relu", "ce", init="he", seed=1)
    ref = MLP([2, 4, 1], "relu", "ce", init="he", seed=1)
    assert full.train(X, y, 5, 0.1, batch_size=100) == ref.train(X, y, 5, 0.1)


def test_chain_path_multiplies_out_to_the_gradient() -> None:
    X, y = _data(1, 4, m=6)
    net = MLP([2, 5, 4, 3, 1], "tanh", "mse", init="xavier", seed=2, l2=0.01, l1=0.003)
    for name in ("W1[0,2]", "b1[4]", "W2[3,1]", "b3[0]", "W4[2,0]", "b4[0]"):
        path = net.chain_path(X, y, name)
        assert path.total == pytest.approx(path.gradient, rel=1e-12, abs=1e-15)
        numeric = net.numeric_gradient(X, y, name, h=1e-6)
        assert relative_error(path.total, numeric) < 1e-6
        assert path.steps[0].values.shape == (6,)
        # each hidden δ is the product of the two links before it
        for k in range(1, len(path.steps) - 1, 3):
            np.testing.assert_allclose(
                path.steps[k].values * path.steps[k + 1].values,
                path.steps[k + 2].values,
                rtol=1e-12,
                atol=1e-15,
            )


def test_softmax_output_and_labels() -> None:
    net = MLP([2, 4, 3], "relu", "ce", init="he", seed=0)
    X = np.random.RandomState(0).randn(10, 2)
    p = net.predict(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert set(net.classify(X)) <= {0, 1, 2}
    with pytest.raises(ValueError, match="class labels"):
        net.loss(X, np.full(10, 3))


@pytest.mark.parametrize("activation", ACTS)
def test_extreme_settings_stay_finite(activation) -> None:
    X = np.random.RandomState(0).randn(20, 2) * 1e5
    y = (X[:, 0] > 0).astype(float)
    net = MLP([2, 8, 8, 8, 8, 1], activation, "ce", init="he", seed=0, l2=1000.0)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        hist = net.train(X, y, 30, 1e6, batch_size=4)
    assert np.all(np.isfinite(hist))
    assert all(np.all(np.isfinite(getattr(net, k))) for k in net.param_keys)


def test_parameter_names_and_errors() -> None:
    assert parse_param_name("W12[3,4]") == ("W12", (3, 4))
    net = MLP([2, 3, 2], "tanh", "ce")
    assert net.param_names()[-1] == "b2[1]" and len(net.param_names()) == net.n_params == 6 + 3 + 6 + 2
    for bad in ("W3[0,0]", "W1[2,0]", "b1[0,1]", "x", "W1[0]"):
        with pytest.raises(ValueError):
            net.get_param(bad)
    for bad in (
        {"sizes": [2]},
        {"sizes": [2, 0, 1]},
        {"activation": "nope"},
        {"loss": "hinge"},
        {"init": "zeros"},
        {"seed": -1},
        {"l2": -1.0},
    ):
        with pytest.raises(ValueError):
            MLP(**{"sizes": [2, 3, 1], **bad})


def test_a_confident_nets_small_loss_keeps_its_precision() -> None:
    """BCE of a confident net: no cancellation, so central differences still check to ~1e-9."""
    d = make_dataset("circles", 200, 0.1, 0)
    net = MLP([2, 6, 6, 1], "tanh", "ce", init="xavier", seed=1)
    net.train(d.X_train, d.y_train, 200, 0.3, batch_size=10)
    assert net.loss(d.X_train, d.y_train) < 0.01
    for name in ("W1[0,0]", "W2[3,1]", "b3[0]"):
        path = net.chain_path(d.X_train, d.y_train, name)
        assert relative_error(path.total, net.numeric_gradient(d.X_train, d.y_train, name, h=1e-6)) < 1e-8


@pytest.mark.parametrize(
    ("name", "n", "hidden", "epochs"),
    [
        ("circles", 200, [6, 6], 200),
        ("moons", 200, [6, 6], 200),
        ("xor", 200, [6, 6], 200),
        ("gaussian", 200, [6, 6], 200),
        ("spirals", 400, [8, 8, 8], 300),
    ],
)
def test_the_pages_settings_reach_95_percent_test_accuracy(name, n, hidden, epochs) -> None:
    """The playground's defaults (tanh, CE, Xavier, η = 0.3, batches of 10) and its Spirals preset."""
    d = make_dataset(name, n, 0.1, 0)
    net = MLP([2, *hidden, 1], "tanh", "ce", init="xavier", seed=1)
    h = train_mlp_history(
        net, d.X_train, d.y_train, d.X_test, d.y_test, epochs, 0.3, 10, frames=3, grid_n=2, extent=d.extent
    )
    assert h.test_acc[-1] >= 0.95
    assert int(np.argmax(h.test_acc >= 0.95)) <= epochs // 2  # reached in the first half of the replay
