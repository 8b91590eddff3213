"""core.autodiff vs micrograd 0.1.0 on micrograd's own demo step.

The model and loss are those of micrograd's demo.ipynb: an MLP 2-16-16-1 (ReLU), 100 points,
the SVM max-margin loss ``mean((1 + -y*score).relu())`` plus ``1e-4 * sum(p*p)``. Both engines
get the same weights (micrograd's initial weights are copied into ours) and the same data, so
they build the same graph; we check the loss and every gradient agree to 1e-9, then time
``zero_grad + forward + backward`` with ``time.perf_counter`` (median of several repeats).

Run: ``python benchmarks/autodiff.py [--repeats N]``. Needs ``pip install micrograd``.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.autodiff import MLP as OurMLP  # noqa: E402
from core.autodiff import Value as OurValue  # noqa: E402
from core.autodiff import topological_order  # noqa: E402


def len_graph(root: OurValue) -> int:
    return len(topological_order(root))


def two_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles (like sklearn's make_moons); labels ±1."""
    rs = np.random.RandomState(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]),
        ]
    )
    X += rs.normal(scale=noise, size=X.shape)
    y = np.hstack([-np.ones(n_out), np.ones(n_in)])
    # Plain Python floats for both engines (NumPy scalars would slow micrograd down).
    return X.tolist(), y.tolist()


def make_step(model, value_cls, X: list[list[float]], y: list[float]) -> Callable[[], object]:
    """micrograd demo.ipynb's ``loss()`` followed by ``zero_grad`` and ``backward``."""

    def step():
        inputs = [list(map(value_cls, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        return total_loss

    return step


def timed(fn: Callable[[], object], *, collect_garbage: bool) -> float:
    """Wall time of one ``fn()`` (``time.perf_counter``), starting from a clean heap.

    The returned graph is freed after timing (micrograd's closures make reference cycles that
    only the cyclic collector frees, ours is freed at once by reference counting: neither is
    timed). With ``collect_garbage=False`` the collector is off while timing (as ``timeit``
    does), so only the engines' own work is measured.
    """
    gc.collect()
    if not collect_garbage:
        gc.disable()
    try:
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
    finally:
        gc.enable()
    del result
    return elapsed


def compare(
    mg_step: Callable[[], object], our_step: Callable[[], object], repeats: int, *, collect_garbage: bool
) -> tuple[float, float]:
    """Median times (micrograd, ours); the engines alternate so both see the same machine load."""
    t_mg, t_ours = [], []
    for _ in range(repeats):
        t_mg.append(timed(mg_step, collect_garbage=collect_garbage))
        t_ours.append(timed(our_step, collect_garbage=collect_garbage))
    return statistics.median(t_mg), statistics.median(t_ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    from micrograd.engine import Value as MgValue
    from micrograd.nn import MLP as MgMLP

    random.seed(1337)  # micrograd draws its weights from the global generator
    mg_model = MgMLP(2, [16, 16, 1])
    ours = OurMLP(2, [16, 16, 1])
    for p_ours, p_mg in zip(ours.parameters(), mg_model.parameters(), strict=True):
        p_ours.data = float(p_mg.data)

    X, y = two_moons()
    mg_step = make_step(mg_model, MgValue, X, y)
    our_step = make_step(ours, OurValue, X, y)

    # Honesty check: same loss, same gradients.
    mg_loss = mg_step()
    our_loss = our_step()
    assert abs(mg_loss.data - our_loss.data) <= 1e-9, (mg_loss.data, our_loss.data)
    worst = max(abs(a.grad - b.grad) for a, b in zip(ours.parameters(), mg_model.parameters(), strict=True))
    assert worst <= 1e-9, worst
    n_params = len(ours.parameters())
    print(f"loss: ours {our_loss.data:.12f}  micrograd {mg_loss.data:.12f}")
    print(f"max |grad difference| over {n_params} parameters: {worst:.2e}")

    for _ in range(2):  # warm up
        mg_step()
        our_step()
    print(f"median of {args.repeats} zero_grad + forward + backward steps ({len_graph(our_loss)} nodes):")
    ratios = []
    for collect, label in ((True, "gc on (Python's default)"), (False, "gc off (as timeit)")):
        t_mg, t_ours = compare(mg_step, our_step, args.repeats, collect_garbage=collect)
        ratios.append(t_mg / t_ours)
        print(
            f"  {label:26s} micrograd {t_mg * 1e3:8.1f} ms   core.autodiff {t_ours * 1e3:8.1f} ms"
            f"   speed-up {t_mg / t_ours:5.2f}x"
        )
    print(f"speed-up (worst of the two): {min(ratios):.2f}x")
    chain(MgValue)
    return 0


def chain(mg_value: type, depth: int = 1_000_000) -> None:
    """A chain of ``depth`` additions: ours backpropagates it; micrograd's recursive sort cannot."""
    x = OurValue(0.5)
    out = x
    start = time.perf_counter()
    for _ in range(depth):
        out = out + 1.0
    built = time.perf_counter()
    out.backward()
    done = time.perf_counter()
    assert x.grad == 1.0 and out.data == depth + 0.5, (x.grad, out.data)
    print(
        f"{depth:,}-node chain: core.autodiff builds it in {built - start:.2f} s, backward {done - built:.2f} s, "
        f"x.grad = {x.grad:g}"
    )
    small = 10_000  # micrograd on a chain 100x shorter, as the baseline
    m = mg_value(0.5)
    mout = m
    for _ in range(small):
        mout = mout + 1.0
    try:
        mout.backward()
        print(f"  micrograd on a {small:,}-node chain: x.grad = {m.grad:g}")
    except RecursionError:
        print(f"  micrograd on a {small:,}-node chain: RecursionError (its topological sort is recursive)")


if __name__ == "__main__":
    raise SystemExit(main())
