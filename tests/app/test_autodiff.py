"""Autodiff page: presets and their numbers, typed expressions (good and bad), stepping through backward()."""

from __future__ import annotations

import math

import pytest

from core.autodiff import examples as ap
from core.autodiff import graph, zero_grad
from core.expression import parse
from tests.support import Stepper, assert_ok, badges, notices, open_page
from ui.graphs import number
from ui.navigation import page_by_url

PAGE = page_by_url("autodiff")
pytestmark = pytest.mark.timeout(180)

STEP = "autodiff.step"  # the stepper's URL parameter key (ui.stepper)


def step_slider(at) -> Stepper:
    return Stepper(at, STEP)


def graph_data(at) -> dict | None:
    """The graph as the browser draws it at this step (layout + this step's looks), or None if not drawn."""
    s = step_slider(at)
    found = s.blocks("graph") if s.data else []
    if not found:
        return None
    g, f = found[0], s.value
    return {
        "id": g["id"],
        "layout": g["layout"],
        "looks": g["looks"][f],
        "current": g["current"][f],
        "alt": g["alt"][f],
    }


def dot(at) -> str | None:
    """Every text the graph shows at this step (None when no graph is drawn)."""
    data = graph_data(at)
    if data is None:
        return None
    return "\n".join(
        " ".join(t for t in (look["title"], look["data"], look["grad"], look["added"]) if t)
        for look in data["looks"]
    )


def drawn_nodes(at) -> dict[int, dict]:
    """Node id -> {'name', 'data', 'grad', 'greyed'} read back from what the page drew."""
    out = {}
    for i, look in enumerate(graph_data(at)["looks"]):
        out[i] = {
            "name": look["title"],
            "data": look["data"].removeprefix("data ") if look["data"] else look["title"],
            "grad": look["grad"].removeprefix("grad "),
            "greyed": not look["known"],
        }
    return out


def text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [step_slider(at).text()])


def table(at) -> dict[str, list[str]]:
    """The inputs' table: name -> [value, grad at this step, backward(), central difference, rel. error]."""
    rows = step_slider(at).tables()[0]
    assert rows[0][0] == "input"
    return {cells[0].strip("`"): cells[1:] for cells in rows[1:]}


def choose(at, preset: str):
    at.selectbox(key="autodiff.preset").select(preset).run()
    assert_ok(at)
    return at


def backward_of(problem: ap.Problem) -> list:
    zero_grad(problem.root)
    problem.root.backward()
    return graph(problem.root)[0]


# --- presets ------------------------------------------------------------------------------------


def test_article_example_is_the_default_with_its_numbers():
    at = open_page(PAGE)
    assert_ok(at)
    assert at.selectbox(key="autodiff.preset").value == "article"
    assert step_slider(at).value == step_slider(at).max == 8  # the finished backward pass
    nodes = {n["name"]: n for n in drawn_nodes(at).values()}
    assert nodes["y"]["data"] == "0.1" and nodes["L"]["data"] == "0.01"
    assert {k: nodes[k]["grad"] for k in ("w1", "w2", "x1", "x2")} == {
        "w1": "0.4",
        "w2": "0.6",
        "x1": "0.1",
        "x2": "−0.06",
    }
    rows = table(at)
    assert [rows[k][2] for k in ("w1", "w2", "x1", "x2")] == ["0.4000", "0.6000", "0.1000", "-0.0600"]
    assert [rows[k][3] for k in ("w1", "w2", "x1", "x2")] == ["0.4000", "0.6000", "0.1000", "-0.0600"]
    assert badges(at) == ["green"]
    assert not at.error and not at.warning


def test_neuron_preset():
    at = choose(open_page(PAGE), "neuron")
    nodes = {n["name"]: n for n in drawn_nodes(at).values()}
    assert nodes["o"]["data"] == "0.7071" and nodes["n"]["data"] == "0.8814"
    assert {k: nodes[k]["grad"] for k in ("x1", "w1", "x2", "w2", "b")} == {
        "x1": "−1.5",
        "w1": "1",
        "x2": "0.5",
        "w2": "0",
        "b": "0.5",
    }
    assert badges(at) == ["green"]
    assert step_slider(at).value == 10


def test_mlp_preset_shows_a_summary_instead_of_a_drawing():
    at = choose(open_page(PAGE), "mlp")
    assert dot(at) is None
    assert any("too many to draw" in i.value for i in at.info)
    metrics = {m.label: m.value for m in at.metric}
    expected = ap.graph_summary(*graph(ap.mlp_loss(3).root))
    assert metrics["Nodes (values)"] == str(expected.nodes) and metrics["Depth (longest path)"] == str(
        expected.depth
    )
    assert len(table(at)) == 13
    assert badges(at) == ["green"]
    for points in (4, 2):
        at.slider(key="autodiff.points").set_value(points).run()
        assert_ok(at)
        assert step_slider(at).max == step_slider(at).value == len(graph(ap.mlp_loss(points).root)[0])
        assert dot(at) is None and badges(at) == ["green"]
    assert at.query_params["points"] in ("2", ["2"])


