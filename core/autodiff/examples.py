"""The Autodiff page's examples as ``Value`` graphs, each with a plain-float twin for checking.

Every example is a ``Problem``: the graph's output ``root``, its ``inputs`` (the labelled leaves
whose gradients the page shows and checks, in display order) and ``f``, the same function
written with plain floats and ``math`` (no ``Value`` anywhere), so central differences of ``f``
are an independent check of what ``root.backward()`` computes.

- ``article_example``: the article's y = w1·x1 + w2·x2, L = y² (y = 0.1, L = 0.01,
  ∂L/∂w1 = 0.4, ∂L/∂w2 = 0.6, ∂L/∂x1 = 0.1, ∂L/∂x2 = −0.06);
- ``tanh_neuron``: micrograd's neuron o = tanh(x1·w1 + x2·w2 + b), o ≈ 0.7071;
- ``mlp_loss``: an ``MLP(2, [3, 1])`` of tanh neurons and its squared-error loss on 1–4 points
  (its 13 weights and biases are the inputs);
- ``expression_problem``: a typed ``core.expression`` formula of x, y, z.

``trace`` runs the backward pass and returns plain data for drawing and stepping (no ``Value``
objects: safe to cache); ``check`` compares every input's grad with central differences
(``core.gradient_check``); ``graph_summary`` describes graphs too big to draw.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core import gradient_check
from core.autodiff import (
    MLP,
    BackwardStep,
    GraphNode,
    Value,
    backward_steps,
    graph,
    topological_order,
    zero_grad,
)
from core.autodiff.engine import _propagate
from core.formatting import number_or_text, short_number

__all__ = [
    "Problem",
    "article_example",
    "tanh_neuron",
    "NEURON_BIAS",
    "MLP_POINTS",
    "MLP_TARGETS",
    "MLP_SEED",
    "mlp_loss",
    "expression_problem",
    "Trace",
    "trace",
    "check",
    "GraphSummary",
    "graph_summary",
    "methods_for_ops",
]

NEURON_BIAS = 6.8813735870195432
"""micrograd's bias: it makes x1·w1 + x2·w2 + b = atanh(1/√2), so o = tanh(n) ≈ 0.7071."""

MLP_POINTS: tuple[tuple[float, float], ...] = ((2.0, -1.0), (-0.5, 1.5), (1.0, 1.0), (-1.5, -2.0))
"""Up to four 2-D training points for ``mlp_loss``."""
MLP_TARGETS: tuple[float, ...] = (1.0, -1.0, -1.0, 1.0)
"""Their targets (as in micrograd's README demo: ±1)."""
MLP_SEED = 1
"""The weights' seed: the same network every time."""
MLP_SIZES: tuple[int, ...] = (2, 3, 1)


@dataclass(frozen=True, eq=False)
class Problem:
    """A graph to differentiate: ``root`` (built from ``inputs``) and its plain-float twin ``f``.

    ``f(theta)`` takes the inputs' values in the order of ``inputs`` and returns ``root.data``
    (up to float rounding), computed without ``Value``.
    """

    root: Value
    inputs: tuple[Value, ...]
    f: Callable[[np.ndarray], float]

    @property
    def names(self) -> tuple[str, ...]:
        """The inputs' labels, in order."""
        return tuple(v.label for v in self.inputs)

    @property
    def theta(self) -> np.ndarray:
        """The inputs' values, in order."""
        return np.array([v.data for v in self.inputs], dtype=np.float64)


def _leaf(data: float, label: str) -> Value:
    return Value(data, label=label)


def _named(v: Value, label: str) -> Value:
    v.label = label
    return v


# ---------------------------------------------------------------------------------------------
# the presets


def article_example(x1: float = 2.0, x2: float = 3.0, w1: float = 0.5, w2: float = -0.3) -> Problem:
    """y = w1·x1 + w2·x2, L = y²; inputs w1, w2, x1, x2 (the article's order of the gradients)."""
    vx1, vx2, vw1, vw2 = _leaf(x1, "x1"), _leaf(x2, "x2"), _leaf(w1, "w1"), _leaf(w2, "w2")
    a = _named(vw1 * vx1, "w1x1")
    b = _named(vw2 * vx2, "w2x2")
    y = _named(a + b, "y")
    loss = _named(y**2, "L")

    def f(theta: np.ndarray) -> float:
        t_w1, t_w2, t_x1, t_x2 = (float(v) for v in theta)
        s = t_w1 * t_x1 + t_w2 * t_x2
        return s * s

    return Problem(root=loss, inputs=(vw1, vw2, vx1, vx2), f=f)


