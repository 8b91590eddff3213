"""Loss functions and their derivatives w.r.t. the prediction, as the article's table writes them.

Reductions follow the table: MSE is a *mean* over elements, the cross-entropies are *sums*.

Probabilities are clipped to ``[EPS, 1 − EPS]`` with ``EPS = 1e-12`` before any log or division
(the article adds 1e-10 inside the log; clipping is the same idea and also protects 1 − ŷ), so
ŷ of exactly 0 or 1 gives a large but finite loss and gradient, never a warning. Losses on logits
use log-sum-exp and stay exact for logits of ±1000.

``bce_naive_from_logit`` is deliberately unstable (for the Losses page's stability demo);
``bce_from_logits`` is the stable formula frameworks use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core import finite_diff
from core.softmax import log_softmax, softmax

__all__ = [
    "EPS",
    "SIGMOID_ROUNDS_TO_ONE",
    "BceStability",
    "LOSSES",
    "LOSS_TABLE",
    "Loss",
    "LossTableRow",
    "bce_from_logits",
    "bce_naive_from_logit",
    "bce_stability",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "clip_probabilities",
    "cross_entropy",
    "cross_entropy_grad",
    "loss_curve",
    "mse",
    "mse_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]

FloatArray = NDArray[np.float64]

EPS: float = 1e-12
"""Probabilities are clipped to [EPS, 1 − EPS] before a log or a division."""


def _as_float(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def clip_probabilities(p: ArrayLike, eps: float = EPS) -> FloatArray:
    """clip(p) = min(max(p, ε), 1 − ε), so log p, log(1 − p) and 1/p stay finite."""
    return np.clip(_as_float(p), eps, 1.0 - eps)


# ---------------------------------------------------------------------------------------------
# MSE


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """MSE = (1/n) Σ (y − ŷ)²."""
    d = _as_float(y_true) - _as_float(y_pred)
    return float(np.mean(d**2))


def mse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
    """∂MSE/∂ŷ = 2(ŷ − y) / n, n = number of elements."""
    y, p = np.broadcast_arrays(_as_float(y_true), _as_float(y_pred))
    return 2.0 * (p - y) / p.size


# ---------------------------------------------------------------------------------------------
# binary cross-entropy


def binary_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """BCE = −Σ [y log ŷ + (1 − y) log(1 − ŷ)], ŷ clipped to [EPS, 1 − EPS]."""
    y = _as_float(y_true)
    p = clip_probabilities(y_pred)
    return float(-np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def binary_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
    """∂BCE/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)), ŷ clipped to [EPS, 1 − EPS] so it stays finite at 0 and 1."""
    y = _as_float(y_true)
    p = clip_probabilities(y_pred)
    return (p - y) / (p * (1.0 - p))


def bce_naive_from_logit(y: ArrayLike, z: ArrayLike) -> FloatArray:
    """−[y log σ(z) + (1 − y) log(1 − σ(z))] with σ(z) = 1/(1 + e^(−z)), elementwise, NO clipping.

    Deliberately naive, for the stability demo: σ(z) rounds to exactly 1 for z ≳ 37 and to 0 for
    z ≲ −745, and then log(0) makes the loss inf (or 0·inf = nan). Those inf/nan values are
    returned as they are; the floating-point warnings are silenced with ``np.errstate``.
    """
    y = _as_float(y)
    z = _as_float(z)
    with np.errstate(all="ignore"):
        s = 1.0 / (1.0 + np.exp(-z))
        return -(y * np.log(s) + (1.0 - y) * np.log(1.0 - s))


def bce_from_logits(y: ArrayLike, z: ArrayLike) -> FloatArray:
    """BCE(y, σ(z)) = max(z, 0) − z·y + log(1 + e^(−|z|)), elementwise: stable for every finite z."""
    y = _as_float(y)
    z = _as_float(z)
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


# ---------------------------------------------------------------------------------------------
# cross-entropy


def cross_entropy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """CE = −Σ y log ŷ (ŷ are probabilities), ŷ clipped to [EPS, 1 − EPS]."""
    return float(-np.sum(_as_float(y_true) * np.log(clip_probabilities(y_pred))))


def cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
    """∂CE/∂ŷ = −y / ŷ, ŷ clipped to [EPS, 1 − EPS]."""
    return -_as_float(y_true) / clip_probabilities(y_pred)


def softmax_cross_entropy(y_true: ArrayLike, logits: ArrayLike) -> float:
    """CE(y, softmax(z)) = −Σ y (z − logΣe^z), via log-sum-exp over the last axis (exact for |z| = 1000)."""
    return float(-np.sum(_as_float(y_true) * log_softmax(logits)))


def softmax_cross_entropy_grad(y_true: ArrayLike, logits: ArrayLike) -> FloatArray:
    """∂CE(y, softmax(z))/∂z = softmax(z) − y (for one-hot or any y summing to 1)."""
    return softmax(logits) - _as_float(y_true)


# ---------------------------------------------------------------------------------------------
# registry and the article's table


@dataclass(frozen=True)
class Loss:
    """A loss for the Losses page and the tests.

    Fields:
        key: registry key (``"mse"``).
        name: display name.
        fn: ``fn(y_true, y_pred)`` → float.
        grad: ``grad(y_true, y_pred)`` → ∂loss/∂ŷ, same shape as ŷ.
        formula: LaTeX of the loss.
        grad_formula: LaTeX of its derivative w.r.t. ŷ.
        target_kind: ``"regression"`` (any real ŷ) or ``"probability"`` (ŷ in [0, 1]).
    """

    key: str
    name: str
    fn: Callable[[ArrayLike, ArrayLike], float]
    grad: Callable[[ArrayLike, ArrayLike], FloatArray]
    formula: str
    grad_formula: str
    target_kind: str


LOSSES: dict[str, Loss] = {
    "mse": Loss(
        key="mse",
        name="Mean squared error",
        fn=mse,
        grad=mse_grad,
        formula=r"\mathcal{L} = \frac{1}{n}\sum_i (y_i - \hat{y}_i)^2",
        grad_formula=r"\frac{\partial \mathcal{L}}{\partial \hat{y}_i} = \frac{2}{n}(\hat{y}_i - y_i)",
        target_kind="regression",
    ),
    "bce": Loss(
        key="bce",
        name="Binary cross-entropy",
        fn=binary_cross_entropy,
        grad=binary_cross_entropy_grad,
        formula=r"\mathcal{L} = -\sum_i \bigl[y_i \log \hat{y}_i + (1 - y_i)\log(1 - \hat{y}_i)\bigr]",
        grad_formula=(
            r"\frac{\partial \mathcal{L}}{\partial \hat{y}_i} = \frac{\hat{y}_i - y_i}{\hat{y}_i(1 - \hat{y}_i)}"
        ),
        target_kind="probability",
    ),
    "ce": Loss(
        key="ce",
        name="Cross-entropy",
        fn=cross_entropy,
        grad=cross_entropy_grad,
        formula=r"\mathcal{L} = -\sum_i y_i \log \hat{y}_i",
        grad_formula=r"\frac{\partial \mathcal{L}}{\partial \hat{y}_i} = -\frac{y_i}{\hat{y}_i}",
        target_kind="probability",
    ),
}
"""The losses of the article's table, in its order of presentation on the Losses page."""


