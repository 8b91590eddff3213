"""The Network playground's figures: history time for the default settings, and accuracy per dataset.

1. Time of ``train_mlp_history`` (the whole replay: 201 frames, per-epoch train/test loss and accuracy, the
   decision map and every hidden unit's map) for the page's default settings, against a baseline measured in
   the same run: the same training alone (``MLP.train``, nothing recorded). Median of several repeats.
2. For each dataset with the page's default settings (and spirals with the page's "Spirals" preset): final
   test accuracy, the first epoch with test accuracy ≥ 95 % (and the replay frame it falls in), over a few
   weight seeds.

Run: ``python benchmarks/playground.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.datasets import make_dataset  # noqa: E402
from core.history import train_mlp_history  # noqa: E402
from core.mlp import MLP  # noqa: E402

DEFAULT = {"n": 200, "noise": 0.1, "hidden": [6, 6], "act": "tanh", "lr": 0.3, "batch": 10, "epochs": 200}
SPIRALS = {**DEFAULT, "n": 400, "hidden": [8, 8, 8], "epochs": 300}
FRAMES, GRID_N = 201, 24  # the page: a frame per epoch for the default 200 epochs


def _run(name: str, cfg: dict, seed: int = 1, record: bool = True):
    d = make_dataset(name, cfg["n"], cfg["noise"], 0)
    net = MLP([2, *cfg["hidden"], 1], cfg["act"], "ce", "xavier", seed)
    if not record:
        net.train(d.X_train, d.y_train, cfg["epochs"], cfg["lr"], batch_size=cfg["batch"])
        return None
    return train_mlp_history(
        net,
        d.X_train,
        d.y_train,
        d.X_test,
        d.y_test,
        cfg["epochs"],
        cfg["lr"],
        cfg["batch"],
        frames=FRAMES,
        grid_n=GRID_N,
        extent=d.extent,
    )


def _median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    base = _median_seconds(lambda: _run("circles", DEFAULT, record=False), args.repeats)
    hist = _median_seconds(lambda: _run("circles", DEFAULT), args.repeats)
    print(
        f"default history (circles, 2x6 tanh, 200 epochs, batch 10, {FRAMES} frames, {GRID_N}² maps): "
        f"{hist:.3f} s  (training alone {base:.3f} s; ratio {hist / base:.2f}x; target ≤ 1 s)"
    )
    spir = _median_seconds(lambda: _run("spirals", SPIRALS), max(1, args.repeats // 2))
    print(
        f"spirals preset history (3x8 tanh, 300 epochs, 400 points): {spir:.3f} s  (ratio to default "
        f"training alone {spir / base:.2f}x)"
    )
    print()
    print(f"{'dataset':<12} {'settings':<9} {'seed':>4} {'test acc':>9} {'epoch ≥95%':>11} {'frame':>6}")
    for name, cfg, label in [
        ("circles", DEFAULT, "default"),
        ("moons", DEFAULT, "default"),
        ("xor", DEFAULT, "default"),
        ("gaussian", DEFAULT, "default"),
        ("spirals", SPIRALS, "spirals"),
    ]:
        for seed in (1, 2, 3):
            h = _run(name, cfg, seed)
            first = next((e for e, a in enumerate(h.test_acc) if a >= 0.95), None)
            frame = None if first is None else int((h.frame_epochs >= first).argmax())
            print(
                f"{name:<12} {label:<9} {seed:>4} {100 * h.test_acc[-1]:>8.1f}% {str(first):>11} "
                f"{str(frame):>6}/{h.n_frames - 1}"
            )


if __name__ == "__main__":
    main()
