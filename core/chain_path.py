"""The chain rule for one parameter of an MLP, link by link: ``ChainStep``, ``ChainPath`` and ``chain_path_of``.

``MLP.chain_path(X, y, name)`` calls :func:`chain_path_of`: the loss's gradient with respect to one
weight or bias, written as the product of the named quantities on its way back from the output
(for the step-through view), with each link's value for every sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from core.mlp import MLP

__all__ = ["CHAIN_STEP_ROLES", "ChainPath", "ChainStep", "chain_path_of"]

FloatArray = NDArray[np.float64]


CHAIN_STEP_ROLES: tuple[str, ...] = (
    "output_error",
    "hidden_error",
    "hidden_slope",
    "hidden_delta",
    "input",
    "bias",
)
"""The kinds of link :meth:`MLP.chain_path` produces (``ChainStep.role``)."""


@dataclass(frozen=True)
class ChainStep:
    """One link of a weight's chain: a named quantity with its value for each sample (``(m,)``)."""

    symbol: str  # plain text, e.g. "δ2[1]" (a0 is the input x)
    role: str  # one of CHAIN_STEP_ROLES (the pages put it in words, ui.wording)
    values: FloatArray
    unit: int | None = None  # the unit (or, for "input", the input index i) the link belongs to
    layer: int | None = None  # its layer (1-based; for "input", the layer of the weight)


@dataclass(frozen=True)
class ChainPath:
    """∂L/∂θ for one scalar parameter, built link by link from the output back to the parameter.

    ``steps`` run from the loss back to θ: the output error δ_L, then for each layer on the way the
    backpropagated ``∂L/∂a`` of the unit the path passes, its slope ``f′(z)``, their product
    ``δ = ∂L/∂z``, and last ``∂z/∂θ`` (the input activation, or 1 for a bias). ``per_sample`` is
    ``δ·∂z/∂θ`` for each sample, ``data_part`` their mean, ``penalty_part`` the regulariser's share,
    ``total = data_part + penalty_part``, ``gradient`` the same number from :meth:`MLP.backward`.
    """

    param: str
    value: float
    steps: tuple[ChainStep, ...]
    per_sample: FloatArray
    data_part: float
    penalty_part: float
    gradient: float

    @property
    def total(self) -> float:
        return self.data_part + self.penalty_part


def chain_path_of(net: MLP, X: ArrayLike, y: ArrayLike, name: str) -> ChainPath:
    """The chain rule for one scalar parameter, from the loss back to it, with per-sample numbers.

    For θ = W_l[i,j]: ∂L/∂θ = (1/m)·Σ_samples δ_l[j]·a_{l−1}[i] (+ the penalty's share), where
    δ_l[j] = f′_l(z_l[j])·Σ_k W_{l+1}[j,k]·δ_{l+1}[k] — every path from unit j to the output summed
    layer by layer. The steps list, for each layer on the way, the δ of the unit the chosen
    weight's own path reaches in that layer (unit j in layer l; the strongest link onward above it).
    """
    X, T = net._check_Xy(X, y)
    key, index = net._locate(name)
    grads = net.backward(X, T)  # runs and caches the forward pass the steps are read from
    assert net.zs is not None and net.acts is not None
    zs, acts = net.zs, net.acts
    m = X.shape[0]
    deltas = net._deltas(zs, acts, T)
    layer = int(key[1:])  # 1-based
    j = index[-1]
    steps: list[ChainStep] = []
    # the output end
    out_unit = 0
    if net.n_layers == layer:
        out_unit = j
    steps.append(
        ChainStep(
            f"δ{net.n_layers}[{out_unit}] = ∂L/∂z{net.n_layers}[{out_unit}]",
            "output_error",
            deltas[-1][:, out_unit],
            out_unit,
            net.n_layers,
        )
    )
    # back through the hidden layers above `layer`, following the unit on the path
    path_units = {}
    cur = j
    for lay in range(layer, net.n_layers):  # units on the way up from (layer, j)
        path_units[lay] = cur
        if lay + 1 < net.n_layers:
            cur = int(np.argmax(np.abs(net.W[lay][cur])))
    for lay in range(net.n_layers - 1, layer - 1, -1):  # hidden layer `lay` (1-based), down to `layer`
        u = path_units[lay]
        up = deltas[lay]  # (m, n_{lay+1}) for layer lay+1
        back = up @ net.W[lay].T  # m·∂L/∂a_lay
        slope = net._slopes[lay - 1](zs[lay - 1], acts[lay])
        steps.append(
            ChainStep(
                f"∂L/∂a{lay}[{u}] = Σₖ W{lay + 1}[{u},k]·δ{lay + 1}[k]",
                "hidden_error",
                back[:, u],
                u,
                lay,
            )
        )
        steps.append(ChainStep(f"f′(z{lay}[{u}])", "hidden_slope", slope[:, u], u, lay))
        steps.append(ChainStep(f"δ{lay}[{u}]", "hidden_delta", deltas[lay - 1][:, u], u, lay))
    if key[0] == "W":
        i = index[0]
        local = acts[layer - 1][:, i]
        steps.append(
            ChainStep(f"∂z{layer}[{j}]/∂W{layer}[{i},{j}] = a{layer - 1}[{i}]", "input", local, i, layer)
        )
    else:
        local = np.ones(m)
        steps.append(ChainStep(f"∂z{layer}[{j}]/∂b{layer}[{j}] = 1", "bias", local, j, layer))
    per_sample = deltas[layer - 1][:, j] * local
    value = float(net._array(key)[index])
    penalty_part = 0.0
    if key[0] == "W":
        penalty_part = net.l1 * float(np.sign(value)) + net.l2 * value
    return ChainPath(
        name,
        value,
        tuple(steps),
        per_sample,
        float(np.add.reduce(per_sample) / m),
        penalty_part,
        float(grads["d" + key][index]),
    )
