"""Tests for core.autodiff.examples: the Autodiff page's example graphs, their plain-float twins,
the traced backward pass, the gradient check and the summary of large graphs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.autodiff import Value, graph, zero_grad
from core.autodiff import examples as ap
from core.expression import parse

VARS = ("x", "y", "z")


def backward_grads(problem: ap.Problem) -> dict[str, float]:
    zero_grad(problem.root)
    problem.root.backward()
    return {v.label: v.grad for v in problem.inputs}


def problems() -> dict[str, ap.Problem]:
    return {
        "article": ap.article_example(),
        "neuron": ap.tanh_neuron(),
        "mlp2": ap.mlp_loss(2),
        "mlp3": ap.mlp_loss(3),
        "mlp4": ap.mlp_loss(4),
        "expression": ap.expression_problem(
            parse("(x*y + z) * sin(x)", variables=VARS), {"x": 1.5, "y": 2.0, "z": -1.0}
        ),
    }


# --- the presets --------------------------------------------------------------------------------


def test_article_example_matches_the_article():
    p = ap.article_example()
    assert p.names == ("w1", "w2", "x1", "x2")
    assert math.isclose(p.root.data, 0.01)
    nodes, _ = graph(p.root)
    assert math.isclose(next(n.data for n in nodes if n.name == "y"), 0.1)
    g = backward_grads(p)
    expected = {"w1": 0.4, "w2": 0.6, "x1": 0.1, "x2": -0.06}
    for name, value in expected.items():
        assert math.isclose(g[name], value, rel_tol=1e-12), name


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-10, 10, allow_nan=False), min_size=4, max_size=4))
def test_article_grads_are_the_hand_derived_ones(vals):
    x1, x2, w1, w2 = vals
    p = ap.article_example(x1=x1, x2=x2, w1=w1, w2=w2)
    g = backward_grads(p)
    y = w1 * x1 + w2 * x2
    for name, value in {"w1": 2 * y * x1, "w2": 2 * y * x2, "x1": 2 * y * w1, "x2": 2 * y * w2}.items():
        assert math.isclose(g[name], value, rel_tol=1e-9, abs_tol=1e-9), name


def test_tanh_neuron_is_micrograds():
    p = ap.tanh_neuron()
    assert math.isclose(p.root.data, 1 / math.sqrt(2), rel_tol=1e-9)
    g = backward_grads(p)
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, value in expected.items():
        assert math.isclose(g[name], value, rel_tol=1e-9, abs_tol=1e-12), name


@pytest.mark.parametrize("points", [1, 2, 3, 4])
def test_mlp_loss_graph_and_its_plain_twin_agree(points):
    p = ap.mlp_loss(points)
    assert len(p.inputs) == 13
    assert p.names[:3] == ("W1[1,1]", "W1[2,1]", "b1[1]") and p.names[-1] == "b2[1]"
    assert math.isclose(p.f(p.theta), p.root.data, rel_tol=1e-12)
    nodes, _ = graph(p.root)
    names = {n.name for n in nodes}
    assert {"p1.x1", "p1.z1", "p1.h3", "ŷ1", "L"} <= names
    assert ("ℓ1" in names) == (points > 1)  # with one point, its squared error is the loss L
    assert ap.check(p).level == "fine"


def test_mlp_graphs_grow_with_the_points_and_the_seed_is_fixed():
    sizes = [len(graph(ap.mlp_loss(k).root)[0]) for k in (1, 2, 3, 4)]
    assert sizes == sorted(sizes) and sizes[1] > 60  # two points already exceed the page's drawing limit
    assert ap.mlp_loss(3).root.data == ap.mlp_loss(3).root.data
    assert ap.mlp_loss(3, seed=2).root.data != ap.mlp_loss(3).root.data


@pytest.mark.parametrize("points", [0, 5, -1])
def test_mlp_loss_refuses_other_point_counts(points):
    with pytest.raises(ValueError):
        ap.mlp_loss(points)


def test_expression_problem_names_and_values():
    p = ap.expression_problem(parse("(x*y + z) * sin(x)", variables=VARS), {"x": 1.5, "y": 2.0, "z": -1.0})
    assert p.names == ("x", "y", "z")
    nodes, _ = graph(p.root)
    assert [n.name for n in nodes] == ["x", "y", "(x·y)", "z", "(x·y + z)", "sin(x)", "f"]
    assert math.isclose(p.root.data, 2.0 * math.sin(1.5))
    g = backward_grads(p)
    assert math.isclose(g["x"], 2.0 * math.sin(1.5) + 2.0 * math.cos(1.5))  # x is used twice: grads add up
    assert math.isclose(g["z"], math.sin(1.5))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x - y", ["x", "y", "v2", "(−y)", "f"]),
        ("x/y", ["x", "y", "f"]),  # one division node
        ("x/(y*z) + z", ["x", "y", "z", "(y·z)", "(x/(y·z))", "f"]),
        ("sin(x)*cos(y)", ["x", "sin(x)", "y", "cos(y)", "f"]),
        ("(x+y)**2", ["x", "y", "(x + y)", "f"]),
        ("sigmoid(x*y)", ["x", "y", "(x·y)", "f"]),
    ],
)
def test_intermediate_nodes_are_named_by_their_sub_expression(text, expected):
    p = ap.expression_problem(parse(text, variables=VARS), {"x": 1.0, "y": 2.0, "z": 3.0})
    assert [n.name for n in graph(p.root)[0]] == expected


def test_long_sub_expressions_fall_back_to_node_numbers():
    p = ap.expression_problem(
        parse("tanh(tanh(tanh(x*y + z)))", variables=VARS), {"x": 1.0, "y": 2.0, "z": 3.0}
    )
    names = [n.name for n in graph(p.root)[0]]
    assert names[-2] == "v6" and all(len(n) <= ap.MAX_NAME + 2 for n in names)


def test_expression_with_only_a_constant_or_one_variable():
    p = ap.expression_problem(parse("3", variables=VARS), {"x": 1.0, "y": 2.0, "z": 3.0})
    assert p.inputs == () and p.root.data == 3.0
    tr = ap.trace(p)
    assert len(tr.nodes) == 1 and len(tr.steps) == 1 and tr.input_grads == ((),) * 2
    q = ap.expression_problem(parse("x", variables=VARS), {"x": 4.0, "y": 0.0, "z": 0.0})
    assert backward_grads(q) == {"x": 1.0}


# --- trace, check, summary ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(problems()))
def test_trace_ends_with_backwards_grads(name):
    p = problems()[name]
    tr = ap.trace(p)
    expected = backward_grads(p)
    assert len(tr.steps) == len(tr.nodes)
    assert tr.steps[0].node_id == len(tr.nodes) - 1 and tr.steps[0].grad == 1.0
    assert tr.input_grads[0] == (0.0,) * len(p.inputs)
    assert len(tr.input_grads) == len(tr.steps) + 1
    for i, label in enumerate(p.names):
        assert tr.nodes[tr.input_ids[i]].name == label
        assert tr.input_grads[-1][i] == pytest.approx(expected[label], rel=1e-12, abs=1e-15)
        assert tr.grads[i] == pytest.approx(expected[label], rel=1e-12, abs=1e-15)
    if len(tr.nodes) <= 60:
        assert tr.steps[-1].grads == pytest.approx([n.grad for n in tr.nodes])
    else:
        assert all(s.grads == () for s in tr.steps)  # kept small for large graphs


def test_trace_is_repeatable_on_the_same_graph():
    p = ap.article_example()
    first, second = ap.trace(p), ap.trace(p)
    assert first == second  # backward() started from zeroed grads both times


@pytest.mark.parametrize("name", list(problems()))
def test_check_is_fine_for_every_preset(name):
    report = ap.check(problems()[name])
    assert report.level == "fine", [(r.name, r.analytic, r.numeric, r.rel_error) for r in report.rows]
    assert len(report.rows) == len(problems()[name].inputs)


def test_check_catches_a_wrong_twin():
    p = ap.article_example()
    wrong = ap.Problem(
        root=p.root, inputs=p.inputs, f=lambda t: float(t[0] * t[2] + t[1] * t[3])
    )  # no square
    assert ap.check(wrong).level == "bug"


def test_check_of_an_out_of_domain_point_is_not_fine_and_does_not_warn():
    p = ap.expression_problem(parse("log(x)", variables=VARS), {"x": -2.0, "y": 0.0, "z": 0.0})
    assert math.isnan(p.root.data)
    assert ap.check(p).level == "bug"


def test_plain_twins_use_no_values():
    for p in problems().values():
        assert isinstance(p.f(p.theta), float)
        assert not isinstance(p.f(p.theta), Value)


def test_graph_summary():
    nodes, edges = graph(ap.article_example().root)
    s = ap.graph_summary(nodes, edges)
    assert (s.nodes, s.edges, s.depth, s.leaves) == (8, 7, 3, 4)
    assert dict(s.ops) == {"": 4, "*": 2, "+": 1, "**2": 1}
    nodes, edges = graph(ap.mlp_loss(3).root)
    s = ap.graph_summary(nodes, edges)
    assert s.nodes == len(nodes) > 60 and s.depth >= 10
    assert s.ops[0][1] >= s.ops[-1][1]
    single = graph(Value(1.0))
    assert ap.graph_summary(*single).depth == 0


def test_methods_for_ops():
    methods = ap.methods_for_ops(["+", "*", "**2", "**-1", "2.0**", "tanh", "sigmoid", "???"])
    names = [m.__name__ for m in methods]
    assert names == ["__add__", "__mul__", "__pow__", "__rpow__", "tanh", "sigmoid", "backward", "_propagate"]


@pytest.mark.parametrize("seed", range(5))
def test_mlp_twin_matches_the_graph_for_other_weights(seed):
    p = ap.mlp_loss(4, seed=seed)
    assert math.isclose(p.f(p.theta), p.root.data, rel_tol=1e-12)
    theta = p.theta
    theta[0] += 0.1  # the twin really depends on its parameters
    assert p.f(theta) != p.root.data
