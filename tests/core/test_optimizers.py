"""Tests for core.optimizers: hand-computed steps, the article's GradientDemo, divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.optimizers import (
    LOSS_BOUND_FACTOR,
    MAX_STEPS,
    OPTIMIZERS,
    POINT_BOUND,
    OptimizerSpec,
    Trajectory,
    descend,
    get_optimizer,
    last_inside,
    loss_gap,
    min_loss,
    step_view,
)
from core.surfaces import SURFACES

OPT_KEYS = list(OPTIMIZERS)
SURF_KEYS = list(SURFACES)


def check_invariants(tr: Trajectory, steps: int) -> None:
    """Shapes, finiteness, read-only arrays, and points/losses/grads/updates agreeing."""
    s = SURFACES[tr.surface]
    k = tr.steps_taken
    assert tr.points.shape == (k + 1, 2) and tr.grads.shape == (k + 1, 2)
    assert tr.losses.shape == (k + 1,) and tr.updates.shape == (k, 2)
    for a in (tr.points, tr.losses, tr.grads, tr.updates, *tr.states.values()):
        assert np.all(np.isfinite(a)) and not a.flags.writeable
    for a in tr.states.values():
        assert a.shape == (k, 2)
    np.testing.assert_array_equal(tr.points[1:], tr.points[:-1] + tr.updates)
    # descend evaluates point by point: bit-for-bit what the vectorized call gives
    np.testing.assert_array_equal(tr.grads, s.grad(tr.points.T).T)
    np.testing.assert_array_equal(tr.losses, s.value(tr.points.T))
    if tr.diverged_at is None:
        assert k == steps
    else:
        assert k in (tr.diverged_at, tr.diverged_at - 1) and tr.diverged_at <= steps


# ---------------------------------------------------------------------------------------------
# registry


def test_registry_keys_in_order():
    required = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
    assert [k for k in OPT_KEYS if k in required] == required  # DESIGN's optimizers; more may follow


@pytest.mark.parametrize("key", OPT_KEYS)
def test_spec_metadata(key):
    spec = OPTIMIZERS[key]
    assert spec.key == key and get_optimizer(key) is spec and get_optimizer(spec) is spec
    assert spec.name and spec.formula and spec.description and spec.default_lr > 0
    assert r"\theta_{t+1}" in spec.formula
    for name, h in spec.hyper.items():
        assert h.lo <= h.default <= h.hi and h.symbol and h.step > 0
        assert h.validate(name, h.default) == h.default
    assert spec.defaults() == {n: h.default for n, h in spec.hyper.items()}
    hash(spec)


def test_hyperparameter_names():
    assert {k: list(OPTIMIZERS[k].hyper) for k in ("sgd", "momentum", "nesterov", "rmsprop", "adam")} == {
        "sgd": [],
        "momentum": ["beta"],
        "nesterov": ["beta"],
        "rmsprop": ["beta", "eps"],
        "adam": ["beta1", "beta2", "eps"],
    }


def test_unknown_optimizer_lists_choices():
    with pytest.raises(KeyError, match="adam"):
        get_optimizer("lion")


# ---------------------------------------------------------------------------------------------
# every optimizer descends


@pytest.mark.parametrize("key", OPT_KEYS)
def test_each_optimizer_lowers_the_loss_on_the_bowl(key):
    tr = descend("bowl", key, (4.0, 3.0), lr=0.01, steps=200)
    check_invariants(tr, 200)
    assert tr.diverged_at is None
    assert tr.final_loss < 0.5 * tr.losses[0]
    assert tr.losses[1] < tr.losses[0]


@pytest.mark.parametrize("key", OPT_KEYS)
@pytest.mark.parametrize("surface", SURF_KEYS)
def test_invariants_on_every_surface_with_default_settings(key, surface):
    s, spec = SURFACES[surface], OPTIMIZERS[key]
    tr = descend(s, spec, s.default_start, lr=spec.default_lr / 20, steps=100)
    check_invariants(tr, 100)
    assert (tr.surface, tr.optimizer, tr.lr, tr.hyper) == (
        surface,
        key,
        spec.default_lr / 20,
        spec.defaults(),
    )


def test_sgd_update_is_minus_lr_times_gradient():
    tr = descend("rosenbrock", "sgd", (-1.2, 1.0), lr=1e-3, steps=20)
    np.testing.assert_array_equal(tr.updates, -1e-3 * tr.grads[:-1])
    assert tr.states == {}


# ---------------------------------------------------------------------------------------------
# first steps by hand: bowl L = w1² + 2 w2², ∇L = (2 w1, 4 w2), start (4, 3), lr 0.1


def test_momentum_first_two_steps_by_hand():
    # v ← 0.9 v + ∇L;  θ ← θ − 0.1 v
    # step 1: ∇L(4, 3) = (8, 12);  v1 = (8, 12);  θ1 = (4 − 0.8, 3 − 1.2) = (3.2, 1.8)
    # step 2: ∇L(3.2, 1.8) = (6.4, 7.2);  v2 = (0.9·8 + 6.4, 0.9·12 + 7.2) = (13.6, 18.0)
    #         θ2 = (3.2 − 1.36, 1.8 − 1.8) = (1.84, 0.0)
    tr = descend("bowl", "momentum", (4.0, 3.0), lr=0.1, steps=2, beta=0.9)
    np.testing.assert_allclose(tr.points, [[4.0, 3.0], [3.2, 1.8], [1.84, 0.0]], atol=1e-14)
    np.testing.assert_allclose(tr.states["v"], [[8.0, 12.0], [13.6, 18.0]], atol=1e-13)
    np.testing.assert_allclose(tr.grads[:2], [[8.0, 12.0], [6.4, 7.2]], atol=1e-14)


def test_nesterov_first_two_steps_by_hand():
    # v ← 0.9 v + ∇L;  θ ← θ − 0.1 (∇L + 0.9 v)
    # step 1: v1 = (8, 12);  θ1 = (4, 3) − 0.1·1.9·(8, 12) = (2.48, 0.72)
    # step 2: ∇L = (4.96, 2.88);  v2 = (7.2 + 4.96, 10.8 + 2.88) = (12.16, 13.68)
    #         θ2 = (2.48 − 0.1·(4.96 + 10.944), 0.72 − 0.1·(2.88 + 12.312)) = (0.8896, −0.7992)
    tr = descend("bowl", "nesterov", (4.0, 3.0), lr=0.1, steps=2)
    np.testing.assert_allclose(tr.points, [[4.0, 3.0], [2.48, 0.72], [0.8896, -0.7992]], atol=1e-14)


def test_rmsprop_first_step_by_hand():
    # s1 = 0.1·(64, 144) = (6.4, 14.4);  Δθ = −0.1·(8/√6.4, 12/√14.4) = −0.1·(√10, √10) = −(√0.1, √0.1)
    tr = descend("bowl", "rmsprop", (4.0, 3.0), lr=0.1, steps=1, eps=1e-300)
    np.testing.assert_allclose(tr.points[1], [4.0 - math.sqrt(0.1), 3.0 - math.sqrt(0.1)], rtol=1e-15)


def test_adam_first_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    # step 1 (t = 1): g0 = ∇L(4, 3) = (8, 12)
    m1 = ((1 - b1) * 8, (1 - b1) * 12)  # (0.8, 1.2)
    v1 = ((1 - b2) * 8**2, (1 - b2) * 12**2)  # (0.064, 0.144)
    mh1 = (m1[0] / (1 - b1), m1[1] / (1 - b1))  # bias-corrected: (8, 12)
    vh1 = (v1[0] / (1 - b2), v1[1] / (1 - b2))  # (64, 144)
    th1 = (4 - lr * mh1[0] / (math.sqrt(vh1[0]) + eps), 3 - lr * mh1[1] / (math.sqrt(vh1[1]) + eps))
    # ≈ (3.9, 2.9): the first Adam step has size η in each coordinate
    assert th1 == pytest.approx((3.9, 2.9), abs=1e-9)
    # step 2 (t = 2): g1 = ∇L(θ1) = (2·θ1[0], 4·θ1[1]) ≈ (7.8, 11.6)
    g1 = (2 * th1[0], 4 * th1[1])
    m2 = (b1 * m1[0] + (1 - b1) * g1[0], b1 * m1[1] + (1 - b1) * g1[1])  # ≈ (1.5, 2.24)
    v2 = (b2 * v1[0] + (1 - b2) * g1[0] ** 2, b2 * v1[1] + (1 - b2) * g1[1] ** 2)  # ≈ (0.124776, 0.278416)
    mh2 = (m2[0] / (1 - b1**2), m2[1] / (1 - b1**2))  # ÷ 0.19
    vh2 = (v2[0] / (1 - b2**2), v2[1] / (1 - b2**2))  # ÷ 0.001999
    th2 = (
        th1[0] - lr * mh2[0] / (math.sqrt(vh2[0]) + eps),
        th1[1] - lr * mh2[1] / (math.sqrt(vh2[1]) + eps),
    )
    assert th2 == pytest.approx((3.8000740, 2.8001027), abs=1e-7)

    tr = descend("bowl", "adam", (4.0, 3.0), lr=lr, steps=2, beta1=b1, beta2=b2, eps=eps)
    np.testing.assert_allclose(tr.points, [[4.0, 3.0], th1, th2], rtol=1e-14)
    np.testing.assert_allclose(tr.states["m"], [m1, m2], rtol=1e-13)
    np.testing.assert_allclose(tr.states["v"], [v1, v2], rtol=1e-13)


# ---------------------------------------------------------------------------------------------
# the article's GradientDemo and the stability limit lr < 2/λmax = 0.5


def test_article_gradient_demo_closed_form():
    # θ_{t+1} = θ_t − 0.1·(2 w1, 4 w2) = (0.8 w1, 0.6 w2)  ⇒  θ_50 = (4·0.8^50, 3·0.6^50)
    tr = descend("bowl", "sgd", (4.0, 3.0), lr=0.1, steps=50)
    expected = np.array([4 * 0.8**50, 3 * 0.6**50])
    assert expected == pytest.approx([5.7e-05, 2.4e-11], rel=0.02)
    np.testing.assert_allclose(tr.final_point, expected, rtol=1e-12)
    assert tr.final_loss == pytest.approx(expected[0] ** 2 + 2 * expected[1] ** 2, rel=1e-12)
    assert tr.diverged_at is None and tr.steps_taken == 50


def test_gd_converges_just_below_the_stability_limit():
    # lr 0.49: factors 1 − 2·0.49 = 0.02 (w1) and 1 − 4·0.49 = −0.96 (w2): both below 1 in size
    tr = descend("bowl", "sgd", (4.0, 3.0), lr=0.49, steps=500)
    assert tr.diverged_at is None
    assert np.all(np.diff(tr.losses) < 0)
    t = np.arange(501)
    closed = 16 * 0.0004**t + 18 * 0.9216**t  # 4²·0.02^(2t) + 2·3²·0.96^(2t)
    np.testing.assert_allclose(tr.losses, closed, rtol=1e-9)
    assert tr.final_loss < 1e-15
    assert tr.converged(tol=1e-6)


def test_gd_diverges_just_above_the_stability_limit_at_the_predicted_step():
    # lr 0.51: θ_t = (4·(−0.02)^t, 3·(−1.04)^t), L_t = 16·0.0004^t + 18·1.0816^t.
    # The run stops at the first t with |L_t| > LOSS_BOUND_FACTOR·(1 + L_0), L_0 = 34,
    # unless |w| > POINT_BOUND comes first (it does not: 3·1.04^t reaches 1e6 only at t ≈ 325).
    bound = LOSS_BOUND_FACTOR * (1 + 34.0)
    # 18·1.0816^t > bound  ⇔  t > ln(bound/18)/ln(1.0816) ≈ 184.6  (the w1 term is < 1e-600)
    t_star = math.floor(math.log(bound / 18) / math.log(1.0816)) + 1
    assert t_star == 185

    def loss(t):
        return 16 * 0.0004**t + 18 * 1.0816**t

    assert loss(t_star - 1) < 0.99 * bound < bound < 1.01 * bound < loss(t_star)  # not a near tie
    assert 3 * 1.04**t_star < POINT_BOUND

    tr = descend("bowl", "sgd", (4.0, 3.0), lr=0.51, steps=1000)
    check_invariants(tr, 1000)
    assert tr.diverged_at == t_star
    assert tr.steps_taken == t_star  # the offending point is finite, so it is stored
    np.testing.assert_allclose(
        tr.final_point, [4 * (-0.02) ** t_star, 3 * (-1.04) ** t_star], rtol=1e-10, atol=1e-300
    )
    assert tr.final_loss > bound and tr.losses[-2] <= bound
    assert not tr.converged()


# ---------------------------------------------------------------------------------------------
# extremes: no warnings (pytest turns them into errors), divergence reported


@pytest.mark.parametrize("key", ["sgd", "momentum", "nesterov"])
@pytest.mark.parametrize("surface", SURF_KEYS)
def test_huge_learning_rate_diverges_quietly(key, surface):
    tr = descend(surface, key, SURFACES[surface].default_start, lr=1e3, steps=1000)
    check_invariants(tr, 1000)
    assert tr.diverged_at is not None and tr.diverged_at < 50


@pytest.mark.parametrize("key", ["rmsprop", "adam"])
@pytest.mark.parametrize("surface", SURF_KEYS)
def test_huge_learning_rate_with_adaptive_steps_stays_finite(key, surface):
    # steps are ≈ η in size whatever the gradient, so these may wander without blowing up
    tr = descend(surface, key, SURFACES[surface].default_start, lr=1e3, steps=300)
    check_invariants(tr, 300)


@pytest.mark.parametrize("key", OPT_KEYS)
def test_astronomical_learning_rate_drops_the_unrepresentable_step(key):
    tr = descend("rosenbrock", key, (-1.2, 1.0), lr=1e300, steps=10)
    check_invariants(tr, 10)
    assert tr.diverged_at == 1 and tr.steps_taken == 0  # θ_1's loss overflows: not stored


def test_start_beyond_the_bound_is_diverged_at_step_zero():
    tr = descend("bowl", "adam", (1e7, 0.0), lr=0.1, steps=10)
    assert tr.diverged_at == 0 and tr.steps_taken == 0
    np.testing.assert_array_equal(tr.points, [[1e7, 0.0]])
    check_invariants(tr, 10)


def test_far_start_on_a_quartic_diverges_at_step_one():
    tr = descend("rosenbrock", "sgd", (1e5, 1e5), lr=1e-3, steps=10)
    check_invariants(tr, 10)
    assert tr.diverged_at == 1


def test_start_whose_loss_overflows_is_rejected():
    with pytest.raises(ValueError, match="too far out"):
        descend("himmelblau", "sgd", (1e100, 0.0), lr=0.1, steps=10)


def test_saddle_escapes_along_w2_and_is_stopped():
    tr = descend("saddle", "sgd", (2.5, 0.05), lr=0.1, steps=1000)
    check_invariants(tr, 1000)
    assert tr.diverged_at is not None and tr.final_loss < -1e6  # |L| bound: the loss runs to −∞
    # started exactly on the w1 axis it slides into the saddle point and "converges" there
    on_axis = descend("saddle", "sgd", (2.5, 0.0), lr=0.1, steps=300)
    assert on_axis.converged() and on_axis.final_point == pytest.approx((0.0, 0.0), abs=1e-20)


@settings(max_examples=60, deadline=None)
@given(
    surface=st.sampled_from(SURF_KEYS),
    key=st.sampled_from(OPT_KEYS),
    log_lr=st.floats(min_value=-6, max_value=6),
    u1=st.floats(min_value=0, max_value=1),
    u2=st.floats(min_value=0, max_value=1),
)
def test_any_learning_rate_and_start_gives_a_clean_trajectory(surface, key, log_lr, u1, u2):
    s = SURFACES[surface]
    (lo1, hi1), (lo2, hi2) = s.domain
    start = (lo1 + u1 * (hi1 - lo1), lo2 + u2 * (hi2 - lo2))
    tr = descend(s, key, start, lr=10.0**log_lr, steps=40)
    check_invariants(tr, 40)


# ---------------------------------------------------------------------------------------------
# arguments


def test_zero_steps_and_zero_lr():
    tr = descend("coupled", "adam", (1.0, 1.0), lr=0.1, steps=0)
    assert tr.points.shape == (1, 2) and tr.updates.shape == (0, 2) and tr.diverged_at is None
    assert tr.final_loss == pytest.approx(6.0)
    still = descend("coupled", "momentum", (1.0, 1.0), lr=0.0, steps=5)
    np.testing.assert_array_equal(still.points, np.tile([1.0, 1.0], (6, 1)))


def test_defaults_fill_in_and_overrides_apply():
    tr = descend("bowl", "adam", (4.0, 3.0), lr=0.1, steps=1, beta2=0.99)
    assert tr.hyper == {"beta1": 0.9, "beta2": 0.99, "eps": 1e-8}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"optimizer": "sgd", "beta": 0.9}, TypeError, "no hyperparameter"),
        ({"optimizer": "adam", "beta": 0.9}, TypeError, "beta1, beta2, eps"),
        ({"optimizer": "momentum", "beta": 1.0}, ValueError, r"\[0, 1\)"),
        ({"optimizer": "momentum", "beta": -0.1}, ValueError, r"\[0, 1\)"),
        ({"optimizer": "rmsprop", "eps": 0.0}, ValueError, "> 0"),
        ({"optimizer": "adam", "beta1": math.nan}, ValueError, "finite"),
        ({"lr": -0.1}, ValueError, "lr"),
        ({"lr": math.inf}, ValueError, "lr"),
        ({"steps": -1}, ValueError, "steps"),
        ({"steps": 2.5}, ValueError, "steps"),
        ({"steps": MAX_STEPS + 1}, ValueError, "steps"),
        ({"start": (1.0, 2.0, 3.0)}, ValueError, "start"),
        ({"start": (math.nan, 0.0)}, ValueError, "start"),
        ({"surface": "volcano"}, KeyError, "bowl"),
        ({"optimizer": "lion"}, KeyError, "adam"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, match):
    args = {"surface": "bowl", "optimizer": "momentum", "start": (4.0, 3.0), "lr": 0.1, "steps": 5}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        descend(**args)


def test_spec_objects_are_accepted_directly():
    spec: OptimizerSpec = OPTIMIZERS["nesterov"]
    a = descend(SURFACES["ravine"], spec, (-9.0, 1.5), lr=0.01, steps=30)
    b = descend("ravine", "nesterov", (-9.0, 1.5), lr=0.01, steps=30)
    np.testing.assert_array_equal(a.points, b.points)


def test_framework_differences_are_stated_on_the_registry_entries():
    """RMSprop's default decay 0.9 vs PyTorch's 0.99, and Nesterov at β = 0 being SGD (issue 11)."""
    assert OPTIMIZERS["rmsprop"].hyper["beta"].default == 0.9
    assert "0.99" in OPTIMIZERS["rmsprop"].note and "PyTorch" in OPTIMIZERS["rmsprop"].note
    assert "β = 0" in OPTIMIZERS["nesterov"].note and "gradient descent" in OPTIMIZERS["nesterov"].note
    start = np.array([1.0, 1.0])
    plain = descend("bowl", "sgd", start, lr=0.1, steps=20)
    nesterov0 = descend("bowl", "nesterov", start, lr=0.1, steps=20, beta=0.0)
    np.testing.assert_array_equal(plain.points, nesterov0.points)  # what the note says


def test_every_optimizer_has_a_short_name():
    assert all(spec.short for spec in OPTIMIZERS.values())


# ---------------------------------------------------------------------------------------------
# Tests for the page helpers of core.optimizers: loss gap, display (stability: test_stability.py).
# ---------------------------------------------------------------------------------------------


def test_min_loss_and_gap():
    assert min_loss("bowl") == 0.0 and min_loss("saddle") is None
    assert min_loss("coupled") == pytest.approx(11 / 3)
    assert min_loss("himmelblau") == pytest.approx(0.0, abs=1e-20)
    gap, best = loss_gap("coupled", [5.0, 11 / 3, 11 / 3 - 1e-15])
    assert best == pytest.approx(11 / 3)
    assert gap[0] == pytest.approx(5 - 11 / 3) and np.all(gap[1:] > 0) and np.all(gap[1:] < 1e-14)
    gap, best = loss_gap("bowl", [2.0, 0.0])
    assert gap[0] == 2.0 and math.isnan(gap[1])
    values, best = loss_gap("saddle", [1.0, -3.0])
    assert best is None and list(values) == [1.0, -3.0]


def test_last_inside():
    pts = np.array([[0, 0], [1, 1], [9, 9], [2, 2], [50, 0]])
    assert last_inside(pts, ((-5, 5), (-5, 5))) == 3
    assert last_inside(pts[2:3], ((-5, 5), (-5, 5))) == 0


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_step_view(opt):
    run = descend("bowl", opt, (4.0, 3.0), 0.1, 10)
    v = step_view(run, 3)
    np.testing.assert_allclose(v.lr_grad, 0.1 * run.grads[3])
    np.testing.assert_array_equal(v.next_point, v.point + v.update)
    if opt == "sgd":
        np.testing.assert_allclose(v.update, -v.lr_grad)
    last = step_view(run, 99)
    assert last.t == 10 and last.update is None and last.next_point is None
