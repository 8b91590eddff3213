"""Symbolic differentiation: the sum, product, quotient, power and chain rules; each function's rule from FUNCTIONS."""

from __future__ import annotations

from functools import cache
from typing import Any

from core.expression.evaluate import constant_value
from core.expression.functions import FUNCTIONS
from core.expression.parser import parse_tree
from core.expression.simplify import _short, add, call, div, mul, neg, power, sub
from core.expression.tree import (
    ONE,
    TWO,
    ZERO,
    BinOp,
    Call,
    Const,
    Neg,
    Node,
    Num,
    Var,
    children,
    fold_tree,
    same,
)

STABLE = frozenset(name for name, f in FUNCTIONS.items() if f.stable_derivative is not None)
_BUILD = {"+": add, "-": sub, "*": mul, "/": div, "**": power}


def _as_number(node: Node) -> Node:
    """A variable-free sub-tree with a short value as a Num (so -1 typed as Neg(1) folds), else itself."""
    value = constant_value(node)
    if value is not None and not isinstance(node, Num) and _short(value):
        return Num(value + 0.0)
    return node


@cache
def _rule(func: str) -> Node:
    """The FUNCTIONS entry's derivative formula f'(u), parsed once."""
    return parse_tree(FUNCTIONS[func].derivative, ("u",), allow_internal=True)


def function_derivative(func: str, u: Node) -> Node:
    """f'(u): the entry's rule with u put in, simplified by the same constructors as every derivative."""

    def visit(current: Node, args: list[Node]) -> Node:
        if isinstance(current, Var):
            return u
        if isinstance(current, Neg):
            return neg(args[0])
        if isinstance(current, Call):
            return call(current.func, args[0])
        if isinstance(current, BinOp):
            return _BUILD[current.op](args[0], args[1])
        return current

    return fold_tree(_rule(func), visit)


def derivative_tree(node: Node, var: str) -> Node:
    """d(node)/d(var) by the sum, product, quotient, power and chain rules, simplified as built.

    One post-order pass: each node gets (its derivative, whether it depends on var).
    """

    def visit(current: Node, args: list[tuple[Node, bool]]) -> tuple[Node, bool]:
        if isinstance(current, (Num, Const)):
            return ZERO, False
        if isinstance(current, Var):
            return (ONE, True) if current.name == var else (ZERO, False)
        if isinstance(current, Neg):
            du, depends = args[0]
            return neg(du), depends
        if isinstance(current, Call):
            du, depends = args[0]
            if not depends:
                return ZERO, False
            return mul(function_derivative(current.func, current.arg), du), True  # chain rule
        (du, u_depends), (dv, v_depends) = args
        depends = u_depends or v_depends
        if not depends:
            return ZERO, False
        return _binary_derivative(current, du, u_depends, dv, v_depends), True

    return fold_tree(node, visit)[0]


def _binary_derivative(node: BinOp, du: Node, u_depends: bool, dv: Node, v_depends: bool) -> Node:
    """d(u op v) from u, v, their derivatives du, dv and whether each depends on the variable."""
    u, v = node.left, node.right
    if node.op == "+":
        return add(du, dv)
    if node.op == "-":
        return sub(du, dv)
    if node.op == "*":  # (uv)' = u'v + uv'
        return add(mul(du, v), mul(u, dv))
    if node.op == "/":  # (u/v)' = (u'v - uv') / v²
        if not v_depends:
            return div(du, v)
        if not u_depends:
            return neg(div(mul(u, dv), power(v, TWO)))
        return div(sub(mul(du, v), mul(u, dv)), power(v, TWO))
    if not v_depends:  # (u^n)' = n u^(n-1) u'
        n = _as_number(v)
        return mul(mul(n, power(u, sub(n, ONE))), du)
    if not u_depends:  # (a^v)' = a^v ln(a) v'
        return mul(mul(power(u, v), call("log", u)), dv)
    # (u^v)' = u^v (v' ln u + v u'/u)
    return mul(power(u, v), add(mul(dv, call("log", u)), div(mul(v, du), u)))


def _with_children(node: Node, kids: list[Node]) -> Node:
    """The same operation over new children."""
    if isinstance(node, Neg):
        return Neg(kids[0])
    if isinstance(node, Call):
        return Call(node.func, kids[0])
    if isinstance(node, BinOp):
        return BinOp(node.op, kids[0], kids[1])
    return node


def _calls_near(node: BinOp) -> list[Call]:
    """The calls among a node's children and grandchildren (where a derivative rule puts them)."""
    near: list[Any] = [*children(node)]
    near += [grandchild for child in children(node) for grandchild in children(child)]
    return [n for n in near if isinstance(n, Call) and n.func in STABLE]


def stable_tree(node: Node) -> Node:
    """The tree for evaluation: each sub-tree that is a function's derivative rule, e.g.
    ``sigmoid(u)*(1 - sigmoid(u))``, becomes ``sigmoid'(u)``, which evaluates with the entry's
    ``stable_derivative`` (core.activations' sigmoid_grad): same number as the Activations page,
    exact in the tails where 1 - sigmoid(u) cancels. Everything else is left as it is."""

    def visit(current: Node, kids: list[Node]) -> Node:
        if any(new is not old for new, old in zip(kids, children(current), strict=True)):
            current = _with_children(current, kids)
        if isinstance(current, BinOp):
            for inner in _calls_near(current):
                if same(current, function_derivative(inner.func, inner.arg)):
                    return Call(inner.func + "'", inner.arg)
        return current

    return fold_tree(node, visit)
