"""Activation functions and their derivatives, plus the ``ACTIVATIONS`` registry.

Every activation ``f`` sits next to its analytic derivative ``f_grad`` (with respect to ``x``).
All functions work elementwise on scalars or arrays, compute in float64, and return finite
values without NumPy warnings for every finite input, ±1e300 included:

- sigmoid and its relatives use ``exp(-|x|)``, which never overflows;
- softplus uses ``np.logaddexp``; ELU uses ``expm1`` of ``min(x, 0)``;
- GELU clips the argument of its ``x**3`` term (the tanh is already exactly ±1 there).

Conventions (the article's): ``relu_grad(0) == 0`` and ``leaky_relu_grad(x) = 1 if x > 0 else alpha``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ACTIVATIONS",
    "GELU_A",
    "GELU_C",
    "Activation",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "saturation_intervals",
    "saturation_mask",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
]

FloatArray = NDArray[np.float64]

GELU_C: float = math.sqrt(2.0 / math.pi)
"""√(2/π), the scale inside GELU's tanh approximation."""

GELU_A: float = 0.044715
"""The cubic coefficient of GELU's tanh approximation."""

# Beyond |x| = 100 the tanh in GELU is exactly ±1 in float64 (it already is for |x| > ~10),
# so clipping x there changes no result and keeps x**3 (and x**2 in the derivative) finite.
_GELU_CLIP = 100.0


def _as_float(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# sigmoid


def sigmoid(x: ArrayLike) -> FloatArray:
    """σ(x) = 1 / (1 + e^(−x)), computed stably from e^(−|x|)."""
    x = _as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: ArrayLike) -> FloatArray:
    """σ′(x) = σ(x)(1 − σ(x)), computed as e^(−|x|) / (1 + e^(−|x|))² (σ′ is even)."""
    e = np.exp(-np.abs(_as_float(x)))
    # Rounding can put e/(1+e)² one ulp above ¼ next to 0; the true maximum is exactly ¼.
    return np.minimum(e / (1.0 + e) ** 2, 0.25)


# ---------------------------------------------------------------------------------------------
# tanh


def tanh(x: ArrayLike) -> FloatArray:
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))."""
    return np.tanh(_as_float(x))


def tanh_grad(x: ArrayLike) -> FloatArray:
    """tanh′(x) = 1 − tanh²(x), computed as 4e^(−2|x|) / (1 + e^(−2|x|))² to stay accurate in the tails."""
    # |x| is capped at 1000 (e^(−2000) is already 0) so that 2|x| cannot overflow near float max.
    e = np.exp(-2.0 * np.minimum(np.abs(_as_float(x)), 1000.0))
    return np.minimum(4.0 * e / (1.0 + e) ** 2, 1.0)  # never one ulp above the true maximum 1


# ---------------------------------------------------------------------------------------------
# ReLU family


def relu(x: ArrayLike) -> FloatArray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(0.0, _as_float(x))


def relu_grad(x: ArrayLike) -> FloatArray:
    """ReLU′(x) = 1 if x > 0 else 0 (so ReLU′(0) = 0 by convention)."""
    return (_as_float(x) > 0).astype(np.float64)


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> FloatArray:
    """LeakyReLU(x) = x if x > 0 else αx."""
    x = _as_float(x)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> FloatArray:
    """LeakyReLU′(x) = 1 if x > 0 else α (the article's convention, so LeakyReLU′(0) = α)."""
    return np.where(_as_float(x) > 0, 1.0, float(alpha))


def elu(x: ArrayLike, alpha: float = 1.0) -> FloatArray:
    """ELU(x) = x if x > 0 else α(e^x − 1)."""
    x = _as_float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> FloatArray:
    """ELU′(x) = 1 if x > 0 else αe^x."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


# ---------------------------------------------------------------------------------------------
# GELU (the tanh approximation the article uses)


def _gelu_inner(x: FloatArray) -> FloatArray:
    """u(x) = √(2/π)(x + 0.044715x³), with x clipped to ±100 so x³ cannot overflow."""
    xc = np.clip(x, -_GELU_CLIP, _GELU_CLIP)
    return GELU_C * (xc + GELU_A * xc**3)


def gelu(x: ArrayLike) -> FloatArray:
    """GELU(x) ≈ 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), the article's tanh approximation."""
    x = _as_float(x)
    u = _gelu_inner(x)
    # 0.5(1 + tanh(u)) equals σ(2u) exactly; the σ form avoids cancellation when tanh(u) ≈ −1.
    return x * sigmoid(2.0 * u)


