"""A general multilayer perceptron, written once: any widths, any activations, MSE or cross-entropy.

Forward pass (one row per sample, ``m`` samples, ``L`` weight layers, ``a₀ = X``)::

    z_l = a_{l−1} W_l + b_l        a_l = f_l(z_l)   (l = 1 … L−1, hidden)
    z_L = a_{L−1} W_L + b_L        a_L = σ(z_L) with 1 output unit, softmax(z_L) with 2 or more

``W_l`` has shape ``(n_{l−1}, n_l)`` (inputs along rows, as in the article and ``TwoLayerNet``), and
the parameters are named ``W1, b1, …, WL, bL``. Hidden activations come from
``core.activations.ACTIVATIONS`` (one per hidden layer, or one for all).

Losses (``m`` samples, targets ``y`` of shape ``(m, n_out)``; class labels are turned into them):

- ``"mse"``: ``½·Σ(a_L − y)²/m`` — the article's ``½·mean((a₂ − y)²)`` with one output;
- ``"ce"``: cross-entropy from the logits, ``Σ(softplus(z) − y·z)/m`` for a sigmoid output (binary
  cross-entropy, never ``log 0``) and ``Σ(logsumexp(z) − y·z)/m`` for a softmax output;

plus the regularisation penalty ``l1·Σ|W| + ½·l2·ΣW²`` over the weights (not the biases).

Backward pass (the chain rule, layer by layer)::

    δ_L = m·∂L/∂z_L                          (a_L − y for cross-entropy; (a_L − y)⊙σ′ or Jᵀ(a_L − y) for MSE)
    ∂L/∂W_l = a_{l−1}ᵀ δ_l / m + l1·sign(W_l) + l2·W_l        ∂L/∂b_l = Σ_samples δ_l / m
    δ_{l−1} = (δ_l W_lᵀ) ⊙ f′_{l−1}(z_{l−1})

Configured as the article's network — ``MLP([2, 3, 1], "sigmoid", "mse", init="article", seed=42)`` —
it draws the article's weights (``RandomState(42).randn``, W1 then W2, ×0.5, zero biases) and trains to
the article's losses (0.133791 … 0.105993 over 1000 epochs at lr = 1): the same arithmetic as
``core.network.TwoLayerNet``.

Numerical safety: the output is a sigmoid or softmax, so every loss is bounded and finite. With an
unbounded hidden activation (ReLU, ELU, GELU…) or a regulariser (whose ``lr·l2·W`` step can overshoot
geometrically) the parameters are clipped to ``±PARAM_LIMIT`` after each update, so a diverging run
stays finite through four hidden layers (no inf/NaN, no warnings); no sane run comes near the clip.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.activations import ACTIVATIONS
from core.chain_path import ChainPath, chain_path_of
from core.gradient_check import CheckReport, check_gradient, network_problem
from core.initialisation import INITS
from core.passes import backprop_deltas, data_loss, forward_pass, layer_grads, output_delta

__all__ = [
    "DATA_LIMIT",
    "INIT_CHOICES",
    "LOSS_CHOICES",
    "LR_LIMIT",
    "MAX_LAYERS",
    "MAX_WIDTH",
    "PARAM_LIMIT",
    "MLP",
    "parse_param_name",
]

FloatArray = NDArray[np.float64]
Grads = dict[str, FloatArray]

LOSS_CHOICES: tuple[str, ...] = ("mse", "ce")
"""``"mse"`` = ½·Σ(a − y)²/m (the article's); ``"ce"`` = cross-entropy (binary for 1 output, softmax for 2+)."""

INIT_CHOICES: tuple[str, ...] = ("article", "xavier", "he")
"""N(0, 0.5²) (the article's), Glorot/Xavier normal √(2/(fan_in+fan_out)), He normal √(2/fan_in)."""

MAX_LAYERS = 8
"""Most weight layers (hidden layers + 1)."""

MAX_WIDTH = 64
"""Widest layer."""

PARAM_LIMIT = 1e6
"""Largest parameter magnitude after an update when a hidden activation is unbounded."""

LR_LIMIT = 1e6
"""Largest accepted learning rate."""

DATA_LIMIT = 1e6
"""Largest accepted |input| and |target|."""

_BOUNDED = ("sigmoid", "tanh")
_NAME_RE = re.compile(r"\s*([Wb])([1-9][0-9]?)\s*\[\s*([0-9]+)\s*(?:,\s*([0-9]+)\s*)?\]\s*")


def _check_h(h: float) -> float:
    """The central-difference step as a positive finite float."""
    h = float(h)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"h must be a positive finite number, got {h!r}")
    return h


