"""Weight initialisation schemes: W_ij ~ N(0, σ²) with σ fixed (small, large) or from the layer's fans (Xavier, He)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["INITS", "InitScheme"]


@dataclass(frozen=True)
class InitScheme:
    """A weight initialisation: ``W_ij ~ N(0, std²)`` with ``std`` from the fans or fixed.

    ``fixed`` schemes take their std from the ``std`` argument (default ``default_std``);
    fan-based schemes (Xavier, He) compute it from the layer shape and ignore ``std``.
    """

    key: str
    name: str
    formula: str
    description: str
    fixed: bool
    default_std: float | None
    _std: Callable[[int, int, float], float]

    def std(self, fan_in: int, fan_out: int, std: float | None = None) -> float:
        """Standard deviation of the weights: the scheme's formula, e.g. He σ = √(2/fan_in)."""
        chosen = self.default_std if std is None else std
        return float(self._std(fan_in, fan_out, chosen if chosen is not None else 0.0))


INITS: Mapping[str, InitScheme] = MappingProxyType(
    {
        "small": InitScheme(
            key="small",
            name="Small (fixed σ)",
            formula=r"W_{ij} \sim \mathcal{N}(0,\ \sigma^2),\ \sigma = 0.1",
            description="Fixed small std (default 0.1, adjustable): every layer shrinks the signal.",
            fixed=True,
            default_std=0.1,
            _std=lambda fan_in, fan_out, s: s,
        ),
        "large": InitScheme(
            key="large",
            name="Large (fixed σ)",
            formula=r"W_{ij} \sim \mathcal{N}(0,\ \sigma^2),\ \sigma = 1",
            description="Fixed large std (default 1.0, adjustable): every layer amplifies the signal.",
            fixed=True,
            default_std=1.0,
            _std=lambda fan_in, fan_out, s: s,
        ),
        "xavier": InitScheme(
            key="xavier",
            name="Xavier / Glorot (normal)",
            formula=r"W_{ij} \sim \mathcal{N}\!\left(0,\ \frac{2}{n_\text{in} + n_\text{out}}\right)",
            description="Keeps the variance of activations and gradients ≈ constant for tanh-like units.",
            fixed=False,
            default_std=None,
            _std=lambda fan_in, fan_out, s: math.sqrt(2.0 / (fan_in + fan_out)),
        ),
        "he": InitScheme(
            key="he",
            name="He / Kaiming (normal)",
            formula=r"W_{ij} \sim \mathcal{N}\!\left(0,\ \frac{2}{n_\text{in}}\right)",
            description="Doubles Xavier's variance to make up for ReLU zeroing half the units.",
            fixed=False,
            default_std=None,
            _std=lambda fan_in, fan_out, s: math.sqrt(2.0 / fan_in),
        ),
    }
)
