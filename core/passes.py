"""The forward pass, the loss and the backward pass of a multilayer perceptron, written once as plain functions.

Plain functions of the parameter lists, so that arrays may carry leading batch axes (one network
per entry: core.network.slice_along stacks one per offset). Samples and units are always the last
two axes. ``core.mlp.MLP`` and ``core.network.TwoLayerNet`` train, check and explain with these; the
formulas are written out in ``core.mlp``'s docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from core.activations import sigmoid
from core.softmax import softmax

__all__ = ["backprop_deltas", "data_loss", "forward_pass", "layer_grads", "output_delta"]

FloatArray = NDArray[np.float64]


def _t(a: FloatArray) -> FloatArray:
    """The last two axes swapped (``a.T`` for a matrix)."""
    return a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)


def _total(a: FloatArray) -> FloatArray:
    """Σ over the last two axes (samples and outputs), in one flat pairwise reduction per batch entry."""
    return np.add.reduce(a.reshape(a.shape[:-2] + (-1,)), -1)


def forward_pass(
    Ws: Sequence[FloatArray],
    bs: Sequence[FloatArray],
    fns: Sequence[Callable[..., FloatArray]],
    softmax_out: bool,
    X: FloatArray,
) -> tuple[list[FloatArray], list[FloatArray]]:
    """(zs, acts): acts[0] = X, z_l = a_{l−1} W_l + b_l, a_l = f_l(z_l); the last a is σ (or softmax) of the logits.

    ``fns`` are the hidden activations (one fewer than layers). With leading batch axes the biases
    carry a sample axis of 1, e.g. (k, 1, n_l).
    """
    zs, acts = [], [X]
    a = X
    for layer, f in enumerate(fns):
        z = a @ Ws[layer]
        z += bs[layer]
        a = f(z)
        zs.append(z)
        acts.append(a)
    z = a @ Ws[-1]
    z += bs[-1]
    zs.append(z)
    acts.append(softmax(z) if softmax_out else sigmoid(z))
    return zs, acts


def data_loss(z: FloatArray, a: FloatArray, T: FloatArray, mse: bool, softmax_out: bool) -> FloatArray:
    """L without the penalty: ½·Σ(a − y)²/m (mse), Σ(softplus(z) − y·z)/m (sigmoid CE), Σ(logsumexp(z) − y·z)/m."""
    m = z.shape[-2]
    if mse:
        d = a - T
        return 0.5 * (_total(d * d) / m)
    if not softmax_out:
        # softplus(z) − T·z written as T·softplus(−z) + (1 − T)·softplus(z): equal, but without the
        # cancellation between two large terms once the net is confident (|z| ≫ 1), so a small loss keeps
        # its relative precision (and central differences of it stay accurate).
        return _total(T * np.logaddexp(0.0, -z) + (1.0 - T) * np.logaddexp(0.0, z)) / m
    zmax = z.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(z - zmax).sum(axis=-1, keepdims=True)) + zmax
    return np.add.reduce(lse[..., 0] * T.sum(axis=-1) - (T * z).sum(axis=-1), -1) / m


def output_delta(a: FloatArray, T: FloatArray, mse: bool, softmax_out: bool) -> FloatArray:
    """m·∂L/∂z_L: a − y for cross-entropy, (a − y)⊙a(1 − a) for MSE on a sigmoid, Jᵀ(a − y) on a softmax."""
    d = a - T
    if not mse:
        return d
    if not softmax_out:
        return d * (a * (1.0 - a))
    return a * (d - (d * a).sum(axis=-1, keepdims=True))  # softmax Jacobianᵀ·d


def backprop_deltas(
    Ws: Sequence[FloatArray],
    zs: Sequence[FloatArray],
    acts: Sequence[FloatArray],
    slopes: Sequence[Callable[[FloatArray, FloatArray], FloatArray]],
    delta: FloatArray,
) -> list[FloatArray]:
    """δ_l = m·∂L/∂z_l for every layer (first layer first), from δ_L: δ_{l−1} = (δ_l W_lᵀ) ⊙ f′(z_{l−1})."""
    out = [delta]
    for layer in range(len(Ws) - 1, 0, -1):
        delta = delta @ _t(Ws[layer])
        delta *= slopes[layer - 1](zs[layer - 1], acts[layer])
        out.append(delta)
    return out[::-1]


def layer_grads(
    acts: Sequence[FloatArray], deltas: Sequence[FloatArray]
) -> list[tuple[FloatArray, FloatArray]]:
    """(∂L/∂W_l, ∂L/∂b_l) = (a_{l−1}ᵀ δ_l / m, Σ_samples δ_l / m) for every layer, without the penalty."""
    m = deltas[0].shape[-2]
    return [(_t(acts[layer]) @ delta / m, np.add.reduce(delta, -2) / m) for layer, delta in enumerate(deltas)]
