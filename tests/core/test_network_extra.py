"""Tests for the small page helpers appended to core/network.py: accuracy and gradient_along."""

from __future__ import annotations

import numpy as np
import pytest

from core.network import (
    ACTIVATION_CHOICES,
    LOSS_CHOICES,
    TwoLayerNet,
    accuracy,
    gradient_along,
    slice_along,
    xor_data,
)


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
        net.chain_rule_terms(X, y, param).gradient, rel=1e-15, abs=1e-300)


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
