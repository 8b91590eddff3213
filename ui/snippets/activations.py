"""Activations: each function with its derivative, checked by central differences (NumPy only)."""

import numpy as np

ACTS = {
    "sigmoid": (
        lambda x: 0.5 * (1 + np.tanh(x / 2)),  # stable form of 1 / (1 + e^-x)
        lambda x: 0.25 / np.cosh(x / 2) ** 2,
    ),  # σ(1 − σ), without cancellation in the tails
    "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1.0, 0.01)),
    "softplus": (lambda x: np.logaddexp(0, x), lambda x: 0.5 * (1 + np.tanh(x / 2))),
}

x, h = np.linspace(-5, 5, 101), 1e-6
x = x[np.abs(x) > 1e-3]  # away from ReLU's kink at 0, where no derivative exists
for name, (f, df) in ACTS.items():
    numeric = (f(x + h) - f(x - h)) / (2 * h)
    err = np.max(np.abs(numeric - df(x)) / (np.abs(numeric) + np.abs(df(x)) + 1e-300))
    saturated = np.mean(df(x) < 0.01)  # where learning stalls
    print(f"{name:10s} max relative error {err:.1e}, f' < 0.01 on {saturated:.0%} of [-5, 5]")
