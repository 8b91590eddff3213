"""Graphviz DOT for computational graphs (`st.graphviz_chart`). Data in, DOT text out: no math here.

`computation_graph` draws the nodes and edges of `core.autodiff.graph(root)` the way micrograd's
`draw_dot` does — one box per value with its name, data and grad, a small circle per operation
between the operands and the result, inputs on the left and the output on the right — and adds
the state of a backward pass being stepped through: the node being processed, the nodes whose
grads are final, those that have received part of their grad, and those not reached yet.
Colours come in a light and a dark palette with high contrast, for projectors.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from core.formatting import number_or_text, short_number
from ui import palette


class _Node(Protocol):
    id: int
    name: str
    op: str
    data: float


PALETTES: dict[str, dict[str, str]] = palette.GRAPH

_OPS = {"+": "+", "*": "×", "/": "÷", "sigmoid": "σ"}


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


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def computation_graph(
    nodes: Sequence[_Node],
    edges: Sequence[tuple[int, int]],
    grads: Sequence[float],
    *,
    inputs: Collection[int] = (),
    current: int | None = None,
    done: Collection[int] = (),
    touched: Collection[int] = (),
    received: Mapping[int, Sequence[float]] | None = None,
    theme: str = "light",
    font_size: int = 16,
) -> str:
    """DOT for a computational graph at one moment of a backward pass (rankdir=LR).

    `nodes` are in topological order (`id` = index) with `name`, `op` and `data`; `edges` are
    (operand id, user id). `grads[id]` is the grad to print. Styles: `inputs` (the leaves whose
    grads we want) in blue; `current` (the node whose grad is being passed on) in orange with its
    op circle and the edges to its operands drawn backwards; `received[id]` lists what this step
    adds to an operand's grad, printed under it ("+= 0.6"); `done` nodes (grad final) and `touched` ones (part of their
    grad received, dashed) print their grad; the others print "grad 0" greyed out. Leaves that
    are not inputs are constants, shown by their value alone.
    """
    pal = PALETTES.get(theme, PALETTES["light"])
    done, touched, inputs = set(done), set(touched), set(inputs)
    received = dict(received or {})
    operands: dict[int, list[int]] = {}
    for child, parent in edges:
        operands.setdefault(parent, []).append(child)
    root = len(nodes) - 1
    lines = [
        "digraph G {",
        f'  graph [rankdir=LR, bgcolor="transparent", nodesep=0.18, ranksep=0.22, pad=0.1, '
        f'fontname="Helvetica", fontcolor="{pal["text"]}"];',
        f'  node [fontname="Helvetica", fontsize={font_size}, fontcolor="{pal["text"]}", color="{pal["border"]}", '
        f"penwidth=1.4];",
        f'  edge [color="{pal["edge"]}", arrowsize=0.7, penwidth=1.3];',
    ]
    for node in nodes:
        i = node.id
        is_leaf = not operands.get(i)
        is_current = i == current
        known = i in done or i in touched or is_current
        grad_color = pal["text"] if known else pal["muted"]
        grad_line = f'<FONT COLOR="{grad_color}">grad {_html(number(grads[i]) if known else "0")}</FONT>'
        if received.get(i):
            added = ", ".join(f"+= {number(c)}" for c in received[i])
            grad_line += f'<BR ALIGN="LEFT"/><FONT COLOR="{pal["flow"]}"><B>{_html(added)}</B></FONT>'
        style = ["rounded", "filled"]
        fill, border, width = pal["value"], pal["border"], 1.4
        if is_leaf and i not in inputs:  # a constant: its value is its name
            label = f'<B>{_html(number(node.data))}</B><BR/>{grad_line}<BR ALIGN="LEFT"/>'
            fill = pal["const"]
        else:
            label = (
                f'<B>{_html(node.name)}</B><BR/>data {_html(number(node.data))}<BR ALIGN="LEFT"/>'
                f'{grad_line}<BR ALIGN="LEFT"/>'
            )
            if i in inputs:
                fill, border, width = pal["input"], pal["input_border"], 2.0
        if i in touched and i not in done and not is_current:
            style.append("dashed")
        if is_current:
            fill, border, width = pal["current"], pal["current_border"], 3.5
        extra = ", peripheries=2" if i == root and len(nodes) > 1 else ""
        lines.append(
            f'  n{i} [shape=box, style="{",".join(style)}", fillcolor="{fill}", color="{border}", '
            f'penwidth={width}, margin="0.1,0.04", label=<{label}>{extra}];'
        )
        if not is_leaf and node.op:
            op_style = (
                f'fillcolor="{pal["current"]}", color="{pal["current_border"]}", penwidth=3'
                if is_current
                else f'fillcolor="{pal["op"]}"'
            )
            lines.append(
                f"  op{i} [shape=circle, style=filled, {op_style}, margin=0.02, width=0.42, "
                f'label="{_html(op_text(node.op))}"];'
            )
            flow = f' [color="{pal["flow"]}", penwidth=3, dir=back, arrowtail=normal]' if is_current else ""
            lines.append(f"  op{i} -> n{i}{flow};")
    for child, parent in edges:
        target = f"op{parent}" if nodes[parent].op else f"n{parent}"
        attrs = ""
        if parent == current:
            attrs = f' [color="{pal["flow"]}", penwidth=3, dir=back, arrowtail=normal]'
        lines.append(f"  n{child} -> {target}{attrs};")
    lines.append("}")
    return "\n".join(lines)
