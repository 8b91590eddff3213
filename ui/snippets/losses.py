"""Losses: MSE, binary cross-entropy, and softmax + cross-entropy collapsing to p − y (NumPy only)."""

import numpy as np

y_true, y_pred = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
mse = np.mean((y_pred - y_true) ** 2)
mse_grad = 2 * (y_pred - y_true) / len(y_true)
bce = -np.sum(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
bce_grad = (y_pred - y_true) / (y_pred * (1 - y_pred))
print("MSE", mse, mse_grad, "\nBCE", bce, bce_grad)

logits, y = np.array([2.0, 1.0, 0.1]), np.array([0.0, 1.0, 0.0])
p = np.exp(logits - logits.max())
p /= p.sum()  # softmax
loss = -np.sum(y * np.log(p))
grad_short = p - y  # the collapse
J = np.diag(p) - np.outer(p, p)  # the long way: (∂L/∂p) · J_softmax
grad_long = (-y / p) @ J
print("CE", loss, "p − y =", grad_short, "long way =", grad_long)