class LossTableRow(NamedTuple):
    """One row of the article's loss table (LaTeX cells)."""

    loss: str
    formula: str
    derivative: str


LOSS_TABLE: tuple[LossTableRow, ...] = (
    LossTableRow("MSE", r"\frac{1}{n}\sum(y - \hat{y})^2", r"\frac{2}{n}(\hat{y} - y)"),
    LossTableRow("Cross-Entropy", r"-\sum y \log(\hat{y})", r"-\frac{y}{\hat{y}}"),
    LossTableRow(
        "Binary CE",
        r"-[y\log(\hat{y}) + (1-y)\log(1-\hat{y})]",
        r"\frac{\hat{y} - y}{\hat{y}(1-\hat{y})}",
    ),
)
"""The article's "Loss Function Derivatives" table, row for row."""


# ---------------------------------------------------------------------------------------------
# helpers for the Losses page


def loss_curve(loss: Loss, y: float, y_pred: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """(L(y, ŷ), ∂L/∂ŷ) for each ŷ in ``y_pred``, each taken as a one-element prediction (n = 1).

    The registry's functions reduce over all elements (MSE divides by n); passing a whole grid of
    predictions at once would mix them, so each grid point is evaluated on its own.
    """
    preds = _as_float(y_pred).ravel()
    target = np.array([float(y)])
    values = np.array([loss.fn(target, np.array([p])) for p in preds], dtype=np.float64)
    grads = np.array([float(np.ravel(loss.grad(target, np.array([p])))[0]) for p in preds], dtype=np.float64)
    return values, grads


def loss_slope_check(
    loss: Loss, y: float, y_pred: ArrayLike, h: float = 1e-5
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(L, ∂L/∂ŷ by the formula, ∂L/∂ŷ by central differences (L(ŷ+h) − L(ŷ−h))/2h) at each ŷ in ``y_pred``.

    The numeric slope only evaluates L: an independent check of the registry's derivative.
    """
    values, grads = loss_curve(loss, y, y_pred)
    preds = _as_float(y_pred).ravel()
    numeric = finite_diff.derivative(lambda p: loss_curve(loss, y, p)[0], preds, h=h, method="central")
    return values, grads, np.asarray(numeric, dtype=np.float64).ravel()


SIGMOID_ROUNDS_TO_ONE: float = 53.0 * float(np.log(2.0))
"""z ≈ 36.74 beyond which 1/(1 + e^(−z)) rounds to exactly 1.0 in float64 (e^(−z) < 2⁻⁵³)."""


def _runs(z: FloatArray, mask: NDArray[np.bool_]) -> list[tuple[float, float]]:
    """Runs of consecutive True in ``mask`` as (first z, last z) pairs."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(starts, stops, strict=True)]


class BceStability(NamedTuple):
    """The naive BCE of σ(z) against the stable logits form, on a sorted grid of logits z.

    ``naive`` keeps its inf/nan (that is the demonstration); ``broken`` lists the z-runs where it
    is not finite. ``lost_above`` is the smallest z ≥ 0 from which on the naive value is wrong
    (not finite, or relative error against ``stable`` above ``tolerance``) somewhere, and
    ``lost_below`` the largest such z ≤ 0; ``None`` when the naive value is fine on that side.
    """

    z: FloatArray
    naive: FloatArray
    stable: FloatArray
    rel_err: FloatArray  # |naive − stable| / (|naive| + |stable|), NaN where naive is not finite
    broken: list[tuple[float, float, str]]  # (first z, last z, "inf" | "nan")
    lost_above: float | None
    lost_below: float | None
    tolerance: float


def bce_stability(y: float, z: ArrayLike, tolerance: float = 1e-6) -> BceStability:
    """Compare ``bce_naive_from_logit`` with ``bce_from_logits`` for label ``y`` on the sorted logits ``z``."""
    zs = _as_float(z).ravel()
    naive = bce_naive_from_logit(y, zs)
    stable = bce_from_logits(y, zs)
    finite = np.isfinite(naive)
    with np.errstate(all="ignore"):
        denom = np.abs(naive) + np.abs(stable)
        rel = np.where(finite, np.abs(naive - stable) / np.where(denom > 0, denom, 1.0), np.nan)
    broken = sorted(
        [(a, b, "nan") for a, b in _runs(zs, np.isnan(naive))]
        + [(a, b, "inf") for a, b in _runs(zs, np.isinf(naive))]
    )
    wrong = ~finite | (rel > tolerance)
    above = zs[wrong & (zs >= 0)]
    below = zs[wrong & (zs <= 0)]
    return BceStability(
        zs,
        naive,
        stable,
        rel,
        broken,
        float(above.min()) if above.size else None,
        float(below.max()) if below.size else None,
        float(tolerance),
    )
