"""Text (re-parseable, fewest parentheses) and LaTeX for a tree."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from core.expression.functions import FUNCTIONS
from core.expression.tree import BinOp, Call, Const, Neg, Node, Num, Var, fold_tree

PRECEDENCE: Mapping[str, int] = MappingProxyType({"+": 1, "-": 1, "*": 2, "/": 2, "**": 4})
UNARY = 3
ATOM = 5


def format_number(value: float) -> str:
    """Shortest round-tripping text of a float, without a trailing '.0' for whole numbers."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def precedence(node: Node) -> int:
    """Binding strength of a node when printed: + - (1) < * / (2) < unary (3) < ** (4) < atoms (5)."""
    if isinstance(node, BinOp):
        return PRECEDENCE[node.op]
    if isinstance(node, Neg) or (isinstance(node, Num) and math.copysign(1.0, node.value) < 0):
        return UNARY
    return ATOM


def to_text(node: Node) -> str:
    """Re-parseable text with the fewest parentheses that keep the tree's exact shape."""

    def visit(current: Node, texts: list[str]) -> str:
        if isinstance(current, Num):
            return format_number(current.value)
        if isinstance(current, (Const, Var)):
            return current.name
        if isinstance(current, Neg):
            operand = texts[0]
            return f"-({operand})" if precedence(current.operand) < UNARY else f"-{operand}"
        if isinstance(current, Call):
            return f"{current.func}({texts[0]})"
        mine = PRECEDENCE[current.op]
        left, right = texts
        if current.op == "**":
            if precedence(current.left) <= mine:
                left = f"({left})"
            if precedence(current.right) < UNARY:
                right = f"({right})"
            return f"{left}**{right}"
        if precedence(current.left) < mine:
            left = f"({left})"
        if precedence(current.right) <= mine:
            right = f"({right})"
        if current.op in "+-":
            return f"{left} {current.op} {right}"
        return f"{left}{current.op}{right}"

    return fold_tree(node, visit)


_GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau "
    "upsilon phi chi psi omega".split()
)


def _latex_number(value: float) -> str:
    """A number in LaTeX: 3, 0.25, 1.5 \\cdot 10^{-7}."""
    text = format_number(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        power_text = f"10^{{{int(exponent)}}}"
        return power_text if mantissa in ("1", "1.0") else rf"{mantissa} \cdot {power_text}"
    return text


def _latex_name(name: str) -> str:
    """A variable name in LaTeX: x, w_{1}, \\theta, \\mathit{lr}."""
    stem = name.rstrip("0123456789")
    digits = name[len(stem) :]
    if stem.lower() in _GREEK and stem.islower():
        stem_tex = "\\" + stem
    elif len(stem) == 1:
        stem_tex = stem
    elif not stem:
        return name
    else:
        stem_tex = r"\mathit{" + stem.replace("_", r"\_") + "}"
    return f"{stem_tex}_{{{digits}}}" if digits else stem_tex


def _paren(tex: str) -> str:
    """Wrap LaTeX in stretchy parentheses."""
    return rf"\left({tex}\right)"


def _starts_with_digit(node: Node) -> bool:
    """True if the node's LaTeX would begin with a digit (so juxtaposition would be ambiguous)."""
    while True:
        if isinstance(node, Num):
            return True
        if isinstance(node, BinOp) and node.op != "/":
            node = node.left
            continue
        return False


def to_latex(node: Node) -> str:
    """LaTeX for a tree: \\frac for division, ^{} for powers, \\cdot or juxtaposition for products."""
    return fold_tree(node, _latex_visit)[0]


def _latex_visit(node: Node, args: list[tuple[str, str]]) -> tuple[str, str]:
    """(LaTeX of node, LaTeX of its argument if it is a call) from its children's pairs."""
    if isinstance(node, Num):
        return _latex_number(node.value), ""
    if isinstance(node, Const):
        return (r"\pi" if node.name == "pi" else "e"), ""
    if isinstance(node, Var):
        return _latex_name(node.name), ""
    if isinstance(node, Neg):
        operand = args[0][0]
        return (f"-{_paren(operand)}" if precedence(node.operand) < UNARY else f"-{operand}"), ""
    if isinstance(node, Call):
        arg = args[0][0]
        latex = FUNCTIONS[node.func].latex
        if "#" in latex:  # a template: e^{#}, \sqrt{#}, \left|#\right|
            return latex.replace("#", arg), arg
        return latex + _paren(arg), arg
    left, right = node.left, node.right
    (left_tex, left_arg), (right_tex, _) = args
    if node.op == "/":
        if isinstance(left, Num) and left.value < 0:  # -\frac{1}{x} reads better than \frac{-1}{x}
            return rf"-\frac{{{_latex_number(-left.value)}}}{{{right_tex}}}", ""
        return rf"\frac{{{left_tex}}}{{{right_tex}}}", ""
    if node.op == "**":
        if (
            isinstance(left, Call)
            and left.func in ("sin", "cos", "tan", "tanh")
            and isinstance(right, Num)
            and right.value.is_integer()
            and right.value > 0
        ):  # \cos^{2}\left(x\right)
            return rf"{FUNCTIONS[left.func].latex}^{{{right_tex}}}{_paren(left_arg)}", ""
        simple_base = isinstance(left, (Var, Const)) or (isinstance(left, Num) and left.value >= 0)
        base = left_tex if simple_base else _paren(left_tex)
        return f"{base}^{{{right_tex}}}", ""
    right_is_signed = precedence(right) == UNARY
    if node.op == "+":
        return f"{left_tex} + {_paren(right_tex) if right_is_signed else right_tex}", ""
    if node.op == "-":
        wrap = precedence(right) <= 1 or right_is_signed
        return f"{left_tex} - {_paren(right_tex) if wrap else right_tex}", ""
    if precedence(left) < 2:
        left_tex = _paren(left_tex)
    if precedence(right) < 2 or right_is_signed:
        right_tex = _paren(right_tex)
    if isinstance(left, (Num, Const)) and not _starts_with_digit(right):
        return f"{left_tex} {right_tex}", ""  # 2 x, \pi \left(x + 1\right)
    return rf"{left_tex} \cdot {right_tex}", ""