def tanh_neuron(
    x1: float = 2.0, x2: float = 0.0, w1: float = -3.0, w2: float = 1.0, b: float = NEURON_BIAS
) -> Problem:
    """micrograd's neuron: n = x1·w1 + x2·w2 + b, o = tanh(n); inputs x1, w1, x2, w2, b."""
    vx1, vx2, vw1, vw2, vb = _leaf(x1, "x1"), _leaf(x2, "x2"), _leaf(w1, "w1"), _leaf(w2, "w2"), _leaf(b, "b")
    x1w1 = _named(vx1 * vw1, "x1w1")
    x2w2 = _named(vx2 * vw2, "x2w2")
    s = _named(x1w1 + x2w2, "x1w1x2w2")
    n = _named(s + vb, "n")
    o = _named(n.tanh(), "o")

    def f(theta: np.ndarray) -> float:
        t_x1, t_w1, t_x2, t_w2, t_b = (float(v) for v in theta)
        return math.tanh(t_x1 * t_w1 + t_x2 * t_w2 + t_b)

    return Problem(root=o, inputs=(vx1, vw1, vx2, vw2, vb), f=f)


def _mlp_labels(sizes: Sequence[int]) -> list[str]:
    """Parameter names in ``MLP.parameters()`` order: W1[i,j] from input i to neuron j, b1[j], …"""
    names = []
    for layer in range(1, len(sizes)):
        nin, nout = sizes[layer - 1], sizes[layer]
        for j in range(nout):
            names += [f"W{layer}[{i + 1},{j + 1}]" for i in range(nin)] + [f"b{layer}[{j + 1}]"]
    return names


def _mlp_output(theta: Sequence[float] | np.ndarray, sizes: Sequence[int], x: Sequence[float]) -> float:
    """The MLP's output with plain floats: tanh hidden layers, a linear last layer."""
    k = 0
    a = [float(v) for v in x]
    last = len(sizes) - 2
    for layer in range(len(sizes) - 1):
        nin, nout = sizes[layer], sizes[layer + 1]
        out = []
        for _ in range(nout):
            s = float(theta[k + nin])  # the bias, then Σ wᵢ·aᵢ (micrograd's order)
            for i in range(nin):
                s += float(theta[k + i]) * a[i]
            k += nin + 1
            out.append(s if layer == last else math.tanh(s))
        a = out
    return a[0]


def mlp_loss(points: int = 3, seed: int = MLP_SEED) -> Problem:
    """L = Σₚ (ŷₚ − yₚ)² for an ``MLP(2, [3, 1])`` of tanh neurons on the first ``points`` points.

    The inputs are the network's 13 weights and biases (named W1[i,j], b1[j], W2[j,1], b2[1]).
    The data points are labelled leaves too (p1.x1 …) but are not checked; each point's hidden
    pre-activations and activations are labelled p1.z1 … and p1.h1 …
    """
    if not 1 <= int(points) <= len(MLP_POINTS):
        raise ValueError(f"points must be between 1 and {len(MLP_POINTS)}, got {points!r}")
    points = int(points)
    model = MLP(MLP_SIZES[0], list(MLP_SIZES[1:]), activation="tanh", seed=seed)
    params = model.parameters()
    for p, name in zip(params, _mlp_labels(MLP_SIZES), strict=True):
        p.label = name
    hidden, output = model.layers
    loss: Value | None = None
    for k in range(points):
        tag = f"p{k + 1}"
        xs = [_leaf(v, f"{tag}.x{i + 1}") for i, v in enumerate(MLP_POINTS[k])]
        hs: Any = hidden(xs)
        for j, h in enumerate(hs):
            _named(h, f"{tag}.h{j + 1}")
            _named(h._prev[0], f"{tag}.z{j + 1}")
        out: Any = _named(output(hs), f"ŷ{k + 1}")  # type: ignore[arg-type]  # one output: a Value
        term = _named((out - MLP_TARGETS[k]) ** 2, f"ℓ{k + 1}")
        loss = term if loss is None else loss + term
    assert loss is not None
    loss = _named(loss, "L")

    def f(theta: np.ndarray) -> float:
        total = 0.0
        for p in range(points):
            d = _mlp_output(theta, MLP_SIZES, MLP_POINTS[p]) - MLP_TARGETS[p]
            total += d * d
        return total

    return Problem(root=loss, inputs=tuple(params), f=f)


MAX_NAME = 16
"""Longest sub-expression name ``expression_problem`` gives an intermediate node (else ``v{id}``)."""

