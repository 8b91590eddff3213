"""Numerical evaluation of a tree (NumPy, float64, silent about domain errors) and the bridge to ``Value`` graphs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from core.expression.functions import CONSTANT_VALUES, FUNCTIONS
from core.expression.tree import BinOp, Call, Const, Neg, Node, Num, Var, fold_tree, variables_in

if TYPE_CHECKING:  # pragma: no cover - typing only
    from core.autodiff import Value


def numpy_function(name: str) -> Any:
    """The NumPy implementation of a function; ``f'`` names f's stable derivative (see ``stable_tree``)."""
    if name.endswith("'"):
        return FUNCTIONS[name[:-1]].stable_derivative
    return FUNCTIONS[name].numpy


def apply(node: Node, args: list[Any]) -> Any:
    """Combine the values of a node's children with the node's operation (NumPy, float64)."""
    if isinstance(node, Neg):
        return np.negative(args[0])
    if isinstance(node, Call):
        return numpy_function(node.func)(args[0])
    if not isinstance(node, BinOp):
        raise TypeError(f"not an operation: {node!r}")
    left, right = args
    if node.op == "+":
        return np.add(left, right)
    if node.op == "-":
        return np.subtract(left, right)
    if node.op == "*":
        return np.multiply(left, right)
    if node.op == "/":
        return np.divide(left, right)
    return np.power(left, right)


def evaluate_tree(node: Node, env: Mapping[str, np.ndarray]) -> np.ndarray:
    """Value of a tree with variables bound to float64 arrays (call inside np.errstate)."""

    def visit(current: Node, args: list[Any]) -> Any:
        if isinstance(current, Num):
            return np.float64(current.value)
        if isinstance(current, Const):
            return np.float64(CONSTANT_VALUES[current.name])
        if isinstance(current, Var):
            return env[current.name]
        return apply(current, args)

    return fold_tree(node, visit)


def constant_value(node: Node) -> float | None:
    """The float value of a tree without variables (inf/NaN allowed), or None if it has variables."""
    if variables_in(node):
        return None
    with np.errstate(all="ignore"):
        return float(evaluate_tree(node, {}))


def to_value(node: Node, leaves: Mapping[str, Value], value_type: type) -> Value | float:
    """Build a Value graph; variable-free sub-trees stay plain floats and enter as constants."""

    def visit(current: Node, args: list[Any]) -> Any:
        if isinstance(current, Num):
            return current.value
        if isinstance(current, Const):
            return CONSTANT_VALUES[current.name]
        if isinstance(current, Var):
            return leaves[current.name]
        if all(isinstance(arg, float) for arg in args):  # a constant: compute it with NumPy
            with np.errstate(all="ignore"):
                return float(apply(current, [np.float64(arg) for arg in args]))
        if isinstance(current, Neg):
            return -args[0]
        if isinstance(current, Call):
            return _value_call(current.func, args[0], value_type)
        a, b = args
        if current.op == "+":
            return a + b
        if current.op == "-":
            return a - b
        if current.op == "*":
            return a * b
        if current.op == "/":
            return a / b
        if isinstance(b, float):  # u ** c with a number exponent, as Value supports
            return a**b
        if isinstance(a, float):  # c ** v: Value.__rpow__, derivative c^v ln c
            return a**b
        return (b * a.log()).exp()  # u ** v = exp(v ln u)

    return fold_tree(node, visit)


def _value_call(func: str, u: Value, value_type: type) -> Value:
    """func(u) for a Value, as the FUNCTIONS entry says; flat functions (sign, step) enter as constant leaves."""
    method = FUNCTIONS[func].value
    if method is not None:
        return method(u)
    with np.errstate(all="ignore"):
        return value_type(float(FUNCTIONS[func].numpy(np.float64(u.data))))
