"""Tests for core.autodiff: every op's gradient against central differences, micrograd parity,
deep graphs, gradient accumulation, and the graph / step-through helpers."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.autodiff import (
    MLP,
    BackwardStep,
    GraphNode,
    Layer,
    Neuron,
    Value,
    backward_steps,
    graph,
    topological_order,
    zero_grad,
)

SETTINGS = settings(max_examples=60, deadline=None)


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats with lo <= |x| <= hi, either sign."""
    return st.tuples(floats(lo, hi), st.booleans()).map(lambda t: -t[0] if t[1] else t[0])


def central_grad(f: Callable[..., Value], xs: list[float], i: int) -> float:
    h = 1e-6 * max(1.0, abs(xs[i]))
    up = list(xs)
    down = list(xs)
    up[i] += h
    down[i] -= h
    return (f(*map(Value, up)).data - f(*map(Value, down)).data) / (up[i] - down[i])


def assert_grads_match(f: Callable[..., Value], xs: list[float], rel: float = 1e-5) -> None:
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    scale = max(1.0, abs(out.data))
    for i, leaf in enumerate(leaves):
        numeric = central_grad(f, xs, i)
        assert math.isclose(leaf.grad, numeric, rel_tol=rel, abs_tol=rel * scale), (
            i,
            leaf.grad,
            numeric,
        )


# --- each op against central differences -------------------------------------------------------

