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

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from core.expression.derivative import derivative_tree, stable_tree
from core.expression.evaluate import evaluate_tree, to_value
from core.expression.functions import (
    CONSTANT_VALUES,
    CONSTANTS,
    FUNCTION_NAMES,
    FUNCTIONS,
    INTERNAL_FUNCTION_NAMES,
)
from core.expression.parser import check_variables, parse_tree
from core.expression.printing import to_latex, to_text
from core.expression.tree import (
    MAX_DEPTH,
    MAX_DERIVATIVE_NODES,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    Node,
    ParseError,
    count_nodes,
    tree_size,
    variables_in,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; autodiff is imported lazily at run time
    from core.autodiff import Value

__all__ = [
    "CONSTANTS",
    "CONSTANT_VALUES",
    "FUNCTIONS",
    "FUNCTION_NAMES",
    "INTERNAL_FUNCTION_NAMES",
    "MAX_DEPTH",
    "MAX_DERIVATIVE_NODES",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "Expression",
    "ParseError",
    "parse",
]


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
        return to_text(self.node)

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
        present = variables_in(self.node)
        return tuple(name for name in self.variables if name in present)

    @cached_property
    def _numeric_node(self) -> Node:
        """The tree evaluation uses: derivative rules replaced by their stable NumPy forms."""
        return stable_tree(self.node)

    @property
    def node_count(self) -> int:
        """Number of nodes in the tree."""
        return count_nodes(self.node)

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
            result = np.asarray(evaluate_tree(self._numeric_node, env), dtype=np.float64)
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
        node = derivative_tree(self.node, var)
        if tree_size(node, MAX_DERIVATIVE_NODES) > MAX_DERIVATIVE_NODES:
            raise ValueError(
                f"the derivative is too large to work with (more than {MAX_DERIVATIVE_NODES} nodes): "
                "simplify the formula"
            )
        return Expression(text=to_text(node), variables=self.variables, node=node)

    def gradient(self) -> tuple[Expression, ...]:
        """The partial derivatives (∂f/∂v for v in variables), in the order of ``variables``."""
        return tuple(self.derivative(var) for var in self.variables)

    def latex(self) -> str:
        r"""LaTeX for the formula: \sin\left(x\right), \frac{a}{b}, x^{3}, e^{x}, \ln, \sigma, |x|."""
        return to_latex(self.node)

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
        root = to_value(self.node, leaves, Value)
        if not isinstance(root, Value):
            root = Value(float(root))
        return root, leaves


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
    names = check_variables(variables)
    return Expression(text=text, variables=names, node=parse_tree(text, names, allow_internal))