def parse_param_name(name: str) -> tuple[str, tuple[int, ...]]:
    """ "W2[0,1]" → ("W2", (0, 1)), "b3[2]" → ("b3", (2,)); weights take two indices, biases one."""
    match = _NAME_RE.fullmatch(name) if isinstance(name, str) and len(name) <= 64 else None
    if match is None:
        raise ValueError(f"not a parameter name: {name!r} (expected e.g. 'W1[0,1]' or 'b2[0]')")
    kind, layer, i, j = match.group(1), match.group(2), int(match.group(3)), match.group(4)
    key = f"{kind}{layer}"
    if kind == "W":
        if j is None:
            raise ValueError(f"{name!r}: a weight needs two indices, like '{key}[0,1]'")
        return key, (i, int(j))
    if j is not None:
        raise ValueError(f"{name!r}: a bias takes one index, like '{key}[0]'")
    return key, (i,)


# Hidden slopes read off the forward cache where that is exact and cheap (σ′ = a(1 − a), tanh′ = 1 − a²,
# ReLU′ = 1[z > 0], the formulas of core.network); every other activation uses its registry derivative.
def _slope_fn(name: str) -> Callable[[FloatArray, FloatArray], FloatArray]:
    if name == "sigmoid":
        return lambda z, a: a * (1.0 - a)
    if name == "tanh":
        return lambda z, a: 1.0 - a * a
    if name == "relu":
        return lambda z, a: (z > 0.0).astype(np.float64)
    grad = ACTIVATIONS[name].grad
    return lambda z, a: grad(z)