def test_typed_expression_default_and_its_check():
    at = choose(open_page(PAGE), "expression")
    nodes = {n["name"]: n for n in drawn_nodes(at).values()}
    assert set(nodes) >= {"x", "y", "z", "(x·y)", "(x·y + z)", "sin(x)", "f"}
    assert nodes["f"]["data"] == number(2.0 * math.sin(1.5))
    assert badges(at) == ["green"]
    at.text_input(key="autodiff.expr").input("sigmoid(x*y) + log(z**2 + 1) - tanh(x)").run()
    assert_ok(at)
    at.slider(key="autodiff.z").set_value(3.0).run()
    assert_ok(at)
    assert badges(at) == ["green"]
    assert at.query_params["expr"] in (
        "sigmoid(x*y) + log(z**2 + 1) - tanh(x)",
        ["sigmoid(x*y) + log(z**2 + 1) - tanh(x)"],
    )


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ("2x", "2\\*x"),
        ("x*+", ""),
        ("__import__('os')", ""),
        ("sin(x", ""),
        ("", ""),
        ("q + 1", "q"),
    ],
)
def test_a_bad_expression_shows_the_message_and_the_page_stays_usable(bad, fragment):
    at = choose(open_page(PAGE), "expression")
    at.text_input(key="autodiff.expr").input(bad).run()
    assert_ok(at)
    assert at.error and "Could not read f" in at.error[0].value
    assert fragment in at.error[0].value + "".join(c.value for c in at.code)
    # the last graph that parsed stays on the page, greyed, under the message
    assert any("last formula that worked" in i.value for i in at.info) and dot(at) is not None
    # Fixing it brings the page back, with no link notice about the forgotten step.
    at.text_input(key="autodiff.expr").input("x*y").run()
    assert_ok(at)
    assert not at.error and not notices(at)
    assert dot(at) is not None and badges(at) == ["green"]
    assert step_slider(at).value == step_slider(at).max


def test_out_of_domain_point_warns_without_a_check():
    at = open_page(PAGE, {"preset": "expression", "expr": "log(x) + y", "x": "-2"})
    assert_ok(at)
    assert any("not a finite number" in w.value for w in at.warning)
    assert badges(at) == []
    assert dot(at) is not None


def test_a_large_typed_graph_gets_a_summary_and_can_still_be_stepped():
    big = " + ".join(f"sin({k}*x*y)" for k in range(1, 16))
    at = open_page(PAGE, {"preset": "expression", "expr": big})
    assert_ok(at)
    assert dot(at) is None and any("too many to draw" in i.value for i in at.info)
    step_slider(at).set_value(5).run()
    assert_ok(at)
    assert "Step 5 of" in text(at)
    assert badges(at) == ["green"]


# --- stepping -----------------------------------------------------------------------------------


def _problem_for(preset: str) -> ap.Problem:
    if preset == "article":
        return ap.article_example()
    if preset == "neuron":
        return ap.tanh_neuron()
    return ap.expression_problem(
        parse("(x*y + z) * sin(x)", variables=("x", "y", "z")), {"x": 1.5, "y": 2.0, "z": -1.0}
    )


@pytest.mark.parametrize("preset", ["article", "neuron", "expression"])
def test_stepping_to_the_end_gives_backwards_grads(preset):
    at = choose(open_page(PAGE), preset)
    step_slider(at).set_value(0).run()
    assert_ok(at)
    start = drawn_nodes(at)
    assert all(n["grad"] == "0" and n["greyed"] for n in start.values())
    assert "Before the backward pass" in text(at)
    expected = backward_of(_problem_for(preset))
    n = int(step_slider(at).max)
    assert n == len(expected)
    filled = []
    for k in range(1, n + 1):
        step_slider(at).set_value(k).run()  # what the browser reports after a step (Next, an arrow key)
        assert_ok(at)
        assert step_slider(at).value == k
        filled.append(sum(not node["greyed"] for node in drawn_nodes(at).values()))
    assert filled == sorted(filled) and filled[-1] == len(expected)  # grads fill in as we step
    end = drawn_nodes(at)
    for node in expected:
        assert end[node.id]["name"] == node.name
        assert end[node.id]["grad"] == number(node.grad), node.name
    rows = table(at)
    assert all(r[2] == r[3] for r in rows.values())  # grad at this step == backward()'s
    assert "is done:** every node's grad is final" in text(at)


def test_step_text_writes_the_local_rule_with_its_numbers():
    at = open_page(PAGE, {"step": "3"})
    assert_ok(at)
    md = text(at)
    assert "Step 3 of 8: node `w2x2`" in md
    assert "∂w2x2/∂w2 = x2 = 3, so w2.grad += 3 · w2x2.grad = 3 · 0.2 = **0.6**" in md
    assert "∂w2x2/∂x2 = w2 = −0.3, so x2.grad += −0.3 · w2x2.grad = −0.3 · 0.2 = **−0.06**" in md
    nodes = {n["name"]: n for n in drawn_nodes(at).values()}
    assert nodes["w1"]["greyed"] and not nodes["w2"]["greyed"]  # w1 not reached yet, w2 just received 0.6
    assert "+= 0.6" in dot(at) and "+= −0.06" in dot(at)
    rows = table(at)
    assert rows["w2"][1] == "0.6000" and rows["w1"][1] == ":gray[0]"


