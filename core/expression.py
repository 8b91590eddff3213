"""The safe way user text becomes math: a hand-written parser, evaluator and differentiator.

A learner types ``(x-3)**2 + 1``; ``parse`` turns it into an immutable tree of nodes that can
be evaluated on NumPy arrays, differentiated symbolically, printed as LaTeX, or turned into a
graph of ``core.autodiff.Value`` objects. User text is never handed to Python: there is no
``eval``, ``exec``, ``compile`` or SymPy here, only a tokenizer and a recursive-descent parser
that accept this grammar and nothing else::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := primary (("**" | "^") unary)?          # right-associative: 2**3**2 = 2**9
    primary    := number | variable | constant | function "(" expression ")" | "(" expression ")"

Numbers are decimal (``3``, ``0.5``, ``.5``, ``1e-3``); constants are ``pi`` and ``e``;
functions are ``sin cos tan exp log sqrt tanh sigmoid relu abs`` with exactly one argument.
Multiplication is always written out (``2*x``, never ``2x``). Every other input raises
``ParseError`` with a message a student understands and the 0-based position of the problem.

Hostile input is cheap to reject: the text is limited to ``MAX_LENGTH`` characters, the tree to
``MAX_NODES`` nodes and ``MAX_DEPTH`` levels of nesting, and constant exponents to
``MAX_EXPONENT`` in size (``9**9**9`` is refused without computing anything large).

Derivatives use two functions that a learner cannot type but that derivatives need:
``sign(u)`` (the derivative of ``abs``; sign(0) = 0) and ``step(u)`` (the derivative of
``relu``: 1 where u > 0, else 0). ``parse(..., allow_internal=True)`` reads them back.
"""

from __future__ import annotations

import difflib
import keyword
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only; autodiff is imported lazily at run time
    from core.autodiff import Value

FUNCTION_NAMES: tuple[str, ...] = (
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "sqrt",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
)
"""Functions a learner may call, each with exactly one argument."""

INTERNAL_FUNCTION_NAMES: tuple[str, ...] = ("sign", "step")
"""Functions that appear only in derivatives (of abs and relu)."""

CONSTANTS: tuple[str, ...] = ("pi", "e")
"""Named constants a learner may use."""

CONSTANT_VALUES: Mapping[str, float] = MappingProxyType({"pi": math.pi, "e": math.e})

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


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


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


def _children(node: Node) -> tuple[Node, ...]:
    """The direct sub-trees of a node."""
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Call):
        return (node.arg,)
    return ()


def _fold_tree(root: Node, visit: Callable[[Node, list[Any]], Any]) -> Any:
    """Post-order fold without recursion: visit(node, [results of its children]) from the leaves up.

    Every walk over a tree goes through here, so arbitrarily deep trees (long chains, nested
    derivatives) never hit Python's recursion limit.
    """
    stack: list[tuple[Node, bool]] = [(root, False)]
    results: list[Any] = []
    while stack:
        node, expanded = stack.pop()
        kids = _children(node)
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


def _variables_in(node: Node) -> frozenset[str]:
    """Names of the variables that occur in a tree."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Var):
            found.add(current.name)
        stack.extend(_children(current))
    return frozenset(found)


def _count_nodes(node: Node) -> int:
    """Number of nodes in a tree (shared sub-trees counted each time they occur)."""
    return _fold_tree(node, lambda current, child_sizes: 1 + sum(child_sizes))


def _tree_size(node: Node, limit: int) -> int:
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
        kids = _children(current)
        if expanded or not kids:
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(child)] for child in kids))
        else:
            stack.append((current, True))
            stack.extend((child, False) for child in kids if id(child) not in sizes)
    return sizes[id(node)]


def _same(a: Node, b: Node) -> bool:
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
        if isinstance(x, BinOp) and x.op != y.op:
            return False
        if isinstance(x, Call) and x.func != y.func:
            return False
        stack.extend(zip(_children(x), _children(y), strict=True))
    return True


# --------------------------------------------------------------------------------------------
# Numerical evaluation (NumPy, float64, silent about domain errors)
# --------------------------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """sigmoid(x) = 1 / (1 + e^-x), computed from e^-|x| so it never overflows."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _step(x: np.ndarray) -> np.ndarray:
    """step(x) = 1 if x > 0 else 0 (NaN stays NaN): the derivative of relu."""
    return np.where(x > 0, 1.0, np.where(np.isnan(x), np.nan, 0.0))


