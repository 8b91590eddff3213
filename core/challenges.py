"""The answers to the "Your turn" challenges, each computed by core and checked by a second method.

Every function returns a :class:`Solved`: the right answer as the challenge states it (an option,
a formula, a number), a :class:`Check` that recomputes it independently (finite differences, a
loop, a curvature rule, a bound), and the named numbers an explanation quotes. The wording of the
questions lives in ``ui/challenge.py``; nothing here knows about Streamlit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from core import finite_diff
from core.equivalence import Verdict, judge, judge_derivative
from core.expression import Expression, parse


@dataclass(frozen=True)
class Check:
    """Two independent routes to the answer: their results as text, and whether they agree.

    ``rel_error`` is set when both routes give a number (the relative error between them).
    """

    label: str
    a_name: str
    a: str
    b_name: str
    b: str
    agree: bool
    rel_error: float | None = None


@dataclass(frozen=True)
class Solved:
    """The right answer (``answer``: option text, formula text or number) and its check."""

    answer: str
    check: Check
    numbers: Mapping[str, float] = field(default_factory=dict)
    latex: str | None = None


def _num(v: float, digits: int = 6) -> str:
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    return f"{v:.{digits}g}"


# -- numbers typed as text ------------------------------------------------------------------------
NUMBER_RTOL: float = 5e-3
"""A typed number is right within 0.5 % (learners round: 0.4 for 0.39999...)."""


def read_number(text: str) -> float | Verdict:
    """A typed number (a constant formula like ``2*0.1*2`` is fine), or an 'unreadable' Verdict."""
    from core.equivalence import read_answer

    read = read_answer(text, ("x",))
    if isinstance(read, Verdict):
        return read
    if read.used_variables:
        return Verdict(
            "free_name", "Type a number (or arithmetic such as 2*0.1*2), not a formula in x.", name="x"
        )
    value = float(read.evaluate())
    if not math.isfinite(value):
        return Verdict("unreadable", "That evaluates to an undefined or infinite number.", position=0)
    return value


def judge_number(text: str, expected: float, rtol: float = NUMBER_RTOL, what: str = "the answer") -> Verdict:
    """Right when |typed − expected| ≤ rtol·|expected| (or ≤ rtol when expected is 0)."""
    value = read_number(text)
    if isinstance(value, Verdict):
        return value
    if abs(value - expected) <= rtol * max(abs(expected), 1.0 if expected == 0 else 0.0):
        return Verdict("right", f"Right: {_num(value)} matches {what}, {_num(expected)}.", method="numeric")
    return Verdict("wrong", f"Not quite: you typed {_num(value)}.", method="numeric")


# -- Derivatives ---------------------------------------------------------------------------------
def derivative_of(key: str) -> tuple[Expression, Expression, tuple[float, float]]:
    """f, f′ (symbolic) and the plotting domain of a catalogue function."""
    from core.catalogue import FUNCTIONS

    entry = FUNCTIONS[key]
    f = parse(entry.text)
    return f, f.derivative(), entry.domain


def solve_derivative(key: str) -> Solved:
    """f′ of a catalogue function; check: f′(x₀) against the central difference at x₀."""
    from core.catalogue import FUNCTIONS

    f, fp, _ = derivative_of(key)
    x0 = FUNCTIONS[key].default_x0
    a = float(fp.evaluate(x=x0))
    b = float(finite_diff.derivative(lambda x: f.evaluate(x=x), x0, h=1e-5, method="central"))
    rel = finite_diff.relative_error(a, b)
    return Solved(
        str(fp),
        Check(f"f′({_num(x0)})", "symbolic f′", _num(a), "central difference", _num(b), rel < 1e-6, rel),
        {"x0": x0},
        latex=fp.latex(),
    )


def judge_typed_derivative(key: str, answer: str) -> Verdict:
    f, _, domain = derivative_of(key)
    return judge_derivative(f, answer, domain)


# -- Gradients -----------------------------------------------------------------------------------
COMPASS: tuple[str, ...] = (
    "+w₁ (right)",
    "up-right",
    "+w₂ (up)",
    "up-left",
    "−w₁ (left)",
    "down-left",
    "−w₂ (down)",
    "down-right",
)
"""Eight directions on the (w₁, w₂) map, counter-clockwise from +w₁, 45° apart."""


def compass(v: np.ndarray) -> str:
    """The nearest of the eight COMPASS directions to the vector v."""
    angle = math.degrees(math.atan2(float(v[1]), float(v[0]))) % 360.0
    return COMPASS[int(round(angle / 45.0)) % 8]


def solve_descent_direction(surface: str, point: tuple[float, float]) -> Solved:
    """Direction of −∇L at a point; check: the analytic gradient against central differences."""
    from core.surfaces import get_surface

    surf = get_surface(surface)
    w = np.array(point, dtype=np.float64)
    g = np.asarray(surf.grad(w), dtype=np.float64).ravel()
    n = np.asarray(finite_diff.gradient(lambda p: float(surf.f(p[0], p[1])), w), dtype=np.float64).ravel()
    rel = finite_diff.relative_error(g, n)
    angle = math.degrees(math.atan2(-g[1], -g[0])) % 360.0
    return Solved(
        compass(-g),
        Check(
            "∇L",
            "analytic",
            f"({_num(g[0], 4)}, {_num(g[1], 4)})",
            "central differences",
            f"({_num(n[0], 4)}, {_num(n[1], 4)})",
            compass(-n) == compass(-g) and rel < 1e-6,
            rel,
        ),
        {"g1": g[0], "g2": g[1], "angle": angle},
    )


# -- Gradient descent ----------------------------------------------------------------------------
FATES: tuple[str, ...] = ("converge smoothly", "converge while zig-zagging", "diverge")


def solve_descent_fate(surface: str, lr: float, start: tuple[float, float], steps: int = 60) -> Solved:
    """What plain gradient descent does, from the run; check: the curvature rule |1 − ηλ| per direction."""
    from core.optimizers import descend
    from core.stability import hessian_at

    traj = descend(surface, "sgd", np.array(start, dtype=np.float64), lr, steps)
    if traj.diverged:
        run = FATES[2]
    else:
        u = np.asarray(traj.updates)
        flips = np.any((u[1:] * u[:-1]) < 0)
        run = FATES[1] if flips else FATES[0]
    lam = np.linalg.eigvalsh(hessian_at(surface, start))
    factors = 1.0 - lr * lam
    if np.any(np.abs(factors) > 1.0):
        rule = FATES[2]
    elif np.any(factors < 0):
        rule = FATES[1]
    else:
        rule = FATES[0]
    text = ", ".join(_num(f, 3) for f in factors)
    return Solved(
        run,
        Check("fate", "the run", run, f"curvature rule (factors 1 − ηλ = {text})", rule, run == rule),
        {"lr": lr, "lam_max": float(lam.max()), "lr_max": 2.0 / float(lam.max()), "steps": traj.steps_taken},
    )


# -- Backprop ------------------------------------------------------------------------------------
def solve_largest_weight_gradient() -> Solved:
    """The weight of the article's XOR net (at initialization) with the largest |∂L/∂w|; check: numeric."""
    from core.network import TwoLayerNet, xor_data

    net = TwoLayerNet()
    X, y = xor_data()
    g = net.backward(X, y)
    n = net.numeric_gradients(X, y, 1e-6)
    names, a_vals, n_vals = weight_gradients(net, g, n)
    i = int(np.argmax(np.abs(a_vals)))
    j = int(np.argmax(np.abs(n_vals)))
    rel = finite_diff.relative_error(a_vals[i], n_vals[i])
    return Solved(
        names[i],
        Check(
            f"∂L/∂{names[i]}",
            "backprop",
            _num(a_vals[i]),
            "central differences",
            _num(n_vals[i]),
            i == j and rel < 1e-6,
            rel,
        ),
        {"value": float(a_vals[i]), "runner_up": float(np.sort(np.abs(a_vals))[-2])},
    )


