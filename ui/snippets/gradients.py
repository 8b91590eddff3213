"""Gradients: partial derivatives of a 2-D loss surface, checked by central differences (NumPy only)."""

import numpy as np


def loss(w):
    w1, w2 = w
    return (w1 - 2) ** 2 + (w2 - 3) ** 2 + w1 * w2  # the article's loss_2d


def grad(w):
    w1, w2 = w
    return np.array([2 * (w1 - 2) + w2, 2 * (w2 - 3) + w1])  # ∂L/∂w1, ∂L/∂w2


w, h = np.array([1.0, 1.0]), 1e-5
numeric = np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(2)])
print("analytic", grad(w), "numeric", numeric)
print("relative error", np.linalg.norm(grad(w) - numeric) / np.linalg.norm(grad(w) + numeric))

# Directional derivative: the slope along a unit vector u is ∇L · u, largest along ∇L itself.
angle = np.deg2rad(252)
u = np.array([np.cos(angle), np.sin(angle)])
print("slope along u", grad(w) @ u, "steepest", np.linalg.norm(grad(w)))
