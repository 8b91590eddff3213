"""The tree a formula becomes: immutable nodes, the grammar's limits, ParseError, and walks without recursion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 500
"""Longest accepted text, in characters."""
MAX_NODES = 300
"""Most nodes (numbers, names, operators, calls) in a parsed tree."""
MAX_DEPTH = 60
"""Deepest nesting of parentheses, signs and powers."""
MAX_EXPONENT = 1000.0
"""Largest |exponent| allowed when the exponent is a constant."""
MAX_DERIVATIVE_NODES = 100_000
"""Largest derivative tree ``Expression.derivative`` returns (derivatives of derivatives grow fast)."""


class ParseError(Exception):
    """Text that is not a formula of the grammar: ``message`` says why, ``position`` where (0-based).

    ``str(error)`` reads like "unknown name 'os' at position 0: allowed names are x, pi, e";
    ``hint`` holds the part after the colon (possibly empty).
    """

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        self.message = message
        self.position = position
        self.hint = hint
        text = f"{message} at position {position}"
        super().__init__(f"{text}: {hint}" if hint else text)

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, int, str]]:
        """Pickle support (e.g. for caches): rebuild from message, position and hint."""
        return (ParseError, (self.message, self.position, self.hint))


@dataclass(frozen=True, slots=True)
class Num:
    """A number literal (always finite)."""

    value: float


@dataclass(frozen=True, slots=True)
class Const:
    """A named constant: ``pi`` or ``e``."""

    name: str


@dataclass(frozen=True, slots=True)
class Var:
    """A variable such as ``x``."""

    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    """Unary minus: ``-operand``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class BinOp:
    """A binary operation; ``op`` is one of ``+ - * / **``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    """A one-argument function call such as ``sin(arg)``."""

    func: str
    arg: Node


Node = Num | Const | Var | Neg | BinOp | Call

ZERO = Num(0.0)
ONE = Num(1.0)
TWO = Num(2.0)


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-trees of a node."""
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Call):
        return (node.arg,)
    return ()


def fold_tree(root: Node, visit: Callable[[Node, list[Any]], Any]) -> Any:
    """Post-order fold without recursion: visit(node, [results of its children]) from the leaves up.

    Every walk over a tree goes through here, so arbitrarily deep trees (long chains, nested
    derivatives) never hit Python's recursion limit.
    """
    stack: list[tuple[Node, bool]] = [(root, False)]
    results: list[Any] = []
    while stack:
        node, expanded = stack.pop()
        kids = children(node)
        if expanded or not kids:
            count = len(kids)
            args = results[len(results) - count :] if count else []
            if count:
                del results[len(results) - count :]
            results.append(visit(node, args))
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(kids))
    return results[0]


def variables_in(node: Node) -> frozenset[str]:
    """Names of the variables that occur in a tree."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Var):
            found.add(current.name)
        stack.extend(children(current))
    return frozenset(found)


def count_nodes(node: Node) -> int:
    """Number of nodes in a tree (shared sub-trees counted each time they occur)."""
    return fold_tree(node, lambda current, child_sizes: 1 + sum(child_sizes))


def tree_size(node: Node, limit: int) -> int:
    """Number of nodes counting shared sub-trees every time, computed on the shared structure.

    Linear in the number of distinct node objects, so a huge derivative is measured without
    being walked; stops early and returns ``limit + 1`` once the count exceeds ``limit``.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        kids = children(current)
        if expanded or not kids:
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(child)] for child in kids))
        else:
            stack.append((current, True))
            stack.extend((child, False) for child in kids if id(child) not in sizes)
    return sizes[id(node)]


def same(a: Node, b: Node) -> bool:
    """Structural equality of two trees, without recursion."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        if type(x) is not type(y):
            return False
        if isinstance(x, (Num, Const, Var)):
            if x != y:
                return False
            continue
        if isinstance(x, BinOp) and isinstance(y, BinOp) and x.op != y.op:
            return False
        if isinstance(x, Call) and isinstance(y, Call) and x.func != y.func:
            return False
        stack.extend(zip(children(x), children(y), strict=True))
    return True