_NUMPY_FUNCTIONS: Mapping[str, Callable[[np.ndarray], np.ndarray]] = MappingProxyType(
    {
        "sin": np.sin,
        "cos": np.cos,
        "tan": np.tan,
        "exp": np.exp,
        "log": np.log,
        "sqrt": np.sqrt,
        "tanh": np.tanh,
        "sigmoid": _sigmoid,
        "relu": lambda x: np.maximum(x, 0.0),
        "abs": np.abs,
        "sign": np.sign,
        "step": _step,
    }
)


def _apply(node: Node, args: list[Any]) -> Any:
    """Combine the values of a node's children with the node's operation (NumPy, float64)."""
    if isinstance(node, Neg):
        return np.negative(args[0])
    if isinstance(node, Call):
        return _NUMPY_FUNCTIONS[node.func](args[0])
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


def _evaluate(node: Node, env: Mapping[str, np.ndarray]) -> np.ndarray:
    """Value of a tree with variables bound to float64 arrays (call inside np.errstate)."""

    def visit(current: Node, args: list[Any]) -> Any:
        if isinstance(current, Num):
            return np.float64(current.value)
        if isinstance(current, Const):
            return np.float64(CONSTANT_VALUES[current.name])
        if isinstance(current, Var):
            return env[current.name]
        return _apply(current, args)

    return _fold_tree(node, visit)


def _constant_value(node: Node) -> float | None:
    """The float value of a tree without variables (inf/NaN allowed), or None if it has variables."""
    if _variables_in(node):
        return None
    with np.errstate(all="ignore"):
        return float(_evaluate(node, {}))


# --------------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------------

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_WHITESPACE = frozenset(" \t\n\r")

_UNICODE_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "²": "write x**2 for a square",
        "³": "write x**3 for a cube",
        "√": "write sqrt(x) for a square root",
        "×": "write * for multiplication",
        "·": "write * for multiplication",
        "⋅": "write * for multiplication",
        "÷": "write / for division",
        "−": "type the minus sign as the keyboard's -",
        "–": "type the minus sign as the keyboard's -",
        "—": "type the minus sign as the keyboard's -",
        "π": "write pi",
        "σ": "write sigmoid(x)",
        "∞": "infinity is not a number you can type",
    }
)


@dataclass(frozen=True, slots=True)
class _Token:
    """One token. ``kind`` is NUM, NAME, OP, LPAREN, RPAREN, COMMA, END or BAD (a lexical error)."""

    kind: str
    text: str
    position: int
    value: float = 0.0
    message: str = ""
    hint: str = ""


def _bad(position: int, message: str, hint: str = "", text: str = "") -> _Token:
    """A token that raises ``ParseError(message, position, hint)`` when the parser reaches it."""
    return _Token("BAD", text, position, message=message, hint=hint)


def _tokenize(text: str) -> list[_Token]:
    """Split text into tokens; stops at the first lexical error, recorded as a BAD token."""
    tokens: list[_Token] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in _WHITESPACE:
            i += 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j] in _DIGITS:
                    j += 1
            if j < n and text[j] in "eE":
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                if k < n and text[k] in _DIGITS:
                    while k < n and text[k] in _DIGITS:
                        k += 1
                    j = k
            literal = text[i:j]
            value = float(literal)  # a plain decimal literal: float() is a number parser, nothing more
            if not math.isfinite(value):
                tokens.append(_bad(i, f"number too large: {literal}", "the largest float64 is about 1.8e308"))
                return tokens
            tokens.append(_Token("NUM", literal, i, value=value))
            i = j
            continue
        if c in _NAME_START:
            j = i
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            name = text[i:j]
            if name == "lambda":
                tokens.append(_bad(i, "lambda functions are not allowed", "type a formula such as x**2"))
                return tokens
            if keyword.iskeyword(name):
                tokens.append(
                    _bad(
                        i,
                        f"Python keywords like '{name}' are not allowed",
                        "type a single formula such as sin(x) + x**2",
                    )
                )
                return tokens
            tokens.append(_Token("NAME", name, i))
            i = j
            continue
        if text.startswith("**", i):
            tokens.append(_Token("OP", "**", i))
            i += 2
            continue
        if c == "^":
            tokens.append(_Token("OP", "**", i))  # a student's ^ means power, as in LaTeX
            i += 1
            continue
        if c in "+-*/":
            tokens.append(_Token("OP", c, i))
            i += 1
            continue
        if c == "(":
            tokens.append(_Token("LPAREN", c, i))
            i += 1
            continue
        if c == ")":
            tokens.append(_Token("RPAREN", c, i))
            i += 1
            continue
        if c == ",":
            tokens.append(_Token("COMMA", c, i))
            i += 1
            continue
        tokens.append(_lexical_error(text, i, tokens))
        return tokens
    tokens.append(_Token("END", "", n))
    return tokens


