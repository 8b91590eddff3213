"""Simplifying constructors: neg, add, sub, mul, div, power, call fold constants and drop 0s and 1s as they build."""

from __future__ import annotations

import math

import numpy as np

from core.expression.evaluate import evaluate_tree
from core.expression.functions import FUNCTIONS
from core.expression.printing import format_number
from core.expression.tree import MAX_EXPONENT, ONE, TWO, ZERO, BinOp, Call, Const, Neg, Node, Num, same


def _num(node: Node) -> float | None:
    """The value of a Num node, else None."""
    return node.value if isinstance(node, Num) else None


def _is(node: Node, value: float) -> bool:
    """True if the node is the number ``value``."""
    return isinstance(node, Num) and node.value == value


def _short(value: float) -> bool:
    """True if a folded constant reads well: finite with a short decimal form (6, 0.25, not 1/3)."""
    return math.isfinite(value) and len(format_number(value)) <= 10


def _fold(value: float) -> Node | None:
    """A Num for a finite folded value, None if folding would produce inf/NaN."""
    return Num(value + 0.0) if math.isfinite(value) else None


def neg(a: Node) -> Node:
    """-a, simplified: --a → a, -(c) → (-c), -(c*a) → (-c)*a, -(a - b) → b - a."""
    if isinstance(a, Num):
        return Num(-a.value + 0.0)
    if isinstance(a, Neg):
        return a.operand
    if isinstance(a, BinOp):
        if a.op in ("*", "/") and isinstance(a.left, Num):
            return BinOp(a.op, Num(-a.left.value + 0.0), a.right)
        if a.op == "-":
            return sub(a.right, a.left)
    return Neg(a)


def add(a: Node, b: Node) -> Node:
    """a + b, simplified: folding, a + 0 → a, a + (-b) → a - b, a + a → 2*a, numbers to the right."""
    x, y = _num(a), _num(b)
    if x is not None and y is not None and (folded := _fold(x + y)) is not None:
        return folded
    if x == 0.0:
        return b
    if y == 0.0:
        return a
    if isinstance(b, Neg):
        return sub(a, b.operand)
    if y is not None and y < 0:
        return sub(a, Num(-y))
    if isinstance(a, Neg):
        return sub(b, a.operand)
    if x is not None and y is None:
        return add(b, a)
    if same(a, b):
        return mul(TWO, a)
    return BinOp("+", a, b)


def sub(a: Node, b: Node) -> Node:
    """a - b, simplified: folding, a - 0 → a, 0 - b → -b, a - a → 0, a - (-b) → a + b."""
    x, y = _num(a), _num(b)
    if x is not None and y is not None and (folded := _fold(x - y)) is not None:
        return folded
    if y == 0.0:
        return a
    if x == 0.0:
        return neg(b)
    if same(a, b):
        return ZERO
    if isinstance(b, Neg):
        return add(a, b.operand)
    if y is not None and y < 0:
        return add(a, Num(-y))
    return BinOp("-", a, b)


def mul(a: Node, b: Node) -> Node:
    """a * b, simplified: folding, 0*a → 0, 1*a → a, -1*a → -a, numbers first, a*a → a**2."""
    x, y = _num(a), _num(b)
    if x is not None and y is not None and (folded := _fold(x * y)) is not None:
        return folded
    if x == 0.0 or y == 0.0:
        return ZERO
    if x == 1.0:
        return b
    if y == 1.0:
        return a
    if x == -1.0:
        return neg(b)
    if y == -1.0:
        return neg(a)
    if y is not None and x is None:
        return mul(b, a)
    if isinstance(a, Neg):
        return neg(mul(a.operand, b))
    if isinstance(b, Neg):
        return neg(mul(a, b.operand))
    if x is not None and isinstance(b, BinOp) and b.op in ("*", "/") and isinstance(b.left, Num):
        if (folded := _fold(x * b.left.value)) is not None:
            return BinOp(b.op, folded, b.right) if b.op == "/" else mul(folded, b.right)
    if isinstance(b, BinOp) and b.op == "/":
        return div(mul(a, b.left), b.right)
    if isinstance(a, BinOp) and a.op == "/":
        return div(mul(a.left, b), a.right)
    if same(a, b):
        return power(a, TWO)
    return BinOp("*", a, b)


def div(a: Node, b: Node) -> Node:
    """a / b, simplified: a/1 → a, 0/b → 0, a/a → 1, signs pulled out, (a/b)/c → a/(b*c), short folds."""
    x, y = _num(a), _num(b)
    if x is not None and y is not None and y != 0.0 and _short(x / y):
        return Num(x / y + 0.0)
    if y == 1.0:
        return a
    if y == -1.0:
        return neg(a)
    if x == 0.0 and y != 0.0:
        return ZERO
    if not _is(b, 0.0) and same(a, b):
        return ONE
    if isinstance(a, Neg):
        return neg(div(a.operand, b))
    if isinstance(b, Neg):
        return neg(div(a, b.operand))
    if isinstance(a, BinOp) and a.op == "/":
        return div(a.left, mul(a.right, b))
    if isinstance(b, BinOp) and b.op == "/":
        return div(mul(a, b.right), b.left)
    return BinOp("/", a, b)


def power(a: Node, b: Node) -> Node:
    """a ** b, simplified: a**0 → 1, a**1 → a, 1**b → 1, (a**m)**n → a**(m*n) for integer n, short folds."""
    x, y = _num(a), _num(b)
    if y == 0.0:
        return ONE
    if y == 1.0:
        return a
    if x == 1.0:
        return ONE
    if x is not None and y is not None:
        with np.errstate(all="ignore"):
            value = float(np.power(np.float64(x), np.float64(y)))
        if _short(value):
            return Num(value + 0.0)
    if (
        y is not None
        and y.is_integer()
        and isinstance(a, BinOp)
        and a.op == "**"
        and isinstance(a.right, Num)
        and abs(a.right.value * y) <= MAX_EXPONENT
    ):
        return power(a.left, Num(a.right.value * y))
    return BinOp("**", a, b)


def call(func: str, arg: Node) -> Node:
    """func(arg), folded when arg is a constant and the result is short (exp(0) → 1, log(e) → 1)."""
    if isinstance(arg, (Num, Const)):
        with np.errstate(all="ignore"):
            value = float(FUNCTIONS[func].numpy(np.float64(evaluate_tree(arg, {}))))
        if _short(value):
            return Num(value + 0.0)
    return Call(func, arg)
