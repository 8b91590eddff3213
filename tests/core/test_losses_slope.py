"""core.losses.loss_slope_check: the registry's ∂L/∂ŷ against central differences of L alone."""

from __future__ import annotations

import numpy as np
import pytest

from core.finite_diff import relative_error
from core.losses import LOSSES, loss_slope_check


@pytest.mark.parametrize("key", list(LOSSES))
def test_the_formula_slope_agrees_with_central_differences_inside_the_domain(key):
    values, grads, numeric = loss_slope_check(LOSSES[key], 1.0, np.linspace(0.05, 0.95, 19))
    assert values.shape == grads.shape == numeric.shape == (19,)
    assert np.all(np.isfinite(numeric))
    assert np.max(relative_error(grads, numeric)) < 1e-6


def test_a_wrong_formula_would_be_caught():
    loss = LOSSES[next(iter(LOSSES))]
    _, grads, numeric = loss_slope_check(loss, 1.0, [0.3])
    assert (
        float(relative_error(grads[0] * 1.01, numeric[0])) > 1e-3
    )  # the check is not comparing a value with itself
