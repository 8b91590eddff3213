"""The article's two-layer network (``SimpleNetwork``), trained on XOR, made inspectable.

Forward pass (one row per sample, ``m`` samples)::

    z1 = X W1 + b1      a1 = f(z1)      z2 = a1 W2 + b2      a2 = σ(z2)

``TwoLayerNet`` is ``core.mlp.MLP`` configured as the article's network: widths
``[n_in, n_hidden, n_out]``, one sigmoid per output, and the article's names for everything (``W1``,
``b1``, ``W2``, ``b2``, the cache ``z1``, ``a1``, ``z2``, ``a2``). Forward, loss and backward are the
MLP's (``core.passes.forward_pass``, ``data_loss``, ``backprop_deltas``, ``layer_grads``: written once,
used by training, slices, factors and checks). ``f`` is the hidden activation (``"sigmoid"``,
``"tanh"`` or ``"relu"``, from ``core.activations``). Two losses:

- ``"mse"``: the article's ``L = ½·mean((a2 − y)²)``, with the article's backward pass
  (∂L/∂a2 = a2 − y, then ``/m`` when forming dW and db). With one output the mean is over
  the ``m`` samples, exactly the article's ``np.mean``; with several outputs the squared errors
  are summed over outputs and averaged over samples, so the gradient stays exact.
- ``"bce"`` (the MLP's ``"ce"`` with sigmoid outputs): the binary cross-entropy averaged over the
  ``m`` samples and summed over outputs (with one output, the mean BCE), computed from the logits
  (never ``log(0)``), whose gradient w.r.t. z2 is ``(a2 − y)/m``.

With the defaults (``init="article"``, ``seed=42``) the weights are the article's to the last
bit (``RandomState(42).randn`` draws the same numbers as ``np.random.seed(42); np.random.randn``)
and ``train(X, y, 1000, 1.0)`` gives the article's losses, 0.133791 … 0.105993 (every epoch's loss
within ~1e-16 of the article script's: the same operations in the same order, up to the last-bit
rounding of the stable sigmoid).

Scalar parameters are named ``"W1[i,j]"``, ``"b1[j]"``, ``"W2[j,k]"``, ``"b2[k]"`` (0-based), for
the gradient-check table and the chain-rule step-through (:meth:`TwoLayerNet.chain_rule_terms`).

Numerical safety: inputs and targets must be finite with magnitude ≤ ``DATA_LIMIT`` and the
learning rate in [0, ``LR_LIMIT``]; a ReLU net's parameters are clipped to ``±PARAM_LIMIT``
after each update (a bound no sensible run reaches: it only stops a diverging ReLU run, whose
weights can grow geometrically, from overflowing; with sigmoid/tanh, a1 and the gradients are
bounded and the weights can only grow polynomially). Two layers leave room for a far larger
bound than the deep MLP's 1e6. No warnings, no inf/NaN, for any number of epochs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core import mlp, passes
from core.finite_diff import relative_error
from core.mlp import MLP

__all__ = [
    "ACTIVATION_CHOICES",
    "INIT_CHOICES",
    "LOSS_CHOICES",
    "DATA_LIMIT",
    "LR_LIMIT",
    "PARAM_KEYS",
    "PARAM_LIMIT",
    "CHAIN_ROLES",
    "ChainFactor",
    "ChainRuleTerms",
    "TwoLayerNet",
    "accuracy",
    "gradient_along",
    "slice_along",
    "parse_param_name",
    "relative_error",
    "xor_data",
]

FloatArray = NDArray[np.float64]
Grads = dict[str, FloatArray]

ACTIVATION_CHOICES: tuple[str, ...] = ("sigmoid", "tanh", "relu")
"""Hidden activations the network supports (keys of ``core.activations.ACTIVATIONS``)."""

LOSS_CHOICES: tuple[str, ...] = ("mse", "bce")
"""``"mse"`` = ½·mean((a2 − y)²) (the article's); ``"bce"`` = binary cross-entropy, mean over samples, summed over outputs."""

INIT_CHOICES: tuple[str, ...] = mlp.INIT_CHOICES
"""Weight initialisations: N(0, 0.5²) (the article's), Glorot/Xavier normal, He normal."""

PARAM_KEYS: tuple[str, ...] = ("W1", "b1", "W2", "b2")
"""The parameter arrays, in the order :meth:`TwoLayerNet.param_names` enumerates them."""

PARAM_LIMIT: float = 1e100
"""Largest parameter magnitude: set_params enforces it, ReLU training clips to it (z2 stays ≲ 1e210)."""

LR_LIMIT: float = mlp.LR_LIMIT
"""Largest accepted learning rate."""

DATA_LIMIT: float = mlp.DATA_LIMIT
"""Largest accepted |input| and |target| (X and y must also be finite)."""

_LOSS_IN_MLP = {"mse": "mse", "bce": "ce"}


def xor_data() -> tuple[FloatArray, FloatArray]:
    """The XOR truth table: X = [[0,0],[0,1],[1,0],[1,1]] (4, 2), y = [[0],[1],[1],[0]] (4, 1)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


def parse_param_name(name: str) -> tuple[str, tuple[int, ...]]:
    """Parse a scalar name: "W1[0,1]" → ("W1", (0, 1)), "b2[0]" → ("b2", (0,)) (weights 2 indices, biases 1)."""
    key, index = mlp.parse_param_name(name)
    if key not in PARAM_KEYS:
        raise ValueError(
            f"not a parameter name: {name!r} (expected e.g. 'W1[0,1]', 'b1[2]', 'W2[1,0]', 'b2[0]')"
        )
    return key, index


def _param(key: str) -> property:
    """``net.W1`` … ``net.b2``: the array itself (in-place edits change the net); assigning copies into it."""
    layer, weights = int(key[1]) - 1, key[0] == "W"

    def get(self: MLP) -> FloatArray:
        return (self.W if weights else self.b)[layer]

    def put(self: MLP, value: ArrayLike) -> None:
        get(self)[...] = value

    return property(get, put, doc=f"The parameter array {key} (a view: in-place edits change the net).")


def _cached(acts: bool, layer: int, doc: str) -> property:
    """``net.z1`` … ``net.a2``: the last :meth:`forward`'s values (``None`` before one); assigning None clears."""

    def get(self: MLP) -> FloatArray | None:
        cache = self.acts if acts else self.zs
        return None if cache is None else cache[layer]

    def put(self: MLP, value: FloatArray | None) -> None:
        if value is not None:
            raise ValueError("the forward cache is set by forward(); assign None to clear it")
        self.zs = self.acts = None

    return property(get, put, doc=doc)


# ---------------------------------------------------------------------------------------------
# result types


CHAIN_ROLES: tuple[str, ...] = (
    "output_error",  # ∂L/∂a2 = a2 − y (MSE)
    "output_slope",  # ∂a2/∂z2 = a2(1 − a2)
    "output_error_bce",  # ∂L/∂z2 = a2 − y (BCE and the sigmoid fused)
    "hidden_activation",  # ∂z2/∂W2[j,k] = a1[j]
    "output_bias",  # ∂z2/∂b2[k] = 1
    "hidden_weight",  # ∂z2/∂a1[j] = W2[j,·]
    "hidden_slope",  # ∂a1[j]/∂z1[j] = f′(z1[j])
    "input",  # ∂z1[j]/∂W1[i,j] = x[i]
    "hidden_bias",  # ∂z1[j]/∂b1[j] = 1
)
"""The kinds of factor :meth:`TwoLayerNet.chain_rule_terms` produces (``ChainFactor.role``)."""


@dataclass(frozen=True)
class ChainFactor:
    """One factor of the chain rule, evaluated for every sample.

    Fields:
        symbol: LaTeX of the partial derivative, e.g. ``\\frac{\\partial a_2}{\\partial z_2}``.
        text: the same as plain text, e.g. ``∂a₂/∂z₂`` (a table header needs no typesetting).
        role: which factor it is, one of ``CHAIN_ROLES`` (the pages put it in words, ``ui.wording``).
        values: its value for each sample, shape ``(m,)`` (``(m, n_out)`` for factors that run
            through the outputs when the net has several outputs).
        unit: the hidden unit j or input i the factor belongs to (``None`` for output factors).
    """

    symbol: str
    text: str
    role: str
    values: FloatArray
    unit: int | None = None


@dataclass(frozen=True)
class ChainRuleTerms:
    """The chain rule for one scalar parameter, factor by factor.

    ∂L/∂θ = (1/m) Σ_samples Π_factors — the loss is a mean over the m samples, so the gradient is
    the mean of the per-sample chains (the article's ``/m``).

    Fields:
        param: the parameter's name, e.g. ``"W1[0,1]"``.
        value: its current value.
        formula: LaTeX of the chain for this parameter.
        factors: the factors, outermost (the loss) first.
        per_sample: Π of the factors for each sample (summed over outputs when there are several),
            shape ``(m,)``.
        product: ``per_sample.sum() / m`` — the chain's value.
        gradient: the same derivative from :meth:`TwoLayerNet.backward` (equal to ~1e-16).
    """

    param: str
    value: float
    formula: str
    factors: tuple[ChainFactor, ...]
    per_sample: FloatArray
    product: float
    gradient: float

    @property
    def m(self) -> int:
        """Number of samples in the batch."""
        return int(self.per_sample.shape[0])

    @property
    def abs_error(self) -> float:
        """|product − gradient|."""
        return abs(self.product - self.gradient)


# ---------------------------------------------------------------------------------------------
# the network


class TwoLayerNet(MLP):
    """The article's ``SimpleNetwork``: n_in → n_hidden (activation) → n_out (sigmoid).

    ``TwoLayerNet()`` is the article's network: 2 → 3 sigmoid → 1 sigmoid, MSE, weights from seed 42.
    Constructing it twice with the same arguments gives bit-identical weights (that is "Reset").
    It is ``MLP([n_in, n_hidden, n_out], activation, loss, init, seed, output="sigmoid")`` with the
    article's names; every computation is the MLP's.

    Attributes:
        W1 (n_in, n_hidden), b1 (n_hidden,), W2 (n_hidden, n_out), b2 (n_out,): the parameters.
        z1, a1, z2, a2: the cache of the last :meth:`forward` (``None`` before the first one).
        epochs_trained: number of :meth:`train_step` calls since construction or :meth:`reset`.
    """

    param_limit = PARAM_LIMIT
    value_limit = PARAM_LIMIT

    W1 = _param("W1")
    b1 = _param("b1")
    W2 = _param("W2")
    b2 = _param("b2")
    z1 = _cached(False, 0, "Hidden pre-activations X W1 + b1 of the last forward pass.")
    a1 = _cached(True, 1, "Hidden activations f(z1) of the last forward pass.")
    z2 = _cached(False, 1, "Output logits a1 W2 + b2 of the last forward pass.")
    a2 = _cached(True, 2, "Outputs σ(z2) of the last forward pass.")

    def __init__(
        self,
        n_in: int = 2,
        n_hidden: int = 3,
        n_out: int = 1,
        activation: str = "sigmoid",
        loss: str = "mse",
        init: str = "article",
        seed: int = 42,
    ) -> None:
        """Build the net and draw its weights: W1 then W2 from ``RandomState(seed).randn``, biases 0."""
        for label, value in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= 64:
                raise ValueError(f"{label} must be an integer in [1, 64], got {value!r}")
        if activation not in ACTIVATION_CHOICES:
            raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
        if loss not in LOSS_CHOICES:
            raise ValueError(f"loss must be one of {LOSS_CHOICES}, got {loss!r}")
        super().__init__(
            [int(n_in), int(n_hidden), int(n_out)],
            activation,
            _LOSS_IN_MLP[loss],
            init=init,
            seed=seed,
            output="sigmoid",
        )
        self.n_hidden = int(n_hidden)
        self.activation = activation
        self.loss_name = loss

    @property
    def config(self) -> dict[str, Any]:
        """The constructor arguments: ``TwoLayerNet(**net.config)`` is this net freshly initialised."""
        return {
            "n_in": self.n_in,
            "n_hidden": self.n_hidden,
            "n_out": self.n_out,
            "activation": self.activation,
            "loss": self.loss_name,
            "init": self.init,
            "seed": self.seed,
        }

    def _locate(self, name: str) -> tuple[str, tuple[int, ...]]:
        """Parse ``name`` (W1, b1, W2 or b2) and check its indices against this net's shapes."""
        parse_param_name(name)
        return super()._locate(name)

    # -- views for the UI -----------------------------------------------------------------------

    def decision_grid(
        self, n: int = 50, lo: float = -0.5, hi: float = 1.5
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """P(class 1) on an n×n grid: probs[i, j] = a2 at (x0, x1) = (xs[j], ys[i]); n ≤ 50 (≤ 2500 cells).

        Returns ``(xs, ys, probs)`` with ``xs = ys = linspace(lo, hi, n)``; needs n_in = 2 and
        reports output 0. Leaves the cache alone.
        """
        if self.n_in != 2:
            raise ValueError("decision_grid needs a network with 2 inputs")
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= 50:
            raise ValueError(f"n must be an integer in [2, 50], got {n!r}")
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"need finite lo < hi, got {lo!r}, {hi!r}")
        xs = np.linspace(lo, hi, int(n))
        ys = xs.copy()
        gx, gy = np.meshgrid(xs, ys)
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        probs = self._forward(grid)[1][-1][:, 0].reshape(int(n), int(n))
        return xs, ys, probs

    def loss_along(
        self,
        param: str,
        offsets: ArrayLike,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
    ) -> FloatArray:
        """L(θ + δ) for each offset δ, moving only the scalar ``param`` (others fixed); XOR data by default.

        Returns an array shaped like ``offsets``. The parameter and the cache are left unchanged.
        Offsets that would push the value beyond ±PARAM_LIMIT are rejected.
        """
        return self._along(param, offsets, X, y, self._loss_at)

    def _loss_at(self, X: FloatArray, y: FloatArray, key: str, index: tuple[int, ...]) -> float:
        """L at the current parameters, without touching the forward cache."""
        zs, acts = self._forward(X)
        return self._data_loss(zs[-1], acts[-1], y)

    def _along(
        self,
        param: str,
        offsets: ArrayLike,
        X: ArrayLike | None,
        y: ArrayLike | None,
        measure: Callable[[FloatArray, FloatArray, str, tuple[int, ...]], float],
    ) -> FloatArray:
        """measure(X, y, key, index) at θ + δ for each offset δ, moving only the scalar ``param``.

        XOR data by default. The parameter is restored bit for bit; offsets that would push it
        beyond ±PARAM_LIMIT (or make it non-finite) are rejected.
        """
        if X is None or y is None:
            X, y = xor_data()
        X, y = self._check_Xy(X, y)
        key, index = self._locate(param)
        deltas = np.asarray(offsets, dtype=np.float64)
        arr = getattr(self, key)
        original = arr[index]
        values = original + deltas
        if not np.all(np.isfinite(values)) or np.any(np.abs(values) > PARAM_LIMIT):
            raise ValueError(f"offsets must keep {param} finite and within ±{PARAM_LIMIT:g}")
        out = np.empty(deltas.shape)
        try:
            for pos, value in np.ndenumerate(values):
                arr[index] = value
                out[pos] = measure(X, y, key, index)
        finally:
            arr[index] = original
        return out

    # -- the chain rule, one weight at a time -------------------------------------------------

    def chain_rule_terms(self, X: ArrayLike, y: ArrayLike, param: str) -> ChainRuleTerms:
        """∂L/∂θ = (1/m) Σ_k Π factors_k, e.g. for W1[i,j]: ∂L/∂a2 · ∂a2/∂z2 · ∂z2/∂a1_j · ∂a1_j/∂z1_j · ∂z1_j/∂W1[i,j].

        The factors are evaluated per sample on a fresh forward pass of ``X`` (which updates the
        cache). For "bce" the first two factors fuse into ∂L/∂z2 = a2 − y (their product, without
        the 0/0 that a saturated output would give). ``gradient`` is :meth:`backward`'s value.
        """
        X, y = self._check_Xy(X, y)
        key, index = self._locate(param)
        grads = self.backward(X, y)  # also refreshes the cache for X
        assert self.z1 is not None and self.a1 is not None and self.a2 is not None
        z1, a1, a2 = self.z1, self.a1, self.a2
        m = X.shape[0]
        factors: list[ChainFactor] = []
        symbols: list[str] = []

        def add(symbol: str, text: str, role: str, values: FloatArray, unit: int | None = None) -> None:
            """Record one factor: its LaTeX and plain symbols, its role, its per-sample values and its unit."""
            factors.append(ChainFactor(symbol, text, role, np.array(values, dtype=np.float64), unit))
            symbols.append(symbol)

        # the output end of the chain, for the outputs this parameter reaches
        # (the output k of W2[j,k] / b2[k]; all outputs, as (m, n_out) columns, for a first-layer
        # parameter of a net with several outputs; else output 0, giving (m,) vectors)
        outs: slice | int
        if key in ("W2", "b2"):
            outs = index[-1]
        else:
            outs = slice(None) if self.n_out > 1 else 0
        if self._mse:
            add(r"\frac{\partial L}{\partial a_2}", "∂L/∂a₂", "output_error", (a2 - y)[:, outs])
            add(r"\frac{\partial a_2}{\partial z_2}", "∂a₂/∂z₂", "output_slope", (a2 * (1.0 - a2))[:, outs])
        else:
            add(r"\frac{\partial L}{\partial z_2}", "∂L/∂z₂", "output_error_bce", (a2 - y)[:, outs])

        def col(values: FloatArray) -> FloatArray:
            """A per-sample column, widened to (m, n_out) when the upstream factors are."""
            return values if factors[0].values.ndim == 1 else np.repeat(values[:, None], self.n_out, axis=1)

        if key == "W2":
            j, k = index
            add(
                rf"\frac{{\partial z_2}}{{\partial W_2[{j},{k}]}}",
                f"∂z₂/∂W₂[{j},{k}]",
                "hidden_activation",
                a1[:, j],
                j,
            )
            tex = rf"W_2[{j},{k}]"
        elif key == "b2":
            add(
                rf"\frac{{\partial z_2}}{{\partial b_2[{index[0]}]}}",
                f"∂z₂/∂b₂[{index[0]}]",
                "output_bias",
                np.ones(m),
            )
            tex = rf"b_2[{index[0]}]"
        else:
            j = index[-1]
            weights = self.W2[j, :] if self.n_out > 1 else np.full(m, self.W2[j, 0])
            add(
                rf"\frac{{\partial z_2}}{{\partial a_1[{j}]}}",
                f"∂z₂/∂a₁[{j}]",
                "hidden_weight",
                np.broadcast_to(weights, factors[0].values.shape),
                j,
            )
            add(
                rf"\frac{{\partial a_1[{j}]}}{{\partial z_1[{j}]}}",
                f"∂a₁[{j}]/∂z₁[{j}]",
                "hidden_slope",
                col(self._slopes[0](z1, a1)[:, j]),
                j,
            )
            if key == "W1":
                i = index[0]
                add(
                    rf"\frac{{\partial z_1[{j}]}}{{\partial W_1[{i},{j}]}}",
                    f"∂z₁[{j}]/∂W₁[{i},{j}]",
                    "input",
                    col(X[:, i]),
                    i,
                )
                tex = rf"W_1[{i},{j}]"
            else:
                add(
                    rf"\frac{{\partial z_1[{j}]}}{{\partial b_1[{j}]}}",
                    f"∂z₁[{j}]/∂b₁[{j}]",
                    "hidden_bias",
                    col(np.ones(m)),
                    j,
                )
                tex = rf"b_1[{j}]"

        prod = factors[0].values
        for factor in factors[1:]:
            prod = prod * factor.values
        per_sample = prod if prod.ndim == 1 else np.add.reduce(prod, 1)
        formula = (
            rf"\frac{{\partial L}}{{\partial {tex}}} = \frac{{1}}{{m}}\sum_{{k=1}}^{{m}} "
            + r" \cdot ".join(symbols)
        )
        return ChainRuleTerms(
            param=param,
            value=float(getattr(self, key)[index]),
            formula=formula,
            factors=tuple(factors),
            per_sample=per_sample,
            product=float(np.add.reduce(per_sample) / m),
            gradient=float(grads["d" + key][index]),
        )


# ---------------------------------------------------------------------------------------------
# small views for the backprop page


def accuracy(predictions: ArrayLike, targets: ArrayLike, threshold: float = 0.5) -> float:
    """Fraction of samples classified right: every output on the same side of ``threshold`` as its target.

    XOR counts as solved when this is 1.0 (all four predictions on the right side of 0.5).
    """
    p = np.asarray(predictions, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64).reshape(p.shape)
    if p.size == 0:
        raise ValueError("need at least one prediction")
    right = (p > threshold) == (t > threshold)
    rows = right.reshape(right.shape[0], -1) if right.ndim > 1 else right.reshape(-1, 1)
    return float(np.count_nonzero(rows.all(axis=1)) / rows.shape[0])


def slice_along(
    net: TwoLayerNet,
    param: str,
    offsets: ArrayLike,
    X: ArrayLike | None = None,
    y: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """(L(θ + δ), ∂L/∂θ at θ + δ) for each offset δ, moving only the scalar ``param`` (XOR data by default).

    One batched forward and backward pass over all offsets at once (the arithmetic of
    :meth:`TwoLayerNet.loss` and :meth:`TwoLayerNet.backward`, with a leading offset axis), for
    drawing the loss along one weight with its slope. Both arrays are shaped like ``offsets``;
    the network (parameters and cache) is left unchanged.
    """
    if X is None or y is None:
        X, y = xor_data()
    X, y = net._check_Xy(X, y)
    key, index = net._locate(param)
    deltas = np.asarray(offsets, dtype=np.float64)
    values = getattr(net, key)[index] + deltas.ravel()
    if not np.all(np.isfinite(values)) or np.any(np.abs(values) > PARAM_LIMIT):
        raise ValueError(f"offsets must keep {param} finite and within ±{PARAM_LIMIT:g}")
    k = values.size
    p = {name: np.repeat(getattr(net, name)[None], k, axis=0) for name in PARAM_KEYS}
    where: tuple[Any, ...] = (slice(None), *index)
    p[key][where] = values
    Ws, bs = [p["W1"], p["W2"]], [p["b1"][:, None, :], p["b2"][:, None, :]]
    zs, acts = passes.forward_pass(Ws, bs, net._fns, False, X)  # (k, m, units) each
    losses = passes.data_loss(zs[-1], acts[-1], y, net._mse, False)
    errors = passes.backprop_deltas(Ws, zs, acts, net._slopes, net._output_delta(acts[-1], y))
    (dW1, db1), (dW2, db2) = passes.layer_grads(acts, errors)
    g = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}[key]
    grads = g[where]
    return losses.reshape(deltas.shape), np.asarray(grads, dtype=np.float64).reshape(deltas.shape)


def gradient_along(
    net: TwoLayerNet,
    param: str,
    offsets: ArrayLike,
    X: ArrayLike | None = None,
    y: ArrayLike | None = None,
) -> FloatArray:
    """∂L/∂θ (from :meth:`TwoLayerNet.backward`) at θ + δ for each offset δ, moving only ``param``.

    The slope of :meth:`TwoLayerNet.loss_along` along the same offsets (XOR data by default).
    Returns an array shaped like ``offsets``; the parameter is restored bit for bit and the
    forward cache is cleared afterwards (it held the last moved value).
    """

    def grad_at(X: FloatArray, y: FloatArray, key: str, index: tuple[int, ...]) -> float:
        return float(net.backward(X, y)["d" + key][index])

    try:
        return net._along(param, offsets, X, y, grad_at)
    finally:
        net.z1 = net.a1 = net.z2 = net.a2 = None