def _lexical_error(text: str, i: int, tokens: list[_Token]) -> _Token:
    """The BAD token explaining why character ``text[i]`` cannot start a token."""
    c = text[i]
    previous = tokens[-1] if tokens else None
    if c == ".":
        if previous is not None and previous.kind in ("NAME", "RPAREN"):
            j = i + 1
            while j < len(text) and text[j] in _NAME_CHARS:
                j += 1
            attribute = text[i:j] if j > i + 1 else ".__class__"
            return _bad(
                i,
                f"attributes like {attribute} are not allowed",
                "type a formula with numbers, variables, operators and functions only",
            )
        return _bad(i, "unexpected '.'", "a decimal point must be part of a number such as 0.5")
    if c in "'\"":
        return _bad(i, "strings (text in quotes) are not allowed", "type the formula without quotes")
    if c in "[]":
        return _bad(i, "square brackets [ ] are not allowed", "use parentheses ( ) for grouping")
    if c in "{}":
        return _bad(i, "curly braces { } are not allowed", "use parentheses ( ) for grouping")
    if c == "=" and not text.startswith("==", i):
        return _bad(
            i,
            "'=' is not allowed",
            "type only the right-hand side, e.g. x**2 instead of y = x**2 (no assignments)",
        )
    if c in "=<>!":
        return _bad(i, "comparisons like ==, < and > are not allowed", "type a formula such as x**2")
    if c == ";":
        return _bad(i, "';' is not allowed", "type a single formula, not several statements")
    if c == ":":
        return _bad(i, "':' is not allowed", "type a formula such as x**2")
    if c == "%":
        return _bad(i, "'%' is not allowed", "use / for division; remainders are not supported")
    if c == "#":
        return _bad(i, "comments ('#') are not allowed", "type only the formula")
    code = ord(c)
    if code < 32 or code == 127:
        return _bad(i, f"invalid control character U+{code:04X}", "remove it and type the formula again")
    if code > 127:
        hint = _UNICODE_HINTS.get(c, "use only ASCII letters, digits, + - * / ** ^ and parentheses")
        return _bad(i, f"the character '{c}' (U+{code:04X}) is not allowed", hint)
    return _bad(i, f"the character '{c}' is not allowed", "use only + - * / ** ^ and parentheses")


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list, bounded in depth and node count."""

    def __init__(self, text: str, tokens: list[_Token], variables: tuple[str, ...], allow_internal: bool):
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.variables = variables
        self.functions = FUNCTION_NAMES + (INTERNAL_FUNCTION_NAMES if allow_internal else ())
        self.constant_cache: dict[int, float | None] = {}

    # token helpers -------------------------------------------------------------------------

    def peek(self) -> _Token:
        """The next token; a lexical error becomes a ParseError as soon as the parser reaches it."""
        token = self.tokens[self.index]
        if token.kind == "BAD":
            raise ParseError(token.message, token.position, token.hint)
        return token

    def advance(self) -> _Token:
        """Consume and return the next token."""
        token = self.peek()
        self.index += 1
        return token

    def previous(self) -> _Token | None:
        """The last consumed token."""
        return self.tokens[self.index - 1] if self.index > 0 else None

    def make(self, node: Node, position: int) -> Node:
        """Count a new node against MAX_NODES."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ParseError(
                f"formula too large: more than {MAX_NODES} numbers, names and operators",
                position,
                "split it into smaller pieces",
            )
        return node

    def enter(self, position: int) -> None:
        """Go one nesting level deeper, refusing more than MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(
                f"formula nested too deeply: more than {MAX_DEPTH} levels of parentheses, signs or powers",
                position,
                "simplify the formula",
            )

    def leave(self) -> None:
        """Come back up one nesting level."""
        self.depth -= 1

    def constant(self, node: Node) -> float | None:
        """Cached float value of a variable-free sub-tree (None if it has variables)."""
        key = id(node)
        if key not in self.constant_cache:
            self.constant_cache[key] = _constant_value(node)
        return self.constant_cache[key]

    # errors ---------------------------------------------------------------------------------

    def implicit_multiplication(self, token: _Token) -> ParseError:
        """The error for two operands written side by side, such as 2x or (x)(y)."""
        before = self.previous()
        left = before.text if before is not None and before.kind in ("NUM", "NAME") else "(...)"
        right = token.text if token.kind in ("NUM", "NAME") else "(...)"
        typed = f"{left}{right}"
        if before is not None and before.kind in ("NUM", "NAME") and token.kind in ("NUM", "NAME"):
            typed = self.text[before.position : token.position + len(token.text)]  # as the student typed it
        return ParseError(
            f"missing operator before '{token.text}'",
            token.position,
            f"multiplication must be written out: write {left}*{right}, not {typed}",
        )

    def unexpected(self, token: _Token, context: str) -> ParseError:
        """The error for a token that cannot appear here."""
        if token.kind == "END":
            before = self.previous()
            after = f" after '{before.text}'" if before is not None else ""
            return ParseError(
                f"formula ends too early{after}",
                token.position,
                "expected a number, a name or '(' next",
            )
        if token.kind == "COMMA":
            return ParseError("commas are not allowed", token.position, "each function takes one argument")
        if token.kind == "RPAREN":
            return ParseError("unexpected ')'", token.position, f"expected {context}")
        return ParseError(f"unexpected '{token.text}'", token.position, f"expected {context}")

    # grammar --------------------------------------------------------------------------------

    def parse(self) -> Node:
        """expression END"""
        first = self.peek()
        if first.kind == "END":
            raise ParseError("empty formula", 0, "type a formula such as x**2 + 1")
        node = self.expression()
        token = self.peek()
        if token.kind == "END":
            return node
        if token.kind == "RPAREN":
            raise ParseError(
                "unbalanced parentheses: ')' has no matching '('", token.position, "remove it or add a '('"
            )
        if token.kind in ("NUM", "NAME", "LPAREN"):
            raise self.implicit_multiplication(token)
        raise self.unexpected(token, "an operator such as + - * / **")

    def expression(self) -> Node:
        """term (("+" | "-") term)*"""
        self.enter(self.peek().position)
        node = self.term()
        while (token := self.peek()).kind == "OP" and token.text in "+-":
            self.advance()
            node = self.make(BinOp(token.text, node, self.term()), token.position)
        self.leave()
        return node

    def term(self) -> Node:
        """unary (("*" | "/") unary)*"""
        node = self.unary()
        while (token := self.peek()).kind == "OP" and token.text in ("*", "/"):
            self.advance()
            node = self.make(BinOp(token.text, node, self.unary()), token.position)
        return node

    def unary(self) -> Node:
        """("+" | "-") unary | power"""
        token = self.peek()
        if token.kind == "OP" and token.text in "+-":
            self.advance()
            self.enter(token.position)
            operand = self.unary()
            self.leave()
            return operand if token.text == "+" else self.make(Neg(operand), token.position)
        return self.power()

    def power(self) -> Node:
        """primary (("**" | "^") unary)?"""
        base = self.primary()
        token = self.peek()
        if not (token.kind == "OP" and token.text == "**"):
            return base
        self.advance()
        self.enter(token.position)
        exponent = self.unary()
        self.leave()
        node = self.make(BinOp("**", base, exponent), token.position)
        exponent_value = self.constant(exponent)
        if exponent_value is not None and not abs(exponent_value) <= MAX_EXPONENT:
            shown = f"{exponent_value:.6g}" if math.isfinite(exponent_value) else "too large to compute"
            raise ParseError(
                f"exponent too large: {shown}",
                token.position,
                f"constant exponents must be between -{MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
            )
        base_value = self.constant(base)
        if base_value is not None and exponent_value is not None:
            value = self.constant(node)
            if value is not None and math.isinf(value) and math.isfinite(base_value) and base_value != 0.0:
                raise ParseError(
                    "number too large: this power overflows",
                    token.position,
                    "the largest float64 is about 1.8e308",
                )
        return node

    def primary(self) -> Node:
        """number | name | function "(" expression ")" | "(" expression ")" """
        token = self.peek()
        if token.kind == "NUM":
            self.advance()
            return self.make(Num(token.value), token.position)
        if token.kind == "NAME":
            return self.name()
        if token.kind == "LPAREN":
            self.advance()
            if self.peek().kind == "RPAREN":
                raise ParseError("empty parentheses ()", token.position, "put a formula inside, e.g. (x + 1)")
            inner = self.expression()
            self.close(token)
            return inner
        raise self.unexpected(token, "a number, a name or '('")

    def close(self, opening: _Token, function: str | None = None) -> None:
        """Consume the ')' matching ``opening``."""
        token = self.peek()
        if token.kind == "RPAREN":
            self.advance()
            return
        if token.kind == "END":
            raise ParseError(
                "unbalanced parentheses: '(' is never closed", opening.position, "add the missing ')'"
            )
        if token.kind == "COMMA":
            if function is not None:
                raise ParseError(
                    f"{function}() takes exactly one argument", token.position, f"write {function}(x)"
                )
            raise ParseError("commas are not allowed", token.position, "write a single formula")
        if token.kind in ("NUM", "NAME", "LPAREN"):
            raise self.implicit_multiplication(token)
        raise self.unexpected(token, "an operator or ')'")

    def name(self) -> Node:
        """A variable, a constant, or a function call."""
        token = self.advance()
        name = token.text
        following = self.peek()  # raises first if an attribute access (name.attr) follows
        calls = following.kind == "LPAREN"
        if name in self.functions:
            if not calls:
                raise ParseError(
                    f"'{name}' is a function", token.position, f"call it with parentheses: {name}(x)"
                )
            self.advance()
            if self.peek().kind == "RPAREN":
                raise ParseError(f"{name}() needs an argument", following.position, f"e.g. {name}(x)")
            arg = self.expression()
            self.close(following, function=name)
            return self.make(Call(name, arg), token.position)
        if name in self.variables or name in CONSTANTS:
            if calls:
                kind = "variable" if name in self.variables else "constant"
                raise ParseError(
                    f"'{name}' is a {kind}, not a function",
                    following.position,
                    f"write {name}*(...) to multiply",
                )
            node: Node = Var(name) if name in self.variables else Const(name)
            return self.make(node, token.position)
        allowed_names = self.variables + CONSTANTS
        if calls:
            hint = f"the functions are {', '.join(FUNCTION_NAMES)}"
            suggestion = difflib.get_close_matches(name.lower(), self.functions, n=1)
            if suggestion:
                hint = f"did you mean {suggestion[0]}? " + hint
            raise ParseError(f"unknown function '{name}'", token.position, hint)
        hint = f"allowed names are {', '.join(allowed_names)} and the functions {', '.join(FUNCTION_NAMES)}"
        suggestion = difflib.get_close_matches(name.lower(), allowed_names + self.functions, n=1)
        if suggestion:
            hint = f"did you mean {suggestion[0]}? " + hint
        raise ParseError(f"unknown name '{name}'", token.position, hint)


def _check_variables(variables: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    """Validate variable names: identifiers that are not keywords, functions or constants."""
    names = (variables,) if isinstance(variables, str) else tuple(variables)
    reserved = set(FUNCTION_NAMES) | set(INTERNAL_FUNCTION_NAMES) | set(CONSTANTS)
    for name in names:
        if (
            not isinstance(name, str)
            or not name
            or name[0] not in _NAME_START
            or any(c not in _NAME_CHARS for c in name)
            or keyword.iskeyword(name)
            or name in reserved
        ):
            raise ValueError(f"invalid variable name {name!r}")
    if len(set(names)) != len(names):
        raise ValueError("variable names must be distinct")
    return names


def parse(
    text: str,
    variables: tuple[str, ...] | list[str] | str = ("x",),
    *,
    allow_internal: bool = False,
) -> Expression:
    """Parse text of the grammar into an Expression: tokenize, then recursive descent (never eval).

    ``variables`` are the names the formula may use (default just ``x``). ``allow_internal``
    also accepts ``sign`` and ``step``, so the text of a derivative can be read back.
    Raises ``ParseError`` (with ``message`` and ``position``) for anything else.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse expects text (str), got {type(text).__name__}")
    names = _check_variables(variables)
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"formula too long: {len(text)} characters",
            MAX_LENGTH,
            f"at most {MAX_LENGTH} characters are allowed",
        )
    parser = _Parser(text, _tokenize(text), names, allow_internal)
    return Expression(text=text, variables=names, node=parser.parse())


