"""Whole training and descent histories as arrays, computed in one call (for the replay player).

The pages animate training in the browser from these arrays: nothing is trained while a learner
watches. Three histories:

- :func:`train_history` — a :class:`~core.network.TwoLayerNet` trained on XOR for ``epochs``
  epochs, with a *frame* every ``every`` epochs (epoch 0, every, 2·every, …, epochs). Per frame:
  the parameters (float64, exactly the net's after that many updates), the loss, the four
  predictions and the 40×40 decision map quantised to uint8 (0 → 0.0, 255 → 1.0). The frames'
  epochs are the epochs a page can pause on; :func:`frame_every` picks ``every`` so that a given
  epoch (the article's 1 000) is a frame.
- :func:`train_mlp_history` — a :class:`~core.mlp.MLP` trained in place on any data set (the
  Playground's replay): train and test loss and accuracy at every epoch, and per frame the
  parameters, the output map and every hidden unit's map on a grid (see :class:`MLPHistory`).
- :func:`descent_history` — every selected optimizer's path and losses on one surface, from one
  start, padded to a common length (a run that stopped early holds its last point).

:func:`train_history` uses only :class:`TwoLayerNet`'s public API, so a frame's parameters equal a
fresh ``TwoLayerNet(**config).train(X, y, epoch, lr)`` bit for bit; :func:`train_mlp_history` trains
step for step as ``net.train``; :func:`descent_history` calls :func:`core.optimizers.descend`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.mlp import MLP
from core.network import PARAM_KEYS, TwoLayerNet, accuracy, xor_data
from core.optimizers import descend

__all__ = [
    "DescentHistory",
    "MAP_LEVELS",
    "MAP_N",
    "MLPHistory",
    "TrainingHistory",
    "descent_history",
    "frame_every",
    "quantise",
    "train_history",
    "train_mlp_history",
]

FloatArray = NDArray[np.float64]
MAP_N: int = 40
"""Decision-map cells per axis (40 × 40 = 1 600 per frame)."""
MAP_LO, MAP_HI = -0.5, 1.5
MAP_LEVELS: int = 255
"""A map value p ∈ [0, 1] is stored as round(p · MAP_LEVELS) in a uint8."""
MAX_FRAMES: int = 5_001
MAX_EPOCHS: int = 100_000


def quantise(p: FloatArray) -> NDArray[np.uint8]:
    """p ∈ [0, 1] → uint8 round(p · 255) (values outside [0, 1] are clipped first)."""
    return np.rint(np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0) * MAP_LEVELS).astype(np.uint8)


def frame_every(epochs: int, frames: int, must_include: int | None = None) -> int:
    """The smallest stride k ≥ 1 giving at most ``frames`` intervals over ``epochs`` epochs (frames + 1 frames)
    such that ``must_include`` (if given and ≤ epochs) is a multiple of k."""
    if epochs < 0 or frames < 1:
        raise ValueError("epochs must be ≥ 0 and frames ≥ 1")
    k = max(1, -(-int(epochs) // int(frames)))
    if must_include is None or not 0 < must_include <= epochs:
        return k
    while must_include % k:
        k += 1
    return k


@dataclass(frozen=True)
class TrainingHistory:
    """A training run recorded every ``every`` epochs (F frames). Arrays are read-only.

    Attributes:
        config: the TwoLayerNet arguments; lr: the learning rate; every: epochs per frame.
        epochs: (F,) int64 — the frames' epochs (0, every, …); the pausable epochs.
        params: "W1" (F, n_in, h), "b1" (F, h), "W2" (F, h, n_out), "b2" (F, n_out) — float64, exact.
        loss: (F,) the loss at each frame's parameters (before that epoch's update).
        predictions: (F, 4) a₂ for the four XOR inputs.
        maps: (F, MAP_N, MAP_N) uint8 — quantised a₂ on the grid (row i: x₁ = ys[i]; column j: x₀ = xs[j]).
        epoch_loss: (epochs[-1] + 1,) the loss at every epoch (epoch e: before update e+1).
        solved_at: first epoch whose four predictions are all on the right side of 0.5, or None.
    """

    config: dict[str, Any]
    lr: float
    every: int
    epochs: NDArray[np.int64]
    params: dict[str, FloatArray]
    loss: FloatArray
    predictions: FloatArray
    maps: NDArray[np.uint8]
    epoch_loss: FloatArray
    solved_at: int | None

    @property
    def n_frames(self) -> int:
        return int(self.epochs.size)

    def frame_of(self, epoch: int) -> int:
        """The frame index of ``epoch`` (which must be one of ``epochs``)."""
        if epoch % self.every or not 0 <= epoch <= int(self.epochs[-1]):
            raise ValueError(
                f"epoch {epoch} is not a frame (a multiple of {self.every} in [0, {self.epochs[-1]}])"
            )
        return epoch // self.every

    def nearest_frame(self, epoch: int) -> int:
        """The frame closest to ``epoch`` (clamped to the history)."""
        return int(np.clip(round(epoch / self.every), 0, self.n_frames - 1))

    def params_at(self, frame: int) -> dict[str, FloatArray]:
        """Copies of the parameters at ``frame``."""
        return {k: v[frame].copy() for k, v in self.params.items()}

    def net_at(self, frame: int) -> TwoLayerNet:
        """A TwoLayerNet holding the parameters of ``frame`` (``epochs_trained`` = that frame's epoch)."""
        net = TwoLayerNet(**self.config)
        net.set_params(self.params_at(frame))
        net.epochs_trained = int(self.epochs[frame])
        return net


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def train_history(config: Mapping[str, Any], lr: float, epochs: int, every: int) -> TrainingHistory:
    """Train ``TwoLayerNet(**config)`` on XOR for ``epochs`` epochs at ``lr``; record a frame every ``every``."""
    if isinstance(epochs, bool) or not 0 <= int(epochs) <= MAX_EPOCHS:
        raise ValueError(f"epochs must be in [0, {MAX_EPOCHS}], got {epochs!r}")
    if isinstance(every, bool) or int(every) < 1:
        raise ValueError(f"every must be an integer ≥ 1, got {every!r}")
    epochs, every = int(epochs), int(every)
    last = epochs - epochs % every
    n_frames = last // every + 1
    if n_frames > MAX_FRAMES:
        raise ValueError(f"{n_frames} frames is more than {MAX_FRAMES}: take a larger `every`")
    X, y = xor_data()
    net = TwoLayerNet(**config)
    frames: dict[str, list[FloatArray]] = {k: [] for k in PARAM_KEYS}
    solved: list[int] = []

    def record() -> None:
        for key, value in net.params().items():
            frames[key].append(value)

    def watch(epoch: int, loss: float) -> bool | None:
        if not solved and net.a2 is not None and accuracy(net.a2, y) == 1.0:
            solved.append(epoch)
        if (epoch + 1) % every == 0:
            record()
        return None

    record()
    losses = net.train(X, y, last, lr, on_epoch=watch)
    losses.append(net.loss(X, y))
    if not solved and accuracy(net.predict(X), y) == 1.0:
        solved.append(last)
    params = {k: np.stack(v) for k, v in frames.items()}
    loss = np.asarray(losses, dtype=np.float64)[::every]
    preds = np.empty((n_frames, X.shape[0]))
    maps = np.empty((n_frames, MAP_N, MAP_N), dtype=np.uint8)
    view = TwoLayerNet(**config)
    for i in range(n_frames):
        view.set_params({k: v[i] for k, v in params.items()})
        preds[i] = view.predict(X)[:, 0]
        maps[i] = quantise(view.decision_grid(MAP_N, MAP_LO, MAP_HI)[2])
    return TrainingHistory(
        config=dict(config),
        lr=float(lr),
        every=every,
        epochs=_readonly(np.arange(n_frames, dtype=np.int64) * every),
        params={k: _readonly(v) for k, v in params.items()},
        loss=_readonly(loss),
        predictions=_readonly(preds),
        maps=_readonly(maps),
        epoch_loss=_readonly(np.asarray(losses, dtype=np.float64)),
        solved_at=solved[0] if solved else None,
    )


# ---------------------------------------------------------------------------------------------
# an MLP's training run with train and test curves (the Playground's replay)


@dataclass(frozen=True)
class MLPHistory:
    """Everything a replay of one training run shows, computed in one call.

    Per epoch e = 0 … E (θ_e = the parameters at the start of epoch e; e = E is the end):
        ``train_loss``, ``test_loss``, ``train_acc``, ``test_acc`` — arrays of E + 1 values.
    Per frame f (epochs ``frame_epochs[f]``, 0 and E included):
        ``params[f]`` — {"W1": …} copies; ``output_maps[f]`` (n, n) the output (P(class 1)) on the grid;
        ``unit_maps[f]`` — one (n, n, width) float32 array per hidden layer.
    ``xs``, ``ys``: the grid (value at row i, column j is at (xs[j], ys[i])).
    """

    frame_epochs: NDArray[np.int64]
    train_loss: FloatArray
    test_loss: FloatArray
    train_acc: FloatArray
    test_acc: FloatArray
    params: list[dict[str, FloatArray]]
    output_maps: NDArray[np.float32]
    unit_maps: list[list[NDArray[np.float32]]]
    xs: FloatArray
    ys: FloatArray
    seconds: float

    @property
    def n_frames(self) -> int:
        return len(self.frame_epochs)


def train_mlp_history(
    net: MLP,
    X: ArrayLike,
    y: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    epochs: int,
    lr: float,
    batch_size: int | None = None,
    shuffle_seed: int = 0,
    frames: int = 61,
    grid_n: int = 24,
    extent: tuple[float, float, float, float] = (-1.5, 1.5, -1.5, 1.5),
) -> MLPHistory:
    """Train ``net`` in place for ``epochs`` epochs and record the replay (see :class:`MLPHistory`).

    The training is ``net.train(X, y, epochs, lr, batch_size, shuffle_seed)`` step for step; losses and
    accuracies are measured on the full train and test sets at every epoch; frames are spread evenly.
    """
    import time

    t0 = time.perf_counter()
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or not 0 <= epochs <= 100_000:
        raise ValueError(f"epochs must be an integer in [0, 100000], got {epochs!r}")
    if not 2 <= int(grid_n) <= 100 or not 2 <= int(frames) <= 1000:
        raise ValueError("grid_n must be in [2, 100] and frames in [2, 1000]")
    Xc, T = net._check_Xy(X, y)
    Xt, Tt = net._check_Xy(X_test, y_test)
    lr = net._check_lr(lr)
    x0, x1, y0, y1 = (float(v) for v in extent)
    xs, ys = np.linspace(x0, x1, int(grid_n)), np.linspace(y0, y1, int(grid_n))
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    frame_epochs = np.unique(np.round(np.linspace(0, epochs, min(int(frames), epochs + 1))).astype(np.int64))
    want = set(frame_epochs.tolist())
    rng = np.random.RandomState(shuffle_seed)
    n = int(grid_n)

    def truth(T_: FloatArray) -> NDArray[np.int64]:
        return (T_[:, 0] > 0.5).astype(np.int64) if net.n_out == 1 else T_.argmax(axis=1)

    def label(p: FloatArray) -> NDArray[np.int64]:
        return (p[:, 0] > 0.5).astype(np.int64) if net.n_out == 1 else p.argmax(axis=1)

    cls_train, cls_test = truth(T), truth(Tt)
    losses = np.empty((4, epochs + 1))
    params: list[dict[str, FloatArray]] = []
    out_maps = []
    unit_maps: list[list[NDArray[np.float32]]] = []
    for e in range(epochs + 1):
        penalty = net.penalty() if (net.l1 or net.l2) else 0.0
        zs, acts = net._forward(Xc)
        losses[0, e] = net._data_loss(zs[-1], acts[-1], T) + penalty
        losses[2, e] = np.mean(label(acts[-1]) == cls_train)
        zt, at = net._forward(Xt)
        losses[1, e] = net._data_loss(zt[-1], at[-1], Tt) + penalty
        losses[3, e] = np.mean(label(at[-1]) == cls_test)
        if e in want:
            params.append(net.params())
            outs = net._forward(grid)[1][1:]
            p = outs[-1][:, 0] if net.n_out == 1 else outs[-1][:, 1]
            out_maps.append(p.reshape(n, n).astype(np.float32))
            unit_maps.append([h.reshape(n, n, -1).astype(np.float32) for h in outs[:-1]])
        if e < epochs:
            net.epoch(Xc, T, lr, batch_size, rng)
    return MLPHistory(
        frame_epochs,
        losses[0],
        losses[1],
        losses[2],
        losses[3],
        params,
        np.stack(out_maps),
        unit_maps,
        xs,
        ys,
        time.perf_counter() - t0,
    )


@dataclass(frozen=True)
class DescentHistory:
    """Several optimizers' runs on one surface, frame t = step t for every run.

    Attributes:
        keys: the optimizer keys, in order; points: (R, T+1, 2); losses: (R, T+1);
        lengths: (R,) how many points each run really has (later frames repeat its last point);
        trajectories: the :class:`~core.optimizers.Trajectory` of each run.
    """

    keys: tuple[str, ...]
    points: FloatArray
    losses: FloatArray
    lengths: NDArray[np.int64]
    trajectories: tuple[Any, ...]

    @property
    def n_frames(self) -> int:
        return int(self.points.shape[1])


def descent_history(
    surface: str, runs: Sequence[tuple[str, float, Mapping[str, float]]], start: Sequence[float], steps: int
) -> DescentHistory:
    """``descend(surface, key, start, lr, steps, **hyper)`` for each (key, lr, hyper), padded to steps + 1 frames."""
    trajs = tuple(descend(surface, key, start, lr, steps, **dict(hyper)) for key, lr, hyper in runs)
    n = int(steps) + 1
    points = np.empty((len(trajs), n, 2))
    losses = np.empty((len(trajs), n))
    lengths = np.empty(len(trajs), dtype=np.int64)
    for r, traj in enumerate(trajs):
        k = traj.points.shape[0]
        points[r, :k], points[r, k:] = traj.points, traj.points[-1]
        losses[r, :k], losses[r, k:] = traj.losses, traj.losses[-1]
        lengths[r] = k
    return DescentHistory(
        keys=tuple(key for key, _, _ in runs),
        points=_readonly(points),
        losses=_readonly(losses),
        lengths=_readonly(lengths),
        trajectories=trajs,
    )
