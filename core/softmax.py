"""Softmax: probabilities from logits, stable at any scale, and its log (shared by losses and Jacobians)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def check_temperature(temperature: float) -> float:
    t = float(temperature)
    if not t > 0 or not np.isfinite(t):
        raise ValueError(f"temperature must be a positive finite number, got {temperature!r}")
    return t


def softmax(x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """softmax(x)_i = e^(x_i/T) / Σ_j e^(x_j/T), over the last axis, shifted by the max for stability."""
    t = check_temperature(temperature)
    z = np.asarray(x, dtype=np.float64) / t
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(x: ArrayLike, temperature: float = 1.0) -> FloatArray:
    """log softmax(x)_i = x_i/T − logΣ_j e^(x_j/T), via log-sum-exp over the last axis (no log(0))."""
    t = check_temperature(temperature)
    z = np.asarray(x, dtype=np.float64) / t
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
