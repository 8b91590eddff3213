"""ui.wording: every planted bug, chain-rule factor and activation of core has its on-screen words."""

from __future__ import annotations

import pytest

from core.activations import ACTIVATIONS
from core.gradient_check import BUGS
from core.network import ACTIVATION_CHOICES, CHAIN_ROLES, LOSS_CHOICES, TwoLayerNet, xor_data
from ui.wording import BUG_EXPLANATIONS, PEAK_TEXT, chain_factor_meaning


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
    assert words[-3] == ("the weight W₂[1,0] from hidden unit 1" if n_out == 1 else
                         "the weight W₂[1,·] from hidden unit 1")
