"""core.planted_bugs: each bug's backward pass is the net's own with exactly its one mistake."""

from __future__ import annotations

import itertools

import numpy as np

from core import gradient_check as gc
from core import planted_bugs as pb
from core.network import ACTIVATION_CHOICES, LOSS_CHOICES, TwoLayerNet, xor_data

X, Y = xor_data()


def test_correct_backward_matches_the_nets():
    for act, loss in itertools.product(ACTIVATION_CHOICES, LOSS_CHOICES):
        net = TwoLayerNet(activation=act, loss=loss)
        ours, theirs = pb.correct_backward(net, X, Y), net.backward(X, Y)
        for k in theirs:
            np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-15)


def test_bug_signatures():
    net = TwoLayerNet()
    good = net.backward(X, Y)
    m = X.shape[0]
    forgot = pb.bug_forget_1_over_m(net, X, Y)
    np.testing.assert_allclose(forgot["dW2"], m * good["dW2"])
    np.testing.assert_allclose(forgot["dW1"], good["dW1"])
    flipped = pb.bug_flip_sign(net, X, Y)
    for k in good:
        np.testing.assert_allclose(flipped[k], -good[k])
    scrambled = pb.bug_transpose(net, X, Y)
    assert scrambled["dW1"].shape == good["dW1"].shape  # shape-compatible: NumPy says nothing
    report = gc.check_gradient(gc.network_problem(net, X, Y, "transpose"), 1e-6)
    assert set(report.affected) == {"W1[0,1]", "W1[0,2]", "W1[1,0]", "W1[1,1]"}
    dropped = pb.bug_drop_hidden_slope(net, X, Y)
    np.testing.assert_allclose(dropped["dW2"], good["dW2"])
    for bug in pb.BUGS.values():
        assert bug.label
        if bug.backward is not None:
            out = bug.backward(net, X, Y)
            assert {k: v.shape for k, v in out.items()} == {k: v.shape for k, v in good.items()}
