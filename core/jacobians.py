"""Jacobians of the two layers the article studies (linear and softmax) and their VJPs.

- ``softmax`` is stable (shifted by the max) and works over the last axis.
- ``softmax_jacobian`` is the vectorized ``diag(s) − s sᵀ``; ``softmax_jacobian_loop`` is the
  article's double loop, kept for comparison.
- A vector-Jacobian product ``vᵀJ`` is what backpropagation really computes: ``vjp_linear`` and
  ``vjp_softmax`` (O(n), never forms the n × n matrix).
- ``taylor_error`` measures ‖f(x + t·d) − f(x) − J(t·d)‖, the remainder of the first-order
  approximation, which shrinks like t² for smooth f (slope 2 on a log-log chart).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.losses import cross_entropy_grad
from core.softmax import check_temperature, log_softmax, softmax

__all__ = [
    "linear",
    "linear_jacobian",
    "log_softmax",
    "random_linear",
    "softmax",
    "softmax_ce_grad_long",
    "softmax_jacobian",
    "softmax_jacobian_loop",
    "taylor_error",
    "vjp_linear",
    "vjp_softmax",
]

FloatArray = NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# softmax


def softmax_jacobian(x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """J = (diag(s) − s sᵀ) / T with s = softmax(x / T); J[i, j] = s_i(δ_ij − s_j) / T.

    For a batch ``x`` of shape (..., n) the result has shape (..., n, n).
    """
    t = check_temperature(temperature)
    s = softmax(x, t)
    col = s[..., :, None]
    return (col * np.eye(s.shape[-1]) - col * s[..., None, :]) / t


def softmax_jacobian_loop(x: ArrayLike) -> FloatArray:
    """J[i, j] = s_i(1 − s_i) if i = j else −s_i s_j — the article's double loop (1-D x, T = 1)."""
    s = softmax(np.asarray(x, dtype=np.float64).ravel())
    n = len(s)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                J[i, j] = s[i] * (1 - s[i])
            else:
                J[i, j] = -s[i] * s[j]
    return J


