"""Small 2-D classification datasets for the playground, and a user's own points from CSV text.

Every generator is ``f(n, noise, rng) -> (X (n, 2), y (n,) int labels)``, drawn from a
``np.random.RandomState(seed)`` so a seed reproduces the points exactly; :func:`make_dataset` adds the
train/test split (a seeded permutation). Labels are 0/1 (Gaussian clusters can have more classes).

- ``xor_article``: the article's four XOR points (always the same; train = test = the four points);
- ``xor``: the noisy 2-D version — points scattered around the article's four corners;
- ``circles``: a disc of class 1 inside a ring of class 0;
- ``moons``: two interleaving half-circles;
- ``spirals``: two interleaved spirals (needs a deeper network);
- ``gaussian``: Gaussian clusters (2 by default).

:func:`parse_points` reads ``x1,x2,label`` lines and raises :class:`PointsError` naming the row and
column of the first problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DATASETS",
    "MAX_POINTS",
    "COORD_LIMIT",
    "Dataset",
    "DatasetSpec",
    "PointsError",
    "make_dataset",
    "parse_points",
    "points_dataset",
    "points_to_text",
    "split",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Generator = Callable[[int, float, np.random.RandomState], tuple[FloatArray, IntArray]]

MAX_POINTS = 300
"""Most user points accepted from CSV text."""

COORD_LIMIT = 100.0
"""Largest accepted |x1|, |x2| of a user point."""


@dataclass(frozen=True)
class Dataset:
    """Points split into train and test; ``extent`` = (x_lo, x_hi, y_lo, y_hi) to draw them in."""

    name: str
    X_train: FloatArray
    y_train: IntArray
    X_test: FloatArray
    y_test: IntArray
    extent: tuple[float, float, float, float]

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(initial=0), self.y_test.max(initial=0))) + 1


def _xor_article(n: int, noise: float, rng: np.random.RandomState) -> tuple[FloatArray, IntArray]:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def _xor(n: int, noise: float, rng: np.random.RandomState) -> tuple[FloatArray, IntArray]:
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    k = rng.randint(0, 4, size=n)
    X = corners[k] + rng.randn(n, 2) * (0.08 + noise * 0.3)
    return X, np.array([0, 1, 1, 0])[k]


def _circles(n: int, noise: float, rng: np.random.RandomState) -> tuple[FloatArray, IntArray]:
    y = (np.arange(n) % 2).astype(np.int64)
    r = np.where(y == 1, rng.uniform(0.0, 0.45, n), rng.uniform(0.75, 1.1, n))
    t = rng.uniform(0.0, 2 * math.pi, n)
    X = np.column_stack([r * np.cos(t), r * np.sin(t)]) + rng.randn(n, 2) * (noise * 0.3)
    return X, y


def _moons(n: int, noise: float, rng: np.random.RandomState) -> tuple[FloatArray, IntArray]:
    y = (np.arange(n) % 2).astype(np.int64)
    t = rng.uniform(0.0, math.pi, n)
    X = np.where(
        y[:, None] == 0,
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
    )
    X = (X - np.array([0.5, 0.25])) * 0.9 + rng.randn(n, 2) * (noise * 0.3)
    return X, y


def _spirals(n: int, noise: float, rng: np.random.RandomState) -> tuple[FloatArray, IntArray]:
    y = (np.arange(n) % 2).astype(np.int64)
    r = rng.uniform(0.05, 1.0, n)
    t = 1.25 * 2 * math.pi * r + math.pi * y
    X = np.column_stack([r * np.sin(t), r * np.cos(t)]) * 1.2 + rng.randn(n, 2) * (noise * 0.15)
    return X, y


def _gaussian(n: int, noise: float, rng: np.random.RandomState, k: int = 2) -> tuple[FloatArray, IntArray]:
    y = (np.arange(n) % k).astype(np.int64)
    angles = 2 * math.pi * np.arange(k) / k + math.pi / 4
    centres = 0.6 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = centres[y] + rng.randn(n, 2) * (0.15 + noise * 0.4)
    return X, y


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    label: str
    make: Generator
    extent: tuple[float, float, float, float]
    description: str


DATASETS: dict[str, DatasetSpec] = {
    "circles": DatasetSpec(
        "circles",
        "Circles",
        _circles,
        (-1.5, 1.5, -1.5, 1.5),
        "a disc of one class inside a ring of the other",
    ),
    "xor": DatasetSpec(
        "xor", "XOR (noisy)", _xor, (-0.75, 1.75, -0.75, 1.75), "clouds around the article's four XOR corners"
    ),
    "moons": DatasetSpec(
        "moons", "Two moons", _moons, (-1.5, 1.5, -1.5, 1.5), "two interleaving half-circles"
    ),
    "gaussian": DatasetSpec(
        "gaussian", "Gaussian clusters", _gaussian, (-1.5, 1.5, -1.5, 1.5), "two Gaussian clouds"
    ),
    "spirals": DatasetSpec(
        "spirals",
        "Two spirals",
        _spirals,
        (-1.5, 1.5, -1.5, 1.5),
        "two interleaved spirals: needs a deeper network",
    ),
    "xor_article": DatasetSpec(
        "xor_article",
        "XOR (article's 4 points)",
        _xor_article,
        (-0.5, 1.5, -0.5, 1.5),
        "the article's four points",
    ),
}
"""The built-in datasets, in menu order."""


def split(
    X: FloatArray, y: IntArray, test_fraction: float, seed: int
) -> tuple[FloatArray, IntArray, FloatArray, IntArray]:
    """A seeded split: the first ⌈(1 − test_fraction)·n⌉ of ``RandomState(seed).permutation(n)`` train, the rest test."""
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")
    n = X.shape[0]
    order = np.random.RandomState(seed).permutation(n)
    n_train = max(1, int(math.ceil((1.0 - test_fraction) * n)))
    tr, te = order[:n_train], order[n_train:]
    if te.size == 0:  # nothing held out: the test set is the training set
        te = tr
    return X[tr], y[tr], X[te], y[te]


def make_dataset(
    name: str, n: int = 200, noise: float = 0.0, seed: int = 0, test_fraction: float = 0.5
) -> Dataset:
    """Points of a built-in dataset drawn from ``RandomState(seed)``, then split (seed + 1)."""
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {tuple(DATASETS)}, got {name!r}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 4 <= n <= 5000:
        raise ValueError(f"n must be an integer in [4, 5000], got {n!r}")
    if not (math.isfinite(float(noise)) and 0.0 <= float(noise) <= 1.0):
        raise ValueError(f"noise must be in [0, 1], got {noise!r}")
    spec = DATASETS[name]
    X, y = spec.make(int(n), float(noise), np.random.RandomState(seed))
    if name == "xor_article":
        return Dataset(name, X, y, X.copy(), y.copy(), spec.extent)
    return Dataset(name, *split(X, y, test_fraction, seed + 1), spec.extent)


class PointsError(ValueError):
    """A problem in pasted points; ``row`` (1-based line) and ``column`` (1-based, or None) say where."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column} ({('x1', 'x2', 'label')[column - 1]})")
        prefix = (", ".join(where).capitalize() + ": ") if where else ""
        super().__init__(prefix + message)
        self.row, self.column, self.detail = row, column, message


