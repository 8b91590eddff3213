"""core.gradient_check.directional_check: ∇L·u against a central difference of L along u."""

from __future__ import annotations

import numpy as np
import pytest

from core import gradient_check
from core.gradient_check import directional_check
from core.surfaces import SURFACES


@pytest.mark.parametrize("key", list(SURFACES))
@pytest.mark.parametrize("angle", [0.0, 37.0, 90.0, 200.0])
def test_analytic_and_numeric_directional_derivatives_agree(key, angle):
    s = SURFACES[key]
    w = np.array(s.default_start, dtype=float)
    row = directional_check(s, w, angle, h=1e-5)
    u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    assert row.analytic == pytest.approx(float(s.grad(w) @ u), rel=1e-12, abs=1e-12)
    by_hand = (s.value(w + 1e-5 * u) - s.value(w - 1e-5 * u)) / 2e-5  # L only, no gradient
    assert row.numeric == pytest.approx(float(by_hand), rel=1e-9, abs=1e-9)
    assert row.score < 1e-6


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_directional_checks_at_many_angles_are_directional_check_angle_by_angle(key):
    """The batch form (one evaluation of L for every angle: Gradients computes a window's directions with it)
    gives exactly the numbers of directional_check, angle by angle: the same u, the same points L is
    evaluated at, the same relative error."""
    s = SURFACES[key]
    rng = np.random.default_rng(7)
    (a, b), (c, d) = s.domain
    angles = list(range(0, 361, 7)) + [45.5, 359.9]
    for _ in range(3):
        w = (round(float(rng.uniform(a, b)), 2), round(float(rng.uniform(c, d)), 2))
        analytic, numeric, rel = gradient_check.directional_checks(s, w, angles, h=1e-5)
        for i, t in enumerate(angles):
            one = gradient_check.directional_check(s, np.array(w), float(t), h=1e-5)
            assert (analytic[i], numeric[i]) == (one.analytic, one.numeric), (key, w, t)
            assert rel[i] == one.rel_error or (np.isnan(rel[i]) and np.isnan(one.rel_error)), (key, w, t)
