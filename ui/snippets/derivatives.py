"""Derivatives: the exact slope vs forward and central differences (NumPy only)."""

import numpy as np


def f(x):
    return (x - 3) ** 2 + 1  # the article's loss; try np.sin or np.exp


def f_prime(x):
    return 2 * (x - 3)  # by the power and chain rules


x0, h = 5.0, 1e-5
forward = (f(x0 + h) - f(x0)) / h  # error ≈ |f''|·h/2
central = (f(x0 + h) - f(x0 - h)) / (2 * h)  # error ≈ |f'''|·h²/6
exact = f_prime(x0)
for name, approx in (("forward", forward), ("central", central)):
    rel = abs(approx - exact) / (abs(approx) + abs(exact))
    print(f"{name:8s} {approx:.10f}  exact {exact:.10f}  relative error {rel:.1e}")

# Error vs step size: truncation falls with h, round-off grows like eps/h.
for h in np.geomspace(1e-12, 1e-1, 6):
    err = abs((f(x0 + h) - f(x0)) / h - exact)
    print(f"h = {h:.0e}  forward error {err:.1e}")