# --------------------------------------------------------------------------------------------
# Simplifying constructors (used to build derivatives)
# --------------------------------------------------------------------------------------------


def _num(node: Node) -> float | None:
    """The value of a Num node, else None."""
    return node.value if isinstance(node, Num) else None


def _is(node: Node, value: float) -> bool:
    """True if the node is the number ``value``."""
    return isinstance(node, Num) and node.value == value


def _short(value: float) -> bool:
    """True if a folded constant reads well: finite with a short decimal form (6, 0.25, not 1/3)."""
    return math.isfinite(value) and len(_format_number(value)) <= 10


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
    if _same(a, b):
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
    if _same(a, b):
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
    if _same(a, b):
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
    if not _is(b, 0.0) and _same(a, b):
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
            value = float(_NUMPY_FUNCTIONS[func](np.float64(_evaluate(arg, {}))))
        if _short(value):
            return Num(value + 0.0)
    return Call(func, arg)


# --------------------------------------------------------------------------------------------
# Symbolic differentiation
# --------------------------------------------------------------------------------------------


def _as_number(node: Node) -> Node:
    """A variable-free sub-tree with a short value as a Num (so -1 typed as Neg(1) folds), else itself."""
    value = _constant_value(node)
    if value is not None and not isinstance(node, Num) and _short(value):
        return Num(value + 0.0)
    return node


