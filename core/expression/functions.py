"""FUNCTIONS: the one table of the expression language's functions and constants.

Each entry holds everything the language knows about one function: its NumPy implementation,
its derivative rule (a formula in ``u``, written with the same grammar), its LaTeX, and how a
``core.autodiff.Value`` computes it. Adding a function is adding one entry here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from core.activations import relu, relu_grad, sigmoid, sigmoid_grad, tanh_grad


def _step(x: np.ndarray) -> np.ndarray:
    """step(x) = 1 if x > 0 else 0 (NaN stays NaN): the derivative of relu (``relu_grad``)."""
    return np.where(np.isnan(x), np.nan, relu_grad(x))


@dataclass(frozen=True)
class Function:
    """One function of the language.

    ``numpy`` evaluates it elementwise; ``derivative`` is f′(u) as a formula in ``u`` (the chain
    rule multiplies by u′); ``latex`` is an operator name (``\\sin``, followed by the argument in
    parentheses) or a template where ``#`` stands for the argument (``e^{#}``); ``value`` builds
    it on a ``Value`` (None: a flat function that enters a graph as a constant leaf);
    ``stable_derivative`` is a NumPy f′ that stays accurate where the ``derivative`` formula
    cancels (evaluation uses it wherever that formula appears); ``typeable`` is False for the
    functions that only appear in derivatives.
    """

    numpy: Callable[[Any], Any]
    derivative: str
    latex: str
    value: Callable[[Any], Any] | None
    stable_derivative: Callable[[Any], Any] | None = None
    typeable: bool = True


FUNCTIONS: Mapping[str, Function] = MappingProxyType(
    {
        "sin": Function(np.sin, "cos(u)", r"\sin", lambda u: u.sin()),
        "cos": Function(np.cos, "-sin(u)", r"\cos", lambda u: u.cos()),
        "tan": Function(np.tan, "1/cos(u)**2", r"\tan", lambda u: u.sin() / u.cos()),
        "exp": Function(np.exp, "exp(u)", "e^{#}", lambda u: u.exp()),
        "log": Function(np.log, "1/u", r"\ln", lambda u: u.log()),
        "sqrt": Function(np.sqrt, "1/(2*sqrt(u))", r"\sqrt{#}", lambda u: u**0.5),
        "tanh": Function(
            np.tanh, "1 - tanh(u)**2", r"\tanh", lambda u: u.tanh(), stable_derivative=tanh_grad
        ),
        "sigmoid": Function(
            sigmoid,
            "sigmoid(u)*(1 - sigmoid(u))",
            r"\sigma",
            lambda u: u.sigmoid(),
            stable_derivative=sigmoid_grad,
        ),
        "relu": Function(relu, "step(u)", r"\operatorname{relu}", lambda u: u.relu()),  # 0 at u = 0
        "abs": Function(np.abs, "sign(u)", r"\left|#\right|", lambda u: u.relu() + (-u).relu()),  # 0 at 0
        "sign": Function(np.sign, "0", r"\operatorname{sign}", None, typeable=False),
        "step": Function(_step, "0", r"\operatorname{step}", None, typeable=False),
    }
)

FUNCTION_NAMES: tuple[str, ...] = tuple(name for name, f in FUNCTIONS.items() if f.typeable)
"""Functions a learner may call, each with exactly one argument."""

INTERNAL_FUNCTION_NAMES: tuple[str, ...] = tuple(name for name, f in FUNCTIONS.items() if not f.typeable)
"""Functions that appear only in derivatives (of abs and relu)."""

CONSTANT_VALUES: Mapping[str, float] = MappingProxyType({"pi": math.pi, "e": math.e})
"""Named constants a learner may use, and their values."""

CONSTANTS: tuple[str, ...] = tuple(CONSTANT_VALUES)
