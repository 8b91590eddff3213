"""Computational graphs drawn in the browser (an SVG component), laid out once per graph. Data in, drawing out.

`graph_layout` places the nodes and edges of `core.autodiff.graph(root)` the way micrograd's `draw_dot`
(Graphviz, rankdir=LR) does — one box per value with its name, data and grad, a small circle per
operation between the operands and the result, inputs on the left and the output on the right — with a
layered layout computed here, in Python, once per graph: every box is sized for the longest text it shows
at any step of the backward pass, so the picture never moves while stepping.

`backward_looks` is the state of a backward pass at one step: the node being processed, the nodes whose
grads are final, those that have received part of their grad (dashed), and those not reached yet (greyed
"grad 0"). `graph_view` mounts the component: a step changes only colours and texts in place (no new
layout, no new SVG). Colours come in a light and a dark palette with high contrast, for projectors.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from core.formatting import number_or_text, short_number
from ui import palette


class _Node(Protocol):
    id: int
    name: str
    op: str
    data: float


class _Step(Protocol):
    node_id: int
    grads: Sequence[float]
    terms: Sequence[Any]


PALETTES: dict[str, dict[str, str]] = palette.GRAPH
ASSETS = Path(__file__).with_name("player")  # the components' files (graph.js next to the player's)

_OPS = {"+": "+", "*": "×", "/": "÷", "sigmoid": "σ"}

# Geometry, in SVG px (the drawing is scaled to the column's width, as Graphviz's was)
FONT = 15  # px
LINE = 19  # px between text lines
PAD_X, PAD_Y = 9, 6  # inside a box
CHAR = 0.58  # average glyph width (em) of a sans-serif digit or letter; bold ×1.08
OP_R = 16  # an operation's circle
RANK_GAP = 34  # between columns (the edges' room, arrowheads included)
NODE_GAP = 12  # between boxes of a column
DUMMY_GAP = 6  # beside an edge passing through a column
MARGIN = 6


def number(x: float) -> str:
    """A compact number for a graph or a sentence: 4 significant digits (0.4, −0.06, 6.881, 1e-10)."""
    return short_number(x)


def op_text(op: str) -> str:
    """How an op is written in its circle: × for *, ^2 for **2, σ for sigmoid, 2^· for 2 ** a."""
    if op in _OPS:
        return _OPS[op]
    if op.startswith("**"):
        return "^" + number_or_text(op[2:])
    if op.endswith("**"):
        return number_or_text(op[:-2]) + "^·"
    return op


def _operands(edges: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for child, parent in edges:
        out.setdefault(parent, []).append(child)
    return out


def backward_moment(steps: Sequence[_Step], n_nodes: int, step: int) -> dict[str, Any]:
    """What a backward pass has done after ``step`` steps: every node's grad, the node being processed
    (``current``), those whose grads are final (``done``), those that received part of theirs
    (``touched``) and what this step adds to each operand (``received``) — `backward_looks`' arguments."""
    current = steps[step - 1] if step else None
    received: dict[int, list[float]] = {}
    for t in current.terms if current else ():
        received.setdefault(t.input_id, []).append(t.contribution)
    return {
        "grads": tuple(current.grads) if current is not None else (0.0,) * n_nodes,
        "current": current.node_id if current is not None else None,
        "done": {s.node_id for s in steps[: max(step - 1, 0)]},
        "touched": {t.input_id for s in steps[:step] for t in s.terms},
        "received": received,
    }


