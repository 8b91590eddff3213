"""Backpropagation: the article's 2-3-1 sigmoid network on XOR, trained by hand (NumPy only)."""

import numpy as np

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)
rng = np.random.RandomState(42)
W1, b1 = rng.randn(2, 3) * 0.5, np.zeros((1, 3))
W2, b2 = rng.randn(3, 1) * 0.5, np.zeros((1, 1))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


for epoch in range(10001):
    a1 = sigmoid(X @ W1 + b1)  # forward
    a2 = sigmoid(a1 @ W2 + b2)
    loss = 0.5 * np.mean((a2 - y) ** 2)
    dz2 = (a2 - y) / len(X) * a2 * (1 - a2)  # chain rule: ∂L/∂a2 · σ'(z2)
    dW2, db2 = a1.T @ dz2, dz2.sum(0, keepdims=True)
    dz1 = dz2 @ W2.T * a1 * (1 - a1)  # back through W2, then σ'(z1)
    dW1, db1 = X.T @ dz1, dz1.sum(0, keepdims=True)
    W1, b1, W2, b2 = W1 - 1.0 * dW1, b1 - 1.0 * db1, W2 - 1.0 * dW2, b2 - 1.0 * db2  # η = 1.0
    if epoch % 2000 == 0:
        print(f"epoch {epoch:5d}  loss {loss:.6f}")
print("predictions", a2.ravel().round(3))