def gelu_grad(x: ArrayLike) -> FloatArray:
    """GELU′(x) = 0.5(1 + tanh u) + 0.5x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²), u = √(2/π)(x + 0.044715x³)."""
    x = _as_float(x)
    xc = np.clip(x, -_GELU_CLIP, _GELU_CLIP)
    u = _gelu_inner(x)
    half_one_plus_tanh = sigmoid(2.0 * u)  # 0.5(1 + tanh u)
    half_sech2 = 2.0 * sigmoid(2.0 * u) * sigmoid(-2.0 * u)  # 0.5(1 − tanh² u)
    # Where |x| > 100 the sech² factor is exactly 0, so using the clipped x there is exact.
    return half_one_plus_tanh + xc * half_sech2 * GELU_C * (1.0 + 3.0 * GELU_A * xc**2)


# ---------------------------------------------------------------------------------------------
# softplus and SiLU


def softplus(x: ArrayLike) -> FloatArray:
    """softplus(x) = ln(1 + e^x), computed as logaddexp(0, x)."""
    return np.logaddexp(0.0, _as_float(x))


def softplus_grad(x: ArrayLike) -> FloatArray:
    """softplus′(x) = σ(x)."""
    return sigmoid(x)


def silu(x: ArrayLike) -> FloatArray:
    """SiLU(x) = x·σ(x) (also called swish)."""
    x = _as_float(x)
    return x * sigmoid(x)


def silu_grad(x: ArrayLike) -> FloatArray:
    """SiLU′(x) = σ(x)(1 + x(1 − σ(x)))."""
    x = _as_float(x)
    # 1 − σ(x) is computed as σ(−x): exact in the tails, and x·σ(−x) → 0 there, never inf·0.
    return sigmoid(x) + x * sigmoid(x) * sigmoid(-x)


# ---------------------------------------------------------------------------------------------
# registry


class Slider(NamedTuple):
    """How a hyperparameter is set on screen: its label, slider step, tooltip and URL parameter name."""

    label: str
    step: float
    help: str
    url: str


