"""Gradient descent: plain SGD and momentum on the article's bowl L = w1² + 2·w2² (NumPy only)."""

import numpy as np


def grad(w):
    return np.array([2 * w[0], 4 * w[1]])  # ∇(w1² + 2 w2²)


def descend(lr, steps, beta=0.0, start=(4.0, 3.0)):
    w, v = np.array(start), np.zeros(2)
    for _ in range(steps):
        v = beta * v + grad(w)  # beta = 0: plain gradient descent θ ← θ − η ∇L(θ)
        w = w - lr * v
        if not np.all(np.isfinite(w)) or np.abs(w).max() > 1e6:
            return w, "diverged"
    return w, "ok"


for lr in (0.1, 0.4, 0.6):  # 0.5 is the edge: 1 − 4·lr must stay inside (−1, 1) for w2
    w, status = descend(lr, 50)
    print(f"sgd lr={lr}: w = {w}, loss = {w[0] ** 2 + 2 * w[1] ** 2:.3g} ({status})")
w, status = descend(0.1, 50, beta=0.9)
print("momentum 0.9:", w, status)