def _function_derivative(func: str, u: Node) -> Node:
    """f'(u) for each one-argument function, written next to the function it differentiates."""
    if func == "sin":  # sin' = cos
        return call("cos", u)
    if func == "cos":  # cos' = -sin
        return neg(call("sin", u))
    if func == "tan":  # tan' = 1/cos²
        return div(ONE, power(call("cos", u), TWO))
    if func == "exp":  # exp' = exp
        return call("exp", u)
    if func == "log":  # log' = 1/u
        return div(ONE, u)
    if func == "sqrt":  # sqrt' = 1/(2 sqrt)
        return div(ONE, mul(TWO, call("sqrt", u)))
    if func == "tanh":  # tanh' = 1 - tanh²
        return sub(ONE, power(call("tanh", u), TWO))
    if func == "sigmoid":  # σ' = σ(1 - σ)
        return mul(call("sigmoid", u), sub(ONE, call("sigmoid", u)))
    if func == "relu":  # relu' = step (0 at u = 0, like core.activations.relu_grad)
        return call("step", u)
    if func == "abs":  # |u|' = sign(u) (0 at u = 0)
        return call("sign", u)
    return ZERO  # sign and step are flat wherever they are differentiable


def _derivative(node: Node, var: str) -> Node:
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
            return mul(_function_derivative(current.func, current.arg), du), True  # chain rule
        (du, u_depends), (dv, v_depends) = args
        depends = u_depends or v_depends
        if not depends:
            return ZERO, False
        return _binary_derivative(current, du, u_depends, dv, v_depends), True

    return _fold_tree(node, visit)[0]


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


