"""The article's two-layer network (``SimpleNetwork``), trained on XOR, made inspectable.

Forward pass (one row per sample, ``m`` samples)::

    z1 = X W1 + b1      a1 = f(z1)      z2 = a1 W2 + b2      a2 = σ(z2)

``f`` is the hidden activation (``"sigmoid"``, ``"tanh"`` or ``"relu"``, from
``core.activations``); the output is always a sigmoid. Two losses:

- ``"mse"``: the article's ``L = ½·mean((a2 − y)²)``, with the article's backward pass
  (∂L/∂a2 = a2 − y, then ``/m`` when forming dW and db). With one output the mean is over
  the ``m`` samples, exactly the article's ``np.mean``; with several outputs the squared errors
  are summed over outputs and averaged over samples, so the gradient stays exact.
- ``"bce"``: the binary cross-entropy averaged over the ``m`` samples and summed over outputs
  (with one output, the mean BCE), computed from the logits as ``softplus(z2) − y·z2`` (never
  ``log(0)``), whose gradient w.r.t. z2 is ``(a2 − y)/m``.

With the defaults (``init="article"``, ``seed=42``) the weights are the article's to the last
bit (``RandomState(42).randn`` draws the same numbers as ``np.random.seed(42); np.random.randn``)
and ``train(X, y, 1000, 1.0)`` gives the article's losses, 0.133791 … 0.105993 (every epoch's loss
within ~1e-16 of the article script's: the arithmetic is the same up to the last-bit rounding of
the stable sigmoid and of fused steps).

Scalar parameters are named ``"W1[i,j]"``, ``"b1[j]"``, ``"W2[j,k]"``, ``"b2[k]"`` (0-based), for
the gradient-check table and the chain-rule step-through (:meth:`TwoLayerNet.chain_rule_terms`).

Numerical safety: inputs and targets must be finite with magnitude ≤ ``DATA_LIMIT`` and the
learning rate in [0, ``LR_LIMIT``]; a ReLU net's parameters are clipped to ``±PARAM_LIMIT``
after each update (a bound no sensible run reaches: it only stops a diverging ReLU run, whose
weights can grow geometrically, from overflowing; with sigmoid/tanh, a1 and the gradients are
bounded and the weights can only grow polynomially). The sigmoid is the stable ``exp(−|x|)``
form and BCE uses ``logaddexp``. Together: no warnings, no inf/NaN, for any number of epochs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.activations import ACTIVATIONS, sigmoid
from core.finite_diff import relative_error
from core.gradient_flow import INITS

__all__ = [
    "ACTIVATION_CHOICES",
    "INIT_CHOICES",
    "LOSS_CHOICES",
    "DATA_LIMIT",
    "LR_LIMIT",
    "PARAM_KEYS",
    "PARAM_LIMIT",
    "ChainFactor",
    "ChainRuleTerms",
    "GradCheckRow",
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

INIT_CHOICES: tuple[str, ...] = ("article", "xavier", "he")
"""Weight initialisations: N(0, 0.5²) (the article's), Glorot/Xavier normal, He normal."""

PARAM_KEYS: tuple[str, ...] = ("W1", "b1", "W2", "b2")
"""The parameter arrays, in the order :meth:`TwoLayerNet.param_names` enumerates them."""

PARAM_LIMIT: float = 1e100
"""Largest parameter magnitude: set_params enforces it, ReLU training clips to it (z2 stays ≲ 1e210)."""

LR_LIMIT: float = 1e6
"""Largest accepted learning rate."""

DATA_LIMIT: float = 1e6
"""Largest accepted |input| and |target| (X and y must also be finite)."""

_NAME_RE = re.compile(r"\s*(W1|W2|b1|b2)\s*\[\s*([0-9]+)\s*(?:,\s*([0-9]+)\s*)?\]\s*")


def xor_data() -> tuple[FloatArray, FloatArray]:
    """The XOR truth table: X = [[0,0],[0,1],[1,0],[1,1]] (4, 2), y = [[0],[1],[1],[0]] (4, 1)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


def parse_param_name(name: str) -> tuple[str, tuple[int, ...]]:
    """Parse a scalar name: "W1[0,1]" → ("W1", (0, 1)), "b2[0]" → ("b2", (0,)) (weights 2 indices, biases 1)."""
    match = _NAME_RE.fullmatch(name) if isinstance(name, str) and len(name) <= 64 else None
    if match is None:
        raise ValueError(
            f"not a parameter name: {name!r} (expected e.g. 'W1[0,1]', 'b1[2]', 'W2[1,0]', 'b2[0]')"
        )
    key, i, j = match.group(1), int(match.group(2)), match.group(3)
    if key.startswith("W"):
        if j is None:
            raise ValueError(f"{name!r}: a weight needs two indices, like '{key}[0,1]'")
        return key, (i, int(j))
    if j is not None:
        raise ValueError(f"{name!r}: a bias takes one index, like '{key}[0]'")
    return key, (i,)


# ---------------------------------------------------------------------------------------------
# hidden-activation derivatives from the cached forward values (z, a = f(z))
#
# Backprop evaluates f′ at z1 where f(z1) = a1 is already known, so the slopes are read off the
# cache: σ′ = σ(1 − σ) (the article's sigmoid_derivative), tanh′ = 1 − tanh², ReLU′ = 1[z > 0].
# They equal core.activations' *_grad functions (tested to ~1e-16) at a fraction of the cost.


def _sigmoid_slope(z: FloatArray, a: FloatArray) -> FloatArray:
    """σ′(z) = a(1 − a) with a = σ(z)."""
    return a * (1.0 - a)


def _tanh_slope(z: FloatArray, a: FloatArray) -> FloatArray:
    """tanh′(z) = 1 − a² with a = tanh(z)."""
    return 1.0 - a * a


def _relu_slope(z: FloatArray, a: FloatArray) -> FloatArray:
    """ReLU′(z) = 1 if z > 0 else 0 (ReLU′(0) = 0, the article's convention)."""
    return (z > 0.0).astype(np.float64)


_SLOPES: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    "sigmoid": _sigmoid_slope,
    "tanh": _tanh_slope,
    "relu": _relu_slope,
}


# ---------------------------------------------------------------------------------------------
# the loss and the backward pass, written once (training, slices, factors and checks use them)
#
# Arrays may carry leading batch axes (slice_along stacks one network per offset): samples and
# outputs are always the last two axes.


def batch_loss(z2: FloatArray, a2: FloatArray, y: FloatArray, mse: bool) -> FloatArray:
    """L over the last two axes: ½·Σ(a2 − y)²/m (mse) or Σ(softplus(z2) − y·z2)/m (bce, from the logits)."""
    m = z2.shape[-2]
    if mse:
        d = a2 - y
        return 0.5 * (np.add.reduce((d * d).reshape(d.shape[:-2] + (-1,)), -1) / m)
    terms = np.logaddexp(0.0, z2) - y * z2
    return np.add.reduce(terms.reshape(terms.shape[:-2] + (-1,)), -1) / m


def output_delta(a2: FloatArray, y: FloatArray, mse: bool) -> FloatArray:
    """m·∂L/∂z2: (a2 − y)·a2(1 − a2) for mse (the article's dL_da2·da2_dz2); a2 − y for bce."""
    if mse:
        return (a2 - y) * (a2 * (1.0 - a2))
    return a2 - y


def backprop(X: FloatArray, W2: FloatArray, a1: FloatArray, dz2: FloatArray, slope: FloatArray) -> Grads:
    """∂L/∂θ by the chain rule from δ2 = m·∂L/∂z2 and f′(z1): dW2 = a1ᵀδ2/m, δ1 = (δ2 W2ᵀ)⊙f′(z1), dW1 = Xᵀδ1/m."""
    m = dz2.shape[-2]
    dz1 = dz2 @ _transposed(W2)
    dz1 *= slope
    return {
        "dW1": _transposed(X) @ dz1 / m,
        "db1": np.add.reduce(dz1, -2) / m,
        "dW2": _transposed(a1) @ dz2 / m,
        "db2": np.add.reduce(dz2, -2) / m,
    }


def _transposed(a: FloatArray) -> FloatArray:
    """The last two axes swapped (``a.T`` for a matrix)."""
    return a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)