# name -> (function of Values, strategy for its argument list)
OPS: dict[str, tuple[Callable[..., Value], st.SearchStrategy[list[float]]]] = {
    "add": (lambda a, b: a + b, st.lists(floats(-10, 10), min_size=2, max_size=2)),
    "sub": (lambda a, b: a - b, st.lists(floats(-10, 10), min_size=2, max_size=2)),
    "mul": (lambda a, b: a * b, st.lists(floats(-10, 10), min_size=2, max_size=2)),
    "div": (lambda a, b: a / b, st.tuples(floats(-10, 10), away_from_zero(0.5, 10)).map(list)),
    "neg": (lambda a: -a, st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "square_self": (lambda a: a * a, st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "relu": (lambda a: a.relu(), st.lists(away_from_zero(1e-3, 10), min_size=1, max_size=1)),
    "tanh": (lambda a: a.tanh(), st.lists(floats(-5, 5), min_size=1, max_size=1)),
    "exp": (lambda a: a.exp(), st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "log": (lambda a: a.log(), st.lists(floats(0.01, 100), min_size=1, max_size=1)),
    "sigmoid": (lambda a: a.sigmoid(), st.lists(floats(-20, 20), min_size=1, max_size=1)),
    "sin": (lambda a: a.sin(), st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "cos": (lambda a: a.cos(), st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "radd": (lambda a: 2.5 + a, st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "rsub": (lambda a: 2 - a, st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "rmul": (lambda a: 2 * a, st.lists(floats(-10, 10), min_size=1, max_size=1)),
    "rtruediv": (lambda a: 10.0 / a, st.lists(away_from_zero(0.5, 10), min_size=1, max_size=1)),
    "rpow": (lambda a: 2.0**a, st.lists(floats(-5, 5), min_size=1, max_size=1)),
    "composite": (
        lambda a, b: ((a * b).tanh() + (a - b).sigmoid() * a.sin() - (b * b + 1).log() / (a.cos() + 2)).exp(),
        st.lists(floats(-2, 2), min_size=2, max_size=2),
    ),
}


@pytest.mark.parametrize("name", list(OPS))
def test_op_gradient_matches_central_differences(name: str) -> None:
    f, args = OPS[name]

    @SETTINGS
    @given(args)
    def check(xs: list[float]) -> None:
        assert_grads_match(f, xs)

    check()


@SETTINGS
@given(away_from_zero(0.5, 4), st.integers(-3, 4))
def test_integer_powers(x: float, k: int) -> None:
    assert_grads_match(lambda a: a**k, [x])
    assert Value(x).__pow__(k).data == pytest.approx(x**k, rel=1e-12)


@SETTINGS
@given(floats(0.2, 5), floats(-2.5, 2.5))
def test_fractional_powers_of_positive_bases(x: float, p: float) -> None:
    assert_grads_match(lambda a: a**p, [x])
    assert (Value(x) ** p).data == pytest.approx(x**p, rel=1e-12)


@SETTINGS
@given(floats(-30, 30))
def test_forward_values_match_math(x: float) -> None:
    v = Value(x)
    assert v.tanh().data == pytest.approx(math.tanh(x), rel=1e-12, abs=1e-300)
    assert v.exp().data == pytest.approx(math.exp(x), rel=1e-12)
    assert v.sigmoid().data == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-12)
    assert v.sin().data == pytest.approx(math.sin(x), rel=1e-12, abs=1e-15)
    assert v.cos().data == pytest.approx(math.cos(x), rel=1e-12, abs=1e-15)
    assert v.relu().data == max(0.0, x)
    if x > 0:
        assert v.log().data == pytest.approx(math.log(x), rel=1e-12, abs=1e-15)


def test_relu_derivative_at_zero_is_zero() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_extreme_inputs_give_ieee_results_without_errors_or_warnings() -> None:
    assert Value(1000.0).exp().data == math.inf
    assert Value(-1000.0).exp().data == 0.0
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    assert (Value(0.0) ** -1).data == math.inf
    assert (1.0 / Value(0.0)).data == math.inf
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)
    assert (Value(1e200) ** 2).data == math.inf
    assert (Value(1e200) ** 3.0).data == math.inf
    assert (Value(-1e200) ** 3).data == -math.inf
    assert (Value(1e200) * Value(1e200)).data == math.inf
    assert math.isnan(Value(math.inf).sin().data)
    assert math.isnan(Value(-math.inf).cos().data)
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1e300).tanh().data == 1.0
    assert (2.0 ** Value(5000.0)).data == math.inf
    assert math.isnan(((-2.0) ** Value(0.5)).data)
    # gradients of these graphs complete too
    for out in (Value(0.0).log(), Value(1000.0).exp(), Value(-1.0) ** 0.5, Value(0.0) ** 0.5):
        out.backward()


def test_numpy_scalars_work_like_floats() -> None:
    x = Value(np.float64(3.0))
    assert type(x.data) is float
    y = np.float64(2.0) * x + np.int64(1) - np.float32(0.5)
    assert isinstance(y, Value)
    assert y.data == pytest.approx(6.5)
    y.backward()
    assert x.grad == pytest.approx(2.0)
    big = Value(np.float64(1e200)) * np.float64(1e200)  # no NumPy overflow warning
    assert big.data == math.inf


def test_unsupported_operands_raise_type_error() -> None:
    x = Value(2.0)
    with pytest.raises(TypeError, match="int/float powers"):
        x ** Value(2.0)
    with pytest.raises(TypeError):
        x + "1"  # type: ignore[operator]
    with pytest.raises(TypeError):
        "1" * x  # type: ignore[operator]


# --- the article's and micrograd's examples ---------------------------------------------------


def test_article_example() -> None:
    x1, x2, w1, w2 = Value(2.0), Value(3.0), Value(0.5), Value(-0.3)
    y = w1 * x1 + w2 * x2
    loss = y**2
    loss.backward()
    assert y.data == pytest.approx(0.1, abs=1e-12)
    assert loss.data == pytest.approx(0.01, abs=1e-12)
    assert w1.grad == pytest.approx(0.4, abs=1e-12)
    assert w2.grad == pytest.approx(0.6, abs=1e-12)
    assert x1.grad == pytest.approx(0.1, abs=1e-12)
    assert x2.grad == pytest.approx(-0.06, abs=1e-12)


def micrograd_readme(Value):  # noqa: N803 - runs micrograd's README verbatim with either class
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_micrograd_readme_example_runs_unchanged() -> None:
    a, b, g = micrograd_readme(Value)
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_micrograd_readme_example_matches_micrograd() -> None:
    mg = pytest.importorskip("micrograd.engine")
    ours = micrograd_readme(Value)
    theirs = micrograd_readme(mg.Value)
    for o, t in zip(ours, theirs, strict=True):
        assert o.data == pytest.approx(t.data, rel=1e-12)
        assert o.grad == pytest.approx(t.grad, rel=1e-12)
    assert repr(Value(1.5)) == repr(mg.Value(1.5)).replace("grad=0", "grad=0.0")


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1),
    "relu+": lambda a, b: (a + b).relu() + a,
    "**2": lambda a, b: a**2 - b,
    "r": lambda a, b: 3 * a - 2 / (b * b + 0.5) + 1,
}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(floats(-2, 2), min_size=3, max_size=3),
    st.lists(
        st.tuples(st.sampled_from(list(BINARY)), st.integers(0, 10), st.integers(0, 10)),
        min_size=1,
        max_size=12,
    ),
)
def test_random_expressions_match_micrograd(leaves: list[float], program: list[tuple[str, int, int]]) -> None:
    mg = pytest.importorskip("micrograd.engine")

    def run(cls):
        nodes = [cls(x) for x in leaves]
        for op, i, j in program:
            nodes.append(BINARY[op](nodes[i % len(nodes)], nodes[j % len(nodes)]))
        nodes[-1].backward()
        return nodes

    ours, theirs = run(Value), run(mg.Value)
    assert ours[-1].data == pytest.approx(theirs[-1].data, rel=1e-9, abs=1e-9)
    for o, t in zip(ours[:3], theirs[:3], strict=True):
        assert o.grad == pytest.approx(t.grad, rel=1e-9, abs=1e-9)


# --- neurons and networks --------------------------------------------------------------------


def test_tanh_neuron_matches_central_differences() -> None:
    # Karpathy's lecture neuron: o = tanh(x1*w1 + x2*w2 + b)
    def neuron(x1, x2, w1, w2, b):
        return (x1 * w1 + x2 * w2 + b).tanh()

    xs = [2.0, 0.0, -3.0, 1.0, 6.8813735870195432]
    assert_grads_match(neuron, xs)
    leaves = [Value(x) for x in xs]
    neuron(*leaves).backward()
    assert [round(v.grad, 4) for v in leaves] == [-1.5, 0.5, 1.0, 0.0, 0.5]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_two_layer_mlp_gradients_match_central_differences(activation: str) -> None:
    model = MLP(3, [4, 4, 1], activation=activation, seed=3)
    params = model.parameters()
    for p, b in zip(params, np.random.RandomState(0).uniform(-1, 1, len(params)), strict=True):
        p.data = float(b)  # nonzero biases too: no ReLU sits exactly on its kink
    x = [0.5, -1.2, 2.0]
    values = [p.data for p in params]

    def loss_at(theta: list[float]) -> float:
        for p, t in zip(params, theta, strict=True):
            p.data = t
        out = model(x)
        return ((out - 0.7) ** 2).data

    out = model(x)
    loss = (out - 0.7) ** 2
    model.zero_grad()
    loss.backward()
    analytic = [p.grad for p in params]
    h = 1e-6
    for i in range(len(params)):
        up, down = list(values), list(values)
        up[i] += h
        down[i] -= h
        numeric = (loss_at(up) - loss_at(down)) / (2 * h)
        assert analytic[i] == pytest.approx(numeric, rel=1e-5, abs=1e-7), i
    loss_at(values)


def test_mlp_api_and_seeded_weights() -> None:
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337
    assert [p.data for p in model.parameters()] == [p.data for p in MLP(2, [16, 16, 1]).parameters()]
    assert [p.data for p in model.parameters()] != [p.data for p in MLP(2, [16, 16, 1], seed=1).parameters()]
    assert all(-1 <= p.data <= 1 for p in model.parameters())
    assert isinstance(model([1.0, 2.0]), Value)
    assert len(Layer(2, 3)([Value(1.0), Value(2.0)])) == 3
    assert repr(Neuron(3)) == "ReLUNeuron(3)"
    assert repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(MLP(2, [1])) == "MLP of [Layer of [LinearNeuron(2)]]"
    with pytest.raises(ValueError):
        Neuron(2, activation="swish")


def test_mlp_matches_micrograd_with_same_weights() -> None:
    nn = pytest.importorskip("micrograd.nn")
    mg_model = nn.MLP(2, [8, 8, 1])
    ours = MLP(2, [8, 8, 1])
    for p, q in zip(ours.parameters(), mg_model.parameters(), strict=True):
        p.data = q.data
    rng = np.random.RandomState(0)
    X = rng.randn(10, 2).tolist()
    y = [1.0 if a * b > 0 else -1.0 for a, b in X]

    def total(model, cls):
        scores = [model([cls(a), cls(b)]) for a, b in X]
        losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores, strict=True)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        return loss

    import micrograd.engine as mge

    a, b = total(ours, Value), total(mg_model, mge.Value)
    assert a.data == pytest.approx(b.data, abs=1e-12)
    for p, q in zip(ours.parameters(), mg_model.parameters(), strict=True):
        assert p.grad == pytest.approx(q.grad, abs=1e-12)


