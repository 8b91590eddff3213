"""ui.wording: every planted bug, chain-rule factor and activation of core has its on-screen words."""

from __future__ import annotations

import numpy as np
import pytest

from core.activations import ACTIVATIONS
from core.network import ACTIVATION_CHOICES, CHAIN_ROLES, LOSS_CHOICES, TwoLayerNet, xor_data
from core.planted_bugs import BUGS
from ui.wording import BUG_EXPLANATIONS, PEAK_TEXT, chain_factor_meaning, chain_step_meaning


def test_every_planted_bug_is_explained_once():
    assert set(BUG_EXPLANATIONS) == set(BUGS)
    assert all(text.strip() for text in BUG_EXPLANATIONS.values())


def test_every_activation_says_where_its_slope_peaks():
    assert set(PEAK_TEXT) == set(ACTIVATIONS)
    assert all(text.strip() for text in PEAK_TEXT.values())


@pytest.mark.parametrize("activation", ACTIVATION_CHOICES)
@pytest.mark.parametrize("loss", LOSS_CHOICES)
@pytest.mark.parametrize("n_out", [1, 2])
def test_every_chain_factor_is_put_in_words(activation, loss, n_out):
    X, _ = xor_data()
    y = xor_data()[1] if n_out == 1 else xor_data()[1].repeat(2, axis=1)
    net = TwoLayerNet(activation=activation, loss=loss, n_out=n_out)
    seen = set()
    for name in net.param_names():
        for factor in net.chain_rule_terms(X, y, name).factors:
            text = chain_factor_meaning(factor.role, factor.unit, net.activation, net.n_out)
            assert text.strip() and "None" not in text
            seen.add(factor.role)
    assert seen <= set(CHAIN_ROLES)
    # the words the Backprop page showed before the prose moved out of core
    w1 = net.chain_rule_terms(X, y, "W1[0,1]").factors
    words = [chain_factor_meaning(f.role, f.unit, activation, n_out) for f in w1]
    assert words[-1] == "the input x[0]"
    assert f"hidden {activation} slope f′(z₁) = " in words[-2]
    assert words[-3] == (
        "the weight W₂[1,0] from hidden unit 1" if n_out == 1 else "the weight W₂[1,·] from hidden unit 1"
    )


@pytest.mark.parametrize(
    ("loss", "n_out", "words"),
    [
        ("ce", 1, "output error a − y"),
        ("mse", 1, "output error (a − y)·σ′(z)"),
        ("mse", 3, "output error Jᵀ(a − y)"),
    ],
)
def test_every_playground_chain_link_is_put_in_words(loss, n_out, words):
    from core.chain_path import CHAIN_STEP_ROLES
    from core.mlp import MLP

    net = MLP([2, 3, 4, n_out], ["tanh", "relu"], loss, seed=1)
    X = np.array([[0.1, -0.2], [0.5, 0.3], [-1.0, 0.7]])
    labels = np.array([0, 1, 0]) if n_out > 1 else np.array([[0.0], [1.0], [0.0]])
    seen = {}
    for name in net.param_names():
        for step in net.chain_path(X, labels, name).steps:
            text = chain_step_meaning(
                step.role,
                step.unit,
                step.layer,
                mse=loss == "mse",
                output=net.output,
                activations=net.activations,
            )
            assert text.strip() and "None" not in text
            seen[step.role] = seen.get(step.role, set()) | {text}
    assert set(seen) == set(CHAIN_STEP_ROLES)
    assert seen["output_error"] == {words}
    assert seen["input"] == {"the input x[0]", "the input x[1]", "the input this weight multiplies"}
    assert seen["hidden_slope"] == {"tanh slope of that unit", "relu slope of that unit"}
    assert "error reaching hidden unit 2 of layer 2 (all paths above summed)" in seen["hidden_error"]
