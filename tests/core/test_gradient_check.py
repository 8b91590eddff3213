"""core.gradient_check: the per-parameter check, the ε sweep, planted bugs caught, and the deep-stack check."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import gradient_check as gc
from core.activations import ACTIVATIONS
from core.expression import parse
from core.gradient_flow import PRESETS, gradient_flow
from core.mlp import parse_param_name
from core.network import LOSS_CHOICES, TwoLayerNet, xor_data
from core.planted_bugs import BUGS

X, Y = xor_data()
REAL_BUGS = [k for k in BUGS if k != "none"]


# -- levels and the generic check -------------------------------------------------------------
@pytest.mark.parametrize(
    ("err", "level"),
    [
        (0.0, "fine"),
        (9.9e-8, "fine"),
        (1e-7, "suspicious"),
        (1e-4, "suspicious"),
        (1.01e-4, "bug"),
        (1.0, "bug"),
        (math.nan, "bug"),
        (math.inf, "bug"),
    ],
)
def test_level_of(err, level):
    assert gc.level_of(err) == level


def test_check_gradient_rows_match_a_known_gradient():
    # f(θ) = θ0² + 3θ0θ1, ∇f = (2θ0 + 3θ1, 3θ0)
    theta = np.array([1.5, -2.0])

    def f(t):
        return float(t[0] * t[0] + 3 * t[0] * t[1])

    problem = gc.CheckProblem(("a", "b"), ("a", "b"), theta, f, np.array([2 * 1.5 + 3 * -2.0, 3 * 1.5]))
    report = gc.check_gradient(problem, 1e-5)
    assert [r.name for r in report.rows] == ["a", "b"]
    assert report.level == "fine" and report.affected == ()
    assert report.worst.score < 1e-9 and report.overall < 1e-9
    wrong = gc.CheckProblem(("a", "b"), ("a", "b"), theta, f, np.array([-3.0, 4.0]))  # b is off by 0.5
    report = gc.check_gradient(wrong, 1e-5)
    assert report.affected == ("b",) and report.level == "bug"
    assert report.worst.name == "b"


def test_zero_gradients_are_not_false_positives():
    # sin at π/2: the true derivative is 0, the analytic value 6e-17 and the numeric one round-off.
    expr = parse("sin(x) + y", ("x", "y"))
    report = gc.check_gradient(gc.expression_problem(expr, {"x": math.pi / 2, "y": 0.3}), 1e-6)
    row = report.rows[0]
    assert row.rel_error > 1e-3, "the raw relative error of a zero gradient is meaningless"
    assert row.score == 0.0 and row.level == "fine" and "round-off" in row.note
    assert report.level == "fine"


def test_check_rejects_bad_steps():
    problem = gc.softmax_ce_problem([0.1, 0.2], 0)
    for h in (0.0, -1e-6, math.nan, math.inf):
        with pytest.raises(ValueError):
            gc.check_gradient(problem, h)


# -- the three problems -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "x**2*y + sin(y*z)",
        "exp(-x) * tanh(y) / (1 + z**2)",
        "sigmoid(x*y*z)",
        "log(1 + x**2) + sqrt(y**2 + 1) * z",
        "x",
    ],
)
def test_expression_symbolic_derivative_passes(text):
    expr = parse(text, ("x", "y", "z"))
    problem = gc.expression_problem(expr, {"x": 0.7, "y": -1.2, "z": 0.4}, expr.used_variables)
    report = gc.check_gradient(problem, 1e-6)
    assert [r.name for r in report.rows] == list(expr.used_variables)
    assert report.level == "fine", [(r.name, r.rel_error) for r in report.rows]


def test_expression_outside_its_domain_is_nan_without_warnings():
    expr = parse("log(x) + y", ("x", "y"))
    problem = gc.expression_problem(expr, {"x": -1.0, "y": 0.0})
    assert math.isnan(problem.value())
    report = gc.check_gradient(problem, 1e-6)  # must not warn (warnings are errors here)
    assert report.rows[0].level == "bug"  # NaN is never 'fine'


@pytest.mark.parametrize("scale", [0.1, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("which", gc.TARGETS)
def test_softmax_ce_p_minus_y_passes(scale, which):
    z = gc.softmax_ce_logits(6, scale, seed=3)
    target = gc.softmax_ce_target(z, which)
    assert target == (int(np.argmax(z)) if which == "largest" else int(np.argmin(z)))
    report = gc.check_gradient(gc.softmax_ce_problem(z, target), 1e-6)
    assert sum(r.analytic for r in report.rows) == pytest.approx(0.0, abs=1e-12)  # Σ(p − y) = 0
    if scale <= 1.0:
        assert report.level == "fine" and report.overall < 1e-7
    else:  # saturating: the small p − y entries meet round-off — suspicious at worst, never a 'bug'
        assert report.level in ("fine", "suspicious") and report.overall < 1e-5


def test_softmax_ce_saturated_right_answer_is_all_round_off():
    z = gc.softmax_ce_logits(5, 100.0, seed=0)
    report = gc.check_gradient(gc.softmax_ce_problem(z, gc.softmax_ce_target(z, "largest")), 1e-6)
    assert report.level == "fine"
    assert all(r.score == 0.0 for r in report.rows)
    assert any(r.note for r in report.rows)


def test_network_problem_names_every_parameter():
    net = TwoLayerNet()
    problem = gc.network_problem(net, X, Y)
    assert problem.names == tuple(net.param_names())
    assert set(problem.groups) == {"W1", "b1", "W2", "b2"}
    assert problem.value() == pytest.approx(net.loss(X, Y))
    np.testing.assert_allclose(
        problem.numeric(1e-6),
        np.concatenate([net.numeric_gradients(X, Y, 1e-6)[k].ravel() for k in ("dW1", "db1", "dW2", "db2")]),
    )
    # the generic central differences over the flat vector agree with the net's own
    generic = gc.CheckProblem(problem.names, problem.groups, problem.theta, problem.f, problem.analytic)
    np.testing.assert_allclose(generic.numeric(1e-6), problem.numeric(1e-6), rtol=1e-7, atol=1e-12)


def test_network_problem_leaves_the_net_alone():
    net = TwoLayerNet()
    before = net.params()
    for bug in BUGS:
        gc.check_gradient(gc.network_problem(net, X, Y, bug), 1e-6)
    for k, v in net.params().items():
        np.testing.assert_array_equal(v, before[k])


# -- planted bugs caught (the bugs themselves: test_planted_bugs.py) ----------------------------
@pytest.mark.parametrize("loss", LOSS_CHOICES)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_no_bug_no_false_positive(activation, loss):
    report = gc.check_gradient(gc.network_problem(TwoLayerNet(activation=activation, loss=loss), X, Y), 1e-6)
    assert report.level == "fine" and report.affected == ()
    assert report.worst.score < 1e-7


@pytest.mark.parametrize("loss", LOSS_CHOICES)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("bug", REAL_BUGS)
def test_each_bug_is_caught_exactly_where_it_is(bug, activation, loss):
    report = gc.check_gradient(
        gc.network_problem(TwoLayerNet(activation=activation, loss=loss), X, Y, bug), 1e-6
    )
    assert report.level == "bug"
    assert set(report.affected_groups) == set(BUGS[bug].affects)
    # the arrays the bug does not touch still pass
    for row in report.rows:
        if row.group not in BUGS[bug].affects:
            assert row.level == "fine", row


@pytest.mark.parametrize("bug", REAL_BUGS)
def test_bugs_are_caught_at_every_reasonable_step(bug):
    problem = gc.network_problem(TwoLayerNet(), X, Y, bug)
    for h in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        assert gc.check_gradient(problem, h).level == "bug"


def test_unknown_bug_is_refused():
    with pytest.raises(ValueError):
        gc.network_problem(TwoLayerNet(), X, Y, "typo")


def test_relu_kink_at_the_xor_origin_is_flagged_not_hidden():
    # z1 = b1 = 0 exactly for the input (0, 0): ReLU'(0) = 0 by convention, the central difference gives ½.
    net = TwoLayerNet(activation="relu")
    report = gc.check_gradient(gc.network_problem(net, X, Y), 1e-6)
    assert report.affected_groups == ("b1",)
    kinks = gc.relu_kinks(net, X, 1e-6)
    assert kinks == (0, 1, 2)  # every hidden unit sees z1 = 0 on the input (0, 0)
    assert {f"b1[{j}]" for j in kinks} >= set(report.affected)
    assert gc.relu_kinks(TwoLayerNet(), X, 1e-6) == ()


# -- the ε sweep ------------------------------------------------------------------------------
def test_sweep_is_a_v():
    hs = np.logspace(-1, -12, 23)
    sweep = gc.sweep_steps(gc.network_problem(TwoLayerNet(), X, Y), hs)
    assert sweep.overall.shape == hs.shape and sweep.worst.shape == hs.shape
    best = int(np.argmin(sweep.overall))
    assert 1e-7 <= sweep.best_h <= 1e-4
    assert sweep.best_error == sweep.overall[best] < 1e-9
    assert sweep.overall[0] > 100 * sweep.overall[best]  # truncation on the right (large ε)
    assert sweep.overall[-1] > 100 * sweep.overall[best]  # round-off on the left (tiny ε)
    # truncation: error ∝ ε², two decades per decade of ε
    assert sweep.overall[0] / sweep.overall[2] == pytest.approx(100.0, rel=0.2)


def test_sweep_with_a_bug_is_flat():
    sweep = gc.sweep_steps(gc.network_problem(TwoLayerNet(), X, Y, "forget_m"), np.logspace(-2, -9, 8))
    assert np.all(sweep.overall > 0.5)
    assert sweep.best_error > gc.SUSPICIOUS


# -- deep stacks -----------------------------------------------------------------------------------
def _flow_row(check):
    """The one row of a stack check, with its layer and (i, j)."""
    row = check.rows[0]
    return row, int(row.group[1:]), parse_param_name(row.name)[1]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_flow_check_agrees_on_every_preset(preset):
    flow = gradient_flow(**PRESETS[preset].kwargs)
    check = gc.flow_weight_check(flow)
    row, layer, index = _flow_row(check)
    assert isinstance(check, gc.CheckReport) and len(check.rows) == 1
    assert gc.level_of(row.rel_error) == "fine", check
    assert check.reliable
    np.testing.assert_allclose(row.analytic, flow.weight_grads[layer - 1][index])


def test_flow_check_skips_layers_below_round_off():
    flow = gradient_flow(**PRESETS["vanishing"].kwargs)
    check = gc.flow_weight_check(flow)
    _, layer, _ = _flow_row(check)
    assert layer > 1 and len(check.skipped) == layer - 1
    assert check.skipped == tuple(f"W{k}" for k in range(1, layer))
    assert check.skipped_max < 1e-20
    forced = gc.flow_weight_check(flow, layer=1)  # ~1e-26 cannot be measured by differences
    row, layer, _ = _flow_row(forced)
    assert layer == 1 and gc.level_of(row.rel_error) != "fine"


@pytest.mark.parametrize(
    ("activation", "init"),
    [("sigmoid", "xavier"), ("relu", "he"), ("tanh", "small"), ("gelu", "xavier"), ("softplus", "he")],
)
@pytest.mark.parametrize("residual", [False, True])
def test_flow_check_across_settings(activation, init, residual):
    flow = gradient_flow(depth=12, width=16, activation=activation, init=init, residual=residual)
    check = gc.flow_weight_check(flow)
    assert gc.level_of(check.rows[0].rel_error) == "fine", check


def test_flow_check_chaotic_regime_is_marked_unreliable():
    flow = gradient_flow(depth=50, width=64, activation="tanh", init="large", std=1.0)
    check = gc.flow_weight_check(flow)
    if gc.level_of(check.rows[0].rel_error) != "fine":
        assert not check.reliable


def test_flow_check_bad_layer():
    flow = gradient_flow(depth=3, width=4)
    with pytest.raises(ValueError):
        gc.flow_weight_check(flow, layer=4)


@pytest.mark.parametrize("c", [1.0, 1e4])
def test_correct_small_components_next_to_a_large_f_are_not_rejected(c):
    """f = c + |x|²/2 has the exact gradient x; the FD noise is about ε·c/h, not a bug (issue 11)."""
    theta = np.array([1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5])
    problem = gc.CheckProblem(
        names=tuple(f"x{i}" for i in range(6)),
        groups=("x",) * 6,
        theta=theta,
        f=lambda v: c + 0.5 * float(v @ v),
        analytic=theta.copy(),
    )
    report = gc.check_gradient(problem, h=1e-6)
    assert report.affected == (), [(r.name, r.rel_error, r.note) for r in report.rows]  # no "bug" verdict
    assert all(r.note for r in report.rows if r.rel_error > gc.SUSPICIOUS)  # the report says why


def test_a_wrong_small_component_is_still_a_bug_when_finite_differences_can_resolve_it():
    theta = np.array([1.0, 1e-1, 1e-2])
    wrong = theta.copy()
    wrong[2] = 2e-2  # off by 1e-2, far above the round-off level ε·1e4/1e-6 ≈ 2e-5
    problem = gc.CheckProblem(
        names=("a", "b", "c"),
        groups=("x",) * 3,
        theta=theta,
        f=lambda v: 1e4 + 0.5 * float(v @ v),
        analytic=wrong,
    )
    report = gc.check_gradient(problem, h=1e-6)
    assert report.affected == ("c",)


# -- check_function: a hand-written gradient of f at x (formerly finite_diff.gradient_check) ----------


def _bowl(w):
    return w[0] ** 2 + 2 * w[1] ** 2  # the article's GradientDemo loss


def test_check_function_passes_a_correct_gradient():
    check = gc.check_function(_bowl, lambda w: np.array([2 * w[0], 4 * w[1]]), np.array([4.0, 3.0]))
    assert isinstance(check, gc.CheckReport) and check.h == 1e-7  # the article's epsilon
    assert check.level == "fine"
    assert max(r.rel_error for r in check.rows) < 1e-7 and check.overall < 1e-7
    np.testing.assert_allclose([r.numeric for r in check.rows], [8.0, 12.0], rtol=1e-6)


def test_check_function_flags_a_wrong_gradient():
    wrong = gc.check_function(_bowl, lambda w: np.array([2 * w[0], 2 * w[1]]), np.array([4.0, 3.0]))
    assert wrong.level == "bug"
    assert wrong.worst.name == "θ[1]"
    assert wrong.rows[0].rel_error < 1e-7 and wrong.rows[1].rel_error > 0.1


def test_check_function_on_matrix_parameters_and_shape_mismatch():
    W = np.arange(1.0, 7.0).reshape(2, 3)
    check = gc.check_function(lambda m: np.sum(m**3), lambda m: 3 * m**2, W)
    assert [r.name for r in check.rows][:2] == ["θ[0, 0]", "θ[0, 1]"] and len(check.rows) == 6
    assert check.level == "fine"
    with pytest.raises(ValueError):
        gc.check_function(lambda m: np.sum(m), lambda m: np.ones(2), W)


def test_network_problem_checks_any_mlp_and_chosen_parameters():
    from core.mlp import MLP

    net = MLP([2, 4, 3, 2], ["tanh", "relu"], "ce", init="he", seed=3, l2=0.01)
    Xr = np.random.default_rng(0).normal(size=(6, 2))
    labels = np.array([0, 1, 1, 0, 1, 0])
    report = net.gradient_check(Xr, labels)
    assert [r.name for r in report.rows] == net.param_names()
    assert report.level == "fine"
    one = net.gradient_check(Xr, labels, params=["W2[1,2]"]).rows[0]
    assert one.name == "W2[1,2]" and one.analytic == net.backward(Xr, labels)["dW2"][1, 2]
    assert one.numeric == net.numeric_gradient(Xr, labels, "W2[1,2]", 1e-6)


# -- an activation's f′ on a plotting grid (the Activations page's check) --------------------------


def _grid(half_width: float, n: int = 300) -> np.ndarray:
    return np.linspace(-half_width, half_width, n)  # n even: 0 is never a grid point (no kink)


def _param_sets(key):
    """No hyperparameters, then each one at both ends of its range."""
    out = [{}]
    for name, (_, lo, hi) in ACTIVATIONS[key].params.items():
        out += [{name: lo}, {name: hi}]
    return out


def _saturated(report):
    return sum(r.note == gc.SATURATED_NOTE for r in report.rows)


@pytest.mark.parametrize("key", list(ACTIVATIONS))
@pytest.mark.parametrize("half_width", [2.0, 8.0, 20.0])
def test_activation_check_is_green_on_plot_grids(key, half_width):
    act = ACTIVATIONS[key]
    for params in _param_sets(key):
        report = gc.activation_check(act, _grid(half_width), **params)
        c = report.worst
        assert c.score < 1e-7, (key, params, c)
        assert len(report.rows) == 300 and 0 <= _saturated(report) < 300
        assert c.numeric == pytest.approx(c.analytic, rel=1e-6, abs=1e-9)


def test_activation_check_catches_a_wrong_derivative():
    from dataclasses import replace

    from core.activations import sigmoid

    bad = replace(ACTIVATIONS["sigmoid"], grad=sigmoid)  # f instead of f′
    assert gc.activation_check(bad, _grid(5.0)).worst.score > 0.1


def test_activation_check_reports_the_kink_when_the_grid_hits_it():
    # A point exactly at 0: the central difference straddles both slopes of ReLU (0.5 vs 0).
    c = gc.activation_check(ACTIVATIONS["relu"], np.linspace(-1.0, 1.0, 201)).worst
    assert c.value == 0.0 and c.analytic == 0.0 and c.numeric == pytest.approx(0.5)
    assert c.score == pytest.approx(1.0)


def test_saturated_tails_are_measured_against_the_peak_not_against_f_prime():
    # tanh′(20) ≈ 1.7e-17: the difference quotient is pure round-off there, yet small next to the peak.
    report = gc.activation_check(ACTIVATIONS["tanh"], _grid(20.0))
    assert _saturated(report) > 200 and report.worst.score < 1e-7