# --- deep graphs, accumulation ---------------------------------------------------------------


def test_million_operation_chain_backpropagates() -> None:
    x = Value(0.5)
    one = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + one
    y.backward()
    assert y.data == 1_000_000.5
    assert x.grad == 1.0
    assert one.grad == 1_000_000.0
    zero_grad(y)
    assert x.grad == 0.0 and one.grad == 0.0 and y.grad == 0.0


def test_deep_chain_topological_order_graph_and_zero_grad() -> None:
    x = Value(0.1)
    y = x
    for _ in range(100_000):
        y = y.tanh()
    order = topological_order(y)
    assert len(order) == 100_001 and order[0] is x and order[-1] is y
    nodes, edges = graph(y)
    assert len(nodes) == 100_001 and len(edges) == 100_000
    y.backward()
    assert 0 < x.grad < 1
    zero_grad(y)
    assert x.grad == 0.0


def test_gradients_accumulate_on_repeated_backward_and_zero_grad_resets() -> None:
    x, w = Value(2.0), Value(-3.0)
    h = (x * w).tanh()
    out = h * h + x
    out.backward()
    first = {"x": x.grad, "w": w.grad, "h": h.grad, "out": out.grad}
    assert first["out"] == 1.0
    out.backward()
    assert x.grad == pytest.approx(2 * first["x"], rel=1e-15)
    assert w.grad == pytest.approx(2 * first["w"], rel=1e-15)
    assert h.grad == pytest.approx(2 * first["h"], rel=1e-15)
    assert out.grad == 2.0
    zero_grad(out)
    assert x.grad == w.grad == h.grad == out.grad == 0.0
    out.backward()
    assert x.grad == pytest.approx(first["x"], rel=1e-15)


