"""ui.graphs: the computational graph's layout (no overlaps, left to right, sized for every step)."""

from __future__ import annotations

import pytest

from core.autodiff import examples as ap
from core.expression import parse
from ui.graphs import backward_looks, backward_moment, graph_layout


def _problems():
    yield ap.article_example()
    yield ap.tanh_neuron()
    yield ap.expression_problem(
        parse("(x*y + z) * sin(x)", variables=("x", "y", "z")), {"x": 1.5, "y": 2.0, "z": -1.0}
    )
    yield ap.expression_problem(
        parse("x*x + exp(x)/y - z**2", variables=("x", "y", "z")), {"x": 0.5, "y": 2.0, "z": 3.0}
    )


def _layout(problem):
    tr = ap.trace(problem, full_grads=60)
    looks = [
        backward_looks(
            tr.nodes, tr.edges, inputs=set(tr.input_ids), **backward_moment(tr.steps, len(tr.nodes), k)
        )
        for k in range(len(tr.steps) + 1)
    ]
    return tr, looks, graph_layout(tr.nodes, tr.edges, looks)


@pytest.mark.parametrize("problem", list(_problems()), ids=["article", "neuron", "expression", "mixed"])
def test_boxes_do_not_overlap_and_edges_run_left_to_right(problem) -> None:
    tr, looks, layout = _layout(problem)
    boxes = [
        (n["x"] - n["w"] / 2, n["y"] - n["h"] / 2, n["x"] + n["w"] / 2, n["y"] + n["h"] / 2)
        for n in layout["nodes"]
    ]
    boxes += [(o["x"] - o["r"], o["y"] - o["r"], o["x"] + o["r"], o["y"] + o["r"]) for o in layout["ops"]]
    for k, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= layout["width"] and 0 <= a[1] and a[3] <= layout["height"]
        for b in boxes[k + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    for edge in layout["edges"]:
        xs = [p[0] for p in edge["points"]]
        assert xs == sorted(xs) and xs[0] < xs[-1]
    assert len(layout["edges"]) == len(tr.edges) + len(layout["ops"])
    # every box has a line for each text it shows at any step, and its longest texts fit (estimated)
    for node in layout["nodes"]:
        shown = [step[node["id"]] for step in looks]
        assert node["lines"] == (2 if shown[0]["data"] is None else 3) + any(v["added"] for v in shown)


def test_the_output_is_rightmost_and_inputs_left_of_their_users() -> None:
    tr, _, layout = _layout(ap.article_example())
    xs = {n["id"]: n["x"] for n in layout["nodes"]}
    assert xs[len(tr.nodes) - 1] == max(xs.values())
    for child, parent in tr.edges:
        assert xs[child] < xs[parent]
