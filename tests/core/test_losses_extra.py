"""Tests for the Losses page helpers appended to core.losses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import losses as L
from core.finite_diff import derivative
from core.losses import LOSSES, SIGMOID_ROUNDS_TO_ONE, bce_stability, loss_curve

Z = np.linspace(-50.0, 50.0, 1001)


@pytest.mark.parametrize("key", list(LOSSES))
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_loss_curve_is_one_prediction_at_a_time(key, y):
    loss = LOSSES[key]
    preds = np.linspace(0.05, 0.95, 19)
    values, grads = loss_curve(loss, y, preds)
    for p, v, g in zip(preds, values, grads, strict=True):
        assert v == pytest.approx(loss.fn([y], [p]))
        assert g == pytest.approx(float(loss.grad([y], [p])[0]))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(list(LOSSES)), st.floats(0.0, 1.0), st.floats(0.02, 0.98))
def test_loss_curve_gradient_matches_central_differences(key, y, p):
    loss = LOSSES[key]

    def f(q):
        return loss_curve(loss, y, [q])[0][0]

    g = loss_curve(loss, y, [p])[1][0]
    assert g == pytest.approx(derivative(f, p, h=1e-6), rel=1e-5, abs=1e-7)


def test_mse_curve_is_not_divided_by_the_grid_size():
    values, grads = loss_curve(LOSSES["mse"], 1.0, np.linspace(-1, 2, 301))
    assert values[0] == pytest.approx(4.0) and grads[0] == pytest.approx(-4.0)


def test_naive_bce_breaks_where_sigmoid_rounds_to_one():
    assert SIGMOID_ROUNDS_TO_ONE == pytest.approx(36.7368, abs=1e-4)
    for y, kind in ((1.0, "nan"), (0.0, "inf"), (0.5, "inf")):
        r = bce_stability(y, Z)
        assert len(r.broken) == 1
        lo, hi, k = r.broken[0]
        assert k == kind and hi == 50.0
        assert SIGMOID_ROUNDS_TO_ONE < lo < SIGMOID_ROUNDS_TO_ONE + 0.1 + 1e-9
        assert np.all(np.isfinite(r.stable)) and np.all(r.stable > 0)
        assert r.lost_above is not None and 15 < r.lost_above < lo


def test_naive_bce_loses_the_small_side_for_label_zero():
    r = bce_stability(0.0, Z)
    assert r.lost_below is not None and -35 < r.lost_below < -15
    assert bce_stability(1.0, Z).lost_below is None
    # The stable form still has the tiny true loss ≈ e^z where the naive one returns exactly 0.
    assert r.naive[0] == 0.0 and r.stable[0] == pytest.approx(math.exp(-50.0), rel=1e-12)


def test_bce_stability_raises_no_warning():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        r = bce_stability(1.0, np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert np.isnan(r.naive[-1]) and np.isfinite(r.stable).all()
    assert L.bce_stability(1.0, Z).tolerance == 1e-6
