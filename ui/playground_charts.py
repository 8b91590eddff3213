"""Chart builders for the Network playground (Vega-Lite dicts for `st.vega_lite_chart`). No calculus here.

Each chart is a cached template with named data slots (`ui.charts.vega_spec` + `ui.charts.fill_slots`),
so a rerun only ships new data. Colours come from `ui.charts`' palette constants: class 0 / negative
values blue (PALETTE[0]), class 1 / positive values orange (PALETTE[4]), white in the middle.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import numpy as np

from ui import palette
from ui.charts import PALETTE, fill_slots, vega_spec

HIGHLIGHT = palette.HIGHLIGHT
SIGN_COLORS = {"positive": palette.SIGN["positive"]["light"], "negative": palette.SIGN["negative"]["light"]}

NEG, POS, MID = PALETTE[0], PALETTE[4], "white"
CLASS_COLORS = {"class 0": NEG, "class 1": POS}
NODE = 1.3  # side of a unit's square (data units)
GAP = 4.0  # horizontal distance between layers
STEP = 1.7  # vertical distance between units


def _positions(sizes: Sequence[int]) -> list[np.ndarray]:
    return [np.linspace((n - 1) / 2 * STEP, -(n - 1) / 2 * STEP, n) if n > 1 else np.zeros(1) for n in sizes]


@functools.lru_cache(maxsize=16)
def _network_template(n_layers: int, top: float, height: int) -> dict:
    xs = alt.Scale(domain=[-NODE, (n_layers - 1) * GAP + NODE], nice=False, zero=False)
    ys = alt.Scale(domain=[-top, top], nice=False, zero=False)
    x, y = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    edge_tip = [alt.Tooltip("name:N", title="weight"), alt.Tooltip("weight:Q", title="value", format=".4g"),
                alt.Tooltip("grad:Q", title="∂L/∂w", format=".4g")]
    node_tip = [alt.Tooltip("label:N", title="unit"), alt.Tooltip("name:N", title="bias"),
                alt.Tooltip("bias:Q", title="value", format=".4g")]
    sign = alt.Color("sign:N", title="weight", scale=alt.Scale(domain=list(SIGN_COLORS),
                                                                range=list(SIGN_COLORS.values())),
                     legend=alt.Legend(orient="top"))
    layers = [
        alt.Chart(alt.NamedData("hl")).mark_rule(color=HIGHLIGHT, strokeWidth=14, opacity=0.7,
                                                 strokeCap="round").encode(x=x, y=y, x2="x2:Q", y2="y2:Q"),
        alt.Chart(alt.NamedData("edges")).mark_rule(strokeCap="round", opacity=0.85).encode(
            x=x, y=y, x2="x2:Q", y2="y2:Q", color=sign, tooltip=edge_tip,
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(range=[0.4, 8], zero=True), legend=None)),
        alt.Chart(alt.NamedData("cells")).mark_rect().encode(
            x=alt.X("x0:Q", axis=None, scale=xs), x2="x1:Q", y=alt.Y("y0:Q", axis=None, scale=ys), y2="y1:Q",
            color=alt.Color("v:Q", scale=alt.Scale(domain=[-1, 0, 1], range=[NEG, MID, POS], clamp=True),
                            legend=None)),
        alt.Chart(alt.NamedData("nodes")).mark_rect(fillOpacity=0, stroke="gray", strokeWidth=1.5).encode(
            x=alt.X("x0:Q", axis=None, scale=xs), x2="x1:Q", y=alt.Y("y0:Q", axis=None, scale=ys), y2="y1:Q",
            tooltip=node_tip),
        alt.Chart(alt.NamedData("heads")).mark_text(fontSize=14, dy=-4, baseline="bottom").encode(
            x=x, y=alt.value(0), text="text:N"),
    ]
    return vega_spec(alt.layer(*layers).properties(height=height))


def network_with_maps(
    sizes: Sequence[int],
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray] | None,
    maps: Sequence[np.ndarray],
    *,
    highlight: str | None = None,
    layer_titles: Sequence[str] | None = None,
    last_column: int = 0,
    size_by_grad: bool = False,
    height: int = 420,
) -> dict:
    """The network as TensorFlow Playground draws it: every unit a small map of its output over the input
    plane, edges coloured by the weight's sign and as thick as |w|.

    `weights[l]` is (n_l, n_{l+1}) (edge i → j named "W{l+1}[i,j]"); `maps[l]` is (k, k, n_l): unit u of
    layer l's value at grid row r, column c, already scaled to [−1, 1] (blue −1, white 0, orange +1).
    """
    pos = _positions(sizes)
    k = int(maps[0].shape[0])
    cell = NODE / k
    cx0, cy0, cv = [], [], []
    nx0, ny0, labels, names, bias = [], [], [], [], []
    offsets = (np.arange(k) - k / 2) * cell
    ox, oy = np.meshgrid(offsets, offsets)
    for layer, n in enumerate(sizes):
        for u in range(n):
            x, y = layer * GAP, float(pos[layer][u])
            cx0.append((x + ox).ravel())
            cy0.append((y + oy).ravel())
            cv.append(np.asarray(maps[layer][:, :, u], dtype=np.float32).ravel())
            nx0.append(x - NODE / 2)
            ny0.append(y - NODE / 2)
            labels.append(f"input x{u + 1}" if layer == 0 else
                          ("output" if layer == len(sizes) - 1 else f"layer {layer}, unit {u}"))
            names.append("—" if layer == 0 else f"b{layer}[{u}]")
            bias.append(None if layer == 0 else float(biases[layer - 1][u]))
    x0 = np.concatenate(cx0).astype(np.float32)
    y0 = np.concatenate(cy0).astype(np.float32)
    cells = {"x0": x0, "x1": x0 + np.float32(cell * 1.02), "y0": y0, "y1": y0 + np.float32(cell * 1.02),
             "v": np.concatenate(cv)}
    nx0a, ny0a = np.array(nx0), np.array(ny0)
    nodes = {"x0": nx0a, "x1": nx0a + NODE, "y0": ny0a, "y1": ny0a + NODE, "label": labels, "name": names,
             "bias": bias}
    ex, ey, ex2, ey2, en, ew, eg = [], [], [], [], [], [], []
    for layer, w in enumerate(weights):
        i, j = np.meshgrid(np.arange(sizes[layer]), np.arange(sizes[layer + 1]), indexing="ij")
        i, j = i.ravel(), j.ravel()
        ex.append(np.full(i.size, layer * GAP + NODE / 2))
        ex2.append(np.full(i.size, (layer + 1) * GAP - NODE / 2))
        ey.append(pos[layer][i])
        ey2.append(pos[layer + 1][j])
        shift = last_column if layer == len(weights) - 1 else 0
        en += [f"W{layer + 1}[{a},{b + shift}]" for a, b in zip(i, j, strict=True)]
        ew.append(np.asarray(w, dtype=float).ravel())
        eg.append(np.full(i.size, np.nan) if weight_grads is None else np.asarray(weight_grads[layer]).ravel())
    weight = np.concatenate(ew)
    edges = {"x": np.concatenate(ex), "y": np.concatenate(ey), "x2": np.concatenate(ex2), "y2": np.concatenate(ey2),
             "name": en, "weight": weight, "grad": np.concatenate(eg),
             "size": np.abs(np.nan_to_num(np.concatenate(eg))) if size_by_grad else np.abs(weight),
             "sign": ["positive" if v >= 0 else "negative" for v in weight]}
    hl = [n == highlight for n in en]
    hl_edges = {c: np.asarray(edges[c])[hl] for c in ("x", "y", "x2", "y2")}
    titles = list(layer_titles) if layer_titles else [""] * len(sizes)
    heads = {"x": [layer * GAP for layer in range(len(sizes))], "text": titles}
    top = (max(sizes) - 1) / 2 * STEP + NODE
    return fill_slots(_network_template(len(sizes), float(top), int(height)), cells=cells, nodes=nodes,
                      edges=edges, hl=hl_edges, heads=heads)


@functools.lru_cache(maxsize=16)
def _decision_template(extent: tuple[float, float, float, float], height: int) -> dict:
    xs = alt.Scale(domain=list(extent[:2]), nice=False, zero=False)
    ys = alt.Scale(domain=list(extent[2:]), nice=False, zero=False)
    cells = alt.Chart(alt.NamedData("cells")).mark_rect().encode(
        x=alt.X("x0:Q", title="x1", scale=xs), x2="x1:Q", y=alt.Y("y0:Q", title="x2", scale=ys), y2="y1:Q",
        color=alt.Color("p:Q", title="P(class 1)", scale=alt.Scale(domain=[0, 0.5, 1], range=[NEG, MID, POS]),
                        legend=alt.Legend(orient="top", gradientLength=140)))
    pts = alt.Chart(alt.NamedData("points")).mark_point(filled=True, size=60, opacity=1, strokeWidth=1.2).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys),
        color=alt.Color("class:N", title="data", scale=alt.Scale(domain=list(CLASS_COLORS),
                                                                  range=list(CLASS_COLORS.values())),
                        legend=alt.Legend(orient="top")),
        shape=alt.Shape("set:N", title="set", scale=alt.Scale(domain=["train", "test"],
                                                             range=["circle", "triangle-up"]),
                        legend=alt.Legend(orient="top")),
        stroke=alt.value("black"),
        tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f"), "class:N", "set:N"])
    return vega_spec(alt.layer(cells, pts).properties(height=height))


def decision_map(xs: np.ndarray, ys: np.ndarray, probs: np.ndarray, X_train: np.ndarray, y_train: np.ndarray,
                 X_test: np.ndarray, y_test: np.ndarray, *, extent: tuple[float, float, float, float],
                 height: int = 400) -> dict:
    """P(class 1) on the grid (probs[i, j] at (xs[j], ys[i])) with the train (●) and test (▲) points."""
    dx = float(xs[1] - xs[0]) / 2
    dy = float(ys[1] - ys[0]) / 2
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel().astype(np.float32), gy.ravel().astype(np.float32)
    cells = {"x0": gx - np.float32(dx * 1.04), "x1": gx + np.float32(dx * 1.04), "y0": gy - np.float32(dy * 1.04),
             "y1": gy + np.float32(dy * 1.04), "p": np.asarray(probs, dtype=np.float32).ravel()}
    X = np.vstack([X_train, X_test])
    labels = np.concatenate([y_train, y_test])
    points = {"x": X[:, 0], "y": X[:, 1], "class": [f"class {int(c)}" for c in labels],
              "set": ["train"] * len(y_train) + ["test"] * len(y_test)}
    return fill_slots(_decision_template(tuple(float(v) for v in extent), int(height)), cells=cells, points=points)


@functools.lru_cache(maxsize=4)
def _curves_template(height: int) -> dict:
    base = alt.Chart(alt.NamedData("curves"))
    tip = [alt.Tooltip("epoch:Q"), alt.Tooltip("set:N"), alt.Tooltip("loss:Q", format=".5f")]
    lines = base.mark_line(strokeWidth=2.5).encode(
        x=alt.X("epoch:Q", title="epoch"),
        y=alt.Y("loss:Q", title="loss (log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("set:N", title=None, scale=alt.Scale(domain=["train", "test"], range=[PALETTE[0], PALETTE[1]]),
                        legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("set:N", scale=alt.Scale(domain=["train", "test"], range=[[1, 0], [6, 3]]),
                                  legend=None),
        tooltip=tip)
    now = alt.Chart(alt.NamedData("now")).mark_rule(color="gray", strokeDash=[4, 3], strokeWidth=2).encode(
        x="epoch:Q")
    label = alt.Chart(alt.NamedData("now")).mark_text(align="left", dx=4, color="gray", fontSize=14).encode(
        x="epoch:Q", y=alt.value(10), text="text:N")
    return vega_spec(alt.layer(lines, now, label).properties(height=height))


def loss_curves(train: np.ndarray, test: np.ndarray, epoch: int, *, height: int = 220) -> dict:
    """Train (solid) and test (dashed) loss per epoch on a log axis, a rule at the frame's epoch."""
    n = len(train)
    stride = max(1, n // 400)  # at most ~800 rows
    e = np.arange(0, n, stride)
    if e[-1] != n - 1:
        e = np.append(e, n - 1)
    tr, te = np.asarray(train)[e], np.asarray(test)[e]
    epochs = np.concatenate([e, e]).astype(np.float64)
    loss = np.concatenate([tr, te])
    keep = np.isfinite(loss) & (loss > 0)
    sets = np.array(["train"] * len(e) + ["test"] * len(e))
    return fill_slots(_curves_template(int(height)),
                      curves={"epoch": epochs[keep], "loss": loss[keep], "set": sets[keep]},
                      now={"epoch": [float(epoch)], "text": [f"epoch {epoch}"]})
