"""Bugs planted in the article's network's backward pass: realistic mistakes for a gradient check to catch.

Each bug is a full backward pass of a ``TwoLayerNet`` with one line wrong, returning the buggy
gradient dict; ``BUGS`` is the registry (with ``"none"``, the net's own backward) that
``core.gradient_check.network_problem`` checks against central differences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from core.activations import ACTIVATIONS

if TYPE_CHECKING:
    from core.network import TwoLayerNet

__all__ = [
    "BUGS",
    "PlantedBug",
    "bug_drop_hidden_slope",
    "bug_flip_sign",
    "bug_forget_1_over_m",
    "bug_transpose",
    "correct_backward",
]

Grads = dict[str, np.ndarray]


def _forward_parts(net: TwoLayerNet, X: np.ndarray, y: np.ndarray):
    """X, y as float arrays, m, and the forward values z1, a1, a2 (through ``net.forward``)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(X.shape[0], -1)
    a2 = net.forward(X)
    return X, y, X.shape[0], net.z1, net.a1, a2


def _output_delta(net: TwoLayerNet, a2: np.ndarray, y: np.ndarray) -> np.ndarray:
    """m·∂L/∂z2, as the network's backward pass computes it (``core.passes.output_delta``)."""
    return net._output_delta(a2, y)


def _hidden_slope(net: TwoLayerNet, z1: np.ndarray) -> np.ndarray:
    """f′(z1) of the hidden activation (``core.activations``)."""
    return np.asarray(ACTIVATIONS[net.activation].grad(z1), dtype=np.float64)


def correct_backward(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> Grads:
    """The network's own backward pass (``TwoLayerNet.backward``): δ2 = m·∂L/∂z2, δ1 = (δ2 W2ᵀ) ⊙ f′(z1), dW = inputᵀδ/m."""
    return net.backward(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64).reshape(len(X), -1))


def bug_forget_1_over_m(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> Grads:
    """BUG: the output layer sums over the batch instead of averaging (no / m in dW2 and db2)."""
    X, y, m, z1, a1, a2 = _forward_parts(net, X, y)
    dz2 = _output_delta(net, a2, y)
    dz1 = (dz2 @ net.W2.T) * _hidden_slope(net, z1)
    return {
        "dW1": X.T @ dz1 / m,
        "db1": dz1.sum(axis=0) / m,
        "dW2": a1.T @ dz2,  # BUG: forgot "/ m"
        "db2": dz2.sum(axis=0),  # BUG: forgot "/ m"
    }


def bug_drop_hidden_slope(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> Grads:
    """BUG: the hidden layer's activation derivative f′(z1) is left out of δ1."""
    X, y, m, z1, a1, a2 = _forward_parts(net, X, y)
    dz2 = _output_delta(net, a2, y)
    dz1 = dz2 @ net.W2.T  # BUG: should be (dz2 @ W2.T) * f'(z1)
    return {
        "dW1": X.T @ dz1 / m,
        "db1": dz1.sum(axis=0) / m,
        "dW2": a1.T @ dz2 / m,
        "db2": dz2.sum(axis=0) / m,
    }


def bug_transpose(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> Grads:
    """BUG: a transpose mix-up (W vs Wᵀ) that the shapes let through: dW1 = (δ1ᵀX) forced to W1's shape.

    The literal mistake "W2 instead of W2ᵀ" cannot hide in this network: with one output W2 is
    a column, ``dz2 @ W2`` raises a shape error, and every shape-compatible use of W2 holds the
    same numbers as W2ᵀ. The same mix-up slips through where a matrix is not a vector: δ1ᵀX is
    the transpose of Xᵀδ1 (n_hidden × n_in instead of n_in × n_hidden) and a reshape "fixes" the
    shape while scrambling the entries (only those on the flattened diagonal stay right).
    """
    X, y, m, z1, a1, a2 = _forward_parts(net, X, y)
    dz2 = _output_delta(net, a2, y)
    dz1 = (dz2 @ net.W2.T) * _hidden_slope(net, z1)
    return {
        "dW1": (dz1.T @ X / m).reshape(net.W1.shape),  # BUG: should be X.T @ dz1 / m
        "db1": dz1.sum(axis=0) / m,
        "dW2": a1.T @ dz2 / m,
        "db2": dz2.sum(axis=0) / m,
    }


def bug_flip_sign(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> Grads:
    """BUG: the error at the output is written y − a2 instead of a2 − y (every gradient flips sign)."""
    X, y, m, z1, a1, a2 = _forward_parts(net, X, y)
    if net.loss_name == "mse":
        dz2 = (y - a2) * (a2 * (1.0 - a2))  # BUG: should be (a2 - y)
    else:
        dz2 = y - a2  # BUG: should be a2 - y
    dz1 = (dz2 @ net.W2.T) * _hidden_slope(net, z1)
    return {
        "dW1": X.T @ dz1 / m,
        "db1": dz1.sum(axis=0) / m,
        "dW2": a1.T @ dz2 / m,
        "db2": dz2.sum(axis=0) / m,
    }


@dataclass(frozen=True)
class PlantedBug:
    """A realistic mistake in the backward pass: its label and the arrays it corrupts (the page explains it)."""

    key: str
    label: str
    affects: tuple[str, ...]  # parameter arrays whose gradient is wrong ("W1", "b1", "W2", "b2")
    backward: Callable[[TwoLayerNet, np.ndarray, np.ndarray], Grads] | None  # None: the net's own backward


BUGS: Mapping[str, PlantedBug] = MappingProxyType(
    {
        b.key: b
        for b in (
            PlantedBug("none", "No bug (the article's backward)", (), None),
            PlantedBug("forget_m", "Forget the 1/m (output layer)", ("W2", "b2"), bug_forget_1_over_m),
            PlantedBug("drop_slope", "Drop σ′ in the hidden layer", ("W1", "b1"), bug_drop_hidden_slope),
            PlantedBug("transpose", "W instead of Wᵀ (shape-compatible)", ("W1",), bug_transpose),
            PlantedBug("flip_sign", "Flip a sign (y − a2)", ("W1", "b1", "W2", "b2"), bug_flip_sign),
        )
    }
)
