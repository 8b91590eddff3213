"""Jacobians and VJPs: softmax's Jacobian diag(s) − s sᵀ, and why backprop never builds it (NumPy only)."""

import numpy as np


def softmax(x):
    e = np.exp(x - x.max())  # shift by the max: no overflow
    return e / e.sum()


x = np.array([2.0, 1.0, 0.1])
s = softmax(x)
J = np.diag(s) - np.outer(s, s)  # J[i, j] = ∂s_i/∂x_j

h = 1e-6  # check each column by central differences
J_num = np.column_stack([(softmax(x + h * e) - softmax(x - h * e)) / (2 * h) for e in np.eye(3)])
print("max |J − J_num| =", np.abs(J - J_num).max())

v = np.array([0.5, -1.0, 0.25])  # an upstream gradient ∂L/∂s
vjp_full = v @ J  # O(n²) memory and time
vjp_fast = s * (v - v @ s)  # the same vector in O(n), the matrix never formed
print("v·J =", vjp_full, " fast:", vjp_fast)

W, b = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0]]), np.zeros(2)
print("linear layer y = W x + b: its Jacobian is W itself, and v·J = v @ W =", np.array([1.0, 1.0]) @ W)
