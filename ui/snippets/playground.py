"""Playground: a 2-6-1 tanh network learns the circles dataset with cross-entropy (NumPy only)."""

import numpy as np

rng = np.random.RandomState(0)
angle, ring = rng.uniform(0, 2 * np.pi, 200), rng.randint(0, 2, 200)  # class 1: inner ring
radius = np.where(ring == 1, 0.5, 1.0) + 0.1 * rng.randn(200)
X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
y = ring.reshape(-1, 1).astype(float)
W1, b1 = rng.randn(2, 6) * np.sqrt(1 / 2), np.zeros((1, 6))  # Xavier: variance 1/fan_in
W2, b2 = rng.randn(6, 1) * np.sqrt(1 / 6), np.zeros((1, 1))

for epoch in range(501):
    a1 = np.tanh(X @ W1 + b1)  # forward
    p = 1 / (1 + np.exp(-(a1 @ W2 + b2)))  # sigmoid output
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    dz2 = (p - y) / len(X)  # sigmoid + cross-entropy collapse to p − y
    dW2, db2 = a1.T @ dz2, dz2.sum(0, keepdims=True)
    dz1 = dz2 @ W2.T * (1 - a1**2)  # back through W2, then tanh'(z1) = 1 − tanh²
    dW1, db1 = X.T @ dz1, dz1.sum(0, keepdims=True)
    W1, b1, W2, b2 = W1 - 1.0 * dW1, b1 - 1.0 * db1, W2 - 1.0 * dW2, b2 - 1.0 * db2  # η = 1.0
    if epoch % 100 == 0:
        print(f"epoch {epoch:4d}  loss {loss:.4f}  accuracy {np.mean((p > 0.5) == y):.0%}")
