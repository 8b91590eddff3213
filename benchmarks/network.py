"""Benchmark: one training epoch (``train_step`` on XOR) of core.network's default net vs the article's code.

Run from the repository root::

    python benchmarks/network.py [--epochs 20000]

Prints the median wall time of one epoch in µs for ``TwoLayerNet().train_step(X, y, 1.0)`` and, as
a baseline measured in the same run, for the article's ``SimpleNetwork.train_step`` (reimplemented
below exactly as the article writes it, seeded with a RandomState instead of the global seed),
plus the ratio. The two are timed in interleaved blocks so that machine load affects both alike;
the lowest per-block median is printed too (what the code costs on a quiet machine).
Target: ≤ 30 µs per epoch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.network import TwoLayerNet, xor_data  # noqa: E402

TARGET_US = 30.0


def _sigmoid(x):
    """The article's sigmoid: 1 / (1 + exp(−clip(x, −500, 500)))."""
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


def _sigmoid_derivative(x):
    """The article's σ′(x) = σ(x)(1 − σ(x)), recomputing σ."""
    s = _sigmoid(x)
    return s * (1 - s)


class ArticleNetwork:
    """The article's SimpleNetwork, verbatim apart from the RandomState seeding."""

    def __init__(self) -> None:
        rng = np.random.RandomState(42)
        self.W1 = rng.randn(2, 3) * 0.5
        self.b1 = np.zeros(3)
        self.W2 = rng.randn(3, 1) * 0.5
        self.b2 = np.zeros(1)

    def forward(self, x):
        self.z1 = x @ self.W1 + self.b1
        self.a1 = _sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.a2 = _sigmoid(self.z2)
        return self.a2

    def backward(self, x, y):
        m = x.shape[0]
        dL_da2 = self.a2 - y
        da2_dz2 = _sigmoid_derivative(self.z2)
        dL_dz2 = dL_da2 * da2_dz2
        dL_dW2 = self.a1.T @ dL_dz2 / m
        dL_db2 = np.mean(dL_dz2, axis=0)
        dL_da1 = dL_dz2 @ self.W2.T
        da1_dz1 = _sigmoid_derivative(self.z1)
        dL_dz1 = dL_da1 * da1_dz1
        dL_dW1 = x.T @ dL_dz1 / m
        dL_db1 = np.mean(dL_dz1, axis=0)
        return {"dW1": dL_dW1, "db1": dL_db1, "dW2": dL_dW2, "db2": dL_db2}

    def train_step(self, x, y, lr=0.1):
        pred = self.forward(x)
        loss = 0.5 * np.mean((pred - y) ** 2)
        grads = self.backward(x, y)
        self.W1 -= lr * grads["dW1"]
        self.b1 -= lr * grads["db1"]
        self.W2 -= lr * grads["dW2"]
        self.b2 -= lr * grads["db2"]
        return loss


def _time_block(step, X, y, n: int, out: list[float]) -> None:
    """Append the wall time (µs) of each of n calls step(X, y, 1.0)."""
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        step(X, y, 1.0)
        out.append((clock() - t0) / 1000.0)


def main() -> None:
    """Check that both nets agree, then time them in interleaved blocks and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20_000, help="epochs timed per implementation")
    parser.add_argument("--block", type=int, default=1_000, help="epochs per interleaved block")
    args = parser.parse_args()

    X, y = xor_data()
    ours, article = TwoLayerNet(), ArticleNetwork()
    drift = max(abs(ours.train_step(X, y, 1.0) - article.train_step(X, y, 1.0)) for _ in range(1000))
    if drift > 1e-12:
        raise SystemExit(f"the nets disagree (max loss difference {drift:.2e}); not benchmarking")

    ours, article = TwoLayerNet(), ArticleNetwork()
    _time_block(ours.train_step, X, y, 500, [])  # warm-up
    _time_block(article.train_step, X, y, 500, [])
    t_ours: list[float] = []
    t_article: list[float] = []
    blocks_ours: list[float] = []
    blocks_article: list[float] = []
    done = 0
    while done < args.epochs:
        n = min(args.block, args.epochs - done)
        start = len(t_ours)
        _time_block(ours.train_step, X, y, n, t_ours)
        _time_block(article.train_step, X, y, n, t_article)
        blocks_ours.append(statistics.median(t_ours[start:]))
        blocks_article.append(statistics.median(t_article[start:]))
        done += n

    t0 = time.perf_counter()
    TwoLayerNet().train(X, y, args.epochs, 1.0)
    amortised = (time.perf_counter() - t0) / args.epochs * 1e6

    med_ours, med_article = statistics.median(t_ours), statistics.median(t_article)
    print(f"core.network TwoLayerNet (2-3-1 sigmoid, MSE, XOR), {args.epochs} epochs per implementation")
    print(f"  train_step, median per epoch:        {med_ours:8.2f} µs")
    print(f"  article SimpleNetwork.train_step:    {med_article:8.2f} µs  (baseline, same run)")
    print(f"  ratio ours / article:                {med_ours / med_article:8.2f}")
    print(
        f"  quietest block's median:             {min(blocks_ours):8.2f} µs ours, "
        f"{min(blocks_article):.2f} µs article  ({len(blocks_ours)} blocks of {args.block})"
    )
    print(f"  train() mean per epoch (amortised):  {amortised:8.2f} µs  (a mean: includes scheduler noise)")
    print(f"  losses agree with the article's to   {drift:8.1e} over 1000 epochs")
    status = "OK" if med_ours <= TARGET_US else "ABOVE TARGET"
    print(f"  target ≤ {TARGET_US:.0f} µs per epoch:            {status}")


if __name__ == "__main__":
    main()