def backward_looks(
    nodes: Sequence[_Node],
    edges: Sequence[tuple[int, int]],
    grads: Sequence[float],
    *,
    inputs: Collection[int] = (),
    current: int | None = None,
    done: Collection[int] = (),
    touched: Collection[int] = (),
    received: Mapping[int, Sequence[float]] | None = None,
) -> list[dict[str, Any]]:
    """Each value node's texts and style at one moment of a backward pass.

    ``{"title", "data", "grad", "known", "added", "kind", "dashed"}``: ``title`` is the name (a constant:
    its value), ``data`` "data 0.5" (None for a constant), ``grad`` "grad 0.4" — "grad 0" and ``known``
    False until the pass reaches the node; ``added`` what this step adds to it ("+= 0.6, += 0.3", or "");
    ``kind`` "current" (the node whose grad is being passed back), "input" (a leaf we want the grad of),
    "const" (a leaf that is not an input) or "value"; ``dashed``: part of its grad received.
    """
    done, touched, inputs = set(done), set(touched), set(inputs)
    received = dict(received or {})
    operands = _operands(edges)
    looks = []
    for node in nodes:
        i = node.id
        is_leaf = not operands.get(i)
        known = i in done or i in touched or i == current
        const = is_leaf and i not in inputs
        kind = "current" if i == current else "const" if const else "input" if i in inputs else "value"
        looks.append(
            {
                "title": number(node.data) if const else node.name,
                "data": None if const else f"data {number(node.data)}",
                "grad": f"grad {number(grads[i]) if known else '0'}",
                "known": known,
                "added": ", ".join(f"+= {number(c)}" for c in received.get(i, ())),
                "kind": kind,
                "dashed": i in touched and i not in done and i != current,
            }
        )
    return looks


def _text_width(text: str, bold: bool = False) -> float:
    return len(text) * FONT * CHAR * (1.08 if bold else 1.0)


def _pav(targets: list[float], weights: list[float]) -> list[float]:
    """Isotonic regression (pool adjacent violators): the non-decreasing sequence nearest to ``targets``."""
    blocks: list[list[float]] = []  # [value, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for v, _, c in blocks:
        out += [v] * int(c)
    return out


def _crossings(upper: list[str], lower: list[str], links: list[tuple[str, str]]) -> int:
    pu = {v: k for k, v in enumerate(upper)}
    pl = {v: k for k, v in enumerate(lower)}
    seg = [(pu[a], pl[b]) for a, b in links if a in pu and b in pl]
    return sum(1 for k, (a1, b1) in enumerate(seg) for a2, b2 in seg[k + 1 :] if (a1 - a2) * (b1 - b2) < 0)


