"""A layered network drawn by its weights (Backprop): compiled once per shape, refilled per redraw.

These charts are redrawn up to 12 times a second while the network trains, and compiling an Altair chart
costs tens of ms. So the builder compiles its chart ONCE per structure (lru_cache) with its data as named
slots (`alt.NamedData`), and every redraw only fills the slots with Arrow tables: the result is a
Vega-Lite dict for `ui.layout.draw_chart(spec)`. The spec text stays identical between
redraws, so the browser updates the data in place instead of rebuilding the chart. Derived columns (|w|,
signs, labels) travel as data: Streamlit evaluates Vega expressions with a slow CSP-safe interpreter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np

from ui import palette
from ui.charts.spec import fill_slots, vega_spec


@functools.lru_cache(maxsize=32)
def _network_template(sizes: tuple[int, ...], edge_labels: bool, height: int) -> dict:
    top = (max(sizes) - 1) / 2 + 0.6
    xs = alt.Scale(domain=[-0.35, len(sizes) - 1 + 0.35], nice=False, zero=False)
    ys = alt.Scale(domain=[-top, top], nice=False, zero=False)
    x_enc, y_enc = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    # A weight's sign: colour (blue negative, orange positive) and dash (negative dashed), one legend.
    domain, colors = palette.signs()
    legend = alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=3, symbolSize=400)
    sign = alt.Color("sign:N", title="weight", scale=alt.Scale(domain=domain, range=colors), legend=legend)
    dash = alt.StrokeDash(
        "sign:N", title="weight", legend=legend, scale=alt.Scale(domain=domain, range=[[6, 3], [1, 0]])
    )
    edge_tip = [
        alt.Tooltip("name:N", title="weight"),
        alt.Tooltip("weight:Q", title="value", format=".6g"),
        alt.Tooltip("grad:Q", title="∂L/∂w (gradient)", format=".6g"),
    ]
    node_tip = [
        alt.Tooltip("label:N", title="node"),
        alt.Tooltip("name:N", title="bias"),
        alt.Tooltip("bias:Q", title="value", format=".6g"),
        alt.Tooltip("grad:Q", title="∂L/∂b (gradient)", format=".6g"),
    ]
    edges = alt.Chart(alt.NamedData("edges"))
    nodes = alt.Chart(alt.NamedData("nodes"))
    layers = [
        alt.Chart(alt.NamedData("hl_edges"))
        .mark_rule(color=palette.HIGHLIGHT, strokeWidth=20, opacity=0.6, strokeCap="round")
        .encode(x=x_enc, y=y_enc, x2="x2:Q", y2="y2:Q"),
        edges.mark_rule(strokeCap="round").encode(
            x=x_enc,
            y=y_enc,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(range=[0.6, 10], zero=True), legend=None),
            color=sign,
            strokeDash=dash,
            tooltip=edge_tip,
        ),
    ]
    if edge_labels:
        label_pos = {
            "x": alt.X("lx:Q", axis=None, scale=xs),
            "y": alt.Y("ly:Q", axis=None, scale=ys),
            "text": "text:N",
        }
        layers.append(
            edges.mark_text(
                fontSize=14,
                fontWeight="bold",
                dy=-9,
                stroke=palette.background(),
                strokeWidth=5,
                color=palette.background(),
            ).encode(**label_pos)
        )
        layers.append(
            edges.mark_text(fontSize=14, fontWeight="bold", dy=-9, color=palette.text()).encode(
                **label_pos, tooltip=edge_tip
            )
        )
    layers += [
        alt.Chart(alt.NamedData("hl_nodes"))
        .mark_circle(size=2600, color=palette.HIGHLIGHT, opacity=0.8)
        .encode(x=x_enc, y=y_enc),
        nodes.mark_circle(
            size=1400, opacity=1, color=palette.NODE["fill"], stroke=palette.NODE["stroke"], strokeWidth=2
        ).encode(x=x_enc, y=y_enc, tooltip=node_tip),
        nodes.mark_text(
            fontSize=14,
            fontWeight="bold",
            color=palette.NODE["text"],
            stroke=palette.NODE["fill"],
            strokeWidth=3,
        ).encode(  # on its light disc in both themes: the disc is its halo
            x=x_enc, y=y_enc, text="label:N", tooltip=node_tip
        ),
    ]
    return vega_spec(
        alt.layer(*layers).properties(height=height),
        description=(
            f"Diagram of a {'-'.join(str(n) for n in sizes)} network: each weight is a line between two neurons, "
            "as thick as the weight is large, solid orange when positive and dashed blue when negative, labelled "
            "with its value; hover a line or a neuron for its gradient."
        ),
    )


def network_diagram(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray],
    bias_grads: Sequence[np.ndarray],
    *,
    node_labels: Sequence[Sequence[str]] | None = None,
    highlight: str | None = None,
    edge_labels: bool = True,
    background: str | None = None,
    height: int = 320,
) -> dict:
    """A layered network (Vega-Lite dict): edges thick by |w| and coloured by sign, tooltips with gradients.

    `weights[l]` has shape (n_l, n_{l+1}); edge i → j of layer l is named "W{l+1}[i,j]", bias j of
    layer l "b{l+1}[j]" (the names of `core.network`). `highlight` marks one edge or bias node.
    Weight labels sit a little before the middle of each edge (clear of the crossing point of a
    2 → 3 layer), on a halo of the theme's background (picked in the browser; `background` is no longer
    needed and ignored) so edges do not hide them.
    """
    sizes = tuple([int(np.shape(weights[0])[0])] + [int(np.shape(w)[1]) for w in weights])
    span = max(max(sizes) - 1, 1) / 2  # every layer spread over the same height, like TF Playground
    ypos = [np.linspace(span, -span, n) if n > 1 else np.zeros(1) for n in sizes]
    node_x = np.concatenate([np.full(n, float(layer)) for layer, n in enumerate(sizes)])
    labels = [
        node_labels[layer][k] if node_labels else f"{layer}.{k}"
        for layer, n in enumerate(sizes)
        for k in range(n)
    ]
    names = ["—"] * sizes[0] + [
        f"b{layer}[{k}]" for layer in range(1, len(sizes)) for k in range(sizes[layer])
    ]
    bias = [None] * sizes[0] + [float(v) for b in biases for v in np.ravel(b)]
    bias_grad = [None] * sizes[0] + [float(v) for g in bias_grads for v in np.ravel(g)]
    nodes = {
        "x": node_x,
        "y": np.concatenate(ypos),
        "label": labels,
        "name": names,
        "bias": bias,
        "grad": bias_grad,
    }
    ex, ey, ex2, ey2, enames, ew, eg, et = [], [], [], [], [], [], [], []
    for layer, (w, g) in enumerate(zip(weights, weight_grads, strict=True)):
        i, j = np.meshgrid(np.arange(sizes[layer]), np.arange(sizes[layer + 1]), indexing="ij")
        i, j = i.ravel(), j.ravel()
        ex.append(np.full(i.size, float(layer)))
        ex2.append(np.full(i.size, float(layer + 1)))
        ey.append(ypos[layer][i])
        ey2.append(ypos[layer + 1][j])
        enames += [f"W{layer + 1}[{a},{b}]" for a, b in zip(i, j, strict=True)]
        et.append(np.full(i.size, 0.42 if sizes[layer] < sizes[layer + 1] else 0.4))
        ew.append(np.asarray(w, dtype=float).ravel())
        eg.append(np.asarray(g, dtype=float).ravel())
    x, y, x2, y2 = (np.concatenate(a) for a in (ex, ey, ex2, ey2))
    weight, t = np.concatenate(ew), np.concatenate(et)
    edges = {
        "x": x,
        "y": y,
        "x2": x2,
        "y2": y2,
        "name": enames,
        "weight": weight,
        "grad": np.concatenate(eg),
        "size": np.abs(weight),
        "sign": ["positive" if w >= 0 else "negative" for w in weight],
        "text": [f"{w:.2f}" for w in weight],
        "lx": x + t * (x2 - x),
        "ly": y + t * (y2 - y),
    }
    hl_edge = [k for k, n in enumerate(enames) if n == highlight]
    hl_node = [k for k, n in enumerate(names) if n == highlight]
    return fill_slots(
        _network_template(sizes, bool(edge_labels), int(height)),
        edges=edges,
        nodes=nodes,
        hl_edges={c: edges[c][hl_edge] for c in ("x", "y", "x2", "y2")},
        hl_nodes={c: nodes[c][hl_node] for c in ("x", "y")},
    )