_FUNCTION_NAMES = {"ReLU": "relu", "sigmoid": "σ"}


def _number(x: float) -> str:
    return short_number(x)


def _is_sum(text: str) -> bool:
    """True if ``text`` has a space outside parentheses: a sum or difference such as ``x·y + z``."""
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == " " and depth == 0:
            return True
    return False


def _wrap(text: str) -> str:
    """Parenthesize a sum when it becomes an operand (or a node's name): ``(x·y + z)``."""
    return f"({text})" if _is_sum(text) else text


def _as_label(text: str) -> str:
    """A node's name: a call like ``sin(x)`` as is, anything else in parentheses: ``(x·y)``, ``(x^2)``.

    So that ``∂f/∂(x·y)`` and ``(x·y).grad`` read unambiguously.
    """
    head = text.split("(", 1)[0]
    if head and head.isalpha() and text.endswith(")"):
        depth = 0
        for k, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and k > len(head):
                return text if k == len(text) - 1 else f"({text})"
    return f"({text})"


def _sub_expression(v: Value, written: Mapping[Value, str]) -> str:
    """How node ``v`` would be written from its operands' written forms (x·y, sin(x), a − b, x^2)."""
    op = v._op
    parts = [written[c] for c in v._prev]
    if op == "+":
        a, b = parts
        return f"{a} − {b[1:]}" if b.startswith("−") and not _is_sum(b) else f"{a} + {b}"
    if op == "*":
        a, b = parts
        consts = [not c._prev and not c.label for c in v._prev]
        if consts[1] and v._prev[1].data == -1.0:
            return "−" + _wrap(a)
        if consts[0] and v._prev[0].data == -1.0:
            return "−" + _wrap(b)
        if consts[1] and not consts[0]:  # numbers first: 2·x
            a, b = b, a
        if b.startswith("1/"):
            return f"{_wrap(a)}/{b[2:]}"
        return f"{_wrap(a)}·{_wrap(b)}"
    if op == "/":
        a, b = parts
        return f"{_wrap(a)}/{b if b.isalnum() else _as_label(b)}"
    if op.startswith("**"):
        exponent = number_or_text(op[2:])
        if exponent == "−1":
            return f"1/{_wrap(parts[0])}"
        base = parts[0]
        simple = base.isalnum() or (
            base.endswith(")") and not _is_sum(base) and "·" not in base and "/" not in base
        )
        return f"{base if simple else '(' + base + ')'}^{exponent}"
    if op.endswith("**"):
        return f"{op[:-2]}^{_wrap(parts[0])}"
    return f"{_FUNCTION_NAMES.get(op, op)}({parts[0]})"


def _name_intermediates(root: Value) -> None:
    """Label unlabelled intermediate nodes by their sub-expression, if short; constants by their value."""
    written: dict[Value, str] = {}
    for i, v in enumerate(topological_order(root)):  # i is the node's id in graph(root)
        if v.label:
            written[v] = v.label
        elif not v._prev:
            written[v] = _number(v.data)
        else:
            text = _sub_expression(v, written)
            if len(text) <= MAX_NAME:
                v.label = _as_label(text)
                written[v] = text
            else:
                written[v] = f"v{i}"  # graph() names it so


def expression_problem(expr, values: Mapping[str, float]) -> Problem:
    """A parsed ``core.expression`` formula at ``values``: leaves labelled by variable, output ``f``.

    The inputs are the variables the formula uses (in the order of ``expr.variables``); the
    plain-float twin is ``expr.evaluate`` (NumPy, warnings off: out-of-domain points give NaN).
    Intermediate nodes are named by their sub-expression when it is short: ``(x·y)``,
    ``(x·y + z)``, ``sin(x)`` (in parentheses unless a call, so that ∂f/∂(x·y) reads right).
    """
    point = {name: float(values[name]) for name in expr.used_variables}
    root, leaves = expr.to_value(**point)
    for name, leaf in leaves.items():
        leaf.label = name
    if not root.label:
        root.label = "f"
    _name_intermediates(root)
    names = tuple(leaves)

    def f(theta: np.ndarray) -> float:
        env = {name: float(theta[i]) for i, name in enumerate(names)}
        with np.errstate(all="ignore"):
            return float(np.asarray(expr.evaluate(**env), dtype=np.float64).reshape(()))

    return Problem(root=root, inputs=tuple(leaves[n] for n in names), f=f)


# ---------------------------------------------------------------------------------------------
# running and checking


