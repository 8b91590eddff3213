"""Tests for core.stability: the step-size limit against the curvature, the closed form, the diagnosis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.finite_diff import relative_error
from core.optimizers import descend
from core.stability import critical_point, diagnose, hessian_at, sgd_closed_form, step_limit
from core.surfaces import SURFACES, stable_lr

QUADRATIC = [k for k, s in SURFACES.items() if s.hessian is not None]


@pytest.mark.parametrize("key", QUADRATIC)
def test_sgd_limit_is_two_over_lambda_max(key):
    lim = step_limit(key, "sgd", 0.1)
    assert lim is not None and lim.constant and lim.rule == "2/λmax"
    assert lim.lr_max == pytest.approx(stable_lr(key))
    assert lim.lam_max == pytest.approx(2.0 / stable_lr(key))


def test_bowl_numbers_for_the_notice():
    lim = step_limit("bowl", "sgd", 0.6)
    assert (lim.lam_max, lim.lam_min, lim.lr_max) == (4.0, 2.0, 0.5)
    assert lim.rate == pytest.approx(1.4)  # |1 − 0.6·4|
    np.testing.assert_allclose(np.abs(lim.direction), [0.0, 1.0])  # λmax is along w2
    assert step_limit("bowl", "sgd", 0.5).rate == pytest.approx(1.0)  # the edge: oscillates forever
    assert step_limit("bowl", "sgd", 0.49).rate < 1.0


@pytest.mark.parametrize("opt", ["sgd", "momentum", "nesterov"])
@pytest.mark.parametrize("surface", ["bowl", "coupled", "ravine"])
def test_limit_separates_convergence_from_divergence(opt, surface):
    """Just below η_max the run converges, just above it diverges — for each linear optimizer."""
    lim = step_limit(surface, opt, 0.1)
    below = descend(surface, opt, (1.0, 1.0), lim.lr_max * 0.97, 3000)
    above = descend(surface, opt, (1.0, 1.0), lim.lr_max * 1.03, 3000)
    assert below.diverged_at is None and below.converged(1e-6)
    assert above.diverged_at is not None
    assert (
        step_limit(surface, opt, lim.lr_max * 0.97).rate
        < 1
        < step_limit(surface, opt, lim.lr_max * 1.03).rate
    )


def test_momentum_bound_depends_on_beta():
    assert step_limit("bowl", "momentum", 0.1, beta=0.9).lr_max == pytest.approx(2 * 1.9 / 4)
    assert step_limit("bowl", "momentum", 0.1, beta=0.0).lr_max == pytest.approx(0.5)
    assert step_limit("bowl", "nesterov", 0.1, beta=0.9).lr_max == pytest.approx(2 * 1.9 / (2.8 * 4))


def test_saddle_escapes_whatever_the_rate():
    lim = step_limit("saddle", "sgd", 0.01)
    assert lim.lam_min < 0 < lim.lam_max
    assert lim.rate == pytest.approx(1.02)  # 1 + 2η along w2


@pytest.mark.parametrize("opt", ["rmsprop", "adam"])
def test_adaptive_optimizers_have_no_linear_bound(opt):
    lim = step_limit("bowl", opt, 0.1)
    assert lim.lr_max is None and lim.rate is None and lim.lam_max == 4.0


def test_local_limit_on_rosenbrock_needs_a_point():
    assert step_limit("rosenbrock", "sgd", 0.01) is None
    lim = step_limit("rosenbrock", "sgd", 0.01, point=(-1.2, 1.0))
    assert not lim.constant
    # Hessian by hand at (−1.2, 1): [[2 − 400(w2 − 3w1²), −400 w1], [−400 w1, 200]]
    H = np.array([[2 - 400 * (1 - 3 * 1.44), 480.0], [480.0, 200.0]])
    np.testing.assert_allclose(hessian_at("rosenbrock", (-1.2, 1.0)), H, rtol=1e-6)
    assert lim.lam_max == pytest.approx(float(np.linalg.eigvalsh(H)[-1]), rel=1e-6)
    assert lim.rate > 1 and descend("rosenbrock", "sgd", (-1.2, 1.0), 0.01, 50).diverged_at is not None


@given(st.floats(-4, 4), st.floats(-4, 4), st.sampled_from([0.01, 0.1, 0.3, 0.45]), st.integers(0, 60))
@settings(max_examples=60, deadline=None)
def test_closed_form_matches_the_loop(w1, w2, lr, k):
    for key in ("bowl", "coupled", "ravine", "saddle"):
        if key == "ravine" and lr > 0.04:
            continue
        run = descend(key, "sgd", (w1, w2), lr, k)
        if run.diverged_at is not None:
            continue
        closed = sgd_closed_form(key, (w1, w2), lr, k)
        scale = 1.0 + float(np.max(np.abs(run.points)))
        assert np.max(np.abs(closed - run.final_point)) <= 1e-9 * scale


def test_closed_form_reproduces_the_article():
    closed = sgd_closed_form("bowl", (4.0, 3.0), 0.1, 50)
    np.testing.assert_allclose(closed, [5.70899077e-05, 2.42484383e-11], rtol=1e-8)
    assert relative_error(closed, descend("bowl", "sgd", (4.0, 3.0), 0.1, 50).final_point) < 1e-12
    assert sgd_closed_form("rosenbrock", (0, 0), 0.1, 3) is None


def test_critical_points():
    np.testing.assert_allclose(critical_point("coupled"), [2 / 3, 8 / 3])
    np.testing.assert_allclose(critical_point("saddle"), [0, 0])
    assert critical_point("himmelblau") is None


@pytest.mark.parametrize(
    ("surface", "optimizer", "start", "lr", "steps", "kind"),
    [
        ("bowl", "sgd", (4.0, 3.0), 0.1, 50, None),  # the article's demo
        ("bowl", "sgd", (4.0, 3.0), 0.5, 50, "edge"),  # w2 ↦ −w2 forever
        ("bowl", "sgd", (4.0, 3.0), 0.51, 50, "slow"),  # growing by 1.04 per step, not out yet
        ("bowl", "sgd", (4.0, 3.0), 0.6, 50, "large"),
        ("ravine", "momentum", (-9.0, 1.5), 0.08, 200, "large"),  # 2(1+β)/λmax = 0.076
        ("saddle", "momentum", (2.5, 0.05), 0.05, 80, "escape"),
        ("rosenbrock", "sgd", (-1.2, 1.0), 0.01, 50, "local"),
        ("rosenbrock", "adam", (-1.2, 1.0), 0.1, 300, None),
    ],
)
def test_diagnose(surface, optimizer, start, lr, steps, kind):
    run = descend(surface, optimizer, start, lr, steps)
    d = diagnose(run)
    assert d.kind == kind
    if kind == "large":
        assert d.limit.lr_max < lr and d.limit.rate > 1
    if kind == "local":
        assert not d.limit.constant and d.limit.lr_max < lr
        lo, hi = SURFACES[surface].domain
        assert lo[0] <= d.where[0] <= lo[1] and hi[0] <= d.where[1] <= hi[1]


def test_diagnose_adaptive_divergence():
    # Adam's step is about η per coordinate: an η of 1e5 throws it off the bounds at once
    run = descend("bowl", "adam", (4.0, 3.0), 1e5, 20)
    assert run.diverged_at is not None and diagnose(run).kind == "adaptive"
