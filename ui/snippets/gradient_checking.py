"""Gradient checking: compare a hand-written gradient with central differences (NumPy only)."""

import numpy as np


def f(p):
    x, y, z = p
    return x**3 * y + np.sin(y * z)


def grad_f(p, bug=False):
    x, y, z = p
    dx = 3 * x**2 * y if not bug else 2 * x**2 * y  # a planted bug: the power rule done wrong
    return np.array([dx, x**3 + z * np.cos(y * z), y * np.cos(y * z)])


def numeric_grad(f, p, eps=1e-6):
    return np.array([(f(p + eps * e) - f(p - eps * e)) / (2 * eps) for e in np.eye(len(p))])


p = np.array([1.0, -0.5, 2.0])
for bug in (False, True):
    a, n = grad_f(p, bug), numeric_grad(f, p)
    rel = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-300)
    verdict = ["fine" if r < 1e-7 else "suspicious" if r < 1e-4 else "bug" for r in rel]
    print("bug" if bug else "ok ", rel.round(12), verdict)
