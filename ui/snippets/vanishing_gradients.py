"""Vanishing gradients: per-layer gradient norms through a deep sigmoid stack, with batch norm (NumPy only)."""

import numpy as np

sigmoid = lambda z: 0.5 * (1 + np.tanh(z / 2))  # noqa: E731


def grad_norms(depth=30, width=32, std=0.1, batch_norm=False, seed=0):
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((32, width))
    Ws = [rng.standard_normal((width, width)) * std for _ in range(depth)]
    cache = []
    for W in Ws:  # forward: z = hW, optional z ← (z − μ)/σ over the batch, h = σ(z)
        z = h @ W
        inv = 1 / np.sqrt(z.var(0) + 1e-5) if batch_norm else 1.0
        zh = (z - z.mean(0)) * inv if batch_norm else z
        h = sigmoid(zh)
        cache.append((h, zh, inv))
    g, norms = np.full_like(h, 1 / len(h)), []  # L = Σ h_L / batch
    for W, (a, zh, inv) in zip(reversed(Ws), reversed(cache), strict=True):
        dz = g * a * (1 - a)  # σ'(z) ≤ 1/4
        if batch_norm:  # back through the normalization
            dz = inv * (dz - dz.mean(0) - zh * (dz * zh).mean(0))
        g = dz @ W.T
        norms.append(np.linalg.norm(g))
    return norms[::-1]


for bn in (False, True):
    print(f"batch norm {bn!s:5s}: ‖∂L/∂h_l‖ for l = 0, 29:", np.array(grad_norms(batch_norm=bn))[[0, -1]])