@dataclass(frozen=True)
class Trace:
    """Plain data for drawing a graph and stepping through its backward pass (no ``Value``).

    ``nodes`` (topological order, inputs first, output last) carry the grads ``backward()``
    left; ``edges`` run operand → user. ``steps`` are ``backward_steps`` (root first); their
    ``grads`` (every node's grad after the step) are kept only for graphs of at most
    ``full_grads`` nodes and are ``()`` otherwise. ``input_grads[k]`` holds the inputs' grads
    after step k (``input_grads[0]``: before the first step, all 0), in the order of
    ``input_ids``.
    """

    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[int, int], ...]
    input_ids: tuple[int, ...]
    steps: tuple[BackwardStep, ...]
    input_grads: tuple[tuple[float, ...], ...]

    @property
    def grads(self) -> tuple[float, ...]:
        """The inputs' grads as ``backward()`` computed them."""
        return tuple(self.nodes[i].grad for i in self.input_ids)


def trace(problem: Problem, full_grads: int = 60, max_nodes: int = 2000) -> Trace:
    """Run ``root.backward()`` from zero grads; record the graph and the step-by-step pass."""
    root = problem.root
    zero_grad(root)
    root.backward()
    nodes, edges = graph(root)
    index = {v: i for i, v in enumerate(topological_order(root))}
    input_ids = tuple(index[v] for v in problem.inputs)
    steps = backward_steps(root, max_nodes=max_nodes)
    input_grads = [tuple(0.0 for _ in input_ids)]
    input_grads += [tuple(s.grads[i] for i in input_ids) for s in steps]
    if len(nodes) > full_grads:
        steps = [dataclasses.replace(s, grads=()) for s in steps]
    return Trace(
        nodes=tuple(nodes),
        edges=tuple(edges),
        input_ids=input_ids,
        steps=tuple(steps),
        input_grads=tuple(input_grads),
    )


def check(problem: Problem, h: float = 1e-6) -> gradient_check.CheckReport:
    """Every input's ``backward()`` grad against central differences of the plain-float ``f``.

    Uses ``core.gradient_check.check_gradient`` (relative error per input; an input whose
    grad and estimate are both below the round-off level scores 0).
    """
    root = problem.root
    zero_grad(root)
    root.backward()
    analytic = np.array([v.grad for v in problem.inputs], dtype=np.float64)
    names = problem.names
    cp = gradient_check.CheckProblem(
        names=names, groups=names, theta=problem.theta, f=problem.f, analytic=analytic
    )
    return gradient_check.check_gradient(cp, h=h)


@dataclass(frozen=True)
class GraphSummary:
    """What a graph too big to draw looks like: sizes, depth and how many nodes of each op."""

    nodes: int
    edges: int
    depth: int  # edges on the longest path from a leaf to the output
    leaves: int
    ops: tuple[tuple[str, int], ...]  # (op, count), most frequent first; "" = leaf


def graph_summary(nodes: Sequence[GraphNode], edges: Sequence[tuple[int, int]]) -> GraphSummary:
    """Node and edge counts, depth and counts by op of ``graph(root)``'s output."""
    level = [0] * len(nodes)
    users: dict[int, list[int]] = {}
    for child, parent in edges:
        users.setdefault(child, []).append(parent)
    for node in nodes:  # topological order: a node's level is final before its users are seen
        for parent in users.get(node.id, ()):
            level[parent] = max(level[parent], level[node.id] + 1)
    counts = Counter(n.op for n in nodes)
    ops = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return GraphSummary(
        nodes=len(nodes), edges=len(edges), depth=max(level, default=0), leaves=counts.get("", 0), ops=ops
    )


def methods_for_ops(ops: Sequence[str]) -> tuple[Callable, ...]:
    """The ``Value`` code behind the ops of a graph (for "show the code"), then the backward pass."""
    named: dict[str, Callable[..., Any]] = {
        "+": Value.__add__,
        "*": Value.__mul__,
        "/": Value.__truediv__,
        "ReLU": Value.relu,
        "tanh": Value.tanh,
        "exp": Value.exp,
        "log": Value.log,
        "sigmoid": Value.sigmoid,
        "sin": Value.sin,
        "cos": Value.cos,
    }
    out: list[Callable[..., Any]] = []
    for op in ops:
        if op in named:
            method = named[op]
        elif op.startswith("**"):
            method = Value.__pow__
        elif op.endswith("**"):
            method = Value.__rpow__
        else:
            continue
        if method not in out:
            out.append(method)
    return (*out, Value.backward, _propagate)