def graph_layout(
    nodes: Sequence[_Node], edges: Sequence[tuple[int, int]], looks: Sequence[Sequence[dict[str, Any]]]
) -> dict[str, Any]:
    """Positions for every box, circle and edge of the graph, left to right (a layered "Sugiyama" layout).

    ``looks``: `backward_looks` at every step to be shown; each box is sized for its longest texts. Value
    node i is ``n{i}``, its operation ``op{i}``. Columns come from the longest path from the leaves (a leaf
    sits just left of its first user); the order within a column from barycentre sweeps that reduce edge
    crossings; the heights from isotonic regression towards the neighbours' mean (no overlaps, order kept).
    """
    operands = _operands(edges)
    size: dict[str, tuple[float, float]] = {}
    lines: dict[str, int] = {}
    for node in nodes:
        i = node.id
        variants = [step[i] for step in looks]
        rows = [
            _text_width(max((v["title"] for v in variants), key=len), bold=True),
            _text_width(max((v["data"] or "" for v in variants), key=len)),
            _text_width(max((v["grad"] for v in variants), key=len)),
            _text_width(max((v["added"] for v in variants), key=len), bold=True),
        ]
        n_lines = (2 if variants[0]["data"] is None else 3) + any(v["added"] for v in variants)
        lines[f"n{i}"] = n_lines
        size[f"n{i}"] = (max(rows) + 2 * PAD_X, n_lines * LINE + 2 * PAD_Y)
        if operands.get(i) and node.op:
            size[f"op{i}"] = (2 * OP_R, 2 * OP_R)
    # the drawn edges: operand → its user's operation (or the user itself), operation → its result
    links: list[tuple[str, str, int]] = []  # (from, to, the value node whose grad flows back along it)
    for child, parent in edges:
        links.append((f"n{child}", f"op{parent}" if f"op{parent}" in size else f"n{parent}", parent))
    links += [(f"op{i}", f"n{i}", i) for i in range(len(nodes)) if f"op{i}" in size]
    order = [
        k for node in nodes for k in ((f"op{node.id}",) if f"op{node.id}" in size else ()) + (f"n{node.id}",)
    ]
    rank: dict[str, int] = {}
    preds: dict[str, list[str]] = {}
    for a, b, _ in links:
        preds.setdefault(b, []).append(a)
    for k in order:  # topological: operations just before their results, operands before users
        rank[k] = max((rank[p] + 1 for p in preds.get(k, ())), default=0)
    succs: dict[str, list[str]] = {}
    for a, b, _ in links:
        succs.setdefault(a, []).append(b)
    for k in order:  # a leaf sits just left of its first user, not in the first column
        if not preds.get(k) and succs.get(k):
            rank[k] = min(rank[s] for s in succs[k]) - 1
    # long edges pass through a dummy point in every column they cross
    chains: list[list[str]] = []
    for a, b, _ in links:
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            d = f"d{len(size)}"
            size[d] = (0.0, 0.0)
            rank[d] = r
            chain.append(d)
        chains.append([*chain, b])
    for k in order:
        size.setdefault(k, (0.0, 0.0))
    n_ranks = max(rank.values()) + 1
    layers: list[list[str]] = [[] for _ in range(n_ranks)]
    seen: set[str] = set()

    def visit(k: str) -> None:  # depth first from the output back: operands in order, grouped by user
        if k in seen:
            return
        seen.add(k)
        for p in preds_chain.get(k, ()):
            visit(p)
        layers[rank[k]].append(k)

    preds_chain: dict[str, list[str]] = {}
    segs: list[tuple[str, str]] = []
    for chain in chains:
        for a, b in zip(chain, chain[1:], strict=False):
            preds_chain.setdefault(b, []).append(a)
            segs.append((a, b))
    for k in reversed(order):
        visit(k)
    for k in size:
        if k not in seen:
            visit(k)
    succ_chain: dict[str, list[str]] = {}
    for a, b in segs:
        succ_chain.setdefault(a, []).append(b)

    def total() -> int:
        return sum(_crossings(layers[r], layers[r + 1], segs) for r in range(n_ranks - 1))

    best, best_layers = total(), [list(layer) for layer in layers]
    for sweep in range(8):
        ranks = range(1, n_ranks) if sweep % 2 == 0 else range(n_ranks - 2, -1, -1)
        for r in ranks:
            other = layers[r - 1] if sweep % 2 == 0 else layers[r + 1]
            pos = {v: k for k, v in enumerate(other)}
            near = preds_chain if sweep % 2 == 0 else succ_chain
            keys = {}
            for k, v in enumerate(layers[r]):
                ps = [pos[p] for p in near.get(v, ()) if p in pos]
                keys[v] = sum(ps) / len(ps) if ps else k
            layers[r].sort(key=lambda v: keys[v])
        now = total()
        if now < best:
            best, best_layers = now, [list(layer) for layer in layers]
    layers = best_layers
    # heights: stacked, then pulled towards the mean of their neighbours (order and gaps kept)
    y: dict[str, float] = {}

    def gap(a: str, b: str) -> float:
        real = size[a][1] > 0 and size[b][1] > 0
        return (size[a][1] + size[b][1]) / 2 + (NODE_GAP if real else DUMMY_GAP)

    for layer in layers:
        at = 0.0
        for k, v in enumerate(layer):
            at += gap(layer[k - 1], v) if k else 0.0
            y[v] = at
    for sweep in range(12):
        down = sweep % 2 == 0
        for r in range(n_ranks) if down else range(n_ranks - 1, -1, -1):
            layer = layers[r]
            if not layer:
                continue
            offsets = [0.0]
            for k in range(1, len(layer)):
                offsets.append(offsets[-1] + gap(layer[k - 1], layer[k]))
            targets, weights = [], []
            for k, v in enumerate(layer):
                nb = [y[p] for p in preds_chain.get(v, []) + succ_chain.get(v, [])]
                want = sum(nb) / len(nb) if nb else y[v]
                targets.append(want - offsets[k])
                weights.append(1.0 + len(nb))
            for k, z in enumerate(_pav(targets, weights)):
                y[layer[k]] = z + offsets[k]
    top = min(y[v] - size[v][1] / 2 for v in y)
    for v in y:
        y[v] += MARGIN - top
    widths = [max((size[v][0] for v in layer), default=0.0) for layer in layers]
    x: dict[str, float] = {}
    col: dict[str, float] = {}
    left = MARGIN
    for r, layer in enumerate(layers):
        for v in layer:
            x[v] = left + widths[r] / 2
            col[v] = widths[r]
        left += widths[r] + RANK_GAP
    width = left - RANK_GAP + MARGIN + 4  # the output's second border
    height = max(y[v] + size[v][1] / 2 for v in y) + MARGIN + 4

    def r1(v: float) -> float:
        return round(v, 1)

    edge_list = []
    for (a, b, owner), chain in zip(links, chains, strict=True):
        pts = [(x[a] + size[a][0] / 2, y[a])]
        for d in chain[1:-1]:  # straight across the column it passes: clear of the boxes above and below
            pts += [(x[d] - col[d] / 2, y[d]), (x[d] + col[d] / 2, y[d])]
        pts.append((x[b] - size[b][0] / 2, y[b]))
        edge_list.append({"from": a, "to": b, "owner": owner, "points": [[r1(px), r1(py)] for px, py in pts]})
    return {
        "width": r1(width),
        "height": r1(height),
        "font": FONT,
        "line": LINE,
        "padX": PAD_X,
        "nodes": [
            {
                "id": node.id,
                "x": r1(x[f"n{node.id}"]),
                "y": r1(y[f"n{node.id}"]),
                "w": r1(size[f"n{node.id}"][0]),
                "h": r1(size[f"n{node.id}"][1]),
                "lines": lines[f"n{node.id}"],
                "root": node.id == len(nodes) - 1 and len(nodes) > 1,
            }
            for node in nodes
        ],
        "ops": [
            {
                "id": node.id,
                "x": r1(x[f"op{node.id}"]),
                "y": r1(y[f"op{node.id}"]),
                "r": OP_R,
                "text": op_text(node.op),
            }
            for node in nodes
            if f"op{node.id}" in size
        ],
        "edges": edge_list,
    }


