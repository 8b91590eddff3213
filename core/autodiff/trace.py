"""Reading a Value graph: its nodes and edges for drawing, and the ordered local chain-rule steps of backward()."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.autodiff.engine import Value, topological_order
from core.formatting import short_number


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One node of ``graph(root)``: ``id`` is its index in ``topological_order(root)``.

    ``name`` is ``label`` if set, else ``f"v{id}"``; ``op`` is ``''`` for inputs and constants.
    """

    id: int
    name: str
    label: str
    op: str
    data: float
    grad: float


def _names(topo: Sequence[Value]) -> list[str]:
    return [v.label or f"v{i}" for i, v in enumerate(topo)]


def graph(root: Value) -> tuple[list[GraphNode], list[tuple[int, int]]]:
    """Nodes and edges of the graph ending at ``root``, for drawing (e.g. with graphviz).

    Nodes are in topological order (inputs first); an edge ``(child_id, parent_id)`` runs from
    an operand to the node that used it, one edge per operand slot (``a * a`` gives two).
    """
    topo = topological_order(root)
    index = {v: i for i, v in enumerate(topo)}
    names = _names(topo)
    nodes = [
        GraphNode(id=i, name=names[i], label=v.label, op=v._op, data=v.data, grad=v.grad)
        for i, v in enumerate(topo)
    ]
    edges = [(index[c], i) for i, v in enumerate(topo) for c in v._prev]
    return nodes, edges


@dataclass(frozen=True, slots=True)
class BackwardTerm:
    """One operand's share of a backward step: ``input.grad += local · upstream``.

    ``formula`` is symbolic, e.g. ``"∂c/∂a = b"``; ``local`` its value; ``upstream`` the
    processed node's grad; ``contribution = local · upstream``; ``grad_after`` the operand's
    grad once the contribution is added.
    """

    input_id: int
    input_name: str
    local: float
    formula: str
    upstream: float
    contribution: float
    grad_after: float


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """Processing one node in backward order: its (now final) ``grad`` flows to its operands.

    ``node_id`` indexes ``topological_order(root)`` / ``graph(root)``; ``terms`` has one entry
    per operand (empty for inputs and constants); ``grads`` is every node's grad, indexed by id,
    after this step.
    """

    node_id: int
    name: str
    op: str
    data: float
    grad: float
    terms: tuple[BackwardTerm, ...]
    grads: tuple[float, ...]


def _fmt(x: float) -> str:
    return short_number(x, 6, "-")


def _local_formula(v: Value, k: int, out: str, terms: list[str]) -> str:
    """Symbolic ∂out/∂(operand k) for node ``v``; ``terms`` are the operands as they'd be written."""
    op = v._op
    a = terms[k]
    head = f"∂{out}/∂{a} = "
    if op == "+":
        return head + "1"
    if op == "*":
        return head + terms[1 - k] if len(terms) == 2 else head + "?"
    if op == "/" and len(terms) == 2:
        return head + (f"1/{terms[1]}" if k == 0 else f"−({terms[0]}/{a})/{a} = −{out}/{a}")
    if op.startswith("**"):
        p = float(op[2:])
        if p == 2:
            return head + f"2·{a}"
        q = _fmt(p - 1) if p >= 1 else f"({_fmt(p - 1)})"
        return head + f"{_fmt(p)}·{a}^{q}"
    if op.endswith("**"):
        c = op[:-2]
        return head + f"{c}^{a}·ln {c} = {out}·ln {c}"
    rules = {
        "ReLU": f"[{a} > 0]",
        "tanh": f"1 − tanh({a})² = 1 − {out}²",
        "exp": f"exp({a}) = {out}",
        "log": f"1/{a}",
        "sigmoid": f"σ({a})·(1 − σ({a})) = {out}·(1 − {out})",
        "sin": f"cos({a})",
        "cos": f"−sin({a})",
    }
    return head + rules.get(op, "?")


def backward_steps(root: Value, max_nodes: int = 2000) -> list[BackwardStep]:
    """The chain-rule steps ``root.backward()`` takes, one per node, root first (grad 1).

    Same order as ``backward()`` (the reverse of ``topological_order(root)``), computed on the
    side from the stored data and local derivatives as one backward pass from zero grads: the
    graph's own ``grad`` fields are not touched. Each step copies all grads (O(nodes²) in
    total), so graphs larger than ``max_nodes`` raise ``ValueError``: this is for the small
    graphs of a step-through view.
    """
    topo = topological_order(root)
    if len(topo) > max_nodes:
        raise ValueError(
            f"backward_steps is for small graphs: this one has {len(topo)} nodes (max_nodes={max_nodes})"
        )
    index = {v: i for i, v in enumerate(topo)}
    names = _names(topo)
    # How an operand is written inside a formula: its name, or its number for a constant.
    written = [names[i] if (v.label or v._prev) else _fmt(v.data) for i, v in enumerate(topo)]
    grads = [0.0] * len(topo)
    grads[-1] = 1.0
    steps: list[BackwardStep] = []
    for i in range(len(topo) - 1, -1, -1):
        v = topo[i]
        up = grads[i]
        operands = [index[c] for c in v._prev]
        operand_terms = [written[j] for j in operands]
        terms = []
        for k, (j, d) in enumerate(zip(operands, v._local, strict=False)):
            contribution = d * up
            grads[j] += contribution
            terms.append(
                BackwardTerm(
                    input_id=j,
                    input_name=names[j],
                    local=d,
                    formula=_local_formula(v, k, names[i], operand_terms),
                    upstream=up,
                    contribution=contribution,
                    grad_after=grads[j],
                )
            )
        steps.append(
            BackwardStep(
                node_id=i,
                name=names[i],
                op=v._op,
                data=v.data,
                grad=up,
                terms=tuple(terms),
                grads=tuple(grads),
            )
        )
    return steps
