"""A tiny neural-network library on Value (micrograd.nn's API): Neuron, Layer, MLP."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from core.autodiff.engine import Value


class Module:
    """Base class: ``parameters()`` and ``zero_grad()``."""

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """All trainable Values."""
        return []


_ACTIVATIONS = ("relu", "tanh", "sigmoid")


class Neuron(Module):
    """``act(b + Σ wᵢ·xᵢ)``; weights uniform in [−1, 1] from ``rng``, bias 0 (as micrograd)."""

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")
        rng = rng if rng is not None else random.Random(0)
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin
        self.activation = activation

    def __call__(self, x: Sequence[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=False)), self.b)
        if not self.nonlin:
            return act
        if self.activation == "relu":
            return act.relu()
        return act.tanh() if self.activation == "tanh" else act.sigmoid()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}[self.activation]
        return f"{kind if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; one output is returned bare (as micrograd)."""

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        *,
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        rng = rng if rng is not None else random.Random(0)
        self.neurons = [Neuron(nin, nonlin, activation=activation, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """``MLP(nin, nouts)``: layers of sizes ``nouts``, nonlinear except the last (as micrograd).

    Weights come from ``random.Random(seed)``: the same seed gives the same network.
    """

    def __init__(self, nin: int, nouts: Sequence[int], *, activation: str = "relu", seed: int = 0) -> None:
        rng = random.Random(seed)
        sz = [nin, *nouts]
        self.layers = [
            Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1, activation=activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out: Any = x
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