# ---------------------------------------------------------------------------------------------
# result types


@dataclass(frozen=True)
class ChainFactor:
    """One factor of the chain rule, evaluated for every sample.

    Fields:
        symbol: LaTeX of the partial derivative, e.g. ``\\frac{\\partial a_2}{\\partial z_2}``.
        meaning: what it is, in words, with its closed form (``"σ′(z₂) = a₂(1 − a₂)"``).
        values: its value for each sample, shape ``(m,)`` (``(m, n_out)`` for factors that run
            through the outputs when the net has several outputs).
    """

    symbol: str
    meaning: str
    values: FloatArray


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


@dataclass(frozen=True)
class GradCheckRow:
    """One row of the gradient-check table: rel = |analytic − numeric| / max(|analytic| + |numeric|, tiny)."""

    name: str
    analytic: float
    numeric: float
    rel_error: float


# ---------------------------------------------------------------------------------------------
# the network


class TwoLayerNet:
    """The article's ``SimpleNetwork``: n_in → n_hidden (activation) → n_out (sigmoid).

    ``TwoLayerNet()`` is the article's network: 2 → 3 sigmoid → 1 sigmoid, MSE, weights from seed 42.
    Constructing it twice with the same arguments gives bit-identical weights (that is "Reset").

    Attributes:
        W1 (n_in, n_hidden), b1 (n_hidden,), W2 (n_hidden, n_out), b2 (n_out,): the parameters.
        z1, a1, z2, a2: the cache of the last :meth:`forward` (``None`` before the first one).
        epochs_trained: number of :meth:`train_step` calls since construction or :meth:`reset`.
    """

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
        for label, value, lo, hi in (
            ("n_in", n_in, 1, 64),
            ("n_hidden", n_hidden, 1, 64),
            ("n_out", n_out, 1, 64),
        ):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
                raise ValueError(f"{label} must be an integer in [{lo}, {hi}], got {value!r}")
        if activation not in ACTIVATION_CHOICES:
            raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
        if loss not in LOSS_CHOICES:
            raise ValueError(f"loss must be one of {LOSS_CHOICES}, got {loss!r}")
        if init not in INIT_CHOICES:
            raise ValueError(f"init must be one of {INIT_CHOICES}, got {init!r}")
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**32:
            raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
        self.n_in = int(n_in)
        self.n_hidden = int(n_hidden)
        self.n_out = int(n_out)
        self.activation = activation
        self.loss_name = loss
        self.init = init
        self.seed = int(seed)
        self._act: Callable[[ArrayLike], FloatArray] = ACTIVATIONS[activation].fn
        self._slope = _SLOPES[activation]
        self._is_mse = loss == "mse"
        self._clip = activation == "relu"
        self.W1: FloatArray
        self.b1: FloatArray
        # W2 and b2 live in one (n_hidden + 1, n_out) block [W2; b2] (see _step); the properties
        # W2 and b2 are views of it, and assigning to them copies into it.
        self._P2 = np.zeros((self.n_hidden + 1, self.n_out))
        self._W2: FloatArray = self._P2[:-1]
        self._b2: FloatArray = self._P2[-1]
        self._seen: tuple[Any, Any, FloatArray, FloatArray] | None = None  # last validated (X, y)
        self.z1: FloatArray | None = None
        self.a1: FloatArray | None = None
        self.z2: FloatArray | None = None
        self.a2: FloatArray | None = None
        self.epochs_trained = 0
        self.reset()

    # -- construction and state ---------------------------------------------------------------

    def _scales(self) -> tuple[float, float]:
        """Std of W1 and W2: 0.5 (article), √(2/(fan_in+fan_out)) (xavier), √(2/fan_in) (he)."""
        if self.init == "article":
            return 0.5, 0.5
        scheme = INITS[self.init]
        return scheme.std(self.n_in, self.n_hidden), scheme.std(self.n_hidden, self.n_out)

    def reset(self) -> None:
        """Restore the seed's initial weights: W = RandomState(seed).randn(shape)·std (W1 first), b = 0."""
        rng = np.random.RandomState(self.seed)
        s1, s2 = self._scales()
        self.W1 = rng.randn(self.n_in, self.n_hidden) * s1
        self.b1 = np.zeros(self.n_hidden)
        self._W2[...] = rng.randn(self.n_hidden, self.n_out) * s2
        self._b2[...] = 0.0
        self.z1 = self.a1 = self.z2 = self.a2 = None
        self.epochs_trained = 0

    @property
    def W2(self) -> FloatArray:
        """Hidden-to-output weights (n_hidden, n_out) (a view: in-place edits change the net)."""
        return self._W2

    @W2.setter
    def W2(self, value: ArrayLike) -> None:
        """W2[...] = value (copied into the [W2; b2] block; the shape must broadcast)."""
        self._W2[...] = value

    @property
    def b2(self) -> FloatArray:
        """Output biases (n_out,) (a view: in-place edits change the net)."""
        return self._b2

    @b2.setter
    def b2(self, value: ArrayLike) -> None:
        """b2[...] = value (copied into the [W2; b2] block; the shape must broadcast)."""
        self._b2[...] = value

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

    @property
    def n_params(self) -> int:
        """Number of scalar parameters: n_in·h + h + h·n_out + n_out."""
        return self.W1.size + self.b1.size + self.W2.size + self.b2.size

    def params(self) -> dict[str, FloatArray]:
        """Copies of the parameters: {"W1", "b1", "W2", "b2"}."""
        return {"W1": self.W1.copy(), "b1": self.b1.copy(), "W2": self.W2.copy(), "b2": self.b2.copy()}

    def set_params(self, params: Mapping[str, ArrayLike]) -> None:
        """Replace the parameters given in ``params`` (copied; shapes must match; |value| ≤ PARAM_LIMIT)."""
        new: dict[str, FloatArray] = {}
        for key, value in params.items():
            if key not in PARAM_KEYS:
                raise ValueError(f"unknown parameter {key!r}; expected one of {PARAM_KEYS}")
            arr = np.array(value, dtype=np.float64)
            current = getattr(self, key)
            if arr.shape != current.shape:
                raise ValueError(f"{key} must have shape {current.shape}, got {arr.shape}")
            if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > PARAM_LIMIT):
                raise ValueError(f"{key} must be finite and within ±{PARAM_LIMIT:g}")
            new[key] = arr
        for key, arr in new.items():
            setattr(self, key, arr)
        self.z1 = self.a1 = self.z2 = self.a2 = None

    def copy(self) -> TwoLayerNet:
        """An independent copy: same config, parameters, cache and epoch count."""
        clone = TwoLayerNet(**self.config)
        clone.set_params(self.params())
        clone.epochs_trained = self.epochs_trained
        for key in ("z1", "a1", "z2", "a2"):
            cached = getattr(self, key)
            setattr(clone, key, None if cached is None else cached.copy())
        return clone

    def state_dict(self) -> dict[str, Any]:
        """A JSON-friendly snapshot: {"config": {...}, "params": {key: nested lists}, "epochs_trained": int}."""
        return {
            "config": self.config,
            "params": {key: getattr(self, key).tolist() for key in PARAM_KEYS},
            "epochs_trained": self.epochs_trained,
        }

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> TwoLayerNet:
        """Rebuild a net from :meth:`state_dict`: TwoLayerNet(**config) then set_params(params)."""
        net = cls(**dict(state["config"]))
        net.set_params(state["params"])
        net.epochs_trained = int(state.get("epochs_trained", 0))
        return net

    # -- scalar parameters by name --------------------------------------------------------------

    def param_names(self) -> list[str]:
        """Every scalar parameter, row-major: "W1[0,0]" … "b1[0]" … "W2[0,0]" … "b2[0]"."""
        names = [f"W1[{i},{j}]" for i in range(self.n_in) for j in range(self.n_hidden)]
        names += [f"b1[{j}]" for j in range(self.n_hidden)]
        names += [f"W2[{j},{k}]" for j in range(self.n_hidden) for k in range(self.n_out)]
        names += [f"b2[{k}]" for k in range(self.n_out)]
        return names

    def _locate(self, name: str) -> tuple[str, tuple[int, ...]]:
        """Parse ``name`` and check its indices against this net's shapes."""
        key, index = parse_param_name(name)
        shape: tuple[int, ...] = getattr(self, key).shape
        if any(i >= n for i, n in zip(index, shape, strict=True)):
            raise ValueError(f"{name!r} is out of range: {key} has shape {shape}")
        return key, index

    def get_param(self, name: str) -> float:
        """The value of one scalar parameter, e.g. get_param("W1[0,1]")."""
        key, index = self._locate(name)
        return float(getattr(self, key)[index])

    def set_param(self, name: str, value: float) -> None:
        """Set one scalar parameter (finite, |value| ≤ PARAM_LIMIT); clears the forward cache."""
        key, index = self._locate(name)
        value = float(value)
        if not math.isfinite(value) or abs(value) > PARAM_LIMIT:
            raise ValueError(f"{name} must be finite and within ±{PARAM_LIMIT:g}, got {value!r}")
        getattr(self, key)[index] = value
        self.z1 = self.a1 = self.z2 = self.a2 = None

    # -- forward, loss, backward ----------------------------------------------------------------

    def _check_X(self, X: ArrayLike) -> FloatArray:
        """X as a float64 (m, n_in) array (a single sample (n_in,) becomes (1, n_in)), finite, |X| ≤ DATA_LIMIT."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.n_in or X.shape[0] == 0:
            raise ValueError(f"X must have shape (m, {self.n_in}) with m ≥ 1, got {X.shape}")
        if not np.abs(X).max() <= DATA_LIMIT:  # also catches NaN
            raise ValueError(f"X must be finite with |X| ≤ {DATA_LIMIT:g}")
        return X

    def _check_Xy(self, X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """X as (m, n_in) and y as (m, n_out), float64 ((m,) is accepted when n_out = 1), both checked.

        Float64 arrays of the right shapes are remembered by identity once validated, so a loop
        calling ``train_step(X, y)`` with the same two arrays scans them once (writing non-finite
        or huge values into them in place between calls is unsupported).
        """
        seen = self._seen
        if seen is not None and X is seen[0] and y is seen[1]:
            return seen[2], seen[3]
        Xc = self._check_X(X)
        yc = np.asarray(y, dtype=np.float64)
        if yc.ndim == 1 and self.n_out == 1:
            yc = yc.reshape(-1, 1)
        if yc.shape != (Xc.shape[0], self.n_out):
            raise ValueError(f"y must have shape ({Xc.shape[0]}, {self.n_out}), got {yc.shape}")
        if not np.abs(yc).max() <= DATA_LIMIT:
            raise ValueError(f"y must be finite with |y| ≤ {DATA_LIMIT:g}")
        if Xc is X and yc is y:  # float64 arrays used as given: remember them
            self._seen = (X, y, Xc, yc)
        return Xc, yc

    def _forward(self, X: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """z1 = X W1 + b1, a1 = f(z1), z2 = a1 W2 + b2, a2 = σ(z2) — without touching the cache."""
        z1 = X @ self.W1
        z1 += self.b1
        a1 = self._act(z1)
        z2 = a1 @ self.W2
        z2 += self.b2
        return z1, a1, z2, sigmoid(z2)

    def _loss_from(self, z2: FloatArray, a2: FloatArray, y: FloatArray) -> float:
        """mse: ½·Σ(a2 − y)²/m; bce: Σ(softplus(z2) − y·z2)/m = −(1/m)·Σ[y ln a2 + (1−y) ln(1−a2)] (Σ over samples and outputs)."""
        return float(batch_loss(z2, a2, y, self._is_mse))

    def forward(self, X: ArrayLike) -> FloatArray:
        """a2 = σ(f(X W1 + b1) W2 + b2); caches z1, a1, z2, a2 (fresh arrays) and returns a2."""
        X = self._check_X(X)
        self.z1, self.a1, self.z2, self.a2 = self._forward(X)
        return self.a2

    def predict(self, X: ArrayLike) -> FloatArray:
        """The network's output probabilities a2 (m, n_out) for X; leaves the cache alone."""
        return self._forward(self._check_X(X))[3]

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """L = ½·Σ(a2 − y)²/m (mse; = the article's ½·mean((a2 − y)²) with one output), Σ(softplus(z2) − y·z2)/m (bce).

        Both sum over outputs and average over the m samples: with one output, bce is the mean
        binary cross-entropy −mean[y ln a2 + (1−y) ln(1−a2)]; with several it is that mean summed over outputs.

        Runs (and caches) the forward pass on ``X``.
        """
        X, y = self._check_Xy(X, y)
        self.z1, self.a1, self.z2, self.a2 = self._forward(X)
        return self._loss_from(self.z2, self.a2, y)

    def _output_delta(self, a2: FloatArray, y: FloatArray) -> FloatArray:
        """m·∂L/∂z2 for this net's loss (see ``output_delta``)."""
        return output_delta(a2, y, self._is_mse)

    def backward(self, X: ArrayLike, y: ArrayLike) -> Grads:
        """∂L/∂θ by the chain rule: dW2 = a1ᵀδ2/m, δ1 = (δ2 W2ᵀ)⊙f′(z1), dW1 = Xᵀδ1/m (db = mean of δ).

        Runs the forward pass on ``X`` first (so the cache always matches ``X`` and the current
        weights) and returns {"dW1", "db1", "dW2", "db2"} with the parameters' shapes.
        """
        X, y = self._check_Xy(X, y)
        z1, a1, z2, a2 = self._forward(X)
        self.z1, self.a1, self.z2, self.a2 = z1, a1, z2, a2
        return backprop(X, self.W2, a1, self._output_delta(a2, y), self._slope(z1, a1))

    # -- training -----------------------------------------------------------------------------

    @staticmethod
    def _check_lr(lr: float) -> float:
        """lr as a float in [0, LR_LIMIT]."""
        lr = float(lr)
        if not (0.0 <= lr <= LR_LIMIT):
            raise ValueError(f"lr must be in [0, {LR_LIMIT:g}], got {lr!r}")
        return lr

    def _step(self, X: FloatArray, y: FloatArray, lr: float) -> float:
        """One gradient-descent step on validated arrays; returns the loss before the update.

        :meth:`loss` and :meth:`backward`'s arithmetic (``batch_loss``, ``backprop``), then
        ``θ −= lr·dθ`` in place. The results equal the article's to ~1e-16 per step.
        """
        z1, a1, z2, a2 = self._forward(X)
        self.z1, self.a1, self.z2, self.a2 = z1, a1, z2, a2
        loss = float(batch_loss(z2, a2, y, self._is_mse))
        grads = backprop(X, self._W2, a1, self._output_delta(a2, y), self._slope(z1, a1))
        W1, b1 = self.W1, self.b1
        W1 -= lr * grads["dW1"]
        b1 -= lr * grads["db1"]
        self._W2 -= lr * grads["dW2"]
        self._b2 -= lr * grads["db2"]
        if self._clip:
            # Only a ReLU hidden layer can grow its weights geometrically (a1 is unbounded);
            # sigmoid/tanh keep a1 in [−1, 1] and the gradients bounded, so no clip is needed.
            for p in (W1, b1, self._P2):
                np.clip(p, -PARAM_LIMIT, PARAM_LIMIT, out=p)
        self.epochs_trained += 1
        return loss

    def train_step(self, X: ArrayLike, y: ArrayLike, lr: float = 0.1) -> float:
        """One step of gradient descent, θ ← θ − lr·∂L/∂θ; returns L before the update (as the article)."""
        X, y = self._check_Xy(X, y)
        return self._step(X, y, self._check_lr(lr))

    def train(
        self,
        X: ArrayLike,
        y: ArrayLike,
        epochs: int,
        lr: float,
        on_epoch: Callable[[int, float], bool | None] | None = None,
    ) -> list[float]:
        """Run ``epochs`` train steps (θ ← θ − lr·∇L each) and return the loss of each, before its update.

        ``on_epoch(epoch, loss)`` (epoch counted from 0 within this call) is called after every
        step; if it returns ``False`` (exactly ``False``, not just a falsy value such as ``None``)
        training stops there, and the history ends with that epoch's loss.
        """
        if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
        X, y = self._check_Xy(X, y)
        lr = self._check_lr(lr)
        history: list[float] = []
        step = self._step
        for epoch in range(int(epochs)):
            loss = step(X, y, lr)
            history.append(loss)
            if on_epoch is not None and on_epoch(epoch, loss) is False:
                break
        return history

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
        probs = self._forward(grid)[3][:, 0].reshape(int(n), int(n))
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
        _, _, z2, a2 = self._forward(X)
        return self._loss_from(z2, a2, y)

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

    def numeric_gradients(self, X: ArrayLike, y: ArrayLike, h: float = 1e-6) -> Grads:
        """Central differences ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h for every scalar θ; the dict of :meth:`backward`.

        Each parameter is restored bit for bit; the cache is left alone.
        """
        X, y = self._check_Xy(X, y)
        h = float(h)
        if not (math.isfinite(h) and h > 0.0):
            raise ValueError(f"h must be a positive finite number, got {h!r}")
        grads: Grads = {}
        for key in PARAM_KEYS:
            arr = getattr(self, key)
            g = np.empty(arr.shape)
            for index in np.ndindex(arr.shape):
                original = arr[index]
                arr[index] = original + h
                _, _, z2, a2 = self._forward(X)
                plus = self._loss_from(z2, a2, y)
                arr[index] = original - h
                _, _, z2, a2 = self._forward(X)
                minus = self._loss_from(z2, a2, y)
                arr[index] = original
                g[index] = (plus - minus) / (2.0 * h)
            grads["d" + key] = g
        return grads

    def gradient_check(self, X: ArrayLike, y: ArrayLike, h: float = 1e-6) -> list[GradCheckRow]:
        """One row per scalar parameter: backward vs central differences, rel = |a − n| / max(|a| + |n|, tiny)."""
        analytic = self.backward(X, y)
        numeric = self.numeric_gradients(X, y, h)
        rows = []
        for name in self.param_names():
            key, index = parse_param_name(name)
            a = float(analytic["d" + key][index])
            n = float(numeric["d" + key][index])
            rows.append(GradCheckRow(name, a, n, relative_error(a, n)))
        return rows

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

        def add(symbol: str, meaning: str, values: FloatArray) -> None:
            """Record one factor: its LaTeX symbol, its meaning and its per-sample values."""
            factors.append(ChainFactor(symbol, meaning, np.array(values, dtype=np.float64)))
            symbols.append(symbol)

        # the output end of the chain, for the outputs this parameter reaches
        # (the output k of W2[j,k] / b2[k]; all outputs, as (m, n_out) columns, for a first-layer
        # parameter of a net with several outputs; else output 0, giving (m,) vectors)
        outs: slice | int
        if key in ("W2", "b2"):
            outs = index[-1]
        else:
            outs = slice(None) if self.n_out > 1 else 0
        if self._is_mse:
            add(r"\frac{\partial L}{\partial a_2}", "output error a₂ − y", (a2 - y)[:, outs])
            add(
                r"\frac{\partial a_2}{\partial z_2}",
                "output sigmoid slope σ′(z₂) = a₂(1 − a₂)",
                (a2 * (1.0 - a2))[:, outs],
            )
        else:
            add(
                r"\frac{\partial L}{\partial z_2}",
                "output error a₂ − y (BCE and the sigmoid cancel)",
                (a2 - y)[:, outs],
            )

        def col(values: FloatArray) -> FloatArray:
            """A per-sample column, widened to (m, n_out) when the upstream factors are."""
            return values if factors[0].values.ndim == 1 else np.repeat(values[:, None], self.n_out, axis=1)

        slope_form = {"sigmoid": "a₁(1 − a₁)", "tanh": "1 − a₁²", "relu": "1[z₁ > 0]"}[self.activation]
        if key == "W2":
            j, k = index
            add(rf"\frac{{\partial z_2}}{{\partial W_2[{j},{k}]}}", f"hidden activation a₁[{j}]", a1[:, j])
            tex = rf"W_2[{j},{k}]"
        elif key == "b2":
            add(
                rf"\frac{{\partial z_2}}{{\partial b_2[{index[0]}]}}",
                "1 (a bias adds straight into z₂)",
                np.ones(m),
            )
            tex = rf"b_2[{index[0]}]"
        else:
            j = index[-1]
            weights = self.W2[j, :] if self.n_out > 1 else np.full(m, self.W2[j, 0])
            via = f"W₂[{j},0]" if self.n_out == 1 else f"W₂[{j},·]"
            add(
                rf"\frac{{\partial z_2}}{{\partial a_1[{j}]}}",
                f"the weight {via} from hidden unit {j}",
                np.broadcast_to(weights, factors[0].values.shape),
            )
            add(
                rf"\frac{{\partial a_1[{j}]}}{{\partial z_1[{j}]}}",
                f"hidden {self.activation} slope f′(z₁) = {slope_form}",
                col(self._slope(z1, a1)[:, j]),
            )
            if key == "W1":
                i = index[0]
                add(
                    rf"\frac{{\partial z_1[{j}]}}{{\partial W_1[{i},{j}]}}", f"the input x[{i}]", col(X[:, i])
                )
                tex = rf"W_1[{i},{j}]"
            else:
                add(
                    rf"\frac{{\partial z_1[{j}]}}{{\partial b_1[{j}]}}",
                    "1 (a bias adds straight into z₁)",
                    col(np.ones(m)),
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
    z1 = X @ p["W1"] + p["b1"][:, None, :]  # (k, m, hidden)
    a1 = net._act(z1)
    z2 = a1 @ p["W2"] + p["b2"][:, None, :]  # (k, m, out)
    a2 = sigmoid(z2)
    losses = batch_loss(z2, a2, y, net._is_mse)
    g = backprop(X, p["W2"], a1, net._output_delta(a2, y), net._slope(z1, a1))["d" + key]
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