# --------------------------------------------------------------------------------------------
# Text and LaTeX
# --------------------------------------------------------------------------------------------

_PRECEDENCE: Mapping[str, int] = MappingProxyType({"+": 1, "-": 1, "*": 2, "/": 2, "**": 4})
_UNARY = 3
_ATOM = 5


def _format_number(value: float) -> str:
    """Shortest round-tripping text of a float, without a trailing '.0' for whole numbers."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _precedence(node: Node) -> int:
    """Binding strength of a node when printed: + - (1) < * / (2) < unary (3) < ** (4) < atoms (5)."""
    if isinstance(node, BinOp):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg) or (isinstance(node, Num) and math.copysign(1.0, node.value) < 0):
        return _UNARY
    return _ATOM


def _to_text(node: Node) -> str:
    """Re-parseable text with the fewest parentheses that keep the tree's exact shape."""

    def visit(current: Node, texts: list[str]) -> str:
        if isinstance(current, Num):
            return _format_number(current.value)
        if isinstance(current, (Const, Var)):
            return current.name
        if isinstance(current, Neg):
            operand = texts[0]
            return f"-({operand})" if _precedence(current.operand) < _UNARY else f"-{operand}"
        if isinstance(current, Call):
            return f"{current.func}({texts[0]})"
        mine = _PRECEDENCE[current.op]
        left, right = texts
        if current.op == "**":
            if _precedence(current.left) <= mine:
                left = f"({left})"
            if _precedence(current.right) < _UNARY:
                right = f"({right})"
            return f"{left}**{right}"
        if _precedence(current.left) < mine:
            left = f"({left})"
        if _precedence(current.right) <= mine:
            right = f"({right})"
        if current.op in "+-":
            return f"{left} {current.op} {right}"
        return f"{left}{current.op}{right}"

    return _fold_tree(node, visit)


_LATEX_FUNCTIONS: Mapping[str, str] = MappingProxyType(
    {
        "sin": r"\sin",
        "cos": r"\cos",
        "tan": r"\tan",
        "tanh": r"\tanh",
        "log": r"\ln",
        "sigmoid": r"\sigma",
        "relu": r"\operatorname{relu}",
        "sign": r"\operatorname{sign}",
        "step": r"\operatorname{step}",
    }
)
_GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau "
    "upsilon phi chi psi omega".split()
)