def vjp_softmax(v: ArrayLike, x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """vᵀJ = s ⊙ (v − v·s) / T with s = softmax(x / T): O(n), the n × n Jacobian is never formed."""
    t = check_temperature(temperature)
    s = softmax(x, t)
    v = np.asarray(v, dtype=np.float64)
    return s * (v - np.sum(v * s, axis=-1, keepdims=True)) / t


def softmax_ce_grad_long(y: ArrayLike, logits: ArrayLike) -> FloatArray:
    """∂CE/∂z = J_softmax(z)ᵀ · (−y / softmax(z)) — the chain rule the long way, not the p − y shortcut.

    Uses ``core.losses.cross_entropy_grad`` (which clips probabilities at ``losses.EPS``), so it
    agrees with ``softmax(z) − y`` only while no probability underflows below that eps: with
    saturated logits the long way breaks down, which is why frameworks fuse softmax and CE.
    For 1-D ``y`` and ``logits``.
    """
    z = np.asarray(logits, dtype=np.float64)
    return softmax_jacobian(z).T @ cross_entropy_grad(y, softmax(z))


# ---------------------------------------------------------------------------------------------
# linear layer


def linear(x: ArrayLike, W: ArrayLike, b: ArrayLike) -> FloatArray:
    """y = W x + b."""
    return np.asarray(W, dtype=np.float64) @ np.asarray(x, dtype=np.float64) + np.asarray(b, dtype=np.float64)


def linear_jacobian(W: ArrayLike) -> FloatArray:
    """∂(Wx + b)/∂x = W (a copy, shape (m, n))."""
    return np.array(W, dtype=np.float64)


def vjp_linear(v: ArrayLike, W: ArrayLike) -> FloatArray:
    """vᵀJ = v @ W for y = Wx + b: the gradient w.r.t. x from an upstream gradient v (shape m)."""
    return np.asarray(v, dtype=np.float64) @ np.asarray(W, dtype=np.float64)


def random_linear(m: int, n: int, seed: int = 42) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(W, b, x) = (randn(m, n), zeros(m), randn(n)) from RandomState(seed), in the article's order.

    With seed 42, m = 3, n = 4 this reproduces the article's linear-layer example; the article's
    next draw is ``dx = randn(4) * 0.001`` from the same stream.
    """
    rng = np.random.RandomState(seed)
    W = rng.randn(m, n)
    b = np.zeros(m)
    x = rng.randn(n)
    return W, b, x


# ---------------------------------------------------------------------------------------------
# first-order (Taylor) remainder


def taylor_error(
    f: Callable[[FloatArray], ArrayLike],
    J: ArrayLike,
    x: ArrayLike,
    dx_scales: ArrayLike,
    direction: ArrayLike,
) -> FloatArray:
    """e(t) = ‖f(x + t·d) − f(x) − J(t·d)‖₂ for each t in ``dx_scales``, d = direction/‖direction‖.

    ``J`` is the Jacobian of ``f`` at ``x`` (shape (m, n)). For smooth f the error is O(t²),
    a slope-2 line on a log-log chart, until round-off (≈ 1e-16·‖f‖) takes over at tiny t.
    """
    x = np.asarray(x, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    norm = float(np.linalg.norm(d))
    if not norm > 0 or not np.isfinite(norm):
        raise ValueError("direction must be a non-zero finite vector")
    d = d / norm
    J = np.asarray(J, dtype=np.float64)
    fx = np.asarray(f(x), dtype=np.float64)
    scales = np.asarray(dx_scales, dtype=np.float64).ravel()
    errors = np.empty(scales.shape)
    for k, t in enumerate(scales):
        step = t * d
        errors[k] = np.linalg.norm(np.asarray(f(x + step), dtype=np.float64) - fx - J @ step)
    return errors


# ---------------------------------------------------------------------------------------------
# helpers for the Jacobians & VJPs page


def softmax_jacobian_loop_at(x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """The article's double loop at temperature T, by the chain rule through z = x/T: J_loop(x/T) / T.

    Independent of ``softmax_jacobian`` (no ``diag(s) − s sᵀ``): the page compares the two.
    """
    t = check_temperature(temperature)
    return softmax_jacobian_loop(np.asarray(x, dtype=np.float64) / t) / t


def vjp_softmax_full(v: ArrayLike, x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """vᵀJ the expensive way: build the n × n softmax Jacobian, then multiply (O(n²) time and memory)."""
    return np.asarray(v, dtype=np.float64) @ softmax_jacobian(x, temperature)


def row_sums_and_asymmetry(J: ArrayLike) -> tuple[float, float]:
    """(max_i |Σ_j J[i, j]|, max_ij |J − Jᵀ|): both 0 for a softmax Jacobian (up to round-off)."""
    J = np.asarray(J, dtype=np.float64)
    return float(np.max(np.abs(np.sum(J, axis=1)))), float(np.max(np.abs(J - J.T)))


def random_linear_dx(m: int, n: int, seed: int = 42, scale: float = 1e-3) -> FloatArray:
    """The article's perturbation ``dx = randn(n) * scale``: the draw after ``random_linear(m, n, seed)``."""
    rng = np.random.RandomState(seed)
    rng.randn(m, n)
    rng.randn(n)
    return rng.randn(n) * float(scale)


def first_order_change(
    f: Callable[[FloatArray], ArrayLike], J: ArrayLike, x: ArrayLike, dx: ArrayLike
) -> tuple[FloatArray, FloatArray, float]:
    """(Δy, J·dx, ‖Δy − J·dx‖₂) with Δy = f(x + dx) − f(x): the article's "actual vs predicted dy"."""
    x = np.asarray(x, dtype=np.float64)
    dx = np.asarray(dx, dtype=np.float64)
    actual = np.asarray(f(x + dx), dtype=np.float64) - np.asarray(f(x), dtype=np.float64)
    predicted = np.asarray(J, dtype=np.float64) @ dx
    return actual, predicted, float(np.linalg.norm(actual - predicted))
