"""A catalogue of common functions of deep learning with their exact derivatives (and where each is smooth).

Each entry's ``text`` is a formula in ``core.expression``'s grammar (variable ``x``); its exact
derivative comes from ``parse(entry.text).derivative()``, so the catalogue never states a
derivative that could drift from the code. ``COMMON_DERIVATIVES`` reproduces the article's table
"Common Derivatives in Deep Learning".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class CatalogueFunction:
    """A preset f(x): its formula as text and LaTeX, where to plot it, and where it is smooth.

    ``domain`` is the plotting window ``(lo, hi)``; ``default_x0`` the point whose tangent is shown
    first; ``safe_domain`` an interval on which f is smooth and moderate, so finite differences
    and the analytic derivative can be compared at any of its points.
    """

    key: str
    label: str
    text: str
    latex: str
    domain: tuple[float, float]
    default_x0: float
    safe_domain: tuple[float, float]


_ENTRIES: tuple[CatalogueFunction, ...] = (
    CatalogueFunction(
        key="article_loss",
        label="(w−3)²+1 — the article's loss",
        text="(x-3)**2+1",
        latex=r"\left(x - 3\right)^{2} + 1",
        domain=(-2.0, 8.0),
        default_x0=5.0,  # the article: analytic 4, numerical 4.000000
        safe_domain=(-50.0, 50.0),
    ),
    CatalogueFunction(
        key="square",
        label="x² — the square in MSE",
        text="x**2",
        latex=r"x^{2}",
        domain=(-3.0, 3.0),
        default_x0=1.5,
        safe_domain=(-50.0, 50.0),
    ),
    CatalogueFunction(
        key="cube",
        label="x³ — a power",
        text="x**3",
        latex=r"x^{3}",
        domain=(-2.0, 2.0),
        default_x0=1.0,
        safe_domain=(-20.0, 20.0),
    ),
    CatalogueFunction(
        key="exp",
        label="eˣ — inside softmax",
        text="exp(x)",
        latex=r"e^{x}",
        domain=(-3.0, 3.0),
        default_x0=1.0,
        safe_domain=(-20.0, 20.0),
    ),
    CatalogueFunction(
        key="log",
        label="ln x — inside cross-entropy",
        text="log(x)",
        latex=r"\ln\left(x\right)",
        domain=(0.05, 5.0),
        default_x0=1.0,
        safe_domain=(0.05, 50.0),
    ),
    CatalogueFunction(
        key="sin",
        label="sin x — a smooth wave",
        text="sin(x)",
        latex=r"\sin\left(x\right)",
        domain=(-2.0 * math.pi, 2.0 * math.pi),
        default_x0=1.0,
        safe_domain=(-10.0, 10.0),
    ),
    CatalogueFunction(
        key="sigmoid",
        label="σ(x) — the sigmoid activation",
        text="sigmoid(x)",
        latex=r"\sigma\left(x\right)",
        domain=(-8.0, 8.0),
        default_x0=0.5,
        safe_domain=(-20.0, 20.0),
    ),
    CatalogueFunction(
        key="tanh",
        label="tanh x — the tanh activation",
        text="tanh(x)",
        latex=r"\tanh\left(x\right)",
        domain=(-4.0, 4.0),
        default_x0=0.5,
        safe_domain=(-10.0, 10.0),
    ),
)

FUNCTIONS: Mapping[str, CatalogueFunction] = MappingProxyType({entry.key: entry for entry in _ENTRIES})
"""Preset functions by key, in display order (a read-only mapping)."""


@dataclass(frozen=True)
class DerivativeRule:
    """One row of the article's "Common Derivatives in Deep Learning" table (LaTeX cells)."""

    function: str
    formula: str
    derivative: str
    used_in: str


COMMON_DERIVATIVES: tuple[DerivativeRule, ...] = (
    DerivativeRule("Linear", r"f(x) = ax + b", r"f'(x) = a", "Linear layers"),
    DerivativeRule("Square", r"f(x) = x^2", r"f'(x) = 2x", "MSE loss"),
    DerivativeRule("Exponential", r"f(x) = e^x", r"f'(x) = e^x", "Softmax"),
    DerivativeRule("Logarithm", r"f(x) = \ln(x)", r"f'(x) = 1/x", "Cross-entropy"),
    DerivativeRule("Power", r"f(x) = x^n", r"f'(x) = nx^{n-1}", "Polynomial features"),
)
"""The article's table of common derivatives: function, formula, derivative, where it is used."""