def parse_points(text: str, max_points: int = MAX_POINTS) -> tuple[FloatArray, IntArray]:
    """``x1,x2,label`` lines (label 0 or 1; a first line ``x1,x2,label`` is skipped; blank lines ignored;
    ``;`` also separates rows) as (X (n, 2), y (n,)). Raises :class:`PointsError` at the first problem:
    wrong number of columns, a non-number or non-finite value, |x| > COORD_LIMIT, a label that is not 0 or 1,
    more than ``max_points`` points, fewer than 2 points, or a single class."""
    if not isinstance(text, str):
        raise PointsError("expected text")
    if len(text) > 64 * (max_points + 1):
        raise PointsError(f"the text is too long ({len(text):,} characters) for {max_points} points")
    rows: list[tuple[float, float, int]] = []
    lines = text.replace(";", "\n").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.split(",")]
        if not rows and [c.lower() for c in cells] == ["x1", "x2", "label"]:
            continue
        if len(cells) != 3:
            raise PointsError(f"expected 3 columns x1,x2,label, found {len(cells)}", number)
        if len(rows) >= max_points:
            raise PointsError(f"too many points (at most {max_points})", number)
        values = []
        for col, cell in enumerate(cells[:2], start=1):
            try:
                v = float(cell)
            except ValueError:
                raise PointsError(f"'{cell[:20]}' is not a number", number, col) from None
            if not math.isfinite(v) or abs(v) > COORD_LIMIT:
                raise PointsError(
                    f"'{cell[:20]}' is not a number between −{COORD_LIMIT:g} and {COORD_LIMIT:g}", number, col
                )
            values.append(v)
        if cells[2] not in ("0", "1", "0.0", "1.0"):
            raise PointsError(f"'{cells[2][:20]}' is not a class label (use 0 or 1)", number, 3)
        rows.append((values[0], values[1], int(float(cells[2]))))
    if len(rows) < 2:
        raise PointsError(f"need at least 2 points, found {len(rows)}")
    y = np.array([r[2] for r in rows], dtype=np.int64)
    if np.unique(y).size < 2:
        raise PointsError(
            f"every point has label {y[0]}: need at least one point of each class (0 and 1)", None, 3
        )
    return np.array([r[:2] for r in rows], dtype=np.float64), y


def points_to_text(X: FloatArray, y: IntArray, sep: str = "\n") -> str:
    """Points back to ``x1,x2,label`` rows (shortest repr of each float: parse_points reads them back exactly)."""
    return sep.join(f"{float(a)!r},{float(b)!r},{int(c)}" for (a, b), c in zip(X, y, strict=True))


def points_dataset(X: FloatArray, y: IntArray, test_fraction: float = 0.5, seed: int = 0) -> Dataset:
    """A user's points as a dataset: split like the built-ins when there are 10 or more, else train = test."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(0.25 * (hi - lo), 0.5)
    extent = (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))
    if X.shape[0] < 10:
        return Dataset("points", X, y, X.copy(), y.copy(), extent)
    return Dataset("points", *split(X, y, test_fraction, seed + 1), extent)
