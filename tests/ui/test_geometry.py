"""ui.geometry: which path points to draw, fixed-size arrows, arrows kept on the plot."""

from __future__ import annotations

import numpy as np
import pytest

from core.optimizers import descend
from ui.geometry import display_arrow, fit_factor, visible_steps


def test_visible_steps_keeps_corners_and_drops_the_converged_tail():
    run = descend("bowl", "sgd", (4.0, 3.0), 0.1, 500)
    idx = visible_steps(run.points, (10.0, 10.0))
    assert idx[0] == 0 and idx[-1] == 500 and np.all(np.diff(idx) > 0)
    assert len(idx) < 60  # the tail near the minimum collapses
    zig = descend("ravine", "sgd", (-9.0, 1.5), 0.039, 40)  # w2 flips sign every step
    idx = visible_steps(zig.points, (20.0, 4.0))
    assert list(idx[:10]) == list(range(10))
    assert list(visible_steps([[0, 0]], (1, 1))) == [0]


def test_display_arrow_has_a_fixed_screen_length_and_heading():
    x2, y2, angle = display_arrow((0, 0), (0, -5), (10, 10), length=0.1)
    assert (x2, y2, angle) == pytest.approx((0.0, -1.0, 180.0))
    x2, y2, angle = display_arrow((1, 1), (3, 0), (20, 4), length=0.1, aspect=2.0)
    assert (x2, y2, angle) == pytest.approx((1 + 0.1 / 2 * 20, 1.0, 90.0))
    assert display_arrow((0, 0), (0, 0), (1, 1)) is None


def test_fit_factor():
    box = ((-1.0, 1.0), (-2.0, 2.0))
    assert fit_factor((0.0, 0.0), (0.5, 0.5), box) == 1.0
    assert fit_factor((0.0, 0.0), (2.0, 0.0), box) == pytest.approx(0.5)
    assert fit_factor((0.0, 1.0), (0.0, 4.0), box) == pytest.approx(0.25)
    assert fit_factor((0.0, 0.0), (-4.0, -1.0), box) == pytest.approx(0.25)
    assert fit_factor((1.0, 0.0), (1.0, 0.0), box) == 0.0  # on the edge, pointing out
    assert fit_factor((0.0, 0.0), (np.nan, 0.0), box) == 0.0
