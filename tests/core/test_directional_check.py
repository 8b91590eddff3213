"""core.gradient_check.directional_check: ∇L·u against a central difference of L along u."""

from __future__ import annotations

import numpy as np
import pytest

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