@dataclass(frozen=True)
class Activation:
    """One activation with everything the Activations page and the tests need.

    Fields:
        key: registry key (``"relu"``).
        name: display name (``"ReLU"``).
        fn: ``fn(x, **params)`` → f(x), elementwise.
        grad: ``grad(x, **params)`` → f′(x), elementwise.
        formula: LaTeX for f(x).
        grad_formula: LaTeX for f′(x).
        range_text: the range of f as text, e.g. ``"(0, 1)"``.
        peak_grad: sup over x of |f′(x)| at the default parameters.
        peak_at: a point where |f′| reaches ``peak_grad``, or ``None`` when the sup is reached on a
            whole half-line (ReLU, leaky ReLU, ELU) or only in the limit x → +∞ (softplus).
        used_in: where the activation is used, in a few words.
        params: hyperparameter name → ``(default, lo, hi)`` for a slider; empty when none.
        sliders: hyperparameter name → its slider (label, step, help, URL key); one per ``params`` entry.
    """

    key: str
    name: str
    fn: Callable[..., FloatArray]
    grad: Callable[..., FloatArray]
    formula: str
    grad_formula: str
    range_text: str
    peak_grad: float
    peak_at: float | None
    used_in: str
    params: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    sliders: dict[str, Slider] = field(default_factory=dict)

    def defaults(self) -> dict[str, float]:
        """The default value of each hyperparameter: {name: default}."""
        return {name: spec[0] for name, spec in self.params.items()}

    def peak_grad_for(self, **params: float) -> float:
        """sup |f′| for the given hyperparameters: ``peak_grad`` at the defaults, else a grid maximum.

        The grid is 40 001 points on [−20, 20] (it contains 0, where ELU's α·e^x peaks).
        """
        if not params or all(params.get(k, d) == d for k, d in self.defaults().items()):
            return self.peak_grad
        grid = np.linspace(-20.0, 20.0, 40_001)
        return float(np.max(np.abs(self.grad(grid, **params))))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        key="sigmoid",
        name="Sigmoid",
        fn=sigmoid,
        grad=sigmoid_grad,
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        grad_formula=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        range_text="(0, 1)",
        peak_grad=0.25,
        peak_at=0.0,
        used_in="Sigmoid: binary outputs and gates (LSTM/GRU); vanishes in deep stacks",
    ),
    "tanh": Activation(
        key="tanh",
        name="Tanh",
        fn=tanh,
        grad=tanh_grad,
        formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        grad_formula=r"\tanh'(x) = 1 - \tanh^2(x)",
        range_text="(-1, 1)",
        peak_grad=1.0,
        peak_at=0.0,
        used_in="Tanh: RNNs; zero-centred but still saturates",
    ),
    "relu": Activation(
        key="relu",
        name="ReLU",
        fn=relu,
        grad=relu_grad,
        formula=r"\mathrm{ReLU}(x) = \max(0, x)",
        grad_formula=r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        range_text="[0, ∞)",
        peak_grad=1.0,
        peak_at=None,
        used_in="ReLU: the default for hidden layers",
    ),
    "leaky_relu": Activation(
        key="leaky_relu",
        name="Leaky ReLU",
        fn=leaky_relu,
        grad=leaky_relu_grad,
        formula=r"\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        grad_formula=r"\mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        range_text="(-∞, ∞)",
        peak_grad=1.0,
        peak_at=None,
        used_in="Leaky ReLU: keeps a small gradient for x < 0 (no dead units)",
        params={"alpha": (0.01, 0.0, 0.5)},
        sliders={
            "alpha": Slider(
                "Leaky ReLU slope α (x < 0)",
                0.01,
                "The slope on the negative side. α = 0 is plain ReLU; the article uses 0.01.",
                "leaky_alpha",
            )
        },
    ),
    "gelu": Activation(
        key="gelu",
        name="GELU",
        fn=gelu,
        grad=gelu_grad,
        formula=(
            r"\mathrm{GELU}(x) \approx \tfrac{1}{2}x\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,"
            r"(x + 0.044715x^3)\bigr)\Bigr)"
        ),
        grad_formula=(
            r"\mathrm{GELU}'(x) = \tfrac{1}{2}(1 + \tanh u) + \tfrac{1}{2}x\,(1 - \tanh^2 u)\,"
            r"\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715x^2),\quad u = \sqrt{2/\pi}\,(x + 0.044715x^3)"
        ),
        range_text="[≈ -0.17, ∞)",
        peak_grad=1.1289930686587717,
        peak_at=1.41850,
        used_in="GELU: transformers (BERT, GPT)",
    ),
    "elu": Activation(
        key="elu",
        name="ELU",
        fn=elu,
        grad=elu_grad,
        formula=r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        grad_formula=r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
        range_text="(-α, ∞)",
        peak_grad=1.0,
        peak_at=None,
        used_in="ELU: smooth negative side pushes mean activations toward zero",
        params={"alpha": (1.0, 0.1, 3.0)},
        sliders={
            "alpha": Slider(
                "ELU α (x < 0 tends to −α)",
                0.05,
                "ELU(x) = α(eˣ − 1) for x ≤ 0. With α ≠ 1 the derivative jumps at 0.",
                "elu_alpha",
            )
        },
    ),
    "softplus": Activation(
        key="softplus",
        name="Softplus",
        fn=softplus,
        grad=softplus_grad,
        formula=r"\mathrm{softplus}(x) = \ln\bigl(1 + e^{x}\bigr)",
        grad_formula=r"\mathrm{softplus}'(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
        range_text="(0, ∞)",
        peak_grad=1.0,
        peak_at=None,
        used_in="Softplus: a smooth ReLU; keeps outputs positive (e.g. variances)",
    ),
    "silu": Activation(
        key="silu",
        name="SiLU (swish)",
        fn=silu,
        grad=silu_grad,
        formula=r"\mathrm{SiLU}(x) = x\,\sigma(x)",
        grad_formula=r"\mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        range_text="[≈ -0.28, ∞)",
        peak_grad=1.0998393201288668,
        peak_at=2.39936,
        used_in="SiLU/swish: modern CNNs and LLM feed-forward blocks",
    ),
}
"""Every activation, in the order the Activations page lists them."""


def saturation_mask(act: Activation, x: ArrayLike, frac: float = 0.01, **params: float) -> NDArray[np.bool_]:
    """Saturated where |f′(x)| < frac · sup|f′| (the peak for the given hyperparameters)."""
    peak = act.peak_grad_for(**params)
    return np.abs(act.grad(_as_float(x), **params)) < frac * peak


# ---------------------------------------------------------------------------------------------
# helpers for the Activations page: where f′ saturates, and f′ against central differences


def saturation_intervals(
    act: Activation, x: ArrayLike, frac: float = 0.01, **params: float
) -> list[tuple[float, float]]:
    """The saturated stretches of a sorted grid ``x`` (see ``saturation_mask``) as (start, end) pairs.

    A run of consecutive saturated samples becomes one interval whose ends sit halfway to the
    neighbouring unsaturated samples (or at the grid's ends), so adjacent intervals tile the axis.
    """
    xs = _as_float(x).ravel()
    mask = saturation_mask(act, xs, frac, **params)
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # run = xs[start:stop]
    out = []
    for a, b in zip(starts, stops, strict=True):
        lo = xs[0] if a == 0 else 0.5 * (xs[a - 1] + xs[a])
        hi = xs[-1] if b == xs.size else 0.5 * (xs[b - 1] + xs[b])
        out.append((float(lo), float(hi)))
    return out