@cache
def _component() -> Callable[..., Any]:
    return st.components.v2.component(
        "gradient_lab.graph",
        html='<div class="glg"></div>',
        css=(ASSETS / "graph.css").read_text(encoding="utf-8"),
        js=(ASSETS / "graph_core.js").read_text(encoding="utf-8")
        + (ASSETS / "graph.js").read_text(encoding="utf-8"),
    )


def graph_view(
    key: str,
    layout: dict[str, Any],
    looks: Sequence[dict[str, Any]],
    *,
    current: int | None,
    theme: str = "light",
    alt: str = "",
    fit: bool = True,
) -> None:
    """Mount the graph component: the layout (drawn once per graph) and this step's looks (changed in place).

    ``fit``: scaled to the column's width (else drawn at its own size, never wider than the column).
    ``alt``: the text description screen readers get (the drawing is one image).
    """
    layout_id = hashlib.sha1(json.dumps(layout, sort_keys=True).encode()).hexdigest()[:16]
    _component()(
        key=key,
        data={
            "id": layout_id,
            "layout": layout,
            "looks": list(looks),
            "current": current,
            "palette": PALETTES.get(theme, PALETTES["light"]),
            "alt": alt,
            "fit": fit,
        },
        height="content",
    )


def describe(
    nodes: Sequence[_Node],
    edges: Sequence[tuple[int, int]],
    inputs: Collection[int],
    step: int,
    n_steps: int,
    current: int | None,
) -> str:
    """The graph's text description (screen readers): its size, its ends and what this step shows."""
    operands = _operands(edges)
    out = nodes[-1].name
    ops = sum(1 for n in nodes if operands.get(n.id) and n.op)
    names = ", ".join(nodes[i].name for i in sorted(inputs)) or "none"
    text = (
        f"Computational graph of {out}: {len(nodes)} value{'s' * (len(nodes) != 1)} and {ops} "
        f"operation{'s' * (ops != 1)}, from the inputs ({names}) "
        f"on the left to the output {out} on the right. "
    )
    if current is None:
        return text + "Before the backward pass: every grad is 0."
    node = nodes[current]
    users = operands.get(current, [])
    passed = (
        f"passes its grad back to {', '.join(nodes[i].name for i in users)}"
        if users
        else "is a leaf: nothing to pass on"
    )
    return text + f"Step {step} of {n_steps}: {node.name} (highlighted) {passed}."