def test_module_zero_grad() -> None:
    model = MLP(2, [3, 1], activation="tanh")
    model([1.0, -1.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_shared_subexpressions_and_repeated_operands() -> None:
    a = Value(3.0)
    sq = a * a
    assert sq._prev == (a, a)
    assert sq._local == (3.0, 3.0)
    out = sq + sq  # 2a²
    out.backward()
    assert a.grad == 12.0
    assert sq.grad == 2.0


def test_hand_built_nodes_like_micrograd() -> None:
    a, b = Value(1.0), Value(2.0)
    c = Value(3.0, (a, b), "+")
    assert c._prev == (a, b) and c._op == "+"
    c._backward()  # no local derivatives were recorded: nothing flows, as micrograd's no-op
    assert a.grad == 0.0
    with pytest.raises(ValueError):
        Value(0.0, (a, b, c))
    d = a * b
    d.grad = 1.0
    d._backward()
    assert (a.grad, b.grad) == (2.0, 1.0)


# --- graph, topological order, backward steps -------------------------------------------------


def article_graph() -> tuple[Value, dict[str, Value]]:
    x1, x2 = Value(2.0, label="x1"), Value(3.0, label="x2")
    w1, w2 = Value(0.5, label="w1"), Value(-0.3, label="w2")
    y = w1 * x1 + w2 * x2
    y.label = "y"
    loss = y**2
    loss.label = "L"
    return loss, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "y": y}


def test_topological_order_puts_inputs_first() -> None:
    loss, named = article_graph()
    order = topological_order(loss)
    assert len(order) == 8 and order[-1] is loss
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for child in v._prev:
            assert position[id(child)] < position[id(v)]
    assert set(map(id, named.values())) <= set(position)


def test_graph_nodes_and_edges() -> None:
    loss, _ = article_graph()
    nodes, edges = graph(loss)
    assert len(nodes) == 8  # 4 inputs, 2 products, 1 sum, 1 square
    assert len(edges) == 7
    assert all(isinstance(n, GraphNode) for n in nodes)
    assert [n.id for n in nodes] == list(range(8))
    by_name = {n.name: n for n in nodes}
    assert by_name["L"].op == "**2" and by_name["L"].data == pytest.approx(0.01)
    assert by_name["y"].op == "+"
    assert sorted(n.op for n in nodes) == ["", "", "", "", "*", "*", "**2", "+"]
    assert (by_name["y"].id, by_name["L"].id) in edges
    unlabeled = [n for n in nodes if not n.label]
    assert all(n.name == f"v{n.id}" for n in unlabeled)
    # grads are read from the graph
    assert by_name["w1"].grad == 0.0
    loss.backward()
    nodes, _ = graph(loss)
    assert {n.name: n for n in nodes}["w1"].grad == pytest.approx(0.4)
    # one edge per operand slot
    a = Value(2.0)
    nodes, edges = graph(a * a)
    assert len(nodes) == 2 and edges == [(0, 1), (0, 1)]


def test_backward_steps_replay_backward_and_leave_graph_untouched() -> None:
    loss, named = article_graph()
    steps = backward_steps(loss)
    assert all(isinstance(s, BackwardStep) for s in steps)
    assert all(v.grad == 0.0 for v in topological_order(loss))  # not mutated
    first = steps[0]
    assert first.name == "L" and first.grad == 1.0 and first.grads[first.node_id] == 1.0
    assert len(steps) == 8
    # replaying every step's contributions reproduces backward()
    replay = [0.0] * len(steps)
    replay[first.node_id] = 1.0
    for s in steps:
        assert s.grad == replay[s.node_id]  # a node's grad is final when it is processed
        for t in s.terms:
            assert t.upstream == s.grad
            assert t.contribution == t.local * t.upstream
            replay[t.input_id] += t.contribution
            assert t.grad_after == replay[t.input_id]
        assert list(s.grads) == replay
    loss.backward()
    order = topological_order(loss)
    assert [v.grad for v in order] == replay
    assert named["w1"].grad == pytest.approx(0.4, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(floats(-2, 2), min_size=3, max_size=3),
    st.lists(
        st.tuples(st.sampled_from(list(BINARY)), st.integers(0, 10), st.integers(0, 10)),
        min_size=1,
        max_size=10,
    ),
)
def test_backward_steps_match_backward_on_random_graphs(
    leaves: list[float], program: list[tuple[str, int, int]]
) -> None:
    nodes = [Value(x) for x in leaves]
    for op, i, j in program:
        nodes.append(BINARY[op](nodes[i % len(nodes)], nodes[j % len(nodes)]))
    root = nodes[-1]
    steps = backward_steps(root)
    order = topological_order(root)
    assert [s.node_id for s in steps] == list(range(len(order) - 1, -1, -1))
    root.backward()
    assert list(steps[-1].grads) == [v.grad for v in order]  # same order, same sums: exact


def test_backward_steps_refuses_large_graphs() -> None:
    y = Value(1.0)
    for _ in range(30):
        y = y * 1.5
    assert len(backward_steps(y)) == 61
    with pytest.raises(ValueError, match="small graphs"):
        backward_steps(y, max_nodes=60)


def test_backward_steps_formulas() -> None:
    loss, _ = article_graph()
    steps = {s.name: s for s in backward_steps(loss)}
    (square,) = steps["L"].terms
    assert square.formula == "∂L/∂y = 2·y"
    assert square.local == pytest.approx(0.2)
    products = [s for s in steps.values() if s.op == "*"]
    formulas = sorted(t.formula for s in products for t in s.terms)
    assert any(f.endswith("/∂w1 = x1") for f in formulas)
    assert any(f.endswith("/∂x2 = w2") for f in formulas)
    w1_term = next(t for s in products for t in s.terms if t.input_name == "w1")
    assert w1_term.local == 2.0 and w1_term.upstream == pytest.approx(0.2)
    assert w1_term.contribution == pytest.approx(0.4) and w1_term.grad_after == pytest.approx(0.4)
    assert [t.formula.split(" = ")[1] for t in steps["y"].terms] == ["1", "1"]
    assert steps["x1"].terms == ()
    # constants appear as numbers; every op has a formula
    x = Value(0.3, label="x")
    exprs = {
        "tanh": x.tanh(),
        "exp": x.exp(),
        "log": x.log(),
        "sigmoid": x.sigmoid(),
        "sin": x.sin(),
        "cos": x.cos(),
        "ReLU": x.relu(),
        "**-1": x**-1,
        "**0.5": x**0.5,
        "2.0**": 2.0**x,
    }
    for op, out in exprs.items():
        (step, *_) = backward_steps(out)
        assert step.op == op
        (term,) = step.terms
        assert term.formula.startswith(f"∂{step.name}/∂x = ") and "?" not in term.formula
    (step, *_) = backward_steps(x * 3)
    assert step.terms[0].formula.endswith("/∂x = 3")


# -- division is its own node (issue 11) -----------------------------------------------------------


def test_division_of_tiny_numbers_does_not_overflow_through_the_reciprocal():
    a, b = Value(1e-160), Value(1e-160)
    q = a / b
    q.backward()
    assert (q.data, a.grad, b.grad) == (1.0, 1e160, -1e160)  # exact: 1/b and −(a/b)/b


def test_x_over_x_at_a_tiny_x_has_gradient_zero():
    x = Value(1e-170)
    y = x / x
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("a", "b", "expected"), [(2.0, 0.0, math.inf), (-2.0, 0.0, -math.inf), (2.0, -0.0, -math.inf)]
)
def test_division_by_a_constant_zero_is_infinite_not_an_exception(a, b, expected):
    assert (Value(a) / b).data == expected
    assert (a / Value(b)).data == expected
    assert math.isnan((Value(0.0) / 0).data)


def test_division_by_a_subnormal_constant_does_not_raise():
    q = Value(1.0) / 1e-320
    q.backward()
    assert math.isinf(q.data)


def test_division_node_local_derivatives_are_1_over_b_and_minus_q_over_b():
    a, b = Value(3.0), Value(4.0)
    q = a / b
    assert q._op == "/" and q._local == (0.25, -0.1875)
