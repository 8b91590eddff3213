"""'Copy as Python': a short standalone NumPy script that rebuilds a playground run number for number.

:func:`export_script` writes the dataset's own generator (its source, from ``core.datasets``), the
network's initialisation, and one training loop doing the arithmetic of ``core.mlp.MLP`` in the same
order, so the script's final loss equals the playground's (tests run the script in a subprocess and
compare). It needs only NumPy: no Streamlit, no Gradient Lab.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from core import datasets

__all__ = ["RunSettings", "export_script"]


@dataclass(frozen=True)
class RunSettings:
    """Everything that determines a playground run (the page's settings)."""

    dataset: str  # a key of core.datasets.DATASETS, or "points"
    n: int
    noise: float
    data_seed: int
    hidden: tuple[int, ...]
    activation: str
    loss: str  # "mse" | "ce"
    n_out: int  # 1 (sigmoid) or 2 (softmax)
    init: str
    seed: int
    lr: float
    l1: float
    l2: float
    batch_size: int | None
    epochs: int
    points: tuple[tuple[float, float, int], ...] = ()
    test_fraction: float = 0.5
    shuffle_seed: int = 0

    @property
    def sizes(self) -> list[int]:
        return [2, *self.hidden, self.n_out]


# Each activation exactly as core.activations computes it (f) and as core.mlp takes its slope.
_SIGMOID = """def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
"""
_ACT_CODE = {
    "sigmoid": ("f = sigmoid", "def slope(z, a):\n    return a * (1.0 - a)"),
    "tanh": ("f = np.tanh", "def slope(z, a):\n    return 1.0 - a * a"),
    "relu": (
        "def f(x):\n    return np.maximum(0.0, x)",
        "def slope(z, a):\n    return (z > 0.0).astype(np.float64)",
    ),
    "leaky_relu": (
        "def f(x):\n    return np.where(x > 0, x, 0.01 * x)",
        "def slope(z, a):\n    return np.where(z > 0, 1.0, 0.01)",
    ),
    "elu": (
        "def f(x):\n    return np.where(x > 0, x, 1.0 * np.expm1(np.minimum(x, 0.0)))",
        "def slope(z, a):\n    return np.where(z > 0, 1.0, 1.0 * np.exp(np.minimum(z, 0.0)))",
    ),
    "softplus": ("def f(x):\n    return np.logaddexp(0.0, x)", "def slope(z, a):\n    return sigmoid(z)"),
    "silu": (
        "def f(x):\n    return x * sigmoid(x)",
        "def slope(z, a):\n    return sigmoid(z) + z * sigmoid(z) * sigmoid(-z)",
    ),
    "gelu": (
        "GELU_C, GELU_A = math.sqrt(2.0 / math.pi), 0.044715\n\n\n"
        "def f(x):  # the tanh approximation, as 0.5(1 + tanh u) = sigmoid(2u)\n"
        "    xc = np.clip(x, -100.0, 100.0)\n"
        "    return x * sigmoid(2.0 * (GELU_C * (xc + GELU_A * xc**3)))",
        "def slope(z, a):\n"
        "    zc = np.clip(z, -100.0, 100.0)\n"
        "    u = GELU_C * (zc + GELU_A * zc**3)\n"
        "    return sigmoid(2.0 * u) + zc * (2.0 * sigmoid(2.0 * u) * sigmoid(-2.0 * u)) * GELU_C * (\n"
        "        1.0 + 3.0 * GELU_A * zc**2)",
    ),
}

_GENERATORS = {
    "circles": "_circles",
    "xor": "_xor",
    "moons": "_moons",
    "spirals": "_spirals",
    "gaussian": "_gaussian",
    "xor_article": "_xor_article",
}


def _data_code(s: RunSettings) -> str:
    split_src = (
        inspect.getsource(datasets.split)
        .replace("FloatArray", "np.ndarray")
        .replace("IntArray", "np.ndarray")
    )
    if s.dataset == "points":
        rows = ",\n    ".join(f"({x!r}, {y!r}, {c})" for x, y, c in s.points)
        body = (
            f"POINTS = [\n    {rows},\n]\n"
            "X_all = np.array([p[:2] for p in POINTS], dtype=np.float64)\n"
            "y_all = np.array([p[2] for p in POINTS], dtype=np.int64)\n"
        )
        if len(s.points) < 10:
            return body + "X_train, y_train, X_test, y_test = X_all, y_all, X_all.copy(), y_all.copy()\n"
        return (
            split_src
            + "\n\n"
            + body
            + f"X_train, y_train, X_test, y_test = split(X_all, y_all, {s.test_fraction!r}, {s.data_seed + 1})\n"
        )
    name = _GENERATORS[s.dataset]
    gen_src = inspect.getsource(getattr(datasets, name))
    gen_src = gen_src.replace("FloatArray", "np.ndarray").replace("IntArray", "np.ndarray")
    call = f"X_all, y_all = {name}({s.n}, {s.noise!r}, np.random.RandomState({s.data_seed}))\n"
    if s.dataset == "xor_article":
        return (
            gen_src
            + "\n\n"
            + call
            + "X_train, y_train, X_test, y_test = X_all, y_all, X_all.copy(), y_all.copy()\n"
        )
    return (
        gen_src
        + "\n\n"
        + split_src
        + "\n\n"
        + call
        + f"X_train, y_train, X_test, y_test = split(X_all, y_all, {s.test_fraction!r}, {s.data_seed + 1})\n"
    )


def export_script(s: RunSettings) -> str:
    """The standalone script for a run's settings (prints the final train loss and accuracies)."""
    from core.mlp import MLP  # validates the settings the same way the page's network does

    MLP(s.sizes, s.activation, s.loss, s.init, s.seed, s.l1, s.l2)
    f_code, slope_code = _ACT_CODE[s.activation]
    clip = (s.activation not in ("sigmoid", "tanh") and bool(s.hidden)) or bool(s.l1 or s.l2)
    if s.init == "article":
        scale = "0.5"
    elif s.init == "xavier":
        scale = "math.sqrt(2.0 / (a + b))"
    else:
        scale = "math.sqrt(2.0 / a)"
    batch = "None" if s.batch_size is None else str(int(s.batch_size))
    hidden = ", ".join(str(h) for h in s.hidden)
    out_name = "sigmoid" if s.n_out == 1 else "softmax"
    return f'''"""Gradient Lab playground run, exported: {s.dataset} data, hidden layers [{hidden}] ({s.activation}),
{out_name} output, {s.loss} loss, {s.init} init (seed {s.seed}), lr {s.lr:g}, L1 {s.l1:g}, L2 {s.l2:g},
batch {batch}, {s.epochs} epochs. Needs only NumPy; prints the same final loss as the page."""

import math

import numpy as np

# -- the data ---------------------------------------------------------------------------------
{_data_code(s)}
# -- the network: sizes {s.sizes}, W_l of shape (n_in, n_out), z = a @ W + b ------------------
SIZES = {s.sizes}
LOSS, LR, L1, L2, BATCH, EPOCHS = {s.loss!r}, {s.lr!r}, {s.l1!r}, {s.l2!r}, {batch}, {s.epochs}
SOFTMAX = {s.n_out > 1}


{_SIGMOID}

{f_code}


{slope_code}


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def targets(y):
    if not SOFTMAX:
        return y.astype(np.float64).reshape(-1, 1)
    T = np.zeros((y.size, SIZES[-1]))
    T[np.arange(y.size), y] = 1.0
    return T


rng = np.random.RandomState({s.seed})
W = [rng.randn(a, b) * {scale} for a, b in zip(SIZES, SIZES[1:])]
B = [np.zeros(n) for n in SIZES[1:]]
P = np.vstack([W[-1], B[-1][None, :]])  # the last layer as one block [W; b]
W[-1], B[-1] = P[:-1], P[-1]


def penalty():
    total = 0.0
    if L1:
        total += L1 * sum(float(np.abs(w).sum()) for w in W)
    if L2:
        total += 0.5 * L2 * sum(float((w * w).sum()) for w in W)
    return total


def loss_of(X, T):
    a = X
    for layer in range(len(W)):
        z = a @ W[layer]
        z += B[layer]
        a = f(z) if layer < len(W) - 1 else (softmax(z) if SOFTMAX else sigmoid(z))
    m = X.shape[0]
    if LOSS == "mse":
        d = a - T
        data = float(0.5 * (np.add.reduce((d * d).ravel()) / m))
    elif not SOFTMAX:
        data = float(np.add.reduce((T * np.logaddexp(0.0, -z) + (1.0 - T) * np.logaddexp(0.0, z)).ravel()) / m)
    else:
        zmax = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=1, keepdims=True)) + zmax
        data = float(np.add.reduce(lse[:, 0] * T.sum(axis=1) - (T * z).sum(axis=1)) / m)
    return data + penalty(), a


def step(X, T):
    m = X.shape[0]
    acts, zs, a = [X], [], X
    for layer in range(len(W) - 1):
        z = a @ W[layer]
        z += B[layer]
        a = f(z)
        zs.append(z)
        acts.append(a)
    A = np.ones((m, SIZES[-2] + 1))
    A[:, :-1] = a
    out = softmax(A @ P) if SOFTMAX else sigmoid(A @ P)
    d = out - T
    if LOSS == "ce":
        delta = d
    elif SOFTMAX:
        delta = out * (d - (d * out).sum(axis=1, keepdims=True))
    else:
        delta = d * (out * (1.0 - out))
    deltas = [delta]
    for layer in range(len(W) - 1, 0, -1):
        delta = (delta @ W[layer].T) * slope(zs[layer - 1], acts[layer])
        deltas.append(delta)
    deltas.reverse()
    regs = None
    if L1 or L2:
        regs = []
        for w in W:
            g = np.zeros_like(w)
            if L1:
                g += L1 * np.sign(w)
            if L2:
                g += L2 * w
            regs.append(g)
    s = LR / m
    P[...] -= s * (A.T @ deltas[-1])
    for layer in range(len(W) - 1):
        W[layer] -= s * (acts[layer].T @ deltas[layer])
        B[layer] -= s * np.add.reduce(deltas[layer], 0)
    if regs is not None:
        for w, g in zip(W, regs):
            w -= LR * g
    if {clip}:  # keep a diverging run finite (no sane run reaches the clip)
        for p in (*W[:-1], *B[:-1], P):
            np.clip(p, -1e6, 1e6, out=p)


def accuracy(out, y):
    guess = (out[:, 0] > 0.5).astype(np.int64) if not SOFTMAX else out.argmax(axis=1)
    return float(np.mean(guess == y))


T_train, T_test = targets(y_train), targets(y_test)
shuffle = np.random.RandomState({s.shuffle_seed})
for epoch in range(EPOCHS):
    if BATCH is None or BATCH >= X_train.shape[0]:
        step(X_train, T_train)
    else:
        order = shuffle.permutation(X_train.shape[0])
        for start in range(0, X_train.shape[0], BATCH):
            idx = order[start:start + BATCH]
            step(X_train[idx], T_train[idx])

train_loss, train_out = loss_of(X_train, T_train)
test_loss, test_out = loss_of(X_test, T_test)
print(f"final train loss {{train_loss:.12g}}")
print(f"final test loss {{test_loss:.12g}}")
print(f"train accuracy {{accuracy(train_out, y_train):.4f}}, test accuracy {{accuracy(test_out, y_test):.4f}}")
'''