def _latex_number(value: float) -> str:
    """A number in LaTeX: 3, 0.25, 1.5 \\cdot 10^{-7}."""
    text = _format_number(value)
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


def _to_latex(node: Node) -> str:
    """LaTeX for a tree: \\frac for division, ^{} for powers, \\cdot or juxtaposition for products."""
    return _fold_tree(node, _latex_visit)[0]


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
        return (f"-{_paren(operand)}" if _precedence(node.operand) < _UNARY else f"-{operand}"), ""
    if isinstance(node, Call):
        arg = args[0][0]
        if node.func == "exp":
            return f"e^{{{arg}}}", arg
        if node.func == "sqrt":
            return rf"\sqrt{{{arg}}}", arg
        if node.func == "abs":
            return rf"\left|{arg}\right|", arg
        return _LATEX_FUNCTIONS[node.func] + _paren(arg), arg
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
            return rf"{_LATEX_FUNCTIONS[left.func]}^{{{right_tex}}}{_paren(left_arg)}", ""
        simple_base = isinstance(left, (Var, Const)) or (isinstance(left, Num) and left.value >= 0)
        base = left_tex if simple_base else _paren(left_tex)
        return f"{base}^{{{right_tex}}}", ""
    right_is_signed = _precedence(right) == _UNARY
    if node.op == "+":
        return f"{left_tex} + {_paren(right_tex) if right_is_signed else right_tex}", ""
    if node.op == "-":
        wrap = _precedence(right) <= 1 or right_is_signed
        return f"{left_tex} - {_paren(right_tex) if wrap else right_tex}", ""
    if _precedence(left) < 2:
        left_tex = _paren(left_tex)
    if _precedence(right) < 2 or right_is_signed:
        right_tex = _paren(right_tex)
    if isinstance(left, (Num, Const)) and not _starts_with_digit(right):
        return f"{left_tex} {right_tex}", ""  # 2 x, \pi \left(x + 1\right)
    return rf"{left_tex} \cdot {right_tex}", ""


# --------------------------------------------------------------------------------------------
# Autodiff bridge
# --------------------------------------------------------------------------------------------


_VALUE_METHODS: Mapping[str, Callable[[Any], Any]] = MappingProxyType(
    {
        "sin": lambda u: u.sin(),
        "cos": lambda u: u.cos(),
        "exp": lambda u: u.exp(),
        "log": lambda u: u.log(),
        "tanh": lambda u: u.tanh(),
        "sigmoid": lambda u: u.sigmoid(),
        "relu": lambda u: u.relu(),
    }
)


def _to_value(node: Node, leaves: Mapping[str, Value], value_type: type) -> Value | float:
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
                return float(_apply(current, [np.float64(arg) for arg in args]))
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

    return _fold_tree(node, visit)


def _value_call(func: str, u: Value, value_type: type) -> Value:
    """func(u) for a Value, composing the functions Value lacks from those it has."""
    if func in _VALUE_METHODS:
        return _VALUE_METHODS[func](u)
    if func == "tan":  # tan = sin / cos
        return u.sin() / u.cos()
    if func == "sqrt":  # sqrt = u ** 0.5
        return u**0.5
    if func == "abs":  # |u| = relu(u) + relu(-u): gradient sign(u), 0 at u = 0
        return u.relu() + (-u).relu()
    # sign and step are flat (zero derivative): a constant leaf carrying the value
    with np.errstate(all="ignore"):
        return value_type(float(_NUMPY_FUNCTIONS[func](np.float64(u.data))))