def solve_output_gradient(row: int = 1) -> Solved:
    """∂L/∂a₂ for one XOR input (the article's L = ½·mean((a₂ − y)²)), at initialization;
    check: a central difference of the loss in that output alone."""
    from core.network import TwoLayerNet, xor_data

    net = TwoLayerNet()
    X, y = xor_data()
    a2 = np.asarray(net.forward(X), dtype=np.float64)
    m = a2.shape[0]
    value = float((a2[row, 0] - y[row, 0]) / m)

    def loss(v: np.ndarray) -> float:
        out = a2.copy()
        out[row, 0] = v
        return float(0.5 * np.mean((out - y) ** 2))

    numeric = float(finite_diff.derivative(loss, float(a2[row, 0]), h=1e-6, method="central"))
    rel = finite_diff.relative_error(value, numeric)
    return Solved(
        _num(value, 4),
        Check(
            f"∂L/∂a₂ for input {X[row].tolist()}",
            "(a₂ − y)/m",
            _num(value),
            "central difference of L",
            _num(numeric),
            rel < 1e-6,
            rel,
        ),
        {"value": value, "a2": float(a2[row, 0]), "y": float(y[row, 0]), "m": m},
    )


def weight_gradients(
    net,
    grads: Mapping[str, np.ndarray],
    numeric: Mapping[str, np.ndarray],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The weights' names (W1 then W2) with their backprop and numeric gradients, flattened."""
    names = [n for n in net.param_names() if n.startswith("W")]
    a = np.concatenate([np.ravel(grads["dW1"]), np.ravel(grads["dW2"])])
    b = np.concatenate([np.ravel(numeric["dW1"]), np.ravel(numeric["dW2"])])
    return names, a, b


def weight_names() -> list[str]:
    from core.network import TwoLayerNet

    return [n for n in TwoLayerNet().param_names() if n.startswith("W")]


# -- Jacobians -----------------------------------------------------------------------------------
ROW_SUMS: tuple[str, ...] = ("0", "1", "the softmax output sᵢ", "it depends on the input")


def solve_softmax_row_sums(n: int = 5, trials: int = 20, seed: int = 0) -> Solved:
    """Row sums of diag(s) − s sᵀ over random logits; check: the article's double loop."""
    from core.jacobians import softmax_jacobian, softmax_jacobian_loop

    rng = np.random.default_rng(seed)
    xs = rng.normal(0.0, 3.0, size=(trials, n))
    fast = np.array([softmax_jacobian(x).sum(axis=1) for x in xs])
    loop = np.array([np.asarray(softmax_jacobian_loop(x)).sum(axis=1) for x in xs])
    worst_fast, worst_loop = float(np.max(np.abs(fast))), float(np.max(np.abs(loop)))
    answer = ROW_SUMS[0] if worst_fast < 1e-12 else ROW_SUMS[3]
    return Solved(
        answer,
        Check(
            f"largest |row sum| over {trials} random inputs",
            "diag(s) − s sᵀ",
            f"{worst_fast:.1e}",
            "the double loop",
            f"{worst_loop:.1e}",
            max(worst_fast, worst_loop) < 1e-12,
        ),
        {"worst": worst_fast},
    )


# -- Autodiff ------------------------------------------------------------------------------------
AUTODIFF_NODES: tuple[str, ...] = ("w1", "w2", "x1", "x2")


def solve_autodiff_grad(node: str) -> Solved:
    """The grad of an input of the article's y = w1·x1 + w2·x2, L = y²; check: central differences."""
    from core.autodiff.examples import article_example, check

    problem = article_example()
    report = check(problem)
    row = next(r for r in report.rows if r.name == node)
    data = {v.label: float(v.data) for v in problem.inputs}
    y = data["w1"] * data["x1"] + data["w2"] * data["x2"]
    return Solved(
        _num(row.analytic),
        Check(
            f"∂L/∂{node}",
            "backward()",
            _num(row.analytic),
            "central difference",
            _num(row.numeric),
            row.level == "fine",
            row.rel_error,
        ),
        {"value": row.analytic, "y": y, "dL_dy": 2 * y, **data},
    )


# -- Activations ---------------------------------------------------------------------------------
SIGMOID_PEAKS: tuple[str, ...] = (
    "at x = 0, σ′ = 1/4",
    "at x = 0, σ′ = 1/2",
    "at x = 0, σ′ = 1",
    "as x → ∞, σ′ → 1",
    "at x = 1, σ′ = 1/4",
)


def solve_sigmoid_peak() -> Solved:
    """Where σ′ peaks and its value, from a fine grid; check: σ′(0) against a central difference."""
    from core.activations import sigmoid, sigmoid_grad

    xs = np.linspace(-10.0, 10.0, 20001)
    g = sigmoid_grad(xs)
    i = int(np.argmax(g))
    x_peak, peak = float(xs[i]), float(g[i])
    options = {opt: (0.0, 0.25) for opt in SIGMOID_PEAKS[:1]}
    options.update(
        {
            SIGMOID_PEAKS[1]: (0.0, 0.5),
            SIGMOID_PEAKS[2]: (0.0, 1.0),
            SIGMOID_PEAKS[3]: (math.inf, 1.0),
            SIGMOID_PEAKS[4]: (1.0, 0.25),
        }
    )
    answer = min(
        options,
        key=lambda o: (
            abs(options[o][0] - x_peak) + abs(options[o][1] - peak)
            if math.isfinite(options[o][0])
            else math.inf
        ),
    )
    numeric = float(finite_diff.derivative(sigmoid, 0.0, h=1e-5, method="central"))
    rel = finite_diff.relative_error(peak, numeric)
    return Solved(
        answer,
        Check("σ′(0)", "σ(0)(1 − σ(0))", _num(peak), "central difference", _num(numeric), rel < 1e-6, rel),
        {"x": x_peak, "peak": peak},
    )


# -- Losses --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def softmax_ce_samples(n: int = 120, k: int = 4, seed: int = 3) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Points (p = softmax(z), y one-hot, flattened) and core's ∂L/∂z at them, for the judge.

    Cached (the same sample serves every judgement); the arrays are read-only."""
    from core.jacobians import softmax
    from core.losses import softmax_cross_entropy_grad

    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, size=(n, k))
    y = np.eye(k)[rng.integers(0, k, size=n)]
    p = np.array([softmax(row) for row in z])
    grad = np.array([softmax_cross_entropy_grad(t, row) for t, row in zip(y, z, strict=True)])
    out = {"p": p.ravel(), "y": y.ravel()}, grad.ravel()
    for a in (*out[0].values(), out[1]):
        a.flags.writeable = False
    return out


def judge_softmax_ce(answer: str) -> Verdict:
    """A typed ∂L/∂z in p and y, against core.losses.softmax_cross_entropy_grad at sampled logits."""
    points, grad = softmax_ce_samples()
    return judge(
        answer,
        lambda **_: grad,
        {"p": (0.0, 1.0), "y": (0.0, 1.0)},
        what="∂L/∂z",
        points=points,
        also={"∂L/∂p (the gradient before the softmax), not ∂L/∂z": lambda p, y: -y / p},
    )


def solve_softmax_ce() -> Solved:
    """∂L/∂z = p − y; check: core's gradient against central differences of the loss, one example."""
    from core.jacobians import softmax
    from core.losses import softmax_cross_entropy, softmax_cross_entropy_grad

    z = np.array([2.0, 1.0, 0.1])
    y = np.array([1.0, 0.0, 0.0])
    a = np.asarray(softmax_cross_entropy_grad(y, z))
    n = np.asarray(finite_diff.gradient(lambda t: softmax_cross_entropy(y, t), z))
    rel = finite_diff.relative_error(a, n)
    p = softmax(z)
    return Solved(
        "p - y",
        Check(
            "∂L/∂z for z = (2, 1, 0.1), y = (1, 0, 0)",
            "softmax(z) − y",
            "(" + ", ".join(_num(v, 4) for v in a) + ")",
            "central differences",
            "(" + ", ".join(_num(v, 4) for v in n) + ")",
            rel < 1e-6,
            rel,
        ),
        {"p0": float(p[0])},
        latex="p - y",
    )


# -- Vanishing gradients -------------------------------------------------------------------------
MAGNITUDES: tuple[int, ...] = (-1, -3, -6, -13, -20)
"""Orders of magnitude offered for layer 1's gradient relative to the last layer's."""


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def magnitude_label(k: int) -> str:
    """'about 10⁻¹³' for k = −13."""
    return "about 10" + str(k).translate(_SUPERSCRIPT)


def solve_vanishing(depth: int = 20, activation: str = "sigmoid", init: str = "xavier") -> Solved:
    """‖∂L/∂W₁‖ / ‖∂L/∂W_L‖ through a deep stack; check: the largest layer-1 entry by finite differences."""
    from core.gradient_check import flow_weight_check
    from core.gradient_flow import gradient_flow

    flow = gradient_flow(depth=depth, activation=activation, init=init)
    norms = flow.weight_grad_norms
    ratio = float(norms[0] / norms[-1])
    log = math.log10(ratio) if ratio > 0 else -math.inf
    k = min(MAGNITUDES, key=lambda m: abs(m - log))
    # Layer 1's gradient is below what differences of the loss can resolve; check the layer
    # closest to the input that they can (core picks it), so backprop's numbers are vouched for.
    report = flow_weight_check(flow)
    wc = report.rows[0]
    layer = int(wc.group[1:])
    return Solved(
        magnitude_label(k),
        Check(
            f"largest ∂L/∂W entry of layer {layer}",
            "backprop",
            _num(wc.analytic, 4),
            "central difference",
            _num(wc.numeric, 4),
            report.reliable and wc.rel_error < 1e-4,
            wc.rel_error,
        ),
        {"ratio": ratio, "log10": log, "bound": 0.25**depth, "depth": depth, "layer": layer},
    )


# -- Gradient checking ---------------------------------------------------------------------------
BUG_GROUPS: tuple[str, ...] = ("W1 and b1", "W1 only", "W2 and b2", "all four: W1, b1, W2, b2")


def solve_planted_bug(bug: str) -> Solved:
    """Which parameter arrays a planted bug corrupts, measured by gradient checking; check: the bug's
    declared ``affects``."""
    from core.gradient_check import check_gradient, network_problem
    from core.network import TwoLayerNet, xor_data
    from core.planted_bugs import BUGS

    X, y = xor_data()
    report = check_gradient(network_problem(TwoLayerNet(), X, y, bug))
    measured = tuple(report.affected_groups)
    declared = tuple(BUGS[bug].affects)
    answer = _groups_label(measured)
    worst = report.worst
    return Solved(
        answer,
        Check(
            "arrays flagged 'bug'",
            "gradient check",
            ", ".join(measured) or "none",
            "the bug's own description",
            ", ".join(declared) or "none",
            set(measured) == set(declared),
        ),
        {"worst_rel": worst.rel_error},
    )


def _groups_label(groups: tuple[str, ...]) -> str:
    key = set(groups)
    for label, want in zip(
        BUG_GROUPS, ({"W1", "b1"}, {"W1"}, {"W2", "b2"}, {"W1", "b1", "W2", "b2"}), strict=True
    ):
        if key == want:
            return label
    return ", ".join(groups) or "none"


# -- Playground ----------------------------------------------------------------------------------
CIRCLE_FATES: tuple[str, ...] = ("yes: above 95 %", "no: far below 95 %")


def solve_no_hidden_layer(epochs: int = 300, lr: float = 1.0, seed: int = 0) -> Solved:
    """Can a network with no hidden layer (one sigmoid unit) classify circles? Trained by core.mlp;
    check: the same data and training with one hidden layer of 6 tanh units, which must succeed."""
    from core.datasets import make_dataset
    from core.mlp import MLP

    data = make_dataset("circles", n=200, noise=0.1, seed=seed)
    accs = []
    for sizes in ((2, 1), (2, 6, 1)):
        net = MLP(list(sizes), activation="tanh", loss="ce", init="xavier", seed=seed)
        net.train(data.X_train, data.y_train, epochs, lr)
        accs.append(net.accuracy(data.X_test, data.y_test))
    flat, hidden = accs
    answer = CIRCLE_FATES[0] if flat >= 0.95 else CIRCLE_FATES[1]
    return Solved(
        answer,
        Check(
            "test accuracy",
            "no hidden layer",
            f"{flat:.0%}",
            "one hidden layer of 6",
            f"{hidden:.0%}",
            flat < 0.95 <= hidden,
        ),
        {"flat": float(flat), "hidden": float(hidden), "epochs": float(epochs)},
    )