def test_contributions_add_up_for_a_value_used_twice():
    at = open_page(PAGE, {"preset": "expression", "expr": "x*x", "x": "3"})
    assert_ok(at)
    step_slider(at).set_value(1).run()
    md = text(at)
    assert md.count("x.grad +=") == 2 and "x.grad is now **6**" in md
    assert "+= 3, += 3" in dot(at)


def test_the_stepper_carries_every_step_and_a_reported_step_reaches_the_url():
    at = open_page(PAGE)
    s = step_slider(at)
    assert s.value == s.max == 8 and len(s.data["values"]) == 9  # steps 0..8, all in one payload
    assert [b["to"] for b in s.data["buttons"]] == ["first", "prev", "next", "last"]
    assert all(len(g["looks"]) == 9 for g in s.blocks("graph"))
    s.set_value(0).run()
    assert step_slider(at).value == 0 and at.query_params["step"] in ("0", ["0"])
    assert "Before the backward pass" in text(at)
    s.set_value(8).run()
    assert step_slider(at).value == 8 and at.query_params["step"] in ("8", ["8"])


def test_a_new_example_starts_at_the_end_of_its_backward_pass():
    at = open_page(PAGE, {"step": "2"})
    assert step_slider(at).value == 2 and not notices(at)
    choose(at, "neuron")
    assert step_slider(at).value == step_slider(at).max == 10
    choose(at, "article")
    assert step_slider(at).value == 8


def test_link_with_an_out_of_range_step_falls_back_with_a_notice():
    at = open_page(PAGE, {"step": "99"})
    assert_ok(at)
    assert any("`step`" in n for n in notices(at))
    assert step_slider(at).value == 8


def test_show_code_lists_the_ops_of_the_graph():
    from ui.shell import show_code_key, teaching_snippet

    teaching = teaching_snippet("autodiff").strip()  # the short version comes first; the core source follows

    def core_code(at):
        return "\n".join(c.value for c in at.code if c.value.strip() != teaching)

    at = open_page(PAGE)
    assert not core_code(at), "closed: no code drawn"
    at.session_state[show_code_key("autodiff")] = True  # the learner opens "Show the code"
    at.run()
    code = core_code(at)
    for name in ("def __mul__", "def __add__", "def __pow__", "def backward", "def _propagate"):
        assert name in code
    assert "def tanh" not in code
    at = choose(at, "neuron")
    assert "def tanh" in core_code(at)


def test_forward_vs_reverse_note_counts_the_inputs():
    at = choose(open_page(PAGE), "mlp")
    md = text(at)
    assert "all 13" in md and "26 evaluations" in md


@pytest.mark.parametrize("expr", ["x/0", "x/(1-1)", "sin(x)/(1-1)", "y/(pi-pi)", "x/1e-320"])
def test_division_by_a_zero_or_subnormal_constant_warns_instead_of_crashing(expr):
    at = open_page(PAGE, {"preset": "expression", "expr": expr})
    assert_ok(at)
    assert any("division by zero" in w.value for w in at.warning)
    assert badges(at) == []


def test_a_step_keeps_the_graphs_layout_and_describes_the_step():
    at = open_page(PAGE, {"step": "2"})
    assert_ok(at)
    before = graph_data(at)
    step_slider(at).set_value(5).run()
    assert_ok(at)
    after = graph_data(at)
    # the same layout (the browser keeps its SVG and only restyles it), other looks
    assert after["id"] == before["id"] and after["layout"] == before["layout"]
    assert after["looks"] != before["looks"]
    assert "Step 5 of 8" in after["alt"] and "Computational graph of L" in after["alt"]
    assert [look["kind"] for look in after["looks"]].count("current") == 1


def test_a_reported_step_reruns_with_the_stepper_unchanged_and_a_server_move_is_sent():
    at = open_page(PAGE)
    before = step_slider(at).data
    # what the browser's report of step 3 does (ui.stepper's callback): the value, and where the browser is
    at.session_state[STEP] = 3
    at.session_state[f"{STEP}._stepper._at"] = (3,)  # a position: an option index per axis
    at.run()
    assert_ok(at)
    assert at.query_params["step"] in ("3", ["3"])  # the link follows
    assert step_slider(at).data == before  # the same element: Streamlit sends a reference, the browser idles
    # a value the server sets (a link, Back, a preset) is news: the browser is sent to it
    step_slider(at).set_value(5).run()
    after = step_slider(at).data
    assert after["frame"] == 5 and after["seek"] == before["seek"] + 1