class MLP:
    """A multilayer perceptron ``sizes[0] → … → sizes[-1]``; see the module docstring for the maths.

    ``MLP([2, 3, 1])`` is the article's network (2 → 3 sigmoid → 1 sigmoid, MSE, seed-42 weights).
    Parameters are ``net.W1, net.b1, …`` (arrays, edited in place by training) or ``net.params()``.
    """

    param_limit: float = PARAM_LIMIT
    """Training clips the parameters to ±param_limit when a hidden activation is unbounded or a penalty is on."""

    value_limit: float = math.inf
    """Largest |value| set_param and set_params accept."""

    def __init__(
        self,
        sizes: Sequence[int] = (2, 3, 1),
        activation: str | Sequence[str] = "sigmoid",
        loss: str = "mse",
        init: str = "article",
        seed: int = 42,
        l1: float = 0.0,
        l2: float = 0.0,
        output: str | None = None,
    ) -> None:
        """``output``: "sigmoid" (one probability per output unit: binary, or multi-label like ``TwoLayerNet``
        with several outputs) or "softmax" (one distribution over the classes); by default sigmoid for one
        output unit and softmax for two or more."""
        sizes = list(sizes)
        if not 2 <= len(sizes) <= MAX_LAYERS + 1:
            raise ValueError(f"sizes needs 2 to {MAX_LAYERS + 1} layer widths, got {len(sizes)}")
        for n in sizes:
            if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_WIDTH:
                raise ValueError(f"every width must be an integer in [1, {MAX_WIDTH}], got {n!r}")
        n_hidden_layers = len(sizes) - 2
        acts = [activation] * n_hidden_layers if isinstance(activation, str) else list(activation)
        if len(acts) != n_hidden_layers:
            raise ValueError(f"need {n_hidden_layers} hidden activations, got {len(acts)}")
        for a in acts:
            if a not in ACTIVATIONS:
                raise ValueError(f"activation must be one of {tuple(ACTIVATIONS)}, got {a!r}")
        if loss not in LOSS_CHOICES:
            raise ValueError(f"loss must be one of {LOSS_CHOICES}, got {loss!r}")
        if init not in INIT_CHOICES:
            raise ValueError(f"init must be one of {INIT_CHOICES}, got {init!r}")
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**32:
            raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
        for label, value in (("l1", l1), ("l2", l2)):
            if not (math.isfinite(float(value)) and 0.0 <= float(value) <= 1e3):
                raise ValueError(f"{label} must be in [0, 1000], got {value!r}")
        self.sizes: tuple[int, ...] = tuple(int(n) for n in sizes)
        self.activations: tuple[str, ...] = tuple(acts)
        self.loss_name = loss
        self.init = init
        self.seed = int(seed)
        self.l1 = float(l1)
        self.l2 = float(l2)
        self.n_layers = len(self.sizes) - 1
        self.n_in, self.n_out = self.sizes[0], self.sizes[-1]
        if output is None:
            output = "sigmoid" if self.n_out == 1 else "softmax"
        if output not in ("sigmoid", "softmax") or (output == "softmax" and self.n_out < 2):
            raise ValueError(f"output must be 'sigmoid' or (with 2+ output units) 'softmax', got {output!r}")
        self.output = output
        self._mse = loss == "mse"
        self._regularised = bool(self.l1 or self.l2)
        self._softmax = output == "softmax"
        self._fns = [ACTIVATIONS[a].fn for a in self.activations]
        self._slopes = [_slope_fn(a) for a in self.activations]
        self._clip = any(a not in _BOUNDED for a in self.activations)
        self._seen: tuple[Any, Any, FloatArray, FloatArray] | None = None  # last validated (X, y)
        self.W: list[FloatArray] = []
        self.b: list[FloatArray] = []
        self.zs: list[FloatArray] | None = None
        self.acts: list[FloatArray] | None = None
        self.epochs_trained = 0
        self.reset()

    # -- construction and state ---------------------------------------------------------------

    def _scale(self, fan_in: int, fan_out: int) -> float:
        """Std of a layer's weights: 0.5 (article), else the ``core.initialisation.INITS`` scheme's."""
        return 0.5 if self.init == "article" else INITS[self.init].std(fan_in, fan_out)

    def reset(self) -> None:
        """The seed's initial weights: W_l = RandomState(seed).randn(n_{l−1}, n_l)·std, W1 first; b = 0."""
        rng = np.random.RandomState(self.seed)
        self.W = [
            rng.randn(a, b) * self._scale(a, b) for a, b in zip(self.sizes, self.sizes[1:], strict=False)
        ]
        self.b = [np.zeros(n) for n in self.sizes[1:]]
        self.zs = self.acts = None
        self.epochs_trained = 0

    @property
    def param_keys(self) -> tuple[str, ...]:
        """The parameter arrays' names in order: ("W1", "b1", "W2", "b2", …)."""
        return tuple(k for layer in range(1, self.n_layers + 1) for k in (f"W{layer}", f"b{layer}"))

    def __getattr__(self, name: str) -> FloatArray:
        # net.W1, net.b2 … — the arrays themselves (views: in-place edits change the net)
        match = re.fullmatch(r"([Wb])([1-9][0-9]?)", name)
        if match is not None and "W" in self.__dict__:
            layer = int(match.group(2))
            if layer <= self.n_layers:
                return (self.W if match.group(1) == "W" else self.b)[layer - 1]
        raise AttributeError(name)

    def _array(self, key: str) -> FloatArray:
        layer = int(key[1:])
        if not 1 <= layer <= self.n_layers:
            raise ValueError(f"{key!r}: this network has layers 1 to {self.n_layers}")
        return (self.W if key[0] == "W" else self.b)[layer - 1]

    @property
    def config(self) -> dict[str, Any]:
        """The constructor arguments: ``MLP(**net.config)`` is this net freshly initialised."""
        return {
            "sizes": list(self.sizes),
            "activation": list(self.activations),
            "loss": self.loss_name,
            "init": self.init,
            "seed": self.seed,
            "l1": self.l1,
            "l2": self.l2,
            "output": self.output,
        }

    @property
    def n_params(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.W, self.b, strict=True))

    def params(self) -> dict[str, FloatArray]:
        """Copies of the parameters by name: {"W1", "b1", …}."""
        return {k: self._array(k).copy() for k in self.param_keys}

    def set_params(self, params: Mapping[str, ArrayLike]) -> None:
        """Replace the named parameters (copied into place; shapes must match; finite)."""
        new = {}
        for key, value in params.items():
            if key not in self.param_keys:
                raise ValueError(f"unknown parameter {key!r}; expected one of {self.param_keys}")
            arr = np.array(value, dtype=np.float64)
            if arr.shape != self._array(key).shape:
                raise ValueError(f"{key} must have shape {self._array(key).shape}, got {arr.shape}")
            if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > self.value_limit):
                raise ValueError(f"{key} must be finite and within ±{self.value_limit:g}")
            new[key] = arr
        for key, arr in new.items():
            self._array(key)[...] = arr
        self.zs = self.acts = None

    def copy(self) -> Self:
        """An independent copy: same config, parameters, forward cache and epoch count."""
        clone = type(self)(**self.config)
        clone.set_params(self.params())
        clone.epochs_trained = self.epochs_trained
        if self.zs is not None and self.acts is not None:
            clone.zs, clone.acts = [z.copy() for z in self.zs], [a.copy() for a in self.acts]
        return clone

    def state_dict(self) -> dict[str, Any]:
        """A JSON-friendly snapshot: {"config": {...}, "params": {key: nested lists}, "epochs_trained": int}."""
        return {
            "config": self.config,
            "params": {key: self._array(key).tolist() for key in self.param_keys},
            "epochs_trained": self.epochs_trained,
        }

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> Self:
        """Rebuild a net from :meth:`state_dict`: cls(**config) then set_params(params)."""
        net = cls(**dict(state["config"]))
        net.set_params(state["params"])
        net.epochs_trained = int(state.get("epochs_trained", 0))
        return net

    def param_names(self) -> list[str]:
        """Every scalar parameter: "W1[0,0]", …, "b1[0]", …, layer by layer, row-major."""
        names: list[str] = []
        for layer, (a, b) in enumerate(zip(self.sizes, self.sizes[1:], strict=False), start=1):
            names += [f"W{layer}[{i},{j}]" for i in range(a) for j in range(b)]
            names += [f"b{layer}[{j}]" for j in range(b)]
        return names

    def _locate(self, name: str) -> tuple[str, tuple[int, ...]]:
        key, index = parse_param_name(name)
        shape = self._array(key).shape
        if any(i >= n for i, n in zip(index, shape, strict=True)):
            raise ValueError(f"{name!r} is out of range: {key} has shape {shape}")
        return key, index

    def get_param(self, name: str) -> float:
        key, index = self._locate(name)
        return float(self._array(key)[index])

    def set_param(self, name: str, value: float) -> None:
        key, index = self._locate(name)
        value = float(value)
        if not math.isfinite(value) or abs(value) > self.value_limit:
            raise ValueError(f"{name} must be finite and within ±{self.value_limit:g}, got {value!r}")
        self._array(key)[index] = value
        self.zs = self.acts = None

    # -- data ---------------------------------------------------------------------------------

    def check_X(self, X: ArrayLike) -> FloatArray:
        """X as a float64 (m, n_in) array, finite with |X| ≤ DATA_LIMIT (a single sample becomes (1, n_in))."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.n_in or X.shape[0] == 0:
            raise ValueError(f"X must have shape (m, {self.n_in}) with m ≥ 1, got {X.shape}")
        if not np.abs(X).max() <= DATA_LIMIT:
            raise ValueError(f"X must be finite with |X| ≤ {DATA_LIMIT:g}")
        return X

    def targets(self, y: ArrayLike, m: int | None = None) -> FloatArray:
        """Targets as (m, n_out) floats: class labels (m,) of ints become a 0/1 column (1 output) or
        one-hot rows (softmax); float arrays of shape (m, n_out) (or (m,) with 1 output) pass through."""
        y = np.asarray(y)
        if y.ndim == 1 and self.n_out > 1:
            labels = y.astype(np.int64)
            if (
                not np.array_equal(labels, y)
                or labels.min(initial=0) < 0
                or labels.max(initial=0) >= self.n_out
            ):
                raise ValueError(f"class labels must be integers in [0, {self.n_out - 1}]")
            T = np.zeros((labels.size, self.n_out))
            T[np.arange(labels.size), labels] = 1.0
        else:
            T = np.asarray(y, dtype=np.float64)
            if T.ndim == 1:
                T = T.reshape(-1, 1)
        if T.ndim != 2 or T.shape[1] != self.n_out or (m is not None and T.shape[0] != m):
            raise ValueError(
                f"y must have shape ({m if m is not None else 'm'}, {self.n_out}), got {T.shape}"
            )
        if not np.abs(T).max(initial=0.0) <= DATA_LIMIT:
            raise ValueError(f"y must be finite with |y| ≤ {DATA_LIMIT:g}")
        return T

    def _check_Xy(self, X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """X as (m, n_in) and the targets as (m, n_out), both checked.

        Float64 arrays of the right shapes are remembered by identity once validated, so a loop calling
        ``train_step(X, y)`` with the same two arrays scans them once (writing non-finite or huge values
        into them in place between calls is unsupported).
        """
        seen = self._seen
        if seen is not None and X is seen[0] and y is seen[1]:
            return seen[2], seen[3]
        Xc = self.check_X(X)
        T = self.targets(y, Xc.shape[0])
        if Xc is X and T is y:  # float64 arrays used as given: remember them
            self._seen = (X, y, Xc, T)
        return Xc, T

    # -- forward, loss, backward (the one implementation) ---------------------------------------

    def _forward(self, X: FloatArray) -> tuple[list[FloatArray], list[FloatArray]]:
        """(zs, acts) with acts[0] = X, acts[l] = f_l(zs[l−1]) (``forward_pass``); the cache is left alone."""
        return forward_pass(self.W, self.b, self._fns, self._softmax, X)

    def _data_loss(self, z: FloatArray, a: FloatArray, T: FloatArray) -> float:
        """The loss without the penalty, from the logits z and outputs a (``data_loss``)."""
        return float(data_loss(z, a, T, self._mse, self._softmax))

    def penalty(self) -> float:
        """The regulariser l1·Σ|W| + ½·l2·ΣW² (weights only)."""
        total = 0.0
        if self.l1:
            total += self.l1 * sum(float(np.abs(w).sum()) for w in self.W)
        if self.l2:
            total += 0.5 * self.l2 * sum(float((w * w).sum()) for w in self.W)
        return total

    def _output_delta(self, a: FloatArray, T: FloatArray) -> FloatArray:
        """m·∂L/∂z_L (``output_delta``)."""
        return output_delta(a, T, self._mse, self._softmax)

    def forward(self, X: ArrayLike) -> FloatArray:
        """The output a_L (m, n_out); caches zs and acts."""
        self.zs, self.acts = self._forward(self.check_X(X))
        return self.acts[-1]

    def predict(self, X: ArrayLike) -> FloatArray:
        """The output probabilities (m, n_out), cache untouched."""
        return self._forward(self.check_X(X))[1][-1]

    def classify(self, X: ArrayLike) -> NDArray[np.int64]:
        """Class labels: p > 0.5 for one output, argmax for softmax."""
        p = self.predict(X)
        return (p[:, 0] > 0.5).astype(np.int64) if self.n_out == 1 else p.argmax(axis=1)

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of samples whose predicted class equals the target class."""
        T = self.targets(y)
        truth = (T[:, 0] > 0.5).astype(np.int64) if self.n_out == 1 else T.argmax(axis=1)
        return float(np.mean(self.classify(X) == truth))

    def data_loss(self, X: ArrayLike, y: ArrayLike) -> float:
        X, T = self._check_Xy(X, y)
        zs, acts = self._forward(X)
        return self._data_loss(zs[-1], acts[-1], T)

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """L = data loss + penalty; runs (and caches) the forward pass on ``X``.

        The data loss sums over outputs and averages over the m samples: ½·Σ(a − y)²/m for "mse" (the
        article's ½·mean((a₂ − y)²) with one output); for "ce" with sigmoid outputs the binary cross-entropy
        −(1/m)·Σ[y ln a + (1−y) ln(1−a)] (with one output the mean BCE; with several, that mean summed
        over outputs); with a softmax output −(1/m)·Σ y·ln softmax(z).
        """
        X, T = self._check_Xy(X, y)
        self.zs, self.acts = self._forward(X)
        return self._data_loss(self.zs[-1], self.acts[-1], T) + self.penalty()

    def _deltas(self, zs: list[FloatArray], acts: list[FloatArray], T: FloatArray) -> list[FloatArray]:
        """m·∂L/∂z_l for every layer (first layer first): the output error, then back through each layer."""
        return backprop_deltas(self.W, zs, acts, self._slopes, self._output_delta(acts[-1], T))

    def _grads(
        self, zs: list[FloatArray], acts: list[FloatArray], T: FloatArray
    ) -> list[tuple[FloatArray, FloatArray]]:
        """(∂L/∂W_l, ∂L/∂b_l) per layer from a forward pass: the chain rule (``layer_grads``) plus the penalty's."""
        pairs = layer_grads(acts, self._deltas(zs, acts, T))
        if self.l1 or self.l2:
            pairs = [(dW + self._reg_grad(W), db) for (dW, db), W in zip(pairs, self.W, strict=True)]
        return pairs

    def _reg_grad(self, w: FloatArray) -> FloatArray:
        """The penalty's gradient l1·sign(W) + l2·W."""
        g = np.zeros_like(w)
        if self.l1:
            g += self.l1 * np.sign(w)
        if self.l2:
            g += self.l2 * w
        return g

    def backward(self, X: ArrayLike, y: ArrayLike) -> Grads:
        """∂L/∂θ for every parameter: {"dW1", "db1", …} with the parameters' shapes (forward run and cached)."""
        X, T = self._check_Xy(X, y)
        self.zs, self.acts = self._forward(X)
        grads: Grads = {}
        for layer, (dW, db) in enumerate(self._grads(self.zs, self.acts, T), start=1):
            grads[f"dW{layer}"], grads[f"db{layer}"] = dW, db
        return grads

    def numeric_gradients(self, X: ArrayLike, y: ArrayLike, h: float = 1e-6) -> Grads:
        """Central differences (L(θ + h) − L(θ − h)) / 2h for every scalar θ (restored bit for bit; cache untouched)."""
        X, T = self._check_Xy(X, y)
        h = _check_h(h)
        grads: Grads = {}
        for key in self.param_keys:
            arr = self._array(key)
            g = np.empty(arr.shape)
            for index in np.ndindex(arr.shape):
                g[index] = self._central(X, T, arr, index, h)
            grads["d" + key] = g
        return grads

    def _central(
        self, X: FloatArray, T: FloatArray, arr: FloatArray, index: tuple[int, ...], h: float
    ) -> float:
        original = arr[index]
        try:
            arr[index] = original + h
            zs, acts = self._forward(X)
            plus = self._data_loss(zs[-1], acts[-1], T) + self.penalty()
            arr[index] = original - h
            zs, acts = self._forward(X)
            minus = self._data_loss(zs[-1], acts[-1], T) + self.penalty()
        finally:
            arr[index] = original
        return (plus - minus) / (2.0 * h)

    def numeric_gradient(self, X: ArrayLike, y: ArrayLike, name: str, h: float = 1e-6) -> float:
        """Central difference for one named scalar parameter."""
        X, T = self._check_Xy(X, y)
        key, index = self._locate(name)
        return self._central(X, T, self._array(key), index, _check_h(h))

    def gradient_check(
        self, X: ArrayLike, y: ArrayLike, h: float = 1e-6, params: Sequence[str] | None = None
    ) -> CheckReport:
        """Backward against central differences for every scalar parameter (or those named in ``params``).

        The one gradient check of the app: ``core.gradient_check.check_gradient`` of
        ``network_problem(self, X, y)`` — rows with analytic, numeric, relative error and verdict.
        Parameters and cache are left as they were.
        """
        return check_gradient(network_problem(self, X, y, params=params), h)

    # -- training -----------------------------------------------------------------------------

    def _step(self, X: FloatArray, T: FloatArray, lr: float) -> float:
        """One gradient-descent step on validated arrays: :meth:`loss` and :meth:`backward`'s arithmetic
        (``forward_pass``, ``data_loss``, ``output_delta``, ``backprop_deltas``, ``layer_grads``), then
        θ −= lr·∂L/∂θ in place (the article's order); returns the loss (data + penalty) before it."""
        mse, soft = self._mse, self._softmax
        zs, acts = forward_pass(self.W, self.b, self._fns, soft, X)
        self.zs, self.acts = zs, acts
        loss = float(data_loss(zs[-1], acts[-1], T, mse, soft))
        deltas = backprop_deltas(self.W, zs, acts, self._slopes, output_delta(acts[-1], T, mse, soft))
        regularised = self._regularised
        if regularised:
            loss += self.penalty()
            for W in self.W:  # the penalty's gradient, from the weights before the step
                W -= lr * self._reg_grad(W)
        for (dW, db), W, b in zip(layer_grads(acts, deltas), self.W, self.b, strict=True):
            W -= lr * dW
            b -= lr * db
        if self._clip or regularised:
            # Only an unbounded hidden activation (or a penalty's overshoot) can grow the weights
            # geometrically; sigmoid/tanh keep a in [−1, 1] and the gradients bounded.
            limit = self.param_limit
            for p in self._params_in_order():
                np.clip(p, -limit, limit, out=p)
        return loss

    def _params_in_order(self) -> list[FloatArray]:
        """The parameter arrays in ``param_keys`` order: W1, b1, W2, b2, …"""
        return [p for pair in zip(self.W, self.b, strict=True) for p in pair]

    @staticmethod
    def _check_lr(lr: float) -> float:
        lr = float(lr)
        if not 0.0 <= lr <= LR_LIMIT:
            raise ValueError(f"lr must be in [0, {LR_LIMIT:g}], got {lr!r}")
        return lr

    def train_step(self, X: ArrayLike, y: ArrayLike, lr: float = 0.1) -> float:
        """One full-batch step θ ← θ − lr·∂L/∂θ; returns L before the update."""
        X, T = self._check_Xy(X, y)
        loss = self._step(X, T, self._check_lr(lr))
        self.epochs_trained += 1
        return loss

    def epoch(
        self, X: FloatArray, T: FloatArray, lr: float, batch_size: int | None, rng: np.random.RandomState
    ) -> float | None:
        """One epoch on validated arrays. Full batch: one step, returns the loss before it. Mini-batches:
        samples in the order of ``rng.permutation(m)``, one step per batch; returns None."""
        m = X.shape[0]
        if batch_size is None or batch_size >= m:
            loss = self._step(X, T, lr)
            self.epochs_trained += 1
            return loss
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            idx = order[start : start + batch_size]
            self._step(X[idx], T[idx], lr)
        self.epochs_trained += 1
        return None

    def train(
        self,
        X: ArrayLike,
        y: ArrayLike,
        epochs: int,
        lr: float,
        batch_size: int | None = None,
        shuffle_seed: int = 0,
        on_epoch: Callable[[int, float], bool | None] | None = None,
    ) -> list[float]:
        """Train ``epochs`` epochs; returns L(θ) at the start of each epoch (full training set).

        Full batch (``batch_size`` None or ≥ m): one step per epoch. ``on_epoch(epoch, loss)`` (epoch
        counted from 0 within this call) is called after every epoch; if it returns ``False`` (exactly
        ``False``, not just a falsy value such as ``None``) training stops there, and the history ends
        with that epoch's loss.
        """
        if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
        X, T = self._check_Xy(X, y)
        lr = self._check_lr(lr)
        rng = np.random.RandomState(shuffle_seed)
        history: list[float] = []
        for _ in range(int(epochs)):
            before: float | None = None
            if batch_size is not None and batch_size < X.shape[0]:
                zs, acts = self._forward(X)
                before = self._data_loss(zs[-1], acts[-1], T) + self.penalty()
            loss = self.epoch(X, T, lr, batch_size, rng)
            value = before if before is not None else cast(float, loss)  # full batch: the step's own loss
            history.append(value)
            if on_epoch is not None and on_epoch(len(history) - 1, value) is False:
                break
        return history

    # -- views --------------------------------------------------------------------------------

    def unit_outputs(self, X: ArrayLike) -> list[FloatArray]:
        """Every layer's activations for X: [a_1, …, a_L] (hidden layers, then the output)."""
        return self._forward(self.check_X(X))[1][1:]

    def chain_path(self, X: ArrayLike, y: ArrayLike, name: str) -> ChainPath:
        """The chain rule for one scalar parameter, from the loss back to it, with per-sample numbers.

        Built link by link by :func:`core.chain_path.chain_path_of` (the formulas are in its docstring).
        """
        return chain_path_of(self, X, y, name)