# --------------------------------------------------------------------------------------------
# Expression
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed formula: ``text`` as typed, the allowed ``variables`` and the immutable ``node`` tree.

    Two expressions are equal when they have the same variables and the same ``str()`` (so
    ``parse("x+1") == parse("x + 1")``); equality and hashing never recurse, however deep the tree.
    """

    text: str
    variables: tuple[str, ...]
    node: Node

    def __str__(self) -> str:
        """Re-parseable text: minimal parentheses, ``**`` for powers, spaces around + and -."""
        return _to_text(self.node)

    def __eq__(self, other: object) -> bool:
        """Same variables and same canonical text."""
        if not isinstance(other, Expression):
            return NotImplemented
        return self.variables == other.variables and str(self) == str(other)

    def __hash__(self) -> int:
        """Hash of (variables, canonical text)."""
        return hash((self.variables, str(self)))

    @property
    def used_variables(self) -> tuple[str, ...]:
        """The variables that actually occur, in the order of ``variables``."""
        present = _variables_in(self.node)
        return tuple(name for name in self.variables if name in present)

    @property
    def node_count(self) -> int:
        """Number of nodes in the tree."""
        return _count_nodes(self.node)

    def _environment(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check keyword arguments against the variables; every used variable must be given."""
        unknown = [name for name in values if name not in self.variables]
        if unknown:
            raise ValueError(
                f"unknown variable {unknown[0]!r}; this formula's variables are {', '.join(self.variables)}"
            )
        missing = [name for name in self.used_variables if name not in values]
        if missing:
            raise ValueError(f"missing a value for variable {missing[0]!r}")
        return dict(values)

    def evaluate(self, **arrays: Any) -> np.ndarray:
        """Value of the formula, elementwise and vectorized: f(x) for x = arrays['x'] (float64, broadcast).

        Domain errors and overflow (log(-1), sqrt(-1), 1/0, exp(1000)) give NaN or ±inf
        silently, without warnings: mask non-finite values before plotting. The result has the
        broadcast shape of the inputs (a 0-d array for scalar inputs).
        """
        env = {name: np.asarray(value, dtype=np.float64) for name, value in self._environment(arrays).items()}
        shape = np.broadcast_shapes(*(value.shape for value in env.values())) if env else ()
        with np.errstate(all="ignore"):
            result = np.asarray(_evaluate(self.node, env), dtype=np.float64)
        return np.array(np.broadcast_to(result, shape), dtype=np.float64)

    def __call__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        """Shorthand for ``evaluate``: positional values bind to ``variables`` in order, f(x) = f.evaluate(x=x)."""
        if len(args) > len(self.variables):
            raise TypeError(f"this formula takes {len(self.variables)} values, got {len(args)}")
        values = dict(zip(self.variables, args, strict=False))
        duplicated = set(values) & set(kwargs)
        if duplicated:
            raise TypeError(f"value for {sorted(duplicated)[0]!r} given twice")
        return self.evaluate(**values, **kwargs)

    def derivative(self, var: str | None = None) -> Expression:
        """Symbolic d/d(var) by the sum, product, quotient, power and chain rules, lightly simplified.

        ``var`` defaults to the only variable. Conventions at kinks: d|u| = sign(u) and
        d relu(u) = step(u), both 0 at u = 0. The result is an Expression over the same variables.
        Raises ValueError for an unknown variable or a result above ``MAX_DERIVATIVE_NODES`` nodes
        (possible for derivatives of derivatives of long formulas).
        """
        if var is None:
            if len(self.variables) != 1:
                raise ValueError("say which variable to differentiate by: derivative('x')")
            var = self.variables[0]
        if var not in self.variables:
            raise ValueError(
                f"unknown variable {var!r}; this formula's variables are {', '.join(self.variables)}"
            )
        node = _derivative(self.node, var)
        if _tree_size(node, MAX_DERIVATIVE_NODES) > MAX_DERIVATIVE_NODES:
            raise ValueError(
                f"the derivative is too large to work with (more than {MAX_DERIVATIVE_NODES} nodes): "
                "simplify the formula"
            )
        return Expression(text=_to_text(node), variables=self.variables, node=node)

    def gradient(self) -> tuple[Expression, ...]:
        """The partial derivatives (∂f/∂v for v in variables), in the order of ``variables``."""
        return tuple(self.derivative(var) for var in self.variables)

    def latex(self) -> str:
        r"""LaTeX for the formula: \sin\left(x\right), \frac{a}{b}, x^{3}, e^{x}, \ln, \sigma, |x|."""
        return _to_latex(self.node)

    def to_value(self, **values: float) -> tuple[Value, dict[str, Value]]:
        """Build the formula as a ``core.autodiff.Value`` graph at the given point: (root, {var: leaf}).

        Call ``root.backward()`` and read ``leaves['x'].grad`` for ∂f/∂x. Each variable is one
        shared leaf; variable-free sub-trees enter as constants. Functions Value lacks are
        composed: tan = sin/cos, sqrt = u**0.5, abs = relu(u) + relu(-u), u**v = exp(v·ln u)
        (c**v for a constant c uses Value's reflected power); sign and step (in derivatives)
        enter as constant leaves.
        """
        from core.autodiff import Value  # lazy: autodiff is optional for parsing and evaluating

        given = self._environment(values)
        leaves = {name: Value(float(given[name])) for name in self.used_variables}
        root = _to_value(self.node, leaves, Value)
        if not isinstance(root, Value):
            root = Value(float(root))
        return root, leaves
